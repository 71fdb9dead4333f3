"""The prompt panel: a session's title, numbers and full prompt texts (read lazily, the
index's previews shown meanwhile), beside the Sessions and Favorites lists and the search
results."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from fdash import fmt
from fdash.core.models import Entry
from fdash.core.text import clean, one_line
from fdash.tui.controls import ListModel
from fdash.tui.richbridge import LineCache, segment_lines
from fdash.tui.state import AppState

MAX_PROMPT_CHARS = 6000  # of one prompt shown in the panel
MAX_PANEL_CHARS = 60_000  # of all of them: the panel is drawn on every selection move
_side = LineCache(16)


def _block(text: str) -> str:
    """Untrusted multi-line text (line breaks kept), safe and of one width everywhere."""
    return clean(text).replace("\t", "    ")


def _prompts(state: AppState, entry: Entry):
    """The full prompt texts if read (else None, and they are being read). Keyed by what
    the index knows of the transcript, so a live re-read of other sessions keeps them."""
    s = entry.session
    key = (s.transcript_path, s.user_prompts, s.message_count, s.last_at_ms)
    return state.prompts.get(key, s.transcript_path)


def _family_note(state: AppState, entry: Entry) -> str:
    """Who started this sub-agent, or what this session's sub-agents used."""
    where = state.data.where
    if entry.parent_id and entry.parent_id in where:
        parent = state.entries[where[entry.parent_id]].session
        return f"\nsub-agent of “{one_line(parent.title, 60) or parent.id}”"
    family = state.data.families.get(where.get(entry.session.id, -1))
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
    title = Text(one_line(s.title) or "(untitled)", style="fd.fav" if entry.favorite else "fd.title")
    if entry.favorite:
        title = Text("★ ", style="fd.fav") + title
    parts.append(title)
    meta = Text(style="fd.dim")
    meta.append(
        f"{one_line(s.project)}" + (f"  → now in {one_line(s.moved_to)}" if s.moved_to else "") +
        f"\n{one_line(entry.model)} · {fmt.tokens(s.usage.total)} tokens · "
        f"{fmt.money(entry.cost.usd)} · {fmt.credits(s.credits)} credits · {fmt.duration(s.active_time_ms)} active"
        f" · span {fmt.duration(s.duration_ms)}\n"
        f"{fmt.when(s.first_at_ms)} → {fmt.when(s.last_at_ms)}\n{s.id}{_family_note(state, entry)}"
    )
    parts.append(meta)
    if isinstance(prompts, str):
        parts.append(Text(one_line(prompts), style="fd.error"))
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
        body = _block(prompt[: MAX_PROMPT_CHARS * 2]).strip()
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
