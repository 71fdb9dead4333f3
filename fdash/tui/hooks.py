"""How the app's state reaches the event loop. The app sets these; tests keep the
defaults: background work runs at once, `invalidate` and `exit` do nothing."""

from __future__ import annotations

from collections.abc import Callable

from attrs import define


def _run_now(fn: Callable[[], None]) -> None:
    fn()


def _nothing(*_args) -> None:
    return None


@define
class Hooks:
    invalidate: Callable[[], None] = _nothing  # ask for a redraw (thread-safe)
    call_soon: Callable[[Callable[[], None]], None] = _run_now  # run on the UI thread, redraw
    step: Callable[[Callable[[], None]], None] = _run_now  # run on the UI thread soon, no redraw
    spawn: Callable[[Callable[[], None]], None] = _run_now  # run in the background
    exit: Callable[[object], None] = _nothing  # leave the app with a result
    loaded: Callable[[bool], None] = _nothing  # new data is in (live: by the live view)
    clipboard: Callable[[str], None] = _nothing  # put text on the terminal's clipboard
