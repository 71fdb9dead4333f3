"""The Sessions/Favorites and Projects lists: filtering, sorting, grouping, selection.

Pure data (no UI imports). Rows are rebuilt only when what they depend on changes
(the data version or a list setting); the selection follows the selected session (or
project) across rebuilds, so a sort, a filter or a refresh keeps it.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from attrs import evolve, frozen

from fdash.core import aggregate
from fdash.core.aggregate import Bucket
from fdash.core.models import Entry
from fdash.core.search import Searcher
from fdash.core.text import one_line
from fdash.tui.cursor import Cursor, Scroll, Selection

if TYPE_CHECKING:
    from fdash.tui.state import AppState

SESSION_SORTS = ("date", "tokens", "duration")
GROUPINGS = ("none", "project", "group", "model")
PROJECT_COLUMNS = ("project", "group", "sessions", "tokens", "active", "cost")
BUILT_KEPT = 6  # session list views kept built (the current one, recent and next ones)


def split_sort(value: str) -> tuple[str, bool]:
    """`"tokens_desc"` → ("tokens", True)."""
    field, _, order = value.rpartition("_")
    if field not in SESSION_SORTS:
        return "date", True
    return field, order != "asc"


def is_empty(entry: Entry) -> bool:
    """Hidden by "hide empty": no prompt was typed in it (such sessions keep droid's
    "New Session" title). A session with prompts stays visible whatever its title: it
    may hold real spending (droid-dash learned this the hard way)."""
    return entry.session.empty


def session_date(entry: Entry) -> int:
    s = entry.session
    return s.last_at_ms or s.first_at_ms or 0


SORT_KEYS: dict[str, Callable[[Entry], int]] = {
    "date": session_date,
    "tokens": lambda e: e.session.usage.total,
    "duration": lambda e: e.session.duration_ms,
}

GROUP_KEYS: dict[str, Callable[[Entry], str]] = {
    "project": lambda e: e.session.project,
    "group": lambda e: e.group,
    "model": lambda e: e.model,
}


@frozen
class View:
    """What a session list shows: its order, grouping and what it hides."""

    sort: str
    descending: bool
    grouping: str
    hide_empty: bool
    filter: str
    fold: bool


@frozen
class GroupRow:
    """A group header in a grouped session list, with its subtotals."""

    key: str
    sessions: int
    tokens: int
    cost_usd: float
    unpriced: int


Row = Entry | GroupRow


def group_rows(
    entries: tuple[Entry, ...],
    positions: list[int],
    keys: list[str],
    sums: Sums,
    arrange: Callable[[list[int]], tuple[list[int], list[int]]] | None = None,
) -> tuple[list[Row], list[int], list[int]]:
    """Headers in order of first appearance in the sorted `positions`, each followed by its
    sessions (`arrange`d, e.g. sub-agents under their parents); `keys` and `sums` are per
    position in `entries`. Returns the rows, the position of each (-1 for a header) and
    its depth. A header's subtotal counts each of its sessions once. (C-level passes
    only: 10,000 sessions regroup in a few milliseconds.)"""
    found = list(map(keys.__getitem__, positions))
    rank = {key: n for n, key in enumerate(dict.fromkeys(found))}
    ranks = list(map(rank.__getitem__, found))
    order = sorted(range(len(positions)), key=ranks.__getitem__)  # stable: the sort stays
    ordered = list(map(positions.__getitem__, order))
    sizes = [0] * len(rank)
    for n, count in Counter(ranks).items():
        sizes[n] = count
    rows: list[Row] = []
    places: list[int] = []
    depths: list[int] = []
    start = 0
    for name, size in zip(rank, sizes):
        members = ordered[start : start + size]
        start += size
        rows.append(
            GroupRow(
                name,
                size,
                sum(map(sums.tokens.__getitem__, members)),
                sum(map(sums.cost.__getitem__, members)),
                sum(map(sums.unpriced.__getitem__, members)),
            )
        )
        places.append(-1)
        depths.append(0)
        levels = [0] * size
        if arrange is not None:
            members, levels = arrange(members)
        rows.extend(map(entries.__getitem__, members))
        places += members
        depths += levels
    return rows, places, depths


def fold(positions: list[int], parents: list[int]) -> tuple[list[int], list[int]]:
    """`positions` with each sub-agent moved under its parent (when the parent is among
    them), depth first, in their order otherwise; and the depth of each (0: top level)."""
    shown = set(positions)
    children: dict[int, list[int]] = {}
    for child in [i for i, parent in enumerate(parents) if parent >= 0]:
        parent = parents[child]
        if child in shown and parent in shown and parent != child:
            children.setdefault(parent, []).append(child)
    if not children:
        return positions, [0] * len(positions)
    rank = {p: n for n, p in enumerate(positions)}
    for members in children.values():
        members.sort(key=rank.__getitem__)
    under = {c for members in children.values() for c in members}
    order: list[int] = []
    depths: list[int] = []
    seen: set[int] = set()
    for root in positions:
        if root in under:
            continue
        order.append(root)
        depths.append(0)
        if root in children:  # its sub-agents, depth first
            seen.add(root)
            stack = [(c, 1) for c in reversed(children[root])]
            while stack:
                i, depth = stack.pop()
                if i in seen:
                    continue
                seen.add(i)
                order.append(i)
                depths.append(depth)
                stack += [(c, depth + 1) for c in reversed(children.get(i, ()))]
    if len(order) < len(positions):  # a loop of parents (cannot happen in droid's data)
        placed = set(order)
        for i in positions:
            if i not in placed:
                order.append(i)
                depths.append(0)
    return order, depths


@frozen
class Family:
    """A session's sub-agents (and theirs), summed: what "+children" shows."""

    children: int
    tokens: int
    cost_usd: float
    unpriced: int


