"""Help and warnings overlays, the loading screen, and the one-line chrome (tab bar,
status line, footer). Keys shown here come from `fdash.tui.keymap`, the same table the
bindings are documented by."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from fdash import fmt
from fdash.core.config import TABS
from fdash.tui.controls import ListModel
from fdash.tui.keymap import GLOBAL_KEYS, OVERLAY_KEYS, TAB_KEYS, TAB_TITLES
from fdash.tui.richbridge import LineCache, render_lines
from fdash.tui.state import AppState
from fdash.tui.views.common import bar, plain

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


def loading_model(state: AppState, width: int) -> ListModel:
    done, total = state.progress
    parts = [Text("")]
    if state.load_error:
        parts.append(Text(f"  {plain(state.load_error)}", style="fd.error"))
        parts.append(
            Text(
                "  Fix the folder in Settings (6) or start fdash with -d DIR; r retries.",
                style="fd.dim",
            )
        )
    else:
        parts.append(
            Text(f"  Reading Droid sessions in {plain(str(state.root))} …", style="fd.title")
        )
        if total:
            line = Text("  ")
            line.append_text(bar(done / total, max(10, min(50, width - 30)), style="fd.accent"))
            line.append(f"  {fmt.exact(done)} / {fmt.exact(total)}", style="fd.dim")
            parts.append(line)
        else:
            parts.append(Text("  looking for session files…", style="fd.dim"))
    lines = render_lines(Group(*parts), width, state.dark)
    return ListModel(len(lines), lambda i, _w: lines[i], state.overview_scroll)


# ---------------------------------------------------------------------- chrome


def tab_bar(state: AppState, width: int, on_click) -> list:
    fragments: list = [("class:tabbar.app", " fdash "), ("class:tabbar", "│")]
    for number, tab in enumerate(TABS, 1):
        style = "class:tabbar.current" if tab == state.tab else "class:tabbar.tab"
        fragments.append((style, f" {number} {TAB_TITLES[tab]} ", _tab_clicker(on_click, tab)))
        fragments.append(("class:tabbar", " "))
    right: list = []
    if state.demo:
        right.append(("class:tabbar.demo", " DEMO DATA "))
        right.append(("class:tabbar", " "))
    count = len(state.warnings)
    if count:
        right.append(("class:tabbar.warn", f"⚠ {count:,} warnings (w) "))
    used = sum(len(f[1]) for f in fragments) + sum(len(f[1]) for f in right)
    if used < width:
        fragments.append(("class:tabbar", " " * (width - used)))
    return fragments + right


def _tab_clicker(on_click, tab: str):
    from prompt_toolkit.mouse_events import MouseEventType

    def handler(event):
        if event.event_type == MouseEventType.MOUSE_UP:
            on_click(tab)
            return None
        return NotImplemented

    return handler


def status_line(state: AppState, width: int) -> list:
    if state.loading:
        done, total = state.progress
        text = (
            f" ⟳ reading sessions {fmt.exact(done)}/{fmt.exact(total)}" if total else " ⟳ scanning…"
        )
        return [("class:status.progress", text)]
    if state.message is not None:
        style = "class:status.error" if state.message.level == "error" else "class:status.info"
        return [(style, " " + plain(state.message.text, max(10, width - 2)))]
    if state.catalog is not None:
        took = f" in {state.load_seconds:.2f}s" if state.load_seconds is not None else ""
        return [
            (
                "class:status",
                f" {fmt.exact(len(state.entries))} sessions from {plain(str(state.root))}{took}",
            )
        ]
    return []


def footer(state: AppState, width: int) -> list:
    if state.input is not None:
        keys = [
            ("Enter", "save" if state.input.kind != "filter" else "keep filter"),
            ("Esc", "cancel"),
        ]
    elif state.overlay is not None:
        keys = OVERLAY_KEYS
    else:
        keys = [
            k for k in TAB_KEYS.get(state.tab, []) if not k[0].startswith("click")
        ] + GLOBAL_KEYS
    fragments: list = [("class:footer", " ")]
    used = 1
    for key, what in keys:
        piece = len(key) + len(what) + 3
        if used + piece > width:
            break
        fragments += [("class:footer.key", key), ("class:footer", f" {what}  ")]
        used += piece
    return fragments
