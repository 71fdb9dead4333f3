"""Projects: one row per project, sortable by any column."""

from __future__ import annotations

from prompt_toolkit.layout import HSplit

from fdash.tui.keys import Key
from fdash.tui.panes import Lazy, line, listing
from fdash.tui.tabs.projects.state import ProjectList

State = ProjectList
view = Lazy("fdash.tui.tabs.projects.view")

SORT_KEYS = {"p": "project", "g": "group", "n": "sessions", "t": "tokens", "a": "active", "c": "cost"}
KEYS = (
    Key(("s",), "next sort column", lambda app: app.current.cycle_sort()),
    Key(("o",), "reverse", lambda app: app.current.reverse()),
    Key(tuple(SORT_KEYS), "sort by project/group/sessions/tokens/active time/cost (again: reverse)",
        {key: (lambda app, column=column: app.current.sort_by(column))
         for key, column in SORT_KEYS.items()}),
)
MOUSE = (("click", "a header sorts by it (again: reverse)"),)


def body(screen, projects: ProjectList):
    app = screen.app
    return HSplit(
        [
            line(lambda _w: view.info(app)),
            line(lambda w: view.header(app, w)),
            listing(lambda w: view.model(app, w)),
        ]
    )
