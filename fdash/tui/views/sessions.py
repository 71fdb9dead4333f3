"""Sessions and Favorites: a virtualised, sortable, groupable list and a prompt panel.

Column widths are computed once per content version and window width; each visible row is
one Rich `Text` of those fixed widths, rendered on demand and cached by row identity, so
a key press re-renders at most the rows that came into view.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from fdash import fmt
from fdash.core.config import SESSION_COLUMNS
from fdash.core.models import Entry
from fdash.tui.controls import ListModel
from fdash.tui.lists import GroupRow, SessionList, session_date
from fdash.tui.richbridge import LineCache, segment_lines, text_line
from fdash.tui.state import AppState
from fdash.tui.views.common import (
    Column,
    assemble,
    block,
    cell,
    fit,
    fixed,
    header_fragments,
    plain,
    short_path,
)

MAX_PROMPT_CHARS = 6000  # of one prompt shown in the panel
MAX_PANEL_CHARS = 60_000  # of all of them: the panel is drawn on every selection move
_rows = LineCache(4096)
_side = LineCache(16)


def _widths(state: AppState) -> dict[str, int]:
    """Widths of the text columns from the data (favorite marks do not change them)."""
    longest = state.fact("widths")
    return {
        "project": max(7, min(longest["project"], 26)),
        "group": max(5, min(longest["group"], 16)),
        "model": max(5, min(longest["model"], 24)),
    }


def columns(state: AppState, width: int) -> list[Column]:
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
        "id": Column("id", "ID", 36, priority=1),
    }
    chosen = [spec[name] for name in SESSION_COLUMNS if getattr(shown, f"show_{name}", False)]
    if not chosen:
        chosen = [spec["title"]]
    return fit(chosen, width)


def _entry_text(e: Entry, cols: list[Column]) -> Text:
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
            value = plain(s.title) or "(untitled)"
            style = "fd.fav" if e.favorite else ("fd.dim" if s.empty else "fd.text")
        elif name == "project":
            value, style = short_path(s.project, w), "fd.accent"
        elif name == "group":
            value = plain(e.group)
        elif name == "model":
            value, style = plain(e.model), "fd.dim"
        elif name == "prompts":
            value = fmt.exact(s.user_prompts)
        elif name == "tokens":
            value = fmt.tokens(s.usage.total)
        elif name == "cost":
            value, style = fmt.money(e.cost.usd), "fd.warn" if e.cost.usd is None else ""
        elif name == "duration":
            value = fmt.duration(s.duration_ms)
        else:
            value, style = s.id, "fd.dim"
        cells.append((fixed(value, w, col.justify), style))
    return assemble(cells)


def _group_text(g: GroupRow, width: int) -> Text:
    text = Text("▾ ", style="fd.group")
    text.append(plain(g.key), style="fd.group")
    sub = f"  {fmt.exact(g.sessions)} sessions · {fmt.tokens(g.tokens)} tokens · {fmt.money(g.cost_usd)}"
    if g.unpriced:
        sub += f" (+{g.unpriced} unpriced)"
    text.append(sub, style="fd.dim")
    return cell(text, width)


def model(state: AppState, lst: SessionList, width: int) -> ListModel:
    rows = lst.rows
    cols = columns(state, width)
    cols_key = tuple((c.name, c.width) for c in cols)
    dark = state.dark

    def line(index: int, w: int):
        item = rows[index]
        key = (id(item), cols_key, dark, w)

        def make():
            text = _group_text(item, w) if isinstance(item, GroupRow) else _entry_text(item, cols)
            return item, text_line(text, dark)

        cached_item, fragments = _rows.get(key, make)
        if cached_item is not item:  # an id() reused by a new object
            _rows.clear()
            cached_item, fragments = _rows.get(key, make)
        return fragments

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
    return header_fragments(columns(state, width), lst.sort, lst.descending, lst.set_sort)


def info(state: AppState, lst: SessionList) -> list[tuple[str, str]]:
    rows = lst.rows
    total = (
        sum(1 for e in state.entries if e.favorite) if lst.favorites_only else len(state.entries)
    )
    name = "Favorites" if lst.favorites_only else "Sessions"
    shown = (
        f"{fmt.exact(lst.shown)} of {fmt.exact(total)}" if lst.shown != total else fmt.exact(total)
    )
    fragments = [
        ("class:pane.title", f" {name} "),
        ("class:status", f" {shown} · {lst.describe()}"),
    ]
    if lst.favorites_only and not rows:
        fragments.append(("class:status", "  — mark sessions with f in the Sessions tab"))
    return fragments


# ---------------------------------------------------------------------- prompt panel


def _prompt_panel(state: AppState, entry: Entry | None, width: int) -> list:
    if entry is None:
        return [Text("No session selected.", style="fd.dim")]
    s = entry.session
    prompts = state.prompts.get((s.transcript_path, state.generation), s.transcript_path)
    parts: list = []
    title = Text(plain(s.title) or "(untitled)", style="fd.fav" if entry.favorite else "fd.title")
    if entry.favorite:
        title = Text("★ ", style="fd.fav") + title
    parts.append(title)
    meta = Text(style="fd.dim")
    meta.append(
        f"{plain(s.project)}\n{plain(entry.model)} · {fmt.tokens(s.usage.total)} tokens · "
        f"{fmt.money(entry.cost.usd)} · {fmt.duration(s.duration_ms)}\n"
        f"{fmt.when(s.first_at_ms)} → {fmt.when(s.last_at_ms)}\n{s.id}"
    )
    parts.append(meta)
    if isinstance(prompts, str):
        parts.append(Text(plain(prompts), style="fd.error"))
        prompts = None
    texts = list(prompts) if prompts is not None else list(s.prompt_previews)
    note = "" if prompts is not None else "  (previews; reading the full texts…)"
    parts.append(Text(f"\nPrompts ({fmt.exact(s.user_prompts)}){note}", style="fd.header"))
    if not texts:
        parts.append(Text("No prompts in this session.", style="fd.dim"))
    listing = Table.grid(padding=(0, 1, 1, 0))  # wrapped lines stay indented under their text
    listing.add_column(justify="right", style="fd.accent", no_wrap=True)
    listing.add_column(overflow="fold")
    budget = MAX_PANEL_CHARS
    for i, prompt in enumerate(texts, 1):
        if budget <= 0:
            listing.add_row(
                "…", Text(f"{len(texts) - i + 1:,} more prompts not shown", style="fd.dim")
            )
            break
        body = block(prompt[: MAX_PROMPT_CHARS * 2]).strip()
        if len(prompt) > MAX_PROMPT_CHARS:
            body = (
                body[:MAX_PROMPT_CHARS] + f"… ({len(prompt) - MAX_PROMPT_CHARS:,} more characters)"
            )
        budget -= len(body)
        listing.add_row(f"{i}.", Text(body))
    parts.append(listing)
    return parts


def side_model(state: AppState, lst: SessionList, width: int) -> ListModel:
    entry = lst.selected_entry()
    dark = state.dark
    sid = entry.session.id if entry else None
    prompts = None
    if entry is not None:
        prompts = state.prompts.get(
            (entry.session.transcript_path, state.generation), entry.session.transcript_path
        )
    key = (sid, id(entry), id(prompts), width, dark)

    def make():
        return entry, segment_lines(Group(*_prompt_panel(state, entry, width)), width, dark)

    cached_entry, lines = _side.get(key, make)
    if cached_entry is not entry:
        _side.clear()
        cached_entry, lines = _side.get(key, make)
    return ListModel(
        len(lines),
        lambda i, _w: lines[i],
        lst.side,
        active=lst.side_focus,
        on_click=lambda _i: setattr(lst, "side_focus", True),
        on_scroll=lst.side.by,
    )
