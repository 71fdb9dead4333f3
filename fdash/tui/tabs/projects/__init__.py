"""Projects: one row per project, sortable by any column."""

from __future__ import annotations

from prompt_toolkit.layout import HSplit

from fdash.tui.keys import Key
from fdash.tui.panes import Lazy, line, listing
from fdash.tui.tabs.projects.state import ProjectList

State = ProjectList
view = Lazy("fdash.tui.tabs.projects.view")

KEYS = (
    Key(("enter",), "its sessions (Esc: back)",
        lambda app: app.drill("project", app.current.selected_key)),
    Key(("s",), "sort by the next column", lambda app: app.current.cycle_sort()),
    Key(("o",), "reverse order", lambda app: app.current.reverse()),
)
MOUSE = (("click", "a header sorts by it (again: reverse)"),)


def body(screen, projects: ProjectList):
    app = screen.app
    return HSplit(
        [
            line(lambda w: view.info(app, w)),
            line(lambda w: view.header(app, w)),
            listing(lambda w: view.model(app, w)),
        ]
    )
