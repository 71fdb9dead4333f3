"""Sessions and Favorites: a virtualised, sortable, groupable list and the prompt panel.

Column widths are computed once per content version and window width; each visible row is
built as prompt_toolkit fragments of those fixed widths (no Rich; docs/PERFORMANCE.md), on
demand, and cached by row identity, so a key press builds at most the rows that came into
view. With sub-agents folded (`a`), a sub-agent is indented under its parent, and the
parent shows its own tokens with its sub-agents' total beside them ("+Sub-agents"):
every session is counted once.
"""

from __future__ import annotations

from fdash import fmt
from fdash.core.config import SESSION_COLUMNS
from fdash.core.models import Entry
from fdash.core.text import one_line
from fdash.tui.controls import ListModel
from fdash.tui.data import Family, session_date
from fdash.tui.prompt_panel import prompt_model
from fdash.tui.richbridge import LineCache, fragments
from fdash.tui.state import AppState
from fdash.tui.tabs.sessions.state import GroupRow, SessionList
from fdash.tui.widgets import Column, fit, fixed, header_fragments, short_path

_rows = LineCache(4096)


def _widths(state: AppState) -> dict[str, int]:
    """Widths of the text columns from the data (favorite marks do not change them)."""
    longest = state.data.widths
    return {
        "project": max(7, min(longest["project"], 26)),
        "group": max(5, min(longest["group"], 16)),
        "model": max(5, min(longest["model"], 24)),
        "source": max(6, min(longest["source"] or len(str(state.loader.root)), 24)),
    }


def columns(state: AppState, width: int, lst: SessionList | None = None) -> list[Column]:
    shown = state.config.columns.sessions
    w = _widths(state)
    spec = {
        "favorites": Column("favorites", "★", 1, priority=8),
        "date": Column("date", "Last active", 16, sort="date", priority=9),
        "title": Column("title", "Title", 24, flex=True, priority=10),
        "project": Column("project", "Project", w["project"], priority=6),
        "group": Column("group", "Group", w["group"], priority=3),
        "model": Column("model", "Model", w["model"], priority=4),
        "prompts": Column("prompts", "Prompts", 7, "right", priority=5),
        "tokens": Column("tokens", "Tokens", 8, "right", sort="tokens", priority=7),
        "cost": Column("cost", "Est. cost", 9, "right", priority=6),
        "duration": Column("duration", "Duration", 10, "right", sort="duration", priority=5),
        "tools": Column("tools", "Tools", 6, "right", sort="tools", priority=0),
        "errors": Column("errors", "Errors", 6, "right", sort="errors", priority=0),
        "files": Column("files", "Edited", 6, "right", sort="files", priority=0),
        "id": Column("id", "ID", 36, priority=1),
        "source": Column("source", "Source", w["source"], priority=2),
        "family": Column("family", "+Sub-agents", 11, "right", priority=7),
    }
    chosen = [spec[name] for name in SESSION_COLUMNS if getattr(shown, f"show_{name}", False)]
    if lst is not None and lst.fold:
        after = next((i for i, c in enumerate(chosen) if c.name == "tokens"), len(chosen) - 1)
        chosen.insert(after + 1, spec["family"])
    if not chosen:
        chosen = [spec["title"]]
    return fit(chosen, width)


def family_text(family: Family | None) -> str:
    """"+1.2M ×3": what a parent's sub-agents used (not in its own Tokens column)."""
    return f"+{fmt.tokens(family.tokens)} ×{family.children}" if family else ""


