"""Pure sums over entries: totals, and buckets by project, group, model or day."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone, tzinfo

from attrs import define, frozen

from fdash.core.models import UNKNOWN_PROJECT, ZERO_TOKENS, Entry, TokenUsage


@frozen
class Totals:
    sessions: int
    projects: int
    groups: int
    tokens: TokenUsage
    cost_usd: float  # of priced sessions
    unpriced_sessions: int
    unpriced_models: tuple[str, ...]
    active_time_ms: int
    user_prompts: int
    empty_sessions: int
    favorites: int
    credits: float = 0.0  # Factory Standard Credits, as droid recorded them
    no_credit_sessions: int = 0  # sessions that recorded none (counted apart, never guessed)


@frozen
class Bucket:
    key: str
    sessions: int
    tokens: TokenUsage
    cost_usd: float
    unpriced_sessions: int
    active_time_ms: int
    user_prompts: int
    projects: int
    last_at_ms: int | None
    group: str  # the group of a project bucket ("" when mixed)
    credits: float = 0.0
    no_credit_sessions: int = 0


@define
class _Sum:
    sessions: int = 0
    tokens: TokenUsage = ZERO_TOKENS
    cost_usd: float = 0.0
    unpriced: int = 0
    active_time_ms: int = 0
    user_prompts: int = 0
    last_at_ms: int | None = None
    credits: float = 0.0
    no_credits: int = 0

    def add(self, entry: Entry) -> None:
        session = entry.session
        self.sessions += 1
        if session.credits is None:
            self.no_credits += 1
        else:
            self.credits += session.credits
        self.tokens = self.tokens + session.usage
        if entry.cost.usd is None:
            self.unpriced += 1
        else:
            self.cost_usd += entry.cost.usd
        self.active_time_ms += session.active_time_ms
        self.user_prompts += session.user_prompts
        if session.last_at_ms is not None and (
            self.last_at_ms is None or session.last_at_ms > self.last_at_ms
        ):
            self.last_at_ms = session.last_at_ms


def totals(entries: Iterable[Entry]) -> Totals:
    total = _Sum()
    projects: set[str] = set()
    groups: set[str] = set()
    unpriced_models: set[str] = set()
    empty = favorites = 0
    for entry in entries:
        total.add(entry)
        projects.add(entry.session.project)
        groups.add(entry.group)
        if entry.cost.usd is None:
            unpriced_models.add(entry.model)
        empty += entry.session.empty
        favorites += entry.favorite
    return Totals(
        sessions=total.sessions,
        projects=len(projects - {UNKNOWN_PROJECT}),  # sessions with no cwd and no folder have no project
        groups=len(groups),
        tokens=total.tokens,
        cost_usd=total.cost_usd,
        unpriced_sessions=total.unpriced,
        unpriced_models=tuple(sorted(unpriced_models)),
        active_time_ms=total.active_time_ms,
        user_prompts=total.user_prompts,
        empty_sessions=empty,
        favorites=favorites,
        credits=total.credits,
        no_credit_sessions=total.no_credits,
    )


def bucket_by(entries: Iterable[Entry], key: Callable[[Entry], str]) -> list[Bucket]:
    """One bucket per key, largest token total first."""
    sums: dict[str, _Sum] = {}
    projects: dict[str, set[str]] = {}
    groups: dict[str, set[str]] = {}
    for entry in entries:
        k = key(entry)
        sums.setdefault(k, _Sum()).add(entry)
        projects.setdefault(k, set()).add(entry.session.project)
        groups.setdefault(k, set()).add(entry.group)
    buckets = [
        Bucket(
            key=k,
            sessions=s.sessions,
            tokens=s.tokens,
            cost_usd=s.cost_usd,
            unpriced_sessions=s.unpriced,
            active_time_ms=s.active_time_ms,
            user_prompts=s.user_prompts,
            projects=len(projects[k] - {UNKNOWN_PROJECT}),
            last_at_ms=s.last_at_ms,
            group=next(iter(groups[k])) if len(groups[k]) == 1 else "",
            credits=s.credits,
            no_credit_sessions=s.no_credits,
        )
        for k, s in sums.items()
    ]
    buckets.sort(key=lambda b: (-b.tokens.total, b.key))
    return buckets


def by_project(entries: Iterable[Entry]) -> list[Bucket]:
    return bucket_by(entries, lambda e: e.session.project)


def by_group(entries: Iterable[Entry]) -> list[Bucket]:
    return bucket_by(entries, lambda e: e.group)


def by_model(entries: Iterable[Entry]) -> list[Bucket]:
    return bucket_by(entries, lambda e: e.model)


def local_date(ms: int, tz: tzinfo | None = None) -> date:
    moment = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return moment.astimezone(tz).date()


def sessions_per_day(entries: Iterable[Entry], tz: tzinfo | None = None) -> dict[date, int]:
    """How many sessions started on each day (in `tz`, the local zone by default)."""
    days: dict[date, int] = {}
    for entry in entries:
        started = entry.session.first_at_ms
        if started is not None:
            day = local_date(started, tz)
            days[day] = days.get(day, 0) + 1
    return days
