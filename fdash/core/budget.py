"""Budgets: spent vs limit in the current day / week / (billing) month, the burn rate, and
when the limit runs out at that rate.

Spending in a period is what `fdash.core.timeline` attributes to its days (so it agrees
with `fdash daily`); the burn rate is that spending divided by the hours elapsed since
the period started, in the report time zone; the forecast extends it linearly.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from attrs import frozen

from fdash.core.config import BudgetConfig, ReportsConfig
from fdash.core.models import Entry
from fdash.core.timeline import DayRange, PeriodSpec, Zone, timeline

PERIODS = (("day", "daily"), ("week", "weekly"), ("month", "monthly"))
PERIOD_NAMES = {"day": "Today", "week": "This week", "month": "This month"}  # what people read


@frozen
class BudgetStatus:
    period: str  # day | week | month
    unit: str  # usd | tokens | credits
    limit: float
    spent: float
    start: date
    end: date  # last day of the period, included
    elapsed_hours: float
    period_hours: float
    estimated: bool  # part of the spending comes from splitting multi-day sessions
    # active in the period but without a price (not in a $ figure), or, for credits,
    # without recorded credits (not in the credits figure)
    unpriced_sessions: int
    now: datetime

    @property
    def burn_per_hour(self) -> float:
        return self.spent / self.elapsed_hours if self.elapsed_hours > 0 else 0.0

    @property
    def forecast(self) -> float:
        """Spending by the period's end at the current rate."""
        return self.burn_per_hour * self.period_hours

    @property
    def over(self) -> bool:
        return self.spent > self.limit

    @property
    def used(self) -> float:
        return self.spent / self.limit

    @property
    def runs_out_at(self) -> datetime | None:
        """When the limit is reached at this rate; None when not within the period (or
        never: nothing spent yet). Already over: the current time."""
        if self.over:
            return self.now
        rate = self.burn_per_hour
        if rate <= 0:
            return None
        hours_left = (self.limit - self.spent) / rate
        if self.elapsed_hours + hours_left > self.period_hours:
            return None
        return self.now + timedelta(hours=hours_left)


def _midnight(day: date, zone: Zone) -> datetime:
    moment = datetime.combine(day, time())
    return moment.replace(tzinfo=zone.tz) if zone.tz is not None else moment.astimezone()


def budget_status(
    entries: Iterable[Entry],
    budget: BudgetConfig,
    reports: ReportsConfig,
    zone: Zone,
    now: datetime | None = None,
) -> list[BudgetStatus]:
    """One status per configured limit, day before week before month, $ before tokens
    before credits."""
    now = now or datetime.now(zone.tz).astimezone(zone.tz)
    today = now.astimezone(zone.tz).date() if zone.tz is not None else now.astimezone().date()
    entries = list(entries)
    found = []
    for unit, prefix in PERIODS:
        limits = [("usd", getattr(budget, f"{prefix}_usd")), ("tokens", getattr(budget, f"{prefix}_tokens")),
                  ("credits", getattr(budget, f"{prefix}_credits", None))]
        if all(limit is None for _, limit in limits):
            continue
        spec = PeriodSpec.of(unit, reports)
        start = spec.start(today)
        end = spec.end(start)
        usage = timeline(entries, spec, zone, DayRange(start, today)).total
        began = _midnight(start, zone)
        ends = _midnight(end + timedelta(days=1), zone)
        elapsed = max(0.0, (now - began).total_seconds() / 3600)
        hours = (ends - began).total_seconds() / 3600
        for kind, limit in limits:
            if limit is None:
                continue
            if usage is None:
                spent, estimated, unpriced = 0.0, False, 0
            else:
                spent = {"usd": usage.cost_usd, "tokens": float(usage.tokens.total), "credits": usage.credits}[kind]
                estimated = usage.estimated
                unpriced = {"usd": usage.unpriced_sessions, "credits": usage.no_credit_sessions}.get(kind, 0)
            found.append(
                BudgetStatus(unit, kind, float(limit), spent, start, end, elapsed, hours, estimated, unpriced, now)
            )
    return found
