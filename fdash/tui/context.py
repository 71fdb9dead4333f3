"""What a tab's state sees of the app — the data on screen, the config, the time, and a
few verbs (ask, flash, apply_config) — and the base of every tab's state. No UI imports.

A tab's state is built with a `Context`, never with the app's state itself: the tabs
depend on this module, the app on the tabs, and nothing goes round in a circle.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from fdash.core.config import Config
from fdash.core.models import Entry
from fdash.core.timeline import Zone
from fdash.tui.cursor import Scroll, Selection
from fdash.tui.data import Data
from fdash.tui.deferred import Deferred


class Context(Protocol):
    """The part of the app a tab's state may use (`AppState` provides it)."""

    @property
    def data(self) -> Data: ...
    @property
    def config(self) -> Config: ...
    @property
    def write_path(self) -> Path: ...
    @property
    def roots(self) -> tuple[Path, ...]: ...
    @property
    def zone(self) -> Zone: ...
    def today(self) -> date: ...
    def window_end(self) -> date: ...  # the last day charts show
    def now(self) -> datetime: ...
    def showing(self, tab: str) -> bool: ...  # whether that tab is on screen
    def deferred(self, tab: str) -> Deferred: ...  # computed piece by piece while `tab` shows
    def ask(self, kind: str, title: str, text: str, submit: Callable[[str], str | None],
            **options) -> None: ...
    def flash(self, text: str, level: str = "info") -> None: ...
    def apply_config(self, config: Config) -> None: ...


class TabState:
    """What the app asks of every tab's state (the defaults suit a tab that scrolls)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.scroll = Scroll()

    def scroller(self):
        """What the movement keys move (has move, page, home, end): the selection of a
        tab that has one, else its scroll."""
        return self if isinstance(self, Selection) else self.scroll

    def selected_entry(self) -> Entry | None:
        """The session the session keys (favorite, rename, resume) act on."""
        return None

    def escape(self) -> bool:
        """Esc in this tab: whether it did something (else the app does nothing)."""
        return False

    def apply_display(self, display) -> None:
        """The `[display]` settings changed."""
