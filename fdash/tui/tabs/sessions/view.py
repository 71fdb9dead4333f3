"""Sessions and Favorites: a virtualised, sortable, groupable list and the prompt panel.

Column widths are computed once per content version and window width; each visible row is
built as prompt_toolkit fragments of those fixed widths (no Rich; docs/PERFORMANCE.md), on
demand, and cached by row identity, so a key press builds at most the rows that came into
view. With sub-agents folded (`a`), a sub-agent is indented under its parent, and the
parent shows its own tokens with its sub-agents' total beside them ("+Sub-agents"):
every session is counted once.
"""

from __future__ import annotations

from attrs import evolve
from rich.cells import cell_len

from fdash import fmt
from fdash.core.config import SESSION_COLUMNS
from fdash.core.models import Entry
from fdash.core.text import one_line
from fdash.tui import panes
from fdash.tui.controls import ListModel
from fdash.tui.data import Family, session_date
from fdash.tui.prompt_panel import prompt_model
from fdash.tui.richbridge import LineCache, fragments
from fdash.tui.state import AppState
from fdash.tui.tabs.sessions.state import GroupRow, SessionList, Subtotal
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


# what a narrow screen keeps first when the config lists no column: at 80 columns the date,
# title, tokens and cost (and the project); at 120 beside the prompts also the prompt count;
# the model and the group when there is room; then the rest
PRIORITY = (
    "title", "date", "tokens", "cost", "favorites", "project", "prompts", "model", "group",
    "duration", "credits", "tools", "errors", "files", "id", "source",
)


def priority(order: tuple[str, ...]) -> list[str]:
    """The columns from most to least important: the columns `[columns.sessions]` lists
    take the places the default order gives them, in the order the file lists them (a
    column switched on later, in Settings, is appended to the file: it comes after the
    ones listed before); the others keep their default place."""
    listed = [name for name in dict.fromkeys(order) if name in PRIORITY]
    mine = iter(listed)
    return [next(mine) if name in listed else name for name in PRIORITY]


def chosen_columns(state: AppState, lst: SessionList | None = None) -> list[Column]:
    """The columns `[columns.sessions]` turns on, before fitting them to a width, each
    with its priority (`priority`: what stays when space runs out; the title always stays)."""
    shown = state.config.columns.sessions
    w = _widths(state)
    spec = {
        "favorites": Column("favorites", "★", 1),
        "date": Column("date", "Last active", 16, sort="date"),
        "title": Column("title", "Title", 20, flex=True),
        "project": Column("project", "Project", min(w["project"], 16)),
        "group": Column("group", "Group", w["group"]),
        "model": Column("model", "Model", w["model"]),
        "prompts": Column("prompts", "Prompts", 7, "right"),
        "tokens": Column("tokens", "Tokens", 8, "right", sort="tokens"),
        "cost": Column("cost", "Est. cost", 9, "right"),
        "credits": Column("credits", "Credits", 8, "right"),
        "duration": Column("duration", "Duration", 10, "right", sort="duration"),
        "tools": Column("tools", "Tools", 7, "right", sort="tools"),
        "errors": Column("errors", "Errors", 8, "right", sort="errors"),
        "files": Column("files", "Edited", 8, "right", sort="files"),
        "id": Column("id", "ID", 36),
        "source": Column("source", "Source", w["source"]),
    }
    ranks = priority(shown.order)
    rank = {name: len(ranks) - n for n, name in enumerate(ranks)}
    chosen = [
        evolve(spec[name], priority=rank[name])
        for name in SESSION_COLUMNS
        if getattr(shown, f"show_{name}", False)
    ]
    if lst is not None and lst.fold:  # beside the tokens, kept as long as they are
        after = next((i for i, c in enumerate(chosen) if c.name == "tokens"), len(chosen) - 1)
        family = Column("family", "+Sub-agents", 11, "right", priority=rank["tokens"])
        chosen.insert(after + 1, family)
    return chosen or [spec["title"]]


