"""The help and warnings overlays. The keys shown come from `fdash.tui.keys`, the table
the key bindings and the footer are made from."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from fdash.core.text import one_line
from fdash.tui.controls import ListModel
from fdash.tui.keys import Section, help_sections
from fdash.tui.richbridge import LineCache, render_lines
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
            return render_lines(
                Text("No warnings: every file was read.", style="fd.ok"), width, state.dark
            )
        parts = []
        for path, reason in found:
            parts.append(Text(one_line(path), style="fd.accent", overflow="fold"))
            parts.append(Text("   " + one_line(reason), style="fd.warn", overflow="fold"))
        return render_lines(Group(*parts), width, state.dark)

    lines = _cache.get(("warnings", state.data.serial, id(state.loaded), width, state.dark), make)
    return ListModel(
        len(lines), lambda i, _w: lines[i], state.overlay_scroll, on_scroll=state.overlay_scroll.by
    )
