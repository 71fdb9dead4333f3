"""Sessions: every session, sortable, groupable, filterable, with its prompts beside."""

from __future__ import annotations

from prompt_toolkit.filters import Condition
from prompt_toolkit.layout import ConditionalContainer, HSplit, VSplit

from fdash.tui.keys import VIEW, Key
from fdash.tui.panes import SIDE_FROM, Lazy, columns, line, listing, separator, side_width
from fdash.tui.tabs.sessions.state import SessionList

State = SessionList
view = Lazy("fdash.tui.tabs.sessions.view")

KEYS = (
    Key(("enter",), "fold a group / into the prompts", lambda app: app.current.enter()),
    Key(("tab", "s-tab"), "into the prompts and back", lambda app: app.current.next_pane()),
    Key(("p",), "prompts pane on/off", lambda app: app.current.toggle_side()),
    Key(("s",), "sort by date / tokens / duration / tools / errors / files", lambda app: app.current.cycle_sort()),
    Key(("o",), "reverse order", lambda app: app.current.reverse()),
    Key(("g",), "group by none/project/group/model", lambda app: app.current.cycle_grouping()),
    Key(("h",), "hide empty sessions (no prompt typed)",
        lambda app: app.current.toggle_hide_empty()),
    Key(("a",), "sub-agents under their parent", lambda app: app.current.toggle_fold()),
    Key(("F",), "filter this list", lambda app: app.current.open_filter()),
    Key(("f",), "favorite", lambda app: app.toggle_favorite()),
    Key(("e",), "edit title", lambda app: app.edit_title()),
    Key(("c",), "connect (resume in droid)", lambda app: app.connect()),
    Key(("y",), "copy the session id", lambda app: app.copy_id()),
    VIEW,
)
MOUSE = (("click", "a header sorts by it, a row selects it"),)
# the list keeps this much beside the prompts (the panel is narrower at 120 columns): the
# star, date, title, project, prompts, tokens and cost of the default priority
LIST_KEEP = 85


def body(screen, lst: SessionList):
    app = screen.app
    list_pane = HSplit(
        [
            line(lambda w: view.info(app, lst, w)),
            line(lambda w: view.header(app, lst, w)),
            listing(lambda w: view.model(app, lst, w)),
        ]
    )
    side_pane = HSplit(
        [
            line(lambda _w: view.side_title(lst)),
            listing(lambda w: view.side_model(app, lst, w)),
        ],
        width=lambda: side_width(lambda: lst.show_side, SIDE_FROM, LIST_KEEP),
    )
    bar = separator(lambda: "class:separator.focused" if lst.side_focus else "class:separator")
    beside = Condition(lambda: lst.show_side and columns() >= SIDE_FROM)
    side_focus = Condition(lambda: lst.side_focus)
    return VSplit(
        [
            ConditionalContainer(list_pane, filter=beside | ~side_focus),
            ConditionalContainer(bar, filter=beside),
            ConditionalContainer(side_pane, filter=beside | side_focus),
        ]
    )