def columns(state: AppState, width: int, lst: SessionList | None = None) -> list[Column]:
    """The chosen columns that fit `width`; the title keeps at least a fifth of it, the
    column the list is sorted by stays (when it is switched on)."""
    chosen = chosen_columns(state, lst)
    first = max(c.priority for c in chosen) + 1
    sort = lst.sort if lst is not None else None
    chosen = [
        evolve(c, width=max(c.width, width // 5)) if c.name == "title"
        else evolve(c, priority=first) if c.sort is not None and c.sort == sort else c
        for c in chosen
    ]
    return fit(chosen, width)


def hidden(state: AppState, lst: SessionList, width: int) -> int:
    """How many of the chosen columns do not fit `width`."""
    return len(chosen_columns(state, lst)) - len(columns(state, width, lst))


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
        elif name == "credits":
            value, style = fmt.credits(s.credits), "fd.dim" if s.credits is None else ""
        elif name == "duration":
            value = fmt.duration(s.active_time_ms)
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


def sums_text(sub: Subtotal, count: str = "", size: int = 0) -> str:
    """"3 sessions · 15.5K tokens · $0.12 (+1 unpriced) · 45 credits (1 not recorded)": the
    sessions without a price or without recorded credits counted apart; `count` in place
    of the number of sessions ("3 of 400"). Shorter for a narrow screen: `size` 1
    ("+1", "(1?)"), 2 ("3 · 15.5K tok · $0.12+1 · 45 cr")."""
    tokens, cost, credits = fmt.tokens(sub.tokens), fmt.money(sub.cost_usd), fmt.credits(sub.credits)
    plural = "" if sub.sessions == 1 and not count else "s"
    count = count or fmt.exact(sub.sessions)
    if size == 2:
        cost += f"+{sub.unpriced}" if sub.unpriced else ""
        credits = "–" if sub.no_credits == sub.sessions else credits + ("?" if sub.no_credits else "")
        return f"{count.replace(' of ', '/')} · {tokens} tok · {cost} · {credits} cr"
    if sub.unpriced:
        cost += f" +{sub.unpriced}" if size else f" (+{fmt.exact(sub.unpriced)} unpriced)"
    if sub.no_credits == sub.sessions:
        credits = "– credits" if size else "no credits recorded"
    elif sub.no_credits:
        credits += f" credits ({sub.no_credits}?)" if size else f" credits ({fmt.exact(sub.no_credits)} not recorded)"
    else:
        credits += " credits"
    return f"{count} session{plural} · {tokens} tokens · {cost} · {credits}"


def _group_line(g: GroupRow, width: int, dark: bool, folded: bool) -> list:
    """The group's name and sums, the longest form that fits; a long name is cut (a path
    shortened readably), never a number."""
    mark, key = ("▸ " if folded else "▾ "), one_line(g.key)
    forms = ["  " + sums_text(g, size=size) for size in (0, 1, 2)]
    sub = next((f for f in forms if cell_len(mark + key + f) <= width), forms[-1])
    room = max(1, width - len(mark) - cell_len(sub))
    if cell_len(key) > room:
        key = fixed(short_path(key, room), room).rstrip()
    head = mark + key
    return fragments([(head, "fd.group"), (fixed(sub, max(0, width - cell_len(head))), "fd.dim")], dark, 0)


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
        folded = isinstance(item, GroupRow) and item.key in lst.folded
        key = (id(item), cols_key, dark, w, depth, family, folded)

        def make():
            if isinstance(item, GroupRow):
                return _group_line(item, w, dark, folded)
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


def narrowing(lst: SessionList, path_width: int = 60) -> str:
    """What narrows the list: a drill-down (its path shortened readably), the filter."""
    parts = []
    if lst.scope is not None:
        kind, key = lst.scope
        parts.append(f"{kind} {short_path(key, path_width)} (Esc: all)")
    if lst.filter:
        parts.append(f"filter “{lst.filter}”")
    return " · ".join(parts)


def info(state: AppState, lst: SessionList, width: int) -> list[tuple[str, str]]:
    """The list's name, count, order, grouping and filters; what a filter or a drill-down
    keeps sums to (sessions · tokens · cost · credits); the columns that did not fit; and
    where the selection is ("row 37 of 3,000"). What does not fit goes, least useful first."""
    rows = lst.rows
    total = lst.total
    name = "Favorites" if lst.favorites_only else "Sessions"
    count = f"{fmt.exact(lst.shown)} of {fmt.exact(total)}" if lst.shown != total else ""
    narrows = narrowing(lst)
    if narrows:
        sums = [sums_text(lst.subtotal, count, size) for size in (0, 1, 2)]
        firsts = [f"{narrows} · Σ {text}" for text in sums]
    else:
        firsts = [count or fmt.exact(total)]
    shown = any(c.sort == lst.sort for c in columns(state, width, lst))
    order = "" if shown else f" · sort {lst.sort} {'▼' if lst.descending else '▲'}"  # not in the header
    texts = [f" {firsts[0]} · {lst.describe(short)}" for short in (False, True)]
    texts += [f" {first}{order}" for first in firsts]
    if lst.favorites_only and not rows:
        texts = [text + " · none yet: press f on a session" for text in texts]
    title = f" {name} "
    row = f" row {fmt.exact(lst.cursor.index + 1)} of {fmt.exact(len(rows))} " if rows else " "
    missing = hidden(state, lst, width)
    rights = [row]
    if missing:
        noun = "column" if missing == 1 else "columns"
        beside = lst.show_side and panes.columns() >= panes.SIDE_FROM
        how = " (p: prompts off)" if beside and width >= 70 else ": widen"
        rights = [f" +{missing} {noun} hidden{how} ·{row}", f" +{missing} hidden ·{row}",
                  f" +{missing} hidden "]
    room = width - len(title)
    choices = [(t, r) for t in texts for r in rights]
    text, right = next(((t, r) for t, r in choices if cell_len(t) + len(r) <= room), choices[-1])
    if narrows and cell_len(text) + len(right) > room:  # the path, the filter cut, never a number
        tiny = f" · Σ {sums[-1]}"
        left = room - len(right) - cell_len(tiny) - 1
        path = max(8, left - cell_len(narrowing(lst, 0)))  # what the rest leaves the path
        text = " " + fixed(narrowing(lst, path), max(1, left)).rstrip() + tiny
    return [
        ("class:pane.title", title),
        ("class:status", fixed(text, max(0, room - len(right)))),
        ("class:status.live", right),
    ]


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