def parent_positions(entries: tuple[Entry, ...]) -> list[int]:
    """The position of each entry's parent session (-1: none known)."""
    where = {e.session.id: i for i, e in enumerate(entries)}
    return [where.get(e.parent_id, -1) if e.parent_id else -1 for e in entries]


def families(entries: tuple[Entry, ...]) -> dict[int, Family]:
    """Position of a parent → its descendants' totals (each counted once)."""
    parents = parent_positions(entries)
    found: dict[int, list] = {}
    for i, e in enumerate(entries):
        seen = {i}
        p = parents[i]
        while p >= 0 and p not in seen:  # every ancestor gets this session's numbers
            seen.add(p)
            acc = found.setdefault(p, [0, 0, 0.0, 0])
            acc[0] += 1
            acc[1] += e.session.usage.total
            if e.cost.usd is None:
                acc[3] += 1
            else:
                acc[2] += e.cost.usd
            p = parents[p]
    return {p: Family(*acc) for p, acc in found.items()}


def group_keys(entries: tuple[Entry, ...], grouping: str) -> list[str]:
    key = GROUP_KEYS[grouping]
    return [key(e) for e in entries]


@frozen
class Sums:
    """Per position: total tokens, cost (0 when unpriced) and whether unpriced."""

    tokens: list[int]
    cost: list[float]
    unpriced: list[bool]


def sums(entries: tuple[Entry, ...]) -> Sums:
    """For group subtotals."""
    cost = [e.cost.usd for e in entries]
    return Sums(
        [e.session.usage.total for e in entries],
        [0.0 if c is None else c for c in cost],
        [c is None for c in cost],
    )


def sort_order(entries: tuple[Entry, ...], field: str) -> list[int]:
    """Positions of `entries` sorted by `field` (ascending), ties by session id."""
    key = SORT_KEYS[field]
    keys = [(key(e), e.session.id) for e in entries]
    return sorted(range(len(entries)), key=keys.__getitem__)


def empties(entries: tuple[Entry, ...]) -> list[bool]:
    return [is_empty(e) for e in entries]


def text_widths(entries: tuple[Entry, ...]) -> dict[str, int]:
    """The longest project, group and model names (characters; the views cap them)."""
    widths = {"project": 0, "group": 0, "model": 0, "source": 0}
    for e in entries:
        widths["project"] = max(widths["project"], len(e.session.project))
        widths["group"] = max(widths["group"], len(e.group))
        widths["model"] = max(widths["model"], len(e.model))
        widths["source"] = max(widths["source"], len(e.session.source))
    return widths


def models_seen(entries: tuple[Entry, ...]) -> list[str]:
    """Models that used tokens (the Settings tab offers a price for each)."""
    return sorted(
        {
            m
            for e in entries
            if e.session.usage.total and (m := e.session.resolved_model or e.session.model)
        }
    )


# What the views need from the entries, and what invalidates it: "load" facts hold until the
# next scan; "content" facts until anything but a favorite mark changes.
FACTS: dict[str, tuple[str, Callable[[tuple[Entry, ...]], object]]] = {
    **{f"order:{f}": ("load", lambda entries, f=f: sort_order(entries, f)) for f in SESSION_SORTS},
    **{f"keys:{g}": ("content", lambda entries, g=g: group_keys(entries, g)) for g in GROUP_KEYS},
    "sums": ("content", sums),
    "searcher": ("content", Searcher),  # `/` and the Sessions filter
    "where": ("load", lambda entries: {e.session.id: i for i, e in enumerate(entries)}),
    "parents": ("load", parent_positions),
    "families": ("content", families),
    "empties": ("content", empties),
    "widths": ("content", text_widths),
    "models": ("content", models_seen),
    "totals": ("content", aggregate.totals),
    "by_project": ("content", aggregate.by_project),
    "by_group": ("content", aggregate.by_group),
}


