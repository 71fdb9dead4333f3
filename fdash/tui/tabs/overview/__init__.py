"""Overview: totals, the budget, tokens by kind, the activity heatmap, top projects."""

from __future__ import annotations

from fdash.tui.context import Context, TabState
from fdash.tui.keys import Key
from fdash.tui.panes import Lazy, listing

view = Lazy("fdash.tui.tabs.overview.view")


class State(TabState):
    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.budget = ctx.deferred("overview")  # computed piece by piece while shown
        self.daily = ctx.deferred("overview")  # every day's spend: today, week, month, peak
        self.pick = 0  # the top project ↑↓ select (Enter: its sessions)
        self.follow = False  # bring the selected top project into view at the next draw

    def scroller(self):
        return self

    def top(self) -> list:
        from fdash.tui.tabs.overview.view import TOP_PROJECTS

        return self.ctx.data.by_project[:TOP_PROJECTS]

    @property
    def selected_key(self) -> str | None:
        top = self.top()
        return top[self.pick].key if 0 <= self.pick < len(top) else None

    def move(self, delta: int) -> None:  # ↑↓: the top project; the page follows it
        self.pick = max(0, min(self.pick + delta, len(self.top()) - 1))
        self.follow = True

    def page(self, pages: int) -> None:
        self.scroll.page(pages)

    def home(self) -> None:
        self.scroll.home()

    def end(self) -> None:
        self.scroll.end()


KEYS = (
    Key(("enter",), "the selected top project's sessions (↑↓ select, Esc: back)",
        lambda app: app.drill("project", app.current.selected_key)),
)
MOUSE = ()


def body(screen, state: State):
    return listing(lambda w: view.model(screen.app, w))
