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


def _key_table(sections: list[Section]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="fd.key", no_wrap=True)
    table.add_column()
    for section in sections:
        table.add_row(Text(section.title, style="fd.header"), "")
        for row in section.rows:
            table.add_row(row.label, row.what)
        for what, does in section.mouse:
            table.add_row(Text(what, style="fd.dim"), Text(does, style="fd.dim"))
        table.add_row("", "")
    return table


def help_model(state: AppState, width: int) -> ListModel:
    def make():
        sections = help_sections()
        if width < 100:
            return render_lines(_key_table(sections), width, state.dark)
        sizes = [len(s.rows) + len(s.mouse) + 2 for s in sections]
        half, acc, split = sum(sizes) / 2, 0, len(sections)
        for i, size in enumerate(sizes):  # two columns of about the same height
            if acc + size / 2 > half:
                split = i
                break
            acc += size
        grid = Table.grid(padding=(0, 4))
        grid.add_column(width=(width - 4) // 2)
        grid.add_column()
        grid.add_row(_key_table(sections[:split]), _key_table(sections[split:]))
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
