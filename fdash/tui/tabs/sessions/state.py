"""The Sessions (and Favorites) list as data: filtering, sorting, grouping, folding
sub-agents, selection. No UI imports. Rows are rebuilt only when the data or a list
setting changes; the selection follows the selected session across rebuilds, so a sort,
a filter or a refresh keeps it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from attrs import frozen

from fdash.core.config import GROUPINGS
from fdash.core.models import Entry
from fdash.core.text import one_line
from fdash.tui.context import Context, TabState
from fdash.tui.cursor import Cursor, Scroll, Selection
from fdash.tui.data import GROUP_KEYS, SESSION_SORTS, Sums


def split_sort(value: str) -> tuple[str, bool]:
    """`"tokens_desc"` → ("tokens", True)."""
    field, _, order = value.rpartition("_")
    if field not in SESSION_SORTS:
        return "date", True
    return field, order != "asc"


@frozen
class View:
    """What a session list shows: its order, grouping and what it hides."""

    sort: str
    descending: bool
    grouping: str
    hide_empty: bool
    filter: str
    fold: bool
    scope: tuple[str, str] | None = None  # ("project" | "group", key): a drill-down
    folded: frozenset[str] = frozenset()  # group headers folded (their sessions hidden)


@frozen
class Subtotal:
    """What the sessions a list keeps sum to (the filter and a drill-down show it): tokens,
    cost of the priced ones, Factory credits as recorded; the sessions without a price or
    without recorded credits are counted apart."""

    sessions: int = 0
    tokens: int = 0
    cost_usd: float = 0.0
    unpriced: int = 0
    credits: float = 0.0
    no_credits: int = 0

    @classmethod
    def of(cls, positions: list[int], sums: Sums, **more):
        def total(values: list):
            return sum(map(values.__getitem__, positions))

        return cls(
            len(positions), total(sums.tokens), total(sums.cost), total(sums.unpriced),
            total(sums.credits), total(sums.no_credits), **more,
        )


@frozen
class GroupRow(Subtotal):
    """A group header in a grouped session list, with its subtotals."""

    key: str = ""


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
    only, so regrouping stays within a key press; docs/PERFORMANCE.md.)"""
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
        rows.append(GroupRow.of(members, sums, key=name))
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


def _without_folded(rows: list, places: list[int], depths: list[int], folded: frozenset[str]):
    """The rows with the sessions under a folded header left out."""
    out_rows, out_places, out_depths = [], [], []
    hiding = False
    for row, place, depth in zip(rows, places, depths):
        if isinstance(row, GroupRow):
            hiding = row.key in folded
        elif hiding:
            continue
        out_rows.append(row)
        out_places.append(place)
        out_depths.append(depth)
    return out_rows, out_places, out_depths


