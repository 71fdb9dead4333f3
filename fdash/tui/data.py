"""The sessions on screen and what the views derive from them (pure data, no UI imports).

`Data` wraps one tuple of entries. Everything derived from them (sort orders, sums,
widths, totals, the searcher, …) is a cached property or a cached method of it, computed
the first time a view asks — or ahead of time by the loading thread (`prepare`). New
entries make a new `Data`; what the change cannot affect is carried over
(`Data.changed`): a favorite mark keeps everything, a renamed session or a new price
keeps the orders and positions.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import cached_property

from attrs import frozen

from fdash.core import aggregate
from fdash.core.aggregate import Bucket, Totals
from fdash.core.catalog import Catalog
from fdash.core.config import SORT_FIELDS
from fdash.core.models import GROUP_KEYS, Entry
from fdash.core.search import Searcher
from fdash.core.timeline import Zone

SESSION_SORTS = SORT_FIELDS

_serials = itertools.count(1)


def session_date(entry: Entry) -> int:
    s = entry.session
    return s.last_at_ms or s.first_at_ms or 0


SORT_KEYS: dict[str, Callable[[Entry], int]] = {
    "date": session_date,
    "tokens": lambda e: e.session.usage.total,
    "duration": lambda e: e.session.active_time_ms,  # "duration" is active time everywhere
    "tools": lambda e: e.session.tool_call_total,
    "errors": lambda e: e.session.tool_errors + e.session.turn_errors,
    "files": lambda e: e.session.files_edited,
}

@frozen
class Family:
    """A session's sub-agents (and theirs), summed: what "+children" shows."""

    children: int
    tokens: int
    cost_usd: float
    unpriced: int


@frozen
class Sums:
    """Per position: total tokens, cost (0 when unpriced), whether unpriced, Factory
    credits as recorded (0 when none were) and whether none were recorded."""

    tokens: list[int]
    cost: list[float]
    unpriced: list[bool]
    credits: list[float]
    no_credits: list[bool]


def parent_positions(entries: tuple[Entry, ...]) -> list[int]:
    """The position of each entry's parent session (-1: none known)."""
    where = {e.session.id: i for i, e in enumerate(entries)}
    return [where.get(e.parent_id, -1) if e.parent_id else -1 for e in entries]


def families(entries: tuple[Entry, ...], parents: list[int]) -> dict[int, Family]:
    """Position of a parent → its descendants' totals (each counted once)."""
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


# what a change of entries cannot affect: kept by `Data.changed`
_SAME_IDS = ("where", "parents", "_orders")


class Data:
    """The entries on screen and what is derived from them, each computed once."""

    def __init__(self, catalog: Catalog | None, content: int | None = None):
        self.catalog = catalog
        self.entries: tuple[Entry, ...] = catalog.entries if catalog is not None else ()
        self.serial = next(_serials)  # names this data (caches of the views are keyed by it)
        self.content = content or self.serial  # the same for data differing in favorites only
        self._orders: dict[str, list[int]] = {}
        self._keys: dict[str, list[str]] = {}
        self._per_day: dict[str, dict] = {}

    def changed(self, catalog: Catalog, content: bool = True) -> Data:
        """The data of `catalog`, the same sessions as this one with other marks
        (`content=False`: favorite marks only) or other titles or prices."""
        new = Data(catalog, None if content else self.content)
        kept = _SAME_IDS if content else tuple(self.__dict__)
        for name in kept:
            if name in self.__dict__ and name not in ("catalog", "entries", "serial", "content"):
                new.__dict__[name] = self.__dict__[name]
        return new

    def prepare(self, later: bool = False) -> None:
        """Compute ahead (the loading thread does): what the first screen needs, or
        (`later`) what can come once the data is on screen."""
        if later:
            self.searcher  # noqa: B018
            self.families  # noqa: B018
            return
        for field in SESSION_SORTS:
            self.order(field)
        for name in ("where", "parents", "sums", "empties", "widths", "models", "totals",
                     "by_project", "by_group"):
            getattr(self, name)

    # ------------------------------------------------------------------ by position

    def order(self, field: str) -> list[int]:
        """Positions in `entries` sorted by `field` (ascending), ties by session id."""
        found = self._orders.get(field)
        if found is None:
            key = SORT_KEYS[field]
            keys = [(key(e), e.session.id) for e in self.entries]
            found = self._orders[field] = sorted(range(len(self.entries)), key=keys.__getitem__)
        return found

    def keys(self, grouping: str) -> list[str]:
        """The group key of each entry under `grouping` (project, group or model)."""
        found = self._keys.get(grouping)
        if found is None:
            key = GROUP_KEYS[grouping]
            found = self._keys[grouping] = [key(e) for e in self.entries]
        return found

    @cached_property
    def where(self) -> dict[str, int]:
        """Session id → position."""
        return {e.session.id: i for i, e in enumerate(self.entries)}

    @cached_property
    def parents(self) -> list[int]:
        return parent_positions(self.entries)

    @cached_property
    def families(self) -> dict[int, Family]:
        return families(self.entries, self.parents)

    @cached_property
    def sums(self) -> Sums:
        """For group subtotals and what a filter keeps."""
        cost = [e.cost.usd for e in self.entries]
        credits = [e.session.credits for e in self.entries]
        return Sums(
            [e.session.usage.total for e in self.entries],
            [0.0 if c is None else c for c in cost],
            [c is None for c in cost],
            [0.0 if c is None else c for c in credits],
            [c is None for c in credits],
        )

    @cached_property
    def empties(self) -> list[bool]:
        """Whether "hide empty" hides each entry: no prompt was typed in it (such
        sessions keep droid's "New Session" title; one with prompts stays visible)."""
        return [e.session.empty for e in self.entries]

    # ------------------------------------------------------------------ summaries

    @cached_property
    def widths(self) -> dict[str, int]:
        """The longest project, group, model and source names (the views cap them)."""
        widths = {"project": 0, "group": 0, "model": 0, "source": 0}
        for e in self.entries:
            widths["project"] = max(widths["project"], len(e.session.project))
            widths["group"] = max(widths["group"], len(e.group))
            widths["model"] = max(widths["model"], len(e.model))
            widths["source"] = max(widths["source"], len(e.session.source))
        return widths

    @cached_property
    def models(self) -> list[str]:
        """Models that used tokens (the Settings tab offers a price for each)."""
        return sorted(
            {
                m
                for e in self.entries
                if e.session.usage.total and (m := e.session.resolved_model or e.session.model)
            }
        )

    @cached_property
    def totals(self) -> Totals:
        return aggregate.totals(self.entries)

    @cached_property
    def by_project(self) -> list[Bucket]:
        return aggregate.by_project(self.entries)

    @cached_property
    def by_group(self) -> list[Bucket]:
        return aggregate.by_group(self.entries)

    @cached_property
    def searcher(self) -> Searcher:
        """`/` and the Sessions filter."""
        return Searcher(self.entries)

    def last_day(self, zone: Zone):
        """The local day of the last activity (None: no session has a time)."""
        key = f"last:{zone.name}"
        if key not in self._per_day:
            moments = [e.session.last_at_ms for e in self.entries if e.session.last_at_ms]
            self._per_day[key] = (
                aggregate.local_date(max(moments), zone.tz) if moments else None  # type: ignore[assignment]
            )
        return self._per_day[key]

    def per_day(self, zone: Zone) -> dict:
        """Sessions per local day in `zone`."""
        found = self._per_day.get(zone.name)
        if found is None:
            found = self._per_day[zone.name] = aggregate.sessions_per_day(self.entries, zone.tz)
        return found
