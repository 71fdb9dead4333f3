"""The Activity tab as data: tokens or cost per day (week, billing month) over the last
N weeks, the sessions of the selected period, and a projects × weeks heatmap. No UI
imports.

Every figure comes from `fdash.core.timeline.timeline` in the report time zone
(`[reports] timezone`, local when empty), so a day here is the same day, with the same
numbers, as in `fdash daily`; a figure that includes part of a session split across
days is estimated (`~`). The timelines are computed in the background (`Deferred`): at
10,000 sessions they take a few hundred milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from attrs import frozen

from fdash.core.config import ReportsConfig
from fdash.core.models import ZERO_TOKENS, Entry
from fdash.core.timeline import DayRange, Period, PeriodSpec, Zone, timeline
from fdash.tui.cursor import Cursor, Scroll, Selection
from fdash.tui.deferred import Deferred, Failed

if TYPE_CHECKING:
    from fdash.tui.state import AppState

UNITS = ("day", "week", "month")
METRICS = ("tokens", "cost")
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


def make_chart(entries, reports: ReportsConfig, zone: Zone, unit: str, days: DayRange) -> Chart:
    """Each period of `days` with its sessions' shares (the breakdown, by session id)."""
    spec = PeriodSpec.of(unit, reports)
    result = timeline(
        active_since(entries, days.since), spec, zone, days, by=lambda e: e.session.id
    )
    found = {p.start: p for p in result.periods}
    periods = []
    start = spec.start(days.since)
    while start <= days.until:
        end = spec.end(start)
        periods.append(found.get(start) or empty_period(start, end))
        start = end + timedelta(days=1)
    return Chart(unit, days, tuple(periods))


def make_heat(entries, reports: ReportsConfig, zone: Zone, days: DayRange) -> Heat:
    """Tokens and cost of each project in each week of `days`."""
    spec = PeriodSpec.of("week", reports)
    result = timeline(
        active_since(entries, days.since), spec, zone, days, by=lambda e: e.session.project
    )
    weeks = []
    start = spec.start(days.since)
    while start <= days.until:
        weeks.append(start)
        start += timedelta(weeks=1)
    column = {w: i for i, w in enumerate(weeks)}
    tokens: dict[str, list[int]] = {}
    cost: dict[str, list[float]] = {}
    for period in result.periods:
        i = column[period.start]
        for part in period.breakdown:
            tokens.setdefault(part.key, [0] * len(weeks))[i] = part.tokens.total
            cost.setdefault(part.key, [0.0] * len(weeks))[i] = part.cost_usd
    rows = [
        HeatRow(p, tuple(tokens[p]), tuple(cost[p]), sum(tokens[p]), sum(cost[p])) for p in tokens
    ]
    rows.sort(key=lambda r: (-r.total_tokens, r.project))
    return Heat(tuple(weeks), tuple(rows))


class ActivityState(Selection):
    def __init__(self, app: AppState):
        self.app = app
        self.metric = "tokens"
        self.unit = "day"
        self.day: date | None = None  # a day of the selected period (None: the last busy one)
        self.columns = Cursor()  # over the chart's periods: which one, which are in view
        self.cursor = Cursor()  # over the sessions of the selected period
        self.selected_id: str | None = None
        self.heat_scroll = Scroll()
        self._chart = Deferred(lambda fn: app.hooks.spawn(fn), lambda fn: app.hooks.call_soon(fn))
        self._heat = Deferred(lambda fn: app.hooks.spawn(fn), lambda fn: app.hooks.call_soon(fn))
        self._rows_key: tuple | None = None
        self._rows: list[tuple[Entry, Period]] = []

    # ------------------------------------------------------------------ data

    def days(self) -> DayRange:
        app = self.app
        return last_weeks(app.config.display.heatmap_weeks, app.today(), app.config.reports)

    def chart(self) -> Chart | Failed | None:
        """The chart for the current unit: computed, being computed (the previous one, if
        of this unit), or None."""
        app = self.app
        entries, reports, zone, unit, days = (
            app.entries, app.config.reports, app.zone, self.unit, self.days()
        )  # fmt: skip
        key = (app.content_version, app.generation, unit, days, zone.name, reports)
        value, _fresh = self._chart.get(
            key, lambda: make_chart(entries, reports, zone, unit, days)
        )
        if isinstance(value, Chart) and value.unit != unit:
            return None
        return value

    def heat(self) -> Heat | Failed | None:
        app = self.app
        entries, reports, zone, days = app.entries, app.config.reports, app.zone, self.days()
        key = (app.content_version, app.generation, days, zone.name, reports.week_start)
        value, _fresh = self._heat.get(key, lambda: make_heat(entries, reports, zone, days))
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
        key = (id(period), self.metric, self.app.data_version)
        if key != self._rows_key:
            self._rows_key = key
            app = self.app
            where, entries = app.fact("where"), app.entries
            rows = [
                (entries[where[part.key]], part)
                for part in (period.breakdown if period is not None else ())
                if part.key in where
            ]
            if self.metric == "cost":
                rows.sort(key=lambda r: (r[1].unpriced_sessions > 0, -r[1].cost_usd))
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

    def toggle_metric(self) -> None:
        self.metric = METRICS[(METRICS.index(self.metric) + 1) % len(METRICS)]

    def cycle_unit(self) -> None:
        """Day → week → month; the selection stays on the period holding the same day."""
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]

    def count(self) -> int:  # the movement keys act on the sessions of the period
        return len(self.rows())