class SessionList(TabState, Selection):
    """One session list (the Sessions tab, or the Favorites tab with `favorites_only`)."""

    favorites_only = False

    def __init__(self, ctx: Context):
        super().__init__(ctx)
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
        self.scope: tuple[str, str] | None = None  # ("project" | "group", key): drilled into
        self.folded: set[str] = set()  # group headers folded
        self.show_side = True  # the prompt panel beside the list (when it is wide enough)
        self.subtotal = Subtotal()  # what the sessions shown sum to
        self._to_top = False  # after a sort or grouping change: show the first row
        self.shown = 0  # sessions (not headers) in the current rows
        self.total = 0  # sessions in the list before hiding and filtering
        self.positions: list[int] = []  # of each row in the entries (-1: a group header)
        self.depths: list[int] = []  # of each row: 1 for a sub-agent under its parent, …
        self._key: tuple | None = None
        self._rows: list[Row] = []
        self.apply_display(ctx.config.display)

    def apply_display(self, display) -> None:
        self.sort, self.descending = split_sort(display.default_sort)
        self.grouping = display.default_group if display.default_group in GROUPINGS else "none"
        self.hide_empty = display.hide_empty_sessions

    def scroller(self):
        return self.side if self.side_focus else self

    def escape(self) -> bool:
        """Esc: leave the prompt panel, else clear the filter, else leave a drill-down."""
        if self.side_focus:
            self.side_focus = False
        elif self.filter:
            self.set_filter("")
        elif self.scope is not None:
            self.scope = None
            self._to_top = True
        else:
            return False
        return True

    # ------------------------------------------------------------------ rows

    def view(self) -> View:
        return View(
            self.sort, self.descending, self.grouping, self.hide_empty, self.filter, self.fold,
            self.scope, frozenset(self.folded) if self.grouping in GROUP_KEYS else frozenset(),
        )

    @property
    def rows(self) -> list[Row]:
        key = (self.ctx.data.serial, self.view())
        if key != self._key:
            built = self._build(key[1])
            self._rows, self.positions, self.depths, self.total, self.shown, self.subtotal = built
            self._key = key
            if self._to_top:
                self._to_top = False
                self.cursor.index = self.cursor.top = 0
                self._remember()
            else:
                self._reselect()
        return self._rows

    def _build(self, view: View) -> tuple:
        """(rows, their positions, their depths, sessions in the list, sessions shown,
        what they sum to)."""
        data = self.ctx.data
        entries = data.entries
        positions = data.order(view.sort)
        if view.descending:
            positions = positions[::-1]
        if self.favorites_only:
            positions = [i for i in positions if entries[i].favorite]
        if view.scope is not None:
            kind, wanted = view.scope
            keys = data.keys(kind)
            positions = [i for i in positions if keys[i] == wanted]
        total = len(positions)
        if view.hide_empty:
            empty = data.empties
            positions = [i for i in positions if not empty[i]]
        if view.filter.strip():
            found = data.searcher.matching(view.filter)
            where = data.where
            keep = {where[e.session.id] for e in found if e.session.id in where}
            positions = [i for i in positions if i in keep]
        shown = len(positions)
        subtotal = Subtotal.of(positions, data.sums)
        arrange = (lambda members: fold(members, data.parents)) if view.fold else None
        if view.grouping in GROUP_KEYS:
            keys = data.keys(view.grouping)
            rows, places, depths = group_rows(entries, positions, keys, data.sums, arrange)
            if view.folded:
                rows, places, depths = _without_folded(rows, places, depths, view.folded)
            return rows, places, depths, total, shown, subtotal
        depths = [0] * len(positions)
        if arrange is not None:
            positions, depths = arrange(positions)
        rows = list(map(entries.__getitem__, positions))
        return rows, positions, depths, total, shown, subtotal

    def _reselect(self) -> None:
        """Select the same session again; it stays on the same screen line when it can
        (a new session arriving above it does not push it down)."""
        rows = self._rows
        where = self.ctx.data.where if self.selected_id is not None else {}
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
        return 0 <= index < len(self._rows)  # a session, or a group header (Enter folds it)

    def selected_header(self) -> GroupRow | None:
        rows = self.rows
        i = self.cursor.index
        return rows[i] if 0 <= i < len(rows) and isinstance(rows[i], GroupRow) else None

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
        """Sort by `field`; the same field again reverses the order. The list shows its
        top after any change of order or grouping."""
        if field == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = field, True
        self._to_top = True

    def cycle_sort(self) -> None:
        self.sort = SESSION_SORTS[(SESSION_SORTS.index(self.sort) + 1) % len(SESSION_SORTS)]
        self._to_top = True

    def reverse(self) -> None:
        self.descending = not self.descending
        self._to_top = True

    def cycle_grouping(self) -> None:
        self.grouping = GROUPINGS[(GROUPINGS.index(self.grouping) + 1) % len(GROUPINGS)]
        self.folded.clear()
        self._to_top = True

    def toggle_group(self) -> bool:
        """Fold or unfold the group whose header is selected; whether one was."""
        header = self.selected_header()
        if header is None:
            return False
        self.folded.symmetric_difference_update({header.key})
        return True

    def enter(self) -> None:
        """Enter: fold a group header, else into the prompt panel."""
        if not self.toggle_group():
            self.next_pane()

    def toggle_side(self) -> None:
        """`p`: the prompt panel beside the list, or not (narrow: it opens over it)."""
        self.show_side = not self.show_side
        self.side_focus = False

    def drill(self, kind: str, key: str) -> None:
        """Only the sessions of one project or group (Enter in Projects or Groups)."""
        self.scope = (kind, key)
        self.filter = ""
        self.folded.clear()
        self._to_top = True

    def toggle_hide_empty(self) -> None:
        self.hide_empty = not self.hide_empty

    def toggle_fold(self) -> None:
        self.fold = not self.fold

    def show(self, session_id: str) -> bool:
        """Select this session, clearing the filter or "hide empty" if they hide it."""
        position = self.ctx.data.where.get(session_id, -1)
        if position < 0:
            return False
        self.rows  # noqa: B018 - brought up to date
        if position not in self.positions:  # hidden by a filter, "hide empty", a fold
            self.filter, self.hide_empty, self.scope = "", False, None
            self.folded.clear()
            self.rows  # noqa: B018
        if position not in self.positions:  # not in this list at all (a favorites list)
            return False
        self.select(self.positions.index(position))
        return True

    def family(self, index: int):
        """The sub-agent totals of the session in row `index` (None: it has none)."""
        position = self.positions[index] if 0 <= index < len(self.positions) else -1
        return self.ctx.data.families.get(position) if position >= 0 else None

    def set_filter(self, text: str) -> None:
        self.filter = one_line(text, 200)

    def open_filter(self) -> None:
        """`F`: the filter bar; typing filters at once, Esc puts the old filter back."""
        before = self.filter
        self.ctx.ask(
            "filter",
            "Filter",
            self.filter,
            lambda _text: None,
            live=self.set_filter,
            cancel=lambda: self.set_filter(before),
            hint="title, project or prompt words · Enter keep · Esc cancel",
        )

    def next_pane(self) -> None:
        """Tab / Enter: into the prompt panel and back."""
        self.side_focus = not self.side_focus

    def describe(self, short: bool = False) -> str:
        """The order and what is not the default view (grouping, hiding); `short`: in
        fewer words ("date ▼ · by project · no empty · nested")."""
        arrow = "▼" if self.descending else "▲"
        parts = [f"{self.sort} {arrow}" if short else f"sort {self.sort} {arrow}"]
        if self.grouping != "none":
            parts.append(f"by {self.grouping}" if short else f"group by {self.grouping}")
        if self.hide_empty:
            parts.append("no empty" if short else "hide empty on")
        if self.fold:
            parts.append("nested" if short else "sub-agents under parents")
        return " · ".join(parts)
