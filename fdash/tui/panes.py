"""Building blocks of the screen's prompt_toolkit containers, shared by the layout and the
tabs' bodies: a one-line window, a virtualised list window, a separator, the terminal's
size, and views imported on first use."""

from __future__ import annotations

import importlib

from prompt_toolkit.application.current import get_app
from prompt_toolkit.layout import Window
from prompt_toolkit.layout.dimension import Dimension

from fdash.tui.controls import LineControl, ListControl

NARROW = 80  # fewer columns: the search's prompt panel opens over the results
SIDE_FROM = 120  # from this width a session list has its prompt panel beside it


class Lazy:
    """A view module, imported on first use: the first frame (the loading screen) needs
    none of them, nor Rich, so it is drawn sooner."""

    def __init__(self, name: str):
        self.name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self.name), attr)


def _size():
    try:
        return get_app().output.get_size()
    except Exception:  # noqa: BLE001 - no app (a unit test building the layout)
        return None


def columns() -> int:
    size = _size()
    return size.columns if size is not None else 120


def rows() -> int:
    size = _size()
    return size.rows if size is not None else 40


def line(get_fragments, style: str = "", focusable: bool = False) -> Window:
    return Window(
        LineControl(get_fragments, focusable=focusable),
        height=1,
        style=style,
        always_hide_cursor=True,
    )


def listing(get_model, **size) -> Window:
    return Window(ListControl(get_model), **size)


def separator(style="class:separator") -> Window:
    return Window(width=1, char="│", style=style)


def side_width(beside=lambda: True, from_width: int = NARROW, keep: int = 0) -> Dimension:
    """The prompt panel beside a list: a third of the width, less if the list would keep
    fewer than `keep` columns, never under 28 (else all of it)."""
    width = columns()
    if width < from_width or not beside():
        return Dimension()
    return Dimension.exact(max(28, min(int(width * 0.32), width - 1 - keep)))
