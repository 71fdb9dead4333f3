"""Overview: totals, the budget, tokens by kind, the activity heatmap, top projects."""

from __future__ import annotations

from fdash.tui.context import Context, TabState
from fdash.tui.panes import Lazy, listing

view = Lazy("fdash.tui.tabs.overview.view")


class State(TabState):
    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.budget = ctx.deferred("overview")  # computed piece by piece while shown
        self.daily = ctx.deferred("overview")  # every day's spend: today, week, month, peak


KEYS = ()
MOUSE = ()


def body(screen, state: State):
    return listing(lambda w: view.model(screen.app, w))