class SessionList(Selection):
    """One session list (the Sessions tab, or the Favorites tab with `favorites_only`)."""

    def __init__(self, app: AppState, favorites_only: bool = False):
        self.app = app
        self.favorites_only = favorites_only
        self.sort = "date"
        self.descending = True
        self.grouping = "none"
        self.hide_empty = False
        self.filter = ""
        self.cursor = Cursor()
        self.side = Scroll()  # the prompt panel
        self.side_focus = False
        self.selected_id: str | None = None
        self.fold = False  # sub-agents under their parent session
        self.shown = 0  # sessions (not headers) in the current rows
        self.total = 0  # sessions in the list before hiding and filtering
        self.positions: list[int] = []  # of each row in `app.entries` (-1: a group header)
        self.depths: list[int] = []  # of each row: 1 for a sub-agent under its parent, …
        self._key: tuple | None = None
        self._rows: list[Row] = []
        self._built: OrderedDict[tuple, tuple] = OrderedDict()  # recent views, built ahead too
        self.apply_display(app.config.display)

    def apply_display(self, display) -> None:
        self.sort, self.descending = split_sort(display.default_sort)
        self.grouping = display.default_group if display.default_group in GROUPINGS else "none"
        self.hide_empty = display.hide_empty_sessions

    # ------------------------------------------------------------------ rows

    def view(self) -> View:
        return View(self.sort, self.descending, self.grouping, self.hide_empty, self.filter, self.fold)

    @property
    def rows(self) -> list[Row]:
        key = (self.app.data_version, self.view())
        if key != self._key:
            if self._key is not None and self._key[0] != key[0]:  # new data: forget the old
                self._built.clear()
            built = self._built.pop(key, None) or self._build(key[1])
            self._built[key] = built
            self._rows, self.positions, self.depths, self.total, self.shown = built
            self._key = key
            self._reselect()
        return self._rows

    def anticipate(self) -> bool:
        """Build what the next `g` or `o` would show, if not built yet (the app calls this
        while idle, one at a time); whether there was anything to build. (A new sort is
        cheap: the orders are ready; a grouping at 10,000 sessions is not.)"""
        version, view = self.app.data_version, self.view()
        grouping = GROUPINGS[(GROUPINGS.index(view.grouping) + 1) % len(GROUPINGS)]
        for other in (evolve(view, grouping=grouping), evolve(view, descending=not view.descending)):
            if (version, other) not in self._built:
                self._built[(version, other)] = self._build(other)
                while len(self._built) > BUILT_KEPT:
                    self._built.popitem(last=False)
                return True
        return False

    def _build(self, view: View) -> tuple:
        """(rows, their positions, their depths, sessions in the list, sessions shown)."""
        app = self.app
        entries = app.entries
        positions = app.order(view.sort)
        if view.descending:
            positions = positions[::-1]
        if self.favorites_only:
            positions = [i for i in positions if entries[i].favorite]
        total = len(positions)
        if view.hide_empty:
            empty = app.empties()
            positions = [i for i in positions if not empty[i]]
        if view.filter.strip():
            found = app.fact("searcher").matching(view.filter)
            where = app.fact("where")
            keep = {where[e.session.id] for e in found if e.session.id in where}
            positions = [i for i in positions if i in keep]
        shown = len(positions)
        arrange = (lambda members: fold(members, app.fact("parents"))) if view.fold else None
        if view.grouping in GROUP_KEYS:
            keys = app.fact(f"keys:{view.grouping}")
            return (*group_rows(entries, positions, keys, app.fact("sums"), arrange), total, shown)
        depths = [0] * len(positions)
        if arrange is not None:
            positions, depths = arrange(positions)
        return list(map(entries.__getitem__, positions)), positions, depths, total, shown

    def _reselect(self) -> None:
        """Select the same session again; it stays on the same screen line when it can
        (a new session arriving above it does not push it down)."""
        rows = self._rows
        where = self.app.fact("where") if self.selected_id is not None else {}
        position = where.get(self.selected_id, -1)
        if position >= 0:
            try:
                index = self.positions.index(position)
            except ValueError:
                pass
            else:
                self.cursor.top += index - self.cursor.index
                self.cursor.index = index
                return
        self.cursor.move(0, len(rows), self.selectable)
        self._remember()

    def selectable(self, index: int) -> bool:
        return 0 <= index < len(self._rows) and isinstance(self._rows[index], Entry)

    def _remember(self) -> None:
        entry = self.selected_entry()
        new = entry.session.id if entry else None
        if new != self.selected_id:
            self.side.home()
        self.selected_id = new

    def selected_entry(self) -> Entry | None:
        rows = self.rows
        i = self.cursor.index
        if 0 <= i < len(rows) and isinstance(rows[i], Entry):
            return rows[i]
        return None

    # ------------------------------------------------------------------ actions

    def count(self) -> int:
        return len(self.rows)

    def set_sort(self, field: str) -> None:
        """Sort by `field`; the same field again reverses the order."""
        if field == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = field, True

    def cycle_sort(self) -> None:
        self.sort = SESSION_SORTS[(SESSION_SORTS.index(self.sort) + 1) % len(SESSION_SORTS)]

    def reverse(self) -> None:
        self.descending = not self.descending

    def cycle_grouping(self) -> None:
        self.grouping = GROUPINGS[(GROUPINGS.index(self.grouping) + 1) % len(GROUPINGS)]

    def toggle_hide_empty(self) -> None:
        self.hide_empty = not self.hide_empty

    def toggle_fold(self) -> None:
        self.fold = not self.fold

    def show(self, session_id: str) -> bool:
        """Select this session, clearing the filter or "hide empty" if they hide it."""
        position = self.app.fact("where").get(session_id, -1)
        if position < 0:
            return False
        self.rows  # noqa: B018 - brought up to date
        if position not in self.positions:  # hidden by the filter or by "hide empty"
            self.filter, self.hide_empty = "", False
            self.rows  # noqa: B018
        if position not in self.positions:  # not in this list at all (a favorites list)
            return False
        self.select(self.positions.index(position))
        return True

    def family(self, index: int):
        """The sub-agent totals of the session in row `index` (None: it has none)."""
        position = self.positions[index] if 0 <= index < len(self.positions) else -1
        return self.app.fact("families").get(position) if position >= 0 else None

    def set_filter(self, text: str) -> None:
        self.filter = one_line(text, 200)

    def describe(self) -> str:
        arrow = "▼" if self.descending else "▲"
        parts = [
            f"sort {self.sort} {arrow}",
            f"group by {self.grouping}",
            f"hide empty {'on' if self.hide_empty else 'off'}",
        ]
        if self.fold:
            parts.append("sub-agents under parents")
        if self.filter:
            parts.append(f"filter “{self.filter}”")
        return " · ".join(parts)


