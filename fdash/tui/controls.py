"""A virtualised list control: prompt_toolkit asks only for the lines it shows.

`ListControl.create_content(width, height)` gets a `ListModel` for that width from its
view (rebuilt per render, cheap), lets the model's cursor (selection) or scroll position choose the
first visible row, and returns a `UIContent` of at most `height` lines whose `get_line`
renders a row on demand. With 100,000 rows a repaint touches ~40 of them. The selected
row is highlighted across the full width; clicks select, the wheel scrolls.
"""

from __future__ import annotations

from collections.abc import Callable

from attrs import define
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.layout.controls import UIContent, UIControl
from prompt_toolkit.mouse_events import MouseEvent, MouseEventType
from prompt_toolkit.utils import get_cwidth

from fdash.tui.cursor import Cursor, Scroll

WHEEL_LINES = 3


@define
class ListModel:
    count: int
    line: Callable[[int, int], StyleAndTextTuples]  # (row index, width) -> fragments
    position: Cursor | Scroll  # a Cursor highlights its row; a Scroll only scrolls
    active: bool = True  # the focused pane (stronger highlight)
    on_click: Callable[[int], None] | None = None  # row index clicked
    on_scroll: Callable[[int], None] | None = None  # +/- rows from the wheel


EMPTY = ListModel(0, lambda _i, _w: [], Scroll())


def cells(fragments: StyleAndTextTuples) -> int:
    return sum(len(f[1]) if f[1].isascii() else get_cwidth(f[1]) for f in fragments)


def padded(fragments: StyleAndTextTuples, width: int) -> StyleAndTextTuples:
    """The line filled up to `width` with spaces of the default style: every cell of the
    screen is written, so no window needs a background fill (a pass over every cell)."""
    used = cells(fragments)
    return [*fragments, ("", " " * (width - used))] if used < width else fragments


def highlight(fragments: StyleAndTextTuples, width: int, style: str) -> StyleAndTextTuples:
    """The row with `style` added to every fragment, padded to the full width."""
    out: StyleAndTextTuples = [(f"{frag[0]} {style}", *frag[1:]) for frag in fragments]
    used = cells(fragments)
    if used < width:
        out.append((style, " " * (width - used)))
    return out


class ListControl(UIControl):
    def __init__(self, get_model: Callable[[int], ListModel]):
        self.get_model = get_model
        self._top = 0
        self._model: ListModel = EMPTY

    def is_focusable(self) -> bool:
        return False

    def create_content(self, width: int, height: int) -> UIContent:
        model = self.get_model(width)
        self._model = model
        position = model.position
        top = position.window(model.count, height)
        self._top = top
        shown = max(0, min(height, model.count - top))
        selected = position.index if isinstance(position, Cursor) else -1
        style = "class:row.selected" if model.active else "class:row.selected.inactive"

        blank: StyleAndTextTuples = [("", " " * width)]

        def get_line(y: int) -> StyleAndTextTuples:
            index = top + y
            if y >= shown:
                return blank
            fragments = model.line(index, width)
            if index == selected:
                return highlight(fragments, width, style)
            return padded(fragments, width)

        return UIContent(get_line=get_line, line_count=max(shown, height), show_cursor=False)

    def mouse_handler(self, mouse_event: MouseEvent):
        model = self._model
        kind = mouse_event.event_type
        if kind == MouseEventType.SCROLL_UP and model.on_scroll is not None:
            model.on_scroll(-WHEEL_LINES)
        elif kind == MouseEventType.SCROLL_DOWN and model.on_scroll is not None:
            model.on_scroll(WHEEL_LINES)
        elif kind == MouseEventType.MOUSE_UP and model.on_click is not None:
            index = self._top + mouse_event.position.y
            if 0 <= index < model.count:
                model.on_click(index)
        else:
            return NotImplemented
        return None


class LineControl(UIControl):
    """One width-aware line of fragments (tab bar, headers, status); fragment mouse
    handlers (3-tuples) receive the clicks."""

    def __init__(self, get_fragments: Callable[[int], StyleAndTextTuples], focusable: bool = False):
        self.get_fragments = get_fragments
        self.focusable = focusable
        self._fragments: StyleAndTextTuples = []

    def is_focusable(self) -> bool:
        return self.focusable

    def create_content(self, width: int, height: int) -> UIContent:
        fragments = padded(self.get_fragments(width), width)
        self._fragments = fragments
        return UIContent(get_line=lambda _i: fragments, line_count=1, show_cursor=False)

    def mouse_handler(self, mouse_event: MouseEvent):
        x = 0
        for fragment in self._fragments:
            x += get_cwidth(fragment[1])
            if mouse_event.position.x < x:
                if len(fragment) > 2:
                    return fragment[2](mouse_event)
                break
        return NotImplemented
