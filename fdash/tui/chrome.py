"""The one-line chrome — tab bar, status line, footer — and the loading screen.

Plain prompt_toolkit fragments, no Rich: this is all the first frame needs, so it can be
drawn before the views (and Rich) are even imported.
"""

from __future__ import annotations

from prompt_toolkit.mouse_events import MouseEventType

from fdash import fmt
from fdash.core.text import one_line
from fdash.tui.controls import ListModel
from fdash.tui.keys import footer_rows
from fdash.tui.state import AppState
from fdash.tui.tabs import TABS


def loading_model(state: AppState, width: int) -> ListModel:
    """The screen before the data: where it is read from, and how far it got."""
    done, total = state.loader.progress
    lines: list[list[tuple[str, str]]] = [[]]
    if state.loader.error:
        lines.append([("class:status.error", f"  {one_line(state.loader.error)}")])
        lines.append(
            [
                (
                    "class:status",
                    "  Fix the folder in Settings (6) or start fdash with -d DIR; r retries.",
                )
            ]
        )
    else:
        lines.append(
            [("class:pane.title", f"  Reading Droid sessions in {one_line(str(state.loader.root))} …")]
        )
        if total:
            size = max(10, min(50, width - 30))
            full = round(size * done / total)
            lines.append([("", "  "), ("class:status.progress", "█" * full), ("class:separator", "░" * (size - full)),
                          ("class:status", f"  {fmt.exact(done)} / {fmt.exact(total)}")])
        else:
            lines.append([("class:status", "  looking for session files…")])
    return ListModel(len(lines), lambda i, _w: lines[i], state.tabs.overview.scroll)


def tab_bar(state: AppState, width: int, on_click) -> list:
    """The tabs (clickable), DEMO DATA and the warnings count; the narrower the terminal,
    the shorter: without the name, then the other tabs by a short name, then by number."""
    for compact in range(4):
        fragments = _tabs(state, on_click, app_name=compact == 0, names=("title", "title", "short", "")[compact])
        right = _markers(state, short=compact > 0)
        used = sum(len(f[1]) for f in fragments) + sum(len(f[1]) for f in right)
        if used <= width:
            break
    return [*fragments, ("class:tabbar", " " * max(0, width - used)), *right]


def _tabs(state: AppState, on_click, app_name: bool, names: str) -> list:
    """`names`: "title" (every tab's), "short" (the others' short names), "" (numbers)."""
    fragments: list = [("class:tabbar.app", " fdash "), ("class:tabbar", "│")] if app_name else []
    for number, tab in enumerate(TABS, 1):
        current = tab.name == state.tab
        name = tab.title if current or names == "title" else tab.short if names else ""
        label = f" {number} {name} " if name else f" {number} "
        style = "class:tabbar.current" if current else "class:tabbar.tab"
        fragments.append((style, label, _tab_clicker(on_click, tab.name)))
        fragments.append(("class:tabbar", " " if names == "title" else ""))
    return fragments


def _markers(state: AppState, short: bool) -> list:
    right: list = []
    if state.loader.demo:
        right += [
            ("class:tabbar.demo", " DEMO " if short else " DEMO DATA "),
            ("class:tabbar", " "),
        ]
    count = state.warning_count
    if count:
        right.append(
            ("class:tabbar.warn", f"⚠ {count:,} (w) " if short else f"⚠ {count:,} warning{'' if count == 1 else 's'} (w) ")
        )
    return right


def _tab_clicker(on_click, tab: str):
    def handler(event):
        if event.event_type == MouseEventType.MOUSE_UP:
            on_click(tab)
            return None
        return NotImplemented

    return handler


def status_line(state: AppState, width: int) -> list:
    if state.loader.loading and not state.loader.live_loading:
        done, total = state.loader.progress
        text = (
            f" ⟳ reading sessions {fmt.exact(done)}/{fmt.exact(total)}" if total else " ⟳ scanning…"
        )
        return [("class:status.progress", text)]
    if state.message is not None:
        style = "class:status.error" if state.message.level == "error" else "class:status.info"
        return [(style, " " + one_line(state.message.text, max(10, width - 2)))]
    if state.catalog is not None:
        took = f" in {state.loader.seconds:.2f}s" if state.loader.seconds is not None else ""
        roots = f" (+{len(state.loader.more_roots)} more folders)" if state.loader.more_roots else ""
        count = fmt.exact(len(state.entries))
        from fdash.tui.widgets import fixed, short_path  # noqa: PLC0415 (Rich: not for the first frame)

        live = live_note(state)
        room = max(0, width - len(live) - 1)
        noun = "session" if len(state.entries) == 1 else "sessions"
        head, tail = f" {count} {noun} from ", f"{roots}{took}"
        path = short_path(str(state.loader.root), max(8, room - len(head) - len(tail)))  # readably
        return [("class:status", fixed(head + path + tail, room)), ("class:status.live", live)]
    return []


def live_note(state: AppState) -> str:
    """The live view's corner: "live · updated 14:02:11" (nothing when it is off)."""
    if state.config.display.refresh_seconds <= 0:
        return ""
    if state.loader.live_loading:
        return "⟳ updating… "
    if state.loader.updated_at is not None:
        return f"● live · updated {state.loader.updated_at.strftime('%H:%M:%S')} "
    return "● live "


def footer(state: AppState, width: int) -> list:
    """The keys that work now (`fdash.tui.keys`), as many as fit."""
    fragments: list = [("class:footer", " ")]
    used = 1
    for row in footer_rows(state):
        key, what = row.label, row.what
        piece = len(key) + len(what) + 3
        if used + piece > width:
            break
        fragments += [("class:footer.key", key), ("class:footer", f" {what}  ")]
        used += piece
    return fragments
