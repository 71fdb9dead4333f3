"""The help and warnings overlays. The keys shown come from `fdash.tui.keys`, the table
the key bindings and the footer are made from."""

from __future__ import annotations

from bisect import bisect_right

from rich.cells import chop_cells
from rich.console import Group
from rich.table import Table
from rich.text import Text

from fdash.core.text import one_line
from fdash.tui.controls import ListModel
from fdash.tui.keys import Section, help_sections
from fdash.tui.richbridge import LineCache, render_lines, text_line
from fdash.tui.state import AppState

_cache = LineCache(8)


def _key_table(sections: list[Section]) -> Group:
    """Each section: its title, then its keys in a column as wide as the widest."""
    widest = max([len(r.label) for s in sections for r in s.rows]
                 + [len(m[0]) for s in sections for m in s.mouse] + [1])
    parts: list = []
    for section in sections:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="fd.key", no_wrap=True, width=widest)
        table.add_column()
        for row in section.rows:
            table.add_row(row.label, row.what)
        for what, does in section.mouse:
            table.add_row(Text(what, style="fd.dim"), Text(does, style="fd.dim"))
        parts += [Text(section.title, style="fd.header"), table, Text("")]
    return Group(*parts)


def _balanced(sections: list[Section], count: int) -> list[list[Section]]:
    """The sections in `count` columns of about the same height, in order."""
    sizes = [len(s.rows) + len(s.mouse) + 2 for s in sections]
    target = sum(sizes) / count
    columns: list[list[Section]] = [[]]
    height = 0
    for section, size in zip(sections, sizes):
        if columns[-1] and height + size / 2 > target and len(columns) < count:
            columns.append([])
            height = 0
        columns[-1].append(section)
        height += size
    return columns


def help_model(state: AppState, width: int) -> ListModel:
    def make():
        sections = help_sections()
        count = 3 if width >= 150 else 2 if width >= 100 else 1  # 160×48: all of it at once
        if count == 1:
            return render_lines(_key_table(sections), width, state.dark)
        columns = _balanced(sections, count)
        grid = Table.grid(padding=(0, 3))
        for _ in columns:
            grid.add_column(width=(width - 3 * (count - 1)) // count)
        grid.add_row(*(_key_table(part) for part in columns))
        return render_lines(grid, width, state.dark)

    lines = _cache.get(("help", width, state.dark), make)
    return ListModel(
        len(lines), lambda i, _w: lines[i], state.overlay_scroll, on_scroll=state.overlay_scroll.by
    )


def warnings_model(state: AppState, width: int) -> ListModel:
    def make():
        found = state.warnings
        if not found:
            lines = render_lines(Text("No warnings: every file was read.", style="fd.ok"), width, state.dark)
            return len(lines), lambda i: lines[i]
        rows = WarningLines(found, width, state.dark)
        return rows.count, rows.line

    count, line = _cache.get(("warnings", state.data.serial, id(state.loaded), width, state.dark), make)
    return ListModel(count, lambda i, _w: line(i), state.overlay_scroll, on_scroll=state.overlay_scroll.by)


class WarningLines:
    """Every warning as its path, then its reason (indented), each folded to the width.
    The lines are counted up front (a length per warning) and made only when they are
    shown, a few warnings at a time: 100,000 warnings open at once."""

    def __init__(self, found: list[tuple[str, str]], width: int, dark: bool):
        self.found, self.width, self.dark = found, max(8, width), dark
        starts = [0]
        for path, reason in found:
            starts.append(starts[-1] + self._height(one_line(path)) + self._height(_INDENT + one_line(reason)))
        self.starts = starts
        self.count = starts[-1]
        self._made: dict[int, list] = {}

    def _height(self, text: str) -> int:
        if text.isascii():
            return max(1, -(-len(text) // self.width))
        return max(1, len(chop_cells(text, self.width)))

    def _fold(self, text: str, style: str) -> list:
        chunks = chop_cells(text, self.width) or [""]
        return [text_line(Text(chunk, style=style), self.dark) for chunk in chunks]

    def line(self, i: int):
        k = bisect_right(self.starts, i) - 1
        lines = self._made.get(k)
        if lines is None:
            if len(self._made) > 512:  # a screenful or two of warnings is all that is kept
                self._made.clear()
            path, reason = self.found[k]
            lines = self._fold(one_line(path), "fd.accent") + self._fold(_INDENT + one_line(reason), "fd.warn")
            self._made[k] = lines
        return lines[i - self.starts[k]]


_INDENT = "   "