class ProjectList(Selection):
    """The Projects table: one bucket per project, sortable by any column."""

    def __init__(self, app: AppState):
        self.app = app
        self.column = "tokens"
        self.descending = True
        self.cursor = Cursor()
        self.selected_key: str | None = None
        self._key: tuple | None = None
        self._rows: list[Bucket] = []

    @property
    def rows(self) -> list[Bucket]:
        key = (self.app.data_version, self.column, self.descending)
        if key != self._key:
            self._rows = self._build()
            self._key = key
            for i, bucket in enumerate(self._rows):
                if bucket.key == self.selected_key:
                    self.cursor.index = i
                    break
            else:
                self.cursor.clamp(len(self._rows))
                self._remember()
        return self._rows

    def _build(self) -> list[Bucket]:
        buckets = self.app.fact("by_project")
        key = PROJECT_SORT_KEYS[self.column]
        return sorted(buckets, key=lambda b: (key(b), b.key), reverse=self.descending)

    def _remember(self) -> None:
        rows = self._rows
        i = self.cursor.index
        self.selected_key = rows[i].key if 0 <= i < len(rows) else None

    def sort_by(self, column: str) -> None:
        """Sort by `column`; the same column again reverses. Text columns start A→Z."""
        if column == self.column:
            self.descending = not self.descending
        else:
            self.column = column
            self.descending = column not in ("project", "group")

    def cycle_sort(self) -> None:
        i = PROJECT_COLUMNS.index(self.column)
        self.sort_by(PROJECT_COLUMNS[(i + 1) % len(PROJECT_COLUMNS)])

    def reverse(self) -> None:
        self.descending = not self.descending

    def count(self) -> int:
        return len(self.rows)


PROJECT_SORT_KEYS: dict[str, Callable[[Bucket], object]] = {
    "project": lambda b: b.key.lower(),
    "group": lambda b: b.group.lower(),
    "sessions": lambda b: b.sessions,
    "tokens": lambda b: b.tokens.total,
    "active": lambda b: b.active_time_ms,
    "cost": lambda b: (b.cost_usd, b.unpriced_sessions),
}
