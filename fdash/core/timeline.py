"""Usage over time: days, weeks and billing months in a time zone. No I/O, no UI.

The rule (docs/TIME.md): a session's tokens go to the local days it was active on, in
proportion to its assistant messages per day (Droid records no per-message counts), with
integer largest-remainder apportionment so no token is created or lost. Token snapshots
that fdash recorded between runs (`Session.token_snapshots`) cut a session into
segments: the tokens added between two snapshots belong to the assistant activity
between their times. A day's figure for a session is exact when every segment touching
that day lies on that day alone; otherwise it is estimated.

Activity is kept per quarter hour (UTC); every quarter maps to exactly one local date in
every zone with whole, half or quarter-hour offsets, DST included (each quarter's UTC
start is converted with zoneinfo).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime, timedelta, timezone, tzinfo

from attrs import define, evolve, field, frozen

from fdash.core.config import WEEKDAYS, ReportsConfig
from fdash.core.models import TOKEN_KINDS, ZERO_TOKENS, Cost, Entry, Session, TokenUsage
from fdash.core.times import QUARTER_MS, decode_activity

UNITS = ("day", "week", "month")


class TimeError(ValueError):
    """A bad --tz / --since / --until value; the message is one line for the user."""


# --------------------------------------------------------------------------- zones


@frozen
class Zone:
    """A time zone by name; `tz` None is the system's local time as the C library sees it."""

    name: str
    tz: tzinfo | None = field(eq=False)

    def date_of_ms(self, ms: int) -> date:
        seconds = ms / 1000
        if self.tz is None:
            return datetime.fromtimestamp(seconds).date()
        return datetime.fromtimestamp(seconds, self.tz).date()

    def today(self) -> date:
        return datetime.now(self.tz).date()

    def day_of_quarter(self) -> Callable[[int], date | None]:
        """quarter hour (epoch ms // 900000) → local date, memoised; None if out of range."""
        memo: dict[int, date | None] = {}

        def day(quarter: int) -> date | None:
            found = memo.get(quarter, False)
            if found is False:
                try:
                    found = self.date_of_ms(quarter * QUARTER_MS)
                except (OverflowError, OSError, ValueError):
                    found = None
                memo[quarter] = found
            return found

        return day


def _zoneinfo(name: str) -> tzinfo | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # noqa: PLC0415

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def local_zone() -> Zone:
    """The local zone: $TZ, else what /etc/localtime links to, else the C library's."""
    value = os.environ.get("TZ")
    if value is not None:
        key = value.removeprefix(":")
        tz = _zoneinfo(key) if key else None
        return Zone(key, tz) if tz is not None else Zone(value or "UTC", None)
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        target = ""
    if "/zoneinfo/" in target:
        key = target.split("/zoneinfo/", 1)[1]
        tz = _zoneinfo(key)
        if tz is not None:
            return Zone(key, tz)
    return Zone("local", None)


def zone(name: str | None) -> Zone:
    """The zone for --tz NAME (an IANA name or UTC); the local zone for None, "" or "local"."""
    if name is None or name.strip() in ("", "local"):
        return local_zone()
    if name.strip().upper() in ("UTC", "Z", "GMT"):
        return Zone("UTC", timezone.utc)
    tz = _zoneinfo(name.strip()) if "\x00" not in name else None
    if tz is None:
        raise TimeError(f"unknown time zone {name!r} (use an IANA name like Europe/Warsaw, or UTC)")
    return Zone(name.strip(), tz)


# --------------------------------------------------------------------------- periods and ranges


