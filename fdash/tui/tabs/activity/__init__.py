"""Activity: tokens or cost per day / week / month, the sessions of the selected period,
and a projects × weeks heatmap."""

from __future__ import annotations

from prompt_toolkit.filters import Condition
from prompt_toolkit.layout import ConditionalContainer, HSplit, VSplit
from prompt_toolkit.layout.dimension import Dimension

from fdash.tui.keys import VIEW, Key
from fdash.tui.panes import Lazy, columns, line, listing, rows, separator
from fdash.tui.tabs.activity.state import ActivityState

State = ActivityState
view = Lazy("fdash.tui.tabs.activity.view")
WIDE = 110  # from this width the heatmap sits beside the day's sessions

KEYS = (
    Key(("left", "right"), "previous / next day", {
        "left": lambda app: app.current.step(-1), "right": lambda app: app.current.step(1),
    }),
    Key(("m",), "metric: tokens / cost / credits / active time", lambda app: app.current.toggle_metric()),
    Key(("u",), "unit: day / week / month", lambda app: app.current.cycle_unit()),
    Key(("enter",), "show in Sessions", lambda app: app.open_session()),
    Key(("c",), "connect (resume in droid)", lambda app: app.connect()),
    Key(("y",), "copy the session id", lambda app: app.copy_id()),
    VIEW,
)
MOUSE = (("click", "a session of the day selects it"),)


def body(screen, activity: ActivityState):
    app = screen.app

    def chart_height() -> int:
        return view.chart_rows(rows()) + 2

    def heat(**size):
        return listing(lambda w: view.heat_model(app, w), **size)

    wide = Condition(lambda: columns() >= WIDE)
    day = HSplit(
        [
            line(lambda w: view.header(app, w)),
            # a few of the period's sessions even on a short screen (the heatmap gives way)
            listing(lambda w: view.sessions_model(app, w), height=Dimension(min=4)),
        ]
    )
    beside = heat(width=lambda: Dimension.exact(view.heat_width(app)))
    return HSplit(
        [
            line(lambda w: view.info(app, w)),
            listing(
                lambda w: view.chart_model(app, w, chart_height()),
                height=lambda: Dimension.exact(chart_height()),
            ),
            line(lambda w: view.period_line(app, w)),
            line(lambda w: view.projects_line(app, w)),
            VSplit(
                [
                    day,
                    ConditionalContainer(separator(), wide),
                    ConditionalContainer(beside, wide),
                ]
            ),
            ConditionalContainer(heat(height=Dimension(min=3, preferred=12, max=14)), ~wide),
        ]
    )
