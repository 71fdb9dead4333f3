"""Sessions and Favorites: a virtualised, sortable, groupable list and a prompt panel.

Column widths are computed once per content version and window width; each visible row is
built as prompt_toolkit fragments of those fixed widths (no Rich: 40 rows in ~1 ms), on
demand, and cached by row identity, so a key press builds at most the rows that came into
view. With sub-agents folded (`a`), a sub-agent is indented under its parent, and the
parent shows its own tokens with its sub-agents' total beside them ("+Sub-agents"):
every session is counted once.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from fdash import fmt
from fdash.core.config import SESSION_COLUMNS
from fdash.core.models import Entry
from fdash.tui.controls import ListModel
from fdash.tui.lists import Family, GroupRow, SessionList, session_date
from fdash.tui.richbridge import LineCache, fragments, segment_lines
from fdash.tui.state import AppState
from fdash.tui.views.common import (
    Column,
    block,
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
        "source": max(6, min(longest["source"] or len(str(state.root)), 24)),
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
            value = plain(s.title) or "(untitled)"
            if depth:
                value = "  " * (depth - 1) + "└ " + value
            style = "fd.fav" if e.favorite else ("fd.dim" if s.empty or depth else "fd.text")
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
        elif name == "family":
            value, style = family_text(family), "fd.accent"
        elif name == "source":
            value, style = short_path(str(state.catalog.root_of(e)), w), "fd.dim"
        else:
            value, style = s.id, "fd.dim"
        cells.append((fixed(value, w, col.justify), style))
    return fragments(cells, state.dark)


def _group_line(g: GroupRow, width: int, dark: bool) -> list:
    head = "▾ " + plain(g.key)
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


# ---------------------------------------------------------------------- prompt panel


def _prompts(state: AppState, entry: Entry):
    """The full prompt texts if read (else None, and they are being read). Keyed by what
    the index knows of the transcript, so a live re-read of other sessions keeps them."""
    s = entry.session
    key = (s.transcript_path, s.user_prompts, s.message_count, s.last_at_ms)
    return state.prompts.get(key, s.transcript_path)


def _family_note(state: AppState, entry: Entry) -> str:
    """Who started this sub-agent, or what this session's sub-agents used."""
    where = state.fact("where")
    if entry.parent_id and entry.parent_id in where:
        parent = state.entries[where[entry.parent_id]].session
        return f"\nsub-agent of “{plain(parent.title, 60) or parent.id}”"
    family = state.fact("families").get(where.get(entry.session.id, -1))
    if family is None:
        return ""
    own = entry.session.usage.total
    cost = "" if entry.cost.usd is None else f" · {fmt.money(entry.cost.usd + family.cost_usd)}"
    return (
        f"\n{family.children} sub-agents: +{fmt.tokens(family.tokens)} tokens"
        f" (with them {fmt.tokens(own + family.tokens)}{cost})"
    )


def _prompt_panel(state: AppState, entry: Entry | None, width: int) -> list:
    if entry is None:
        return [Text("No session selected.", style="fd.dim")]
    s = entry.session
    prompts = _prompts(state, entry)
    parts: list = []
    title = Text(plain(s.title) or "(untitled)", style="fd.fav" if entry.favorite else "fd.title")
    if entry.favorite:
        title = Text("★ ", style="fd.fav") + title
    parts.append(title)
    meta = Text(style="fd.dim")
    meta.append(
        f"{plain(s.project)}\n{plain(entry.model)} · {fmt.tokens(s.usage.total)} tokens · "
        f"{fmt.money(entry.cost.usd)} · {fmt.duration(s.duration_ms)}\n"
        f"{fmt.when(s.first_at_ms)} → {fmt.when(s.last_at_ms)}\n{s.id}{_family_note(state, entry)}"
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


def prompt_model(
    state: AppState, entry: Entry | None, scroll, width: int, active: bool = False, on_click=None
) -> ListModel:
    """The prompt panel of `entry` (Sessions, Favorites, search results)."""
    dark = state.dark
    prompts = _prompts(state, entry) if entry is not None else None
    key = (entry.session.id if entry else None, id(entry), id(prompts), width, dark)

    def make():
        return segment_lines(Group(*_prompt_panel(state, entry, width)), width, dark)

    lines = _side.owned(entry, key, make)
    return ListModel(
        len(lines), lambda i, _w: lines[i], scroll, active=active, on_click=on_click,
        on_scroll=scroll.by,
    )


def side_model(state: AppState, lst: SessionList, width: int) -> ListModel:
    return prompt_model(
        state,
        lst.selected_entry(),
        lst.side,
        width,
        active=lst.side_focus,
        on_click=lambda _i: setattr(lst, "side_focus", True),
    )