def _add_months(d: date, months: int, day: int | None = None) -> date:
    """The date `months` later (earlier if negative), its day clamped to the month's end."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = (following - timedelta(days=1)).day
    return date(year, month, min(day or d.day, last))


@frozen
class PeriodSpec:
    """Days, weeks (starting on `week_start`, 0 = Monday) or months (starting on day
    `month_start_day`, a billing cycle)."""

    unit: str = "day"
    week_start: int = 0
    month_start_day: int = 1

    def start(self, d: date) -> date:
        if self.unit == "day":
            return d
        if self.unit == "week":
            return d - timedelta(days=(d.weekday() - self.week_start) % 7)
        if d.day >= self.month_start_day:
            return d.replace(day=self.month_start_day)
        return _add_months(d, -1, self.month_start_day)

    @classmethod
    def of(cls, unit: str, reports: ReportsConfig) -> PeriodSpec:
        return cls(unit, WEEKDAYS.index(reports.week_start), reports.month_start_day)

    def end(self, start: date) -> date:
        """The last day of the period starting at `start`."""
        if self.unit == "day":
            return start
        if self.unit == "week":
            return start + timedelta(days=6)
        return _add_months(start, 1, self.month_start_day) - timedelta(days=1)


_RELATIVE = re.compile(r"(\d{1,5})([dwm])")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str, today: date, flag: str = "--since") -> date:
    """YYYY-MM-DD, `today`, `yesterday`, or the first day of the last N days / weeks /
    months including today: `7d` (today and the 6 days before), `2w` (14 days), `3m`."""
    value = text.strip().lower()
    try:
        if value == "today":
            return today
        if value == "yesterday":
            return today - timedelta(days=1)
        relative = _RELATIVE.fullmatch(value)
        if relative and int(relative[1]) > 0:
            n, unit = int(relative[1]), relative[2]
            if unit == "d":
                return today - timedelta(days=n - 1)
            if unit == "w":
                return today - timedelta(days=7 * n - 1)
            return _add_months(today, -n) + timedelta(days=1)
        if _ISO_DAY.fullmatch(value):
            return date.fromisoformat(value)
    except (ValueError, OverflowError):
        pass
    raise TimeError(f"{flag}: expected YYYY-MM-DD, today, yesterday or a number of days, "
                    f"weeks or months like 7d, 2w, 3m; got {text!r}")


@frozen
class DayRange:
    """Local days from `since` to `until`, both included; None = open."""

    since: date | None = None
    until: date | None = None

    @property
    def bounded(self) -> bool:
        return self.since is not None or self.until is not None

    def __contains__(self, day: date) -> bool:
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    def describe(self) -> str:
        if self.since and self.until:
            return f"{self.since} … {self.until}" if self.since != self.until else str(self.since)
        if self.since:
            return f"since {self.since}"
        return f"until {self.until}" if self.until else "all time"


def day_range(since: str | None, until: str | None, today: date) -> DayRange:
    first = parse_day(since, today, "--since") if since is not None else None
    last = parse_day(until, today, "--until") if until is not None else None
    if first is not None and last is not None and first > last:
        raise TimeError(f"--since {first} is after --until {last}")
    return DayRange(first, last)


# --------------------------------------------------------------------------- attribution


@frozen
class Share:
    """A session's part of one local day."""

    tokens: TokenUsage
    messages: int  # assistant messages that day
    estimated: bool  # found by proportional splitting


@frozen
class Attribution:
    """A session's tokens by local day, and the days of each of its token segments that
    had to be split in proportion to activity (a figure is exact for a set of days — a
    day, a week, a range — when no such segment has days both in and out of it)."""

    days: dict[date, Share]  # oldest first; {} when the session has no time at all
    spans: tuple[frozenset[date], ...] = ()
    guessed: bool = False  # its day is the settings file's mtime (no message, no lock time)

    @property
    def uncertain(self) -> bool:
        return bool(self.spans) or self.guessed

    def estimated_keys(self, key: Callable[[date], Hashable]) -> set:
        """The buckets (`key` of a day) whose figure for this session is estimated."""
        if self.guessed:
            return {key(d) for d in self.days}
        found: set = set()
        for span in self.spans:
            keys = {key(d) for d in span}
            if len(keys) > 1:
                found |= keys
        return found


