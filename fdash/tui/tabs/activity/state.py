"""The Activity tab as data: tokens or cost per day (week, billing month) over the last
N weeks, the sessions of the selected period, and a projects × weeks heatmap. No UI
imports.

Every figure comes from `fdash.core.timeline.timeline` in the report time zone
(`[reports] timezone`, local when empty), so a day here is the same day, with the same
numbers, as in `fdash daily`; a figure that includes part of a session split across
days is estimated (`~`). The timelines are computed in the background (`Deferred`): they
take longer than a key press may (docs/PERFORMANCE.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

from attrs import frozen

from fdash.core.config import ReportsConfig
from fdash.core.models import ZERO_TOKENS, Entry
from fdash.core.timeline import DayRange, Period, PeriodSpec, Zone, timeline
from fdash.tui.context import Context, TabState
from fdash.tui.cursor import Cursor, Scroll, Selection
from fdash.tui.deferred import Failed, Job

CHUNK = 25  # sessions per piece of deferred work (a few milliseconds)
UNITS = ("day", "week", "month")
# active: active time, split like the tokens (~); credits: Factory Standard Credits as recorded
METRICS = ("tokens", "cost", "credits", "active")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@frozen
class Chart:
    unit: str
    days: DayRange
    periods: tuple[Period, ...]  # every period of the range, oldest first, empty ones too


@frozen
class HeatRow:
    project: str
    tokens: tuple[int, ...]  # per week
    cost: tuple[float, ...]
    total_tokens: int
    total_cost: float


@frozen
class Heat:
    weeks: tuple[date, ...]  # first day of each week
    rows: tuple[HeatRow, ...]  # biggest (tokens) first


def last_weeks(weeks: int, today: date, reports: ReportsConfig) -> DayRange:
    """The last `weeks` weeks (each starting on `week_start`) up to `today`."""
    start = PeriodSpec.of("week", reports).start(today) - timedelta(weeks=weeks - 1)
    return DayRange(start, today)


def active_since(entries: Iterable[Entry], day: date) -> list[Entry]:
    """The entries that may have a day share on or after `day` (last activity within two
    days of it, whatever the zone): the timelines need not look at older ones."""
    cut = int((datetime.combine(day, datetime.min.time(), timezone.utc) - _EPOCH).total_seconds())
    cut = (cut - 2 * 86400) * 1000
    return [e for e in entries if e.session.last_at_ms is None or e.session.last_at_ms >= cut]


def empty_period(start: date, end: date) -> Period:
    return Period(start, end, "", ZERO_TOKENS, 0.0, 0, 0, 0)


def merged(parts: list[Period]) -> Period:
    """One period from the same period of several groups of sessions (their sums; the
    breakdown is not sorted: `ActivityState.rows` sorts the selected period's)."""
    if len(parts) == 1:
        return parts[0]
    tokens = ZERO_TOKENS
    for p in parts:
        tokens += p.tokens
    breakdown = [b for p in parts for b in p.breakdown]
    first = parts[0]
    return Period(
        first.start, first.end, first.key, tokens, sum(p.cost_usd for p in parts),
        sum(p.unpriced_sessions for p in parts), sum(p.sessions for p in parts),
        sum(p.estimated_sessions for p in parts), first.partial, tuple(breakdown),
        sum(p.credits for p in parts), sum(p.no_credit_sessions for p in parts),
    )


def active_share(entry: Entry, part: Period) -> float:
    """A session's active time in one period: its active time in proportion to its
    tokens there (all of it when it used none: it then has one day)."""
    total = entry.session.usage.total
    active = entry.session.active_time_ms
    return active * part.tokens.total / total if total else float(active)


def chunks(entries: list[Entry]):
    for i in range(0, len(entries), CHUNK):
        yield entries[i : i + CHUNK]


def chart_job(entries, reports: ReportsConfig, zone: Zone, unit: str, days: DayRange) -> Job:
    """Each period of `days` with its sessions' shares (the breakdown, by session id):
    `timeline` over ~100 sessions at a time, summed (a session is in one group only,
    so the sums are the timeline of all of them)."""
    spec = PeriodSpec.of(unit, reports)
    found: dict[date, list[Period]] = {}
    window = active_since(entries, days.since)
    yield
    for part in chunks(window):
        for period in timeline(part, spec, zone, days, by=lambda e: e.session.id).periods:
            found.setdefault(period.start, []).append(period)
        yield
    periods = []
    start = spec.start(days.since)
    while start <= days.until:
        end = spec.end(start)
        periods.append(merged(found[start]) if start in found else empty_period(start, end))
        start = end + timedelta(days=1)
        yield
    return Chart(unit, days, tuple(periods))


def heat_job(entries, reports: ReportsConfig, zone: Zone, days: DayRange) -> Job:
    """Tokens and cost of each project in each week of `days`."""
    spec = PeriodSpec.of("week", reports)
    weeks = []
    start = spec.start(days.since)
    while start <= days.until:
        weeks.append(start)
        start += timedelta(weeks=1)
    column = {w: i for i, w in enumerate(weeks)}
    tokens: dict[str, list[int]] = {}
    cost: dict[str, list[float]] = {}
    window = active_since(entries, days.since)
    yield
    for part in chunks(window):
        for period in timeline(part, spec, zone, days, by=lambda e: e.session.project).periods:
            i = column[period.start]
            for share in period.breakdown:
                tokens.setdefault(share.key, [0] * len(weeks))[i] += share.tokens.total
                cost.setdefault(share.key, [0.0] * len(weeks))[i] += share.cost_usd
        yield
    rows = [
        HeatRow(p, tuple(tokens[p]), tuple(cost[p]), sum(tokens[p]), sum(cost[p])) for p in tokens
    ]
    rows.sort(key=lambda r: (-r.total_tokens, r.project))
    return Heat(tuple(weeks), tuple(rows))


class ActivityState(TabState, Selection):
    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.metric = "tokens"
        self.unit = "day"
        self.day: date | None = None  # a day of the selected period (None: the last busy one)
        self.columns = Cursor()  # over the chart's periods: which one, which are in view
        self.cursor = Cursor()  # over the sessions of the selected period
        self.selected_id: str | None = None
        self.heat_scroll = Scroll()
        self._charts = {unit: ctx.deferred("activity") for unit in UNITS}  # toggling back: instant
        self._heat = ctx.deferred("activity")
        self._rows_key: tuple | None = None
        self._rows: list[tuple[Entry, Period]] = []

    # ------------------------------------------------------------------ data

    def days(self) -> DayRange:
        ctx = self.ctx
        return last_weeks(ctx.config.display.heatmap_weeks, ctx.window_end(), ctx.config.reports)

    def chart(self) -> Chart | Failed | None:
        """The chart for the current unit: computed, being computed (the previous one, if
        of this unit), or None."""
        ctx = self.ctx
        entries, reports, zone, unit, days = (
            ctx.data.entries, ctx.config.reports, ctx.zone, self.unit, self.days()
        )
        key = (ctx.data.content, unit, days, zone.name, reports)
        value, _fresh = self._charts[unit].get(
            key, lambda: chart_job(entries, reports, zone, unit, days)
        )
        return value

    def heat(self) -> Heat | Failed | None:
        ctx = self.ctx
        entries, reports, zone, days = ctx.data.entries, ctx.config.reports, ctx.zone, self.days()
        key = (ctx.data.content, days, zone.name, reports.week_start)
        value, _fresh = self._heat.get(key, lambda: heat_job(entries, reports, zone, days))
        return value

    def index(self, chart: Chart) -> int:
        """The selected period's position in `chart` (by default the last one with
        sessions, else the last one)."""
        periods = chart.periods
        if self.day is not None:
            for i, period in enumerate(periods):
                if period.start <= self.day <= period.end:
                    return i
        busy = [i for i, period in enumerate(periods) if period.sessions]
        return busy[-1] if busy else len(periods) - 1

    def period(self) -> Period | None:
        chart = self.chart()
        if not isinstance(chart, Chart) or not chart.periods:
            return None
        return chart.periods[self.index(chart)]

    def rows(self) -> list[tuple[Entry, Period]]:
        """The sessions active in the selected period with their share of it, biggest
        first (by tokens, or by cost when the chart shows cost)."""
        period = self.period()
        data = self.ctx.data
        key = (id(period), self.metric, data.serial)
        if key != self._rows_key:
            self._rows_key = key
            where, entries = data.where, data.entries
            rows = [
                (entries[where[part.key]], part)
                for part in (period.breakdown if period is not None else ())
                if part.key in where
            ]
            if self.metric == "cost":
                rows.sort(key=lambda r: (r[1].unpriced_sessions > 0, -r[1].cost_usd, r[1].key))
            elif self.metric == "active":
                rows.sort(key=lambda r: (-active_share(r[0], r[1]), r[1].key))
            elif self.metric == "credits":
                rows.sort(key=lambda r: (r[1].no_credit_sessions > 0, -r[1].credits, r[1].key))
            else:
                rows.sort(key=lambda r: (-r[1].tokens.total, r[1].key))
            self._rows = rows
            index = next(
                (i for i, (e, _p) in enumerate(rows) if e.session.id == self.selected_id), None
            )
            if index is None:
                self.cursor.home(len(rows))
                self._remember()
            else:
                self.cursor.index = index
        return self._rows

    def selected_entry(self) -> Entry | None:
        rows = self.rows()
        i = self.cursor.index
        return rows[i][0] if 0 <= i < len(rows) else None

    def _remember(self) -> None:
        rows = self._rows
        i = self.cursor.index
        self.selected_id = rows[i][0].session.id if 0 <= i < len(rows) else None

    # ------------------------------------------------------------------ actions

    def step(self, delta: int) -> None:
        """The previous / next period (← →)."""
        chart = self.chart()
        if isinstance(chart, Chart) and chart.periods:
            i = max(0, min(len(chart.periods) - 1, self.index(chart) + delta))
            if i != self.index(chart) or self.day is None:
                self.day = chart.periods[i].start
                self.selected_id = None

    def home(self) -> None:  # Home / End: the first / last period
        self.step(-(10**6))

    def end(self) -> None:
        self.step(10**6)

    def value(self, period: Period, metric: str | None = None) -> float:
        """The chart's number for `period`: tokens, cost, credits, or active time (ms)."""
        metric = metric or self.metric
        if metric == "cost":
            return period.cost_usd
        if metric == "credits":
            return period.credits
        if metric == "tokens":
            return period.tokens.total
        data = self.ctx.data
        where, entries = data.where, data.entries
        return sum(
            active_share(entries[where[part.key]], part)
            for part in period.breakdown
            if part.key in where
        )

    def projects(self, period: Period) -> list[tuple[str, float]]:
        """The selected period per project (biggest first), in the chart's metric."""
        data = self.ctx.data
        where, entries = data.where, data.entries
        found: dict[str, float] = {}
        for part in period.breakdown:
            if part.key in where:
                entry = entries[where[part.key]]
                if self.metric == "cost":
                    amount = part.cost_usd
                elif self.metric == "credits":
                    amount = part.credits
                elif self.metric == "tokens":
                    amount = part.tokens.total
                else:
                    amount = active_share(entry, part)
                found[entry.session.project] = found.get(entry.session.project, 0) + amount
        return sorted(((k, v) for k, v in found.items() if v), key=lambda kv: (-kv[1], kv[0]))

    def toggle_metric(self) -> None:
        self.metric = METRICS[(METRICS.index(self.metric) + 1) % len(METRICS)]

    def cycle_unit(self) -> None:
        """Day → week → month; the selection stays on the period holding the same day."""
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]

    def count(self) -> int:  # the movement keys act on the sessions of the period
        return len(self.rows())
