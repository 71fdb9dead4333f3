"""The help and warnings overlays. The keys shown come from `fdash.tui.keymap`, the same
table the footer shows."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from fdash.core.config import TABS
from fdash.tui.controls import ListModel
from fdash.tui.keymap import GLOBAL_KEYS, OVERLAY_KEYS, SEARCH_KEYS, TAB_KEYS, TAB_TITLES
from fdash.tui.richbridge import LineCache, render_lines
from fdash.tui.state import AppState
from fdash.tui.views.common import plain

_cache = LineCache(8)


def _key_table(sections) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="fd.key", no_wrap=True)
    table.add_column()
    for title, keys in sections:
        table.add_row(Text(title, style="fd.header"), "")
        for key, what in keys:
            table.add_row(key, what)
        table.add_row("", "")
    return table


def help_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """Tabs with the same keys share a section (Overview and Groups; Sessions and Favorites)."""
    sections: list[tuple[str, list[tuple[str, str]]]] = [("Everywhere", GLOBAL_KEYS)]
    for tab in TABS:
        keys = TAB_KEYS.get(tab)
        same = next((i for i, (_t, k) in enumerate(sections) if k is keys), None)
        if same is not None:
            sections[same] = (f"{sections[same][0]}, {TAB_TITLES[tab]}", keys)
        elif keys:
            sections.append((TAB_TITLES[tab], keys))
    sections.append(("Search results (/)", SEARCH_KEYS))
    sections.append(("Overlays and dialogs", OVERLAY_KEYS))
    return sections


def help_model(state: AppState, width: int) -> ListModel:
    def make():
        sections = help_sections()
        if width < 100:
            return render_lines(_key_table(sections), width, state.dark)
        split = 3  # Everywhere, Overview+Groups, Projects | the rest
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
            parts.append(Text(plain(path), style="fd.accent", overflow="fold"))
            parts.append(Text("   " + plain(reason), style="fd.warn", overflow="fold"))
        return render_lines(Group(*parts), width, state.dark)

    lines = _cache.get(("warnings", state.data_version, id(state.loaded), width, state.dark), make)
    return ListModel(
        len(lines), lambda i, _w: lines[i], state.overlay_scroll, on_scroll=state.overlay_scroll.by
    )