def apportion(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights` (positive integers), summing exactly to
    `total`: largest remainder, ties to the earliest."""
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    rest = total - sum(parts)
    if rest:
        order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
        for i in order[:rest]:
            parts[i] += 1
    return parts


def _split(tokens: TokenUsage, weights: list[int]) -> list[TokenUsage]:
    columns = [apportion(getattr(tokens, kind), weights) for kind in TOKEN_KINDS]
    return [TokenUsage(*values) for values in zip(*columns)]


def parse_snapshots(text: str) -> list[tuple[int, TokenUsage]]:
    """`ms:in:out:cw:cr:th;…` → [(ms, tokens)]; a malformed text gives []."""
    found = []
    for item in filter(None, text.split(";")):
        try:
            ms, *values = (int(v) for v in item.split(":"))
            found.append((ms, TokenUsage(*values)))
        except (TypeError, ValueError):
            return []
    return found


def _covers(later: TokenUsage, earlier: TokenUsage) -> bool:
    return all(getattr(later, k) >= getattr(earlier, k) for k in TOKEN_KINDS)


def _minus(a: TokenUsage, b: TokenUsage) -> TokenUsage:
    return TokenUsage(*(getattr(a, k) - getattr(b, k) for k in TOKEN_KINDS))


@define
class _Segment:
    quarters: list[int]  # the active quarter hours it covers
    tokens: TokenUsage  # the tokens added in it


def _segments(session: Session, quarters: list[int]) -> list[_Segment]:
    """The session's activity cut at its token snapshots: a quarter hour up to and
    including the one holding a snapshot's time belongs to the tokens up to it (any later
    message in that quarter would have moved the settings file's mtime past it, unless
    fdash looked within that very quarter hour). Snapshots that are not a growing series
    ending at the session's tokens are ignored."""
    tokens = session.usage
    cuts = parse_snapshots(session.token_snapshots) if session.tokens is not None else []
    previous_ms, previous = None, ZERO_TOKENS
    for ms, snap in cuts:
        if (previous_ms is not None and ms < previous_ms) or not _covers(snap, previous):
            cuts = []
            break
        previous_ms, previous = ms, snap
    if not _covers(tokens, previous):
        cuts = []
    raw: list[_Segment] = []
    before, position = ZERO_TOKENS, 0
    for ms, snap in cuts:
        end = position
        while end < len(quarters) and quarters[end] <= ms // QUARTER_MS:
            end += 1
        raw.append(_Segment(quarters[position:end], _minus(snap, before)))
        before, position = snap, end
    raw.append(_Segment(quarters[position:], _minus(tokens, before)))
    # a segment with tokens but no activity joins the next one; one with activity but no
    # new tokens (the settings file was written before its last messages) the previous one
    merged: list[_Segment] = []
    pending = ZERO_TOKENS
    for seg in raw:
        if not seg.quarters:
            pending += seg.tokens
        elif seg.tokens == ZERO_TOKENS and pending == ZERO_TOKENS and merged:
            merged[-1].quarters += seg.quarters
        else:
            merged.append(_Segment(seg.quarters, seg.tokens + pending))
            pending = ZERO_TOKENS
    if merged:
        merged[-1].tokens += pending
    return merged


def attribute(session: Session, day_of: Callable[[int], date | None]) -> Attribution:
    """The session's tokens by local day. A session without assistant messages belongs to
    the day of its first message (else its last, else its last token snapshot); one with
    none of these has no day."""
    activity = decode_activity(session.activity)
    counts = {q: c for q, c in activity.items() if c > 0 and day_of(q) is not None}
    if not counts:
        return _anchored(session, day_of)
    first = day_of(next(iter(counts)))
    if all(day_of(q) == first for q in counts):  # one day: exact whatever the snapshots say
        return Attribution({first: Share(session.usage, sum(counts.values()), False)})
    days: dict[date, list] = {}  # day → [tokens, messages]
    spans = []
    for seg in _segments(session, sorted(counts)):
        weights: dict[date, int] = {}
        for q in seg.quarters:
            d = day_of(q)
            weights[d] = weights.get(d, 0) + counts[q]
        for d, part in zip(weights, _split(seg.tokens, list(weights.values()))):
            slot = days.setdefault(d, [ZERO_TOKENS, 0])
            slot[0] += part
            slot[1] += weights[d]
        touched = frozenset(weights)
        if len(touched) > 1 and seg.tokens != ZERO_TOKENS:
            spans.append(touched)
    split = frozenset().union(*spans)
    shares = {d: Share(tokens, n, d in split) for d, (tokens, n) in sorted(days.items())}
    return Attribution(shares, tuple(spans))


def _anchored(session: Session, day_of: Callable[[int], date | None]) -> Attribution:
    snapshots = parse_snapshots(session.token_snapshots)
    stamps = [ms for ms in (session.first_at_ms, session.last_at_ms) if ms is not None]
    if not stamps and session.dated_by == "providerLockTimestamp":  # no transcript: when it took its provider
        stamps = [session.provider_lock_at_ms]
    guessed = not stamps and bool(snapshots)
    if guessed:  # else the settings file's time: an estimate (a copied history has the copy's day)
        stamps = [snapshots[-1][0]]
    days = [d for d in (day_of(ms // QUARTER_MS) for ms in stamps) if d is not None]
    if not days:
        return Attribution({})
    span = frozenset(days)
    split = len(span) > 1 and session.usage != ZERO_TOKENS
    return Attribution({days[0]: Share(session.usage, 0, split or guessed)}, (span,) if split else (), guessed)


def share_credits(session: Session, tokens: TokenUsage) -> float | None:
    """The credits of part of a session's tokens: its credits in proportion to the
    tokens (droid records credits per session, not per call); None when none recorded."""
    if session.credits is None:
        return None
    whole = session.usage.total
    return session.credits * tokens.total / whole if whole else session.credits


def share_cost(entry: Entry, tokens: TokenUsage) -> float | None:
    """Dollars for part of a session's tokens at the session's price (None: unpriced)."""
    cost = entry.cost
    if cost.usd is None:
        return None
    if cost.price is not None:
        return cost.price.cost(tokens)
    whole = entry.session.usage.total
    return cost.usd * tokens.total / whole if whole else 0.0


# --------------------------------------------------------------------------- reports


@frozen
class Period:
    """Usage in one period (or, in `breakdown`, of one model / project / group in it)."""

    start: date
    end: date  # last day, included
    key: str
    tokens: TokenUsage
    cost_usd: float  # of priced sessions
    unpriced_sessions: int
    sessions: int  # sessions active in the period
    estimated_sessions: int  # of which figures here come from proportional splitting
    partial: bool = False  # the day range cuts the period
    breakdown: tuple[Period, ...] = ()
    credits: float = 0.0  # Factory Standard Credits (a session's split like its tokens)
    no_credit_sessions: int = 0  # active sessions that recorded no credits

    @property
    def estimated(self) -> bool:
        return self.estimated_sessions > 0


@frozen
class Timeline:
    periods: tuple[Period, ...]  # oldest first, only periods with active sessions
    total: Period | None  # over the whole range (None when empty)
    undated_sessions: int = 0  # sessions with no time at all: in no period
    undated_tokens: TokenUsage = ZERO_TOKENS


@define
class _Acc:
    tokens: TokenUsage = ZERO_TOKENS
    cost_usd: float = 0.0
    unpriced: int = 0
    sessions: int = 0
    estimated: int = 0
    parts: dict = field(factory=dict)
    credits: float = 0.0
    no_credits: int = 0

    def add(self, tokens: TokenUsage, cost: float | None, estimated: bool, credits: float | None) -> None:
        self.tokens += tokens
        self.sessions += 1
        if credits is None:
            self.no_credits += 1
        else:
            self.credits += credits
        self.estimated += estimated
        if cost is None:
            self.unpriced += 1
        else:
            self.cost_usd += cost

    def period(self, start: date, end: date, key: str = "", partial: bool = False) -> Period:
        parts = sorted((acc.period(start, end, k) for k, acc in self.parts.items()),
                       key=lambda p: (-p.tokens.total, p.key))
        return Period(start, end, key, self.tokens, self.cost_usd, self.unpriced, self.sessions,
                      self.estimated, partial, tuple(parts), self.credits, self.no_credits)


def _summed(shares: Iterable[Share]) -> TokenUsage:
    tokens = ZERO_TOKENS
    for share in shares:
        tokens += share.tokens
    return tokens


def timeline(
    entries: Iterable[Entry],
    spec: PeriodSpec,
    zone: Zone,
    days: DayRange = DayRange(),
    by: Callable[[Entry], str] | None = None,
) -> Timeline:
    """Usage per period over `days`, optionally broken down by `by` (model, project, …).
    Figures are sums of the sessions' day shares (so days, weeks, months and the range
    add up exactly); a period's figure is estimated when a split segment of a session
    reaches outside it."""
    day_of = zone.day_of_quarter()
    periods: dict[date, _Acc] = {}
    total = _Acc()
    undated, undated_tokens = 0, ZERO_TOKENS

    def period_of(d: date):
        return spec.start(d) if d in days else None

    def in_days(d: date) -> bool:
        return d in days

    for entry in entries:
        found = attribute(entry.session, day_of)
        if not found.days:
            undated += 1
            undated_tokens += entry.session.usage
            continue
        grouped: dict[date, list[Share]] = {}
        for d, share in found.days.items():
            if d in days:
                grouped.setdefault(spec.start(d), []).append(share)
        if not grouped:
            continue
        split = found.estimated_keys(period_of) if found.uncertain else ()
        key = by(entry) if by else ""
        for start, parts in grouped.items():
            tokens = _summed(parts)
            _add(periods.setdefault(start, _Acc()), key, by, tokens, share_cost(entry, tokens), start in split,
                 share_credits(entry.session, tokens))
        tokens = _summed(s for group in grouped.values() for s in group)
        estimated = found.uncertain and True in found.estimated_keys(in_days)
        _add(total, key, by, tokens, share_cost(entry, tokens), estimated, share_credits(entry.session, tokens))
    result = []
    for start in sorted(periods):
        end = spec.end(start)
        cut = (days.since is not None and start < days.since) or (days.until is not None and end > days.until)
        result.append(periods[start].period(start, end, partial=cut))
    whole = total.period(result[0].start, result[-1].end) if result else None
    return Timeline(tuple(result), whole, undated, undated_tokens)


def _add(acc: _Acc, key: str, by, tokens: TokenUsage, cost: float | None, estimated: bool,
         credits: float | None) -> None:
    acc.add(tokens, cost, estimated, credits)
    if by:
        acc.parts.setdefault(key, _Acc()).add(tokens, cost, estimated, credits)


def within(entries: Iterable[Entry], zone: Zone, days: DayRange) -> tuple[list[Entry], bool]:
    """The entries active in `days`, each holding only its tokens and cost attributed to
    those days (for stats, tokens, groups, projects); and whether any figure is estimated
    (a split segment of a session reaches outside the range)."""
    day_of = zone.day_of_quarter()
    kept, estimated = [], False

    def in_days(d: date) -> bool:
        return d in days

    for entry in entries:
        found = attribute(entry.session, day_of)
        shares = [s for d, s in found.days.items() if d in days]
        if not shares:
            continue
        estimated = estimated or (found.uncertain and True in found.estimated_keys(in_days))
        tokens = _summed(shares)
        session = entry.session
        if session.tokens is not None and tokens != session.tokens:
            cost = share_cost(entry, tokens)
            entry = evolve(entry, session=evolve(session, tokens=tokens, credits=share_credits(session, tokens)),
                           cost=Cost(cost, entry.cost.source, entry.cost.price_key, entry.cost.price))
        kept.append(entry)
    return kept, estimated


def active(entries: Iterable[Entry], zone: Zone, days: DayRange) -> list[Entry]:
    """The entries active in `days`, whole (for sessions and export)."""
    day_of = zone.day_of_quarter()
    return [e for e in entries if any(d in days for d in attribute(e.session, day_of).days)]
