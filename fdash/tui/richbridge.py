"""Rich renderables → ANSI → prompt_toolkit fragments, one list per screen line.

Rich prints into a private truecolor console of the exact width the control was given
(not the terminal's), the ANSI text is parsed by prompt_toolkit's `ANSI` (which reads only
SGR colors, so no Rich links: OSC 8 would leak through as text), and runs of characters
with the same style are merged so the screen gets few, long fragments. Results are kept
in a small LRU keyed by what the caller says identifies the content.

The hot paths — a list row (a `Text` already cut to its width) each time a row scrolls into
view, and the prompt panel on every selection move — skip the ANSI round trip:
`text_line` / `segment_lines` turn Rich's segments into fragments directly (style objects
mapped once, cached), several times faster (docs/PERFORMANCE.md). Text cannot carry escape sequences this way either:
prompt_toolkit draws control characters as `^[`.
"""

from __future__ import annotations

import io
import re
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache

from prompt_toolkit.formatted_text import ANSI, StyleAndTextTuples, to_formatted_text
from prompt_toolkit.formatted_text.utils import split_lines
from rich.console import Console, RenderableType
from rich.style import Style
from rich.text import Text

from fdash.tui.style import rich_theme

Line = StyleAndTextTuples

_consoles: dict[tuple[int, bool], Console] = {}


def console(width: int, dark: bool) -> Console:
    key = (width, dark)
    found = _consoles.get(key)
    if found is None:
        if len(_consoles) > 16:
            _consoles.clear()
        found = Console(
            file=io.StringIO(),
            force_terminal=True,
            color_system="truecolor",
            width=max(1, width),
            height=10_000,
            theme=rich_theme(dark),
            highlight=False,
            markup=False,
            emoji=False,
            legacy_windows=False,
            _environ={},  # ignore COLUMNS, NO_COLOR, TERM...: we draw into ptk, not a tty
        )
        _consoles[key] = found
    return found


_OSC = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def to_ansi(renderable: RenderableType, width: int, dark: bool) -> str:
    out = console(width, dark)
    with out.capture() as capture:
        out.print(renderable, end="", crop=True, no_wrap=False, overflow="fold")
    # prompt_toolkit's ANSI parser reads SGR only: a link (OSC 8) would show as text
    return _OSC.sub("", capture.get())


def merge(fragments: StyleAndTextTuples) -> Line:
    """Join neighbouring fragments of the same style (ANSI gives one per character)."""
    merged: Line = []
    for item in fragments:
        style, text = item[0], item[1]
        if "[ZeroWidthEscape]" in style:
            continue  # never let raw escapes through
        if merged and merged[-1][0] == style:
            merged[-1] = (style, merged[-1][1] + text)
        else:
            merged.append((style, text))
    return merged


def ansi_lines(ansi: str) -> list[Line]:
    lines = [merge(line) for line in split_lines(to_formatted_text(ANSI(ansi)))]
    if lines and not lines[-1]:
        lines.pop()
    return lines


def render_lines(renderable: RenderableType, width: int, dark: bool) -> list[Line]:
    """The renderable drawn `width` cells wide, as prompt_toolkit lines."""
    return ansi_lines(to_ansi(renderable, width, dark))


def segment_lines(renderable: RenderableType, width: int, dark: bool) -> list[Line]:
    """Like `render_lines`, from Rich's segments instead of its ANSI text (faster: for
    content redrawn on every selection move, like the prompt panel)."""
    out = console(width, dark)
    lines = out.render_lines(renderable, out.options.update_width(max(1, width)), pad=False)
    result: list[Line] = []
    for segments in lines:
        line: Line = []
        for segment in segments:
            if not segment.text or segment.control:
                continue
            style = _ptk_style(segment.style, dark)
            if line and line[-1][0] == style:
                line[-1] = (style, line[-1][1] + segment.text)
            else:
                line.append((style, segment.text))
        result.append(line)
    return result


def text_line(text: Text, dark: bool) -> Line:
    """A one-line `Text` (already of the wanted width) as fragments, without ANSI."""
    out = console(80, dark)  # only its theme is used: Text.render does not wrap
    line: Line = []
    # Text.render applies the base style only through spans: apply it ourselves without
    base = (
        out.get_style(text.style, default=Style.null()) if text.style and not text.spans else None
    )
    for segment in text.render(out):
        if not segment.text or segment.control:
            continue
        style = _ptk_style(base if base is not None else segment.style, dark)
        text_part = segment.text.replace("\n", " ")
        if line and line[-1][0] == style:
            line[-1] = (style, line[-1][1] + text_part)
        else:
            line.append((style, text_part))
    return line


@lru_cache(maxsize=2)
def theme_styles(dark: bool) -> dict[str, str]:
    """Every theme name (`fd.dim`, …, and "" for none) as a prompt_toolkit style string:
    list rows are built as fragments directly, with no Rich on the hot path."""
    out = console(80, dark)
    found = {"": ""}
    for name in rich_theme(dark).styles:
        found[name] = _ptk_style(out.get_style(name), dark)
    return found


def fragments(cells, dark: bool, gap: int = 1) -> Line:
    """One row from (text, theme name) cells already cut to their widths."""
    styles = theme_styles(dark)
    line: Line = []
    space = ("", " " * gap)
    for i, (text, name) in enumerate(cells):
        if i and gap:
            line.append(space)
        line.append((styles[name], text))
    return line


@lru_cache(maxsize=4096)
def _ptk_style(style: Style | None, dark: bool) -> str:
    """A Rich style as a prompt_toolkit style string (what its ANSI would have said)."""
    if style is None or not style:
        return ""
    parts = []
    if style.color is not None and not style.color.is_default:
        parts.append(style.color.get_truecolor(foreground=True).hex)
    if style.bgcolor is not None and not style.bgcolor.is_default:
        parts.append("bg:" + style.bgcolor.get_truecolor(foreground=False).hex)
    for flag in ("bold", "italic", "underline", "reverse", "strike", "blink"):
        if getattr(style, flag):
            parts.append(flag)
    return " ".join(parts)


class LineCache:
    """LRU of rendered lines keyed by (caller key, width, dark)."""

    def __init__(self, size: int = 256):
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], object]):
        try:
            value = self._items.pop(key)
        except KeyError:
            value = make()
            if len(self._items) >= self.size:
                self._items.popitem(last=False)
        self._items[key] = value
        return value

    def owned(self, owner: object, key: Hashable, make: Callable[[], object]):
        """`get` for a value made from `owner`, whose id() is part of `key`: an object
        that reuses a dead one's id is not served its value."""
        found_owner, value = self.get(key, lambda: (owner, make()))
        if found_owner is not owner:
            self._items.pop(key, None)
            found_owner, value = self.get(key, lambda: (owner, make()))
        return value

    def clear(self) -> None:
        self._items.clear()