def _entry_line(
    state: AppState, e: Entry, cols: list[Column], depth: int, family: Family | None
) -> list:
    s = e.session
    cells = []
    for col in cols:
        name, w = col.name, col.width
        style = ""
        if name == "favorites":
            value, style = ("★", "fd.fav") if e.favorite else (" ", "")
        elif name == "date":
            value, style = fmt.when(session_date(e) or None), "fd.dim"
        elif name == "title":
            value = one_line(s.title) or "(untitled)"
            if depth:
                value = "  " * (depth - 1) + "└ " + value
            style = "fd.fav" if e.favorite else ("fd.dim" if s.empty or depth else "fd.text")
        elif name == "project":
            value, style = short_path(s.project, w), "fd.accent"
        elif name == "group":
            value = one_line(e.group)
        elif name == "model":
            value, style = one_line(e.model), "fd.dim"
        elif name == "prompts":
            value = fmt.exact(s.user_prompts)
        elif name == "tokens":
            value = fmt.tokens(s.usage.total)
        elif name == "cost":
            value, style = fmt.money(e.cost.usd), "fd.warn" if e.cost.usd is None else ""
        elif name == "duration":
            value = fmt.duration(s.duration_ms)
        elif name == "tools":
            value = fmt.exact(s.tool_call_total)
        elif name == "errors":
            failed = s.tool_errors + s.turn_errors
            value, style = fmt.exact(failed), "fd.error" if failed else "fd.dim"
        elif name == "files":
            value = fmt.exact(s.files_edited)
        elif name == "family":
            value, style = family_text(family), "fd.accent"
        elif name == "source":
            value, style = short_path(str(state.catalog.root_of(e)), w), "fd.dim"
        else:
            value, style = s.id, "fd.dim"
        cells.append((fixed(value, w, col.justify), style))
    return fragments(cells, state.dark)


def _group_line(g: GroupRow, width: int, dark: bool) -> list:
    head = "▾ " + one_line(g.key)
    sub = f"  {fmt.exact(g.sessions)} sessions · {fmt.tokens(g.tokens)} tokens · {fmt.money(g.cost_usd)}"
    if g.unpriced:
        sub += f" (+{g.unpriced} unpriced)"
    text = fixed(head + sub, width)  # keeps a prefix of the text: split it where `sub` began
    return fragments([(text[: len(head)], "fd.group"), (text[len(head) :], "fd.dim")], dark, 0)


def model(state: AppState, lst: SessionList, width: int) -> ListModel:
    rows = lst.rows
    cols = columns(state, width, lst)
    cols_key = tuple((c.name, c.width) for c in cols)
    dark = state.dark
    depths = lst.depths

    def line(index: int, w: int):
        item = rows[index]
        depth = depths[index] if index < len(depths) else 0
        family = lst.family(index) if lst.fold else None
        key = (id(item), cols_key, dark, w, depth, family)

        def make():
            if isinstance(item, GroupRow):
                return _group_line(item, w, dark)
            return _entry_line(state, item, cols, depth, family)

        return _rows.owned(item, key, make)

    return ListModel(
        len(rows),
        line,
        lst.cursor,
        active=not lst.side_focus,
        on_click=lambda i: _click(lst, i),
        on_scroll=lst.move,
    )


def _click(lst: SessionList, index: int) -> None:
    lst.side_focus = False
    lst.select(index)


def header(state: AppState, lst: SessionList, width: int):
    return header_fragments(columns(state, width, lst), lst.sort, lst.descending, lst.set_sort)


def info(state: AppState, lst: SessionList) -> list[tuple[str, str]]:
    rows = lst.rows
    total = lst.total
    name = "Favorites" if lst.favorites_only else "Sessions"
    shown = (
        f"{fmt.exact(lst.shown)} of {fmt.exact(total)}" if lst.shown != total else fmt.exact(total)
    )
    parts = [
        ("class:pane.title", f" {name} "),
        ("class:status", f" {shown} · {lst.describe()}"),
    ]
    if lst.favorites_only and not rows:
        parts.append(("class:status", "  — mark sessions with f in the Sessions tab"))
    return parts


def side_model(state: AppState, lst: SessionList, width: int) -> ListModel:
    return prompt_model(
        state,
        lst.selected_entry(),
        lst.side,
        width,
        active=lst.side_focus,
        on_click=lambda _i: setattr(lst, "side_focus", True),
    )


def side_title(lst: SessionList):
    style = "class:pane.title.focused" if lst.side_focus else "class:pane.title"
    hint = "j k scroll · Esc back" if lst.side_focus else "Tab to scroll"
    return [(style, " Prompts "), ("class:status", f" {hint}")]
