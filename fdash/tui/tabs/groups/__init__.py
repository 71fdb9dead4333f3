"""Groups: per group its projects, sessions, tokens, cost, cache hits and shares."""

from __future__ import annotations

from prompt_toolkit.layout import HSplit
from prompt_toolkit.layout.dimension import Dimension

from fdash.tui.context import Context, TabState
from fdash.tui.cursor import Cursor, Selection
from fdash.tui.keys import Key
from fdash.tui.panes import Lazy, line, listing

view = Lazy("fdash.tui.tabs.groups.view")


class State(TabState, Selection):
    """The groups table: one row per group (biggest first), Enter shows its sessions."""

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.cursor = Cursor()

    def count(self) -> int:
        return len(self.ctx.data.by_group)

    @property
    def selected_key(self) -> str | None:
        groups = self.ctx.data.by_group
        i = self.cursor.index
        return groups[i].key if 0 <= i < len(groups) else None


KEYS = (
    Key(("enter",), "its sessions (Esc: back)",
        lambda app: app.drill("group", app.current.selected_key)),
)
MOUSE = (("click", "a group selects it"),)


def body(screen, state: State):
    app = screen.app
    return HSplit(
        [
            listing(lambda w: view.bars_model(app, w), height=Dimension.exact(view.BAR_LINES)),
            line(lambda w: view.header(app, w)),
            listing(lambda w: view.model(app, w)),
            line(lambda w: view.legend(app, w - 1)),
        ]
    )
