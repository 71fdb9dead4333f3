"""Groups: per group its projects, sessions, tokens, cost, cache hits and shares."""

from __future__ import annotations

from fdash.tui.context import TabState
from fdash.tui.panes import Lazy, listing

view = Lazy("fdash.tui.tabs.groups.view")
State = TabState
KEYS = ()
MOUSE = ()


def body(screen, state: TabState):
    return listing(lambda w: view.model(screen.app, w))
