"""Pieces shared by the views: fixed-width columns, cells, bars, clickable headers.

All text from session files goes through `one_line` / `clean` (fdash.core.text) into
`rich.text.Text` — never markup strings, never links.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from attrs import evolve, frozen
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.mouse_events import MouseButton, MouseEvent, MouseEventType
from rich.cells import cell_len, set_cell_size
from rich.text import Text

from fdash.core.text import one_line

EIGHTHS = " ▏▎▍▌▋▊▉"


@frozen
class Column:
    name: str
    label: str
    width: int  # preferred (for the flexible column: its minimum)
    justify: str = "left"
    flex: bool = False
    priority: int = 5  # lower goes first when space runs out
    sort: str | None = None  # the sort field a click on the header selects


def fit(columns: Sequence[Column], total: int, gap: int = 1) -> list[Column]:
    """Columns with final widths for `total` cells: drop low-priority ones until the
    flexible column keeps its minimum, then give it the rest (or the last one any slack)."""
    cols = list(columns)
    while len(cols) > 1 and sum(c.width for c in cols) + gap * (len(cols) - 1) > total:
        droppable = [c for c in cols if not c.flex] or cols[1:]
        cols.remove(min(droppable, key=lambda c: (c.priority, -cols.index(c))))
    used = sum(c.width for c in cols) + gap * (len(cols) - 1)
    spare = max(0, total - used)
    flex = next((i for i, c in enumerate(cols) if c.flex), None)
    if flex is None and cols:
        flex = len(cols) - 1
    if flex is not None:
        cols[flex] = evolve(cols[flex], width=max(1, cols[flex].width + spare))
    if used > total and cols:  # still too wide (a tiny window): crop the last column
        last = cols[-1]
        cols[-1] = evolve(last, width=max(1, last.width - (used - total)))
    return cols


def cell(value: str | Text, width: int, justify: str = "left", style: str = "") -> Text:
    """Exactly `width` cells of one-line text, cut with `…` when too long."""
    text = value.copy() if isinstance(value, Text) else Text(one_line(value), style=style)
    if style and isinstance(value, Text):
        text.stylize(style)
    text.truncate(width, overflow="ellipsis")
    pad = width - text.cell_len
    if pad > 0:
        if justify == "right":
            text.pad_left(pad)
        else:
            text.pad_right(pad)
    return text


def flow(items: Sequence[Text], width: int, gap: int = 3) -> Text:
    """`items` side by side, `gap` spaces apart, a new line where the next would not fit:
    a line is never broken inside an item (a label stays with its value)."""
    out, used = Text(), 0
    for item in items:
        size = item.cell_len
        if used and used + gap + size > width:
            out.append("\n")
            used = 0
        elif used:
            out.append(" " * gap)
            used += gap
        out.append_text(item)
        used += size
    return out


def row(cells: Sequence[Text], gap: int = 1) -> Text:
    return Text(" " * gap).join(cells)


def fixed(value: str, width: int, justify: str = "left") -> str:
    """Already-safe text made exactly `width` cells wide (cut with `…`): the fast path of
    `cell` for one-style cells, used for every list row."""
    size = len(value) if value.isascii() else cell_len(value)
    if size > width:
        value = set_cell_size(value, max(0, width - 1)) + "…" if width else ""
        size = width
    pad = " " * (width - size)
    return pad + value if justify == "right" else value + pad


def bar(fraction: float, width: int, style: str = "", background: str = "fd.bar.bg") -> Text:
    """A horizontal bar `fraction` (0..1) of `width` cells, in eighths of a cell."""
    fraction = max(0.0, min(1.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = Text("█" * full, style=style)
    if part and full < width:
        text.append(EIGHTHS[part], style=style)
    rest = width - text.cell_len
    if rest > 0:
        text.append("░" * rest, style=background)
    return text


def short_path(path: str, width: int) -> str:
    """A path made to fit `width` readably: the home folder as `~`, then middle folders
    as `…` (`~/…/oss/auth-app`), the last component kept whole first; only a last
    component wider than `width` is itself cut (at its end)."""
    text = one_line(path)
    home = os.path.expanduser("~")
    if home not in ("", "/", "~") and (text == home or text.startswith(home + os.sep)):
        text = "~" + text[len(home):]
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    sep = "\\" if "\\" in text and "/" not in text else "/"
    parts = text.split(sep)
    head, tail = parts[0], [p for p in parts[1:] if p]
    for keep in range(len(tail) - 1, 0, -1):  # as many last components as fit
        candidate = sep.join([head, "…", *tail[-keep:]])
        if cell_len(candidate) <= width:
            return candidate
    last = tail[-1] if tail else text
    for candidate in ("…" + sep + last, last):
        if cell_len(candidate) <= width:
            return candidate
    return set_cell_size(last, width - 1) + "…"


def header_fragments(
    columns: Sequence[Column],
    sorted_by: str | None,
    descending: bool,
    on_click: Callable[[str], None] | None,
    gap: int = 1,
) -> StyleAndTextTuples:
    """A table header line; the sorted column carries ▼/▲ and is highlighted; a click on
    a sortable column calls `on_click(column.sort)`."""
    fragments: StyleAndTextTuples = []
    for i, col in enumerate(columns):
        if i:
            fragments.append(("class:header", " " * gap))
        is_sorted = col.sort is not None and col.sort == sorted_by
        label = col.label + ((" ▼" if descending else " ▲") if is_sorted else "")
        text = cell(label, col.width, col.justify).plain
        style = "class:header.sorted" if is_sorted else "class:header"
        if on_click is not None and col.sort is not None:
            fragments.append((style, text, _clicker(on_click, col.sort)))
        else:
            fragments.append((style, text))
    return fragments


def _clicker(on_click: Callable[[str], None], sort: str):
    def handler(event: MouseEvent):
        if event.event_type == MouseEventType.MOUSE_UP and event.button in (
            MouseButton.LEFT,
            MouseButton.NONE,
        ):
            on_click(sort)
            return None
        return NotImplemented

    return handler
