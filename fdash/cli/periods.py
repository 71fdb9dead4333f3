"""`fdash daily`, `weekly`, `monthly`: tokens and cost per period in the user's time zone
(the rules live in `fdash.core.timeline`, docs/TIME.md)."""

from __future__ import annotations

import argparse

from fdash.cli.context import Context
from fdash.cli.flags import add_range_flags
from fdash.core.models import GROUP_KEYS

UNITS = {"daily": "day", "weekly": "week", "monthly": "month"}


def register(command) -> None:
    for name, unit in UNITS.items():
        p = command(name, f"tokens and cost per {unit} in your time zone (docs/TIME.md)", periods)
        p.set_defaults(unit=unit)
        add_range_flags(p)
        p.add_argument("--by", choices=tuple(GROUP_KEYS), help="break each period down")
        if unit == "week":
            from fdash.core.config import WEEKDAYS

            p.add_argument("--week-start", choices=WEEKDAYS, metavar="DAY",
                           help="first day of a week (default: [reports] week_start, monday)")
        if unit == "month":
            p.add_argument("--month-start-day", type=_month_day, metavar="N",
                           help="day 1-28 a (billing) month starts (default: [reports] month_start_day, 1)")


def _month_day(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 28:
        raise argparse.ArgumentTypeError(f"expected a day from 1 to 28, got {text!r}")
    return int(text)


def periods(ctx: Context) -> int:
    """One row per day, week or (billing) month of the range, optionally broken down."""
    from fdash.core import export, timeline
    from fdash.core.config import WEEKDAYS

    args = ctx.args
    win = ctx.window()
    catalog = ctx.catalog()
    spec = timeline.PeriodSpec.of(args.unit, ctx.config.reports)
    if getattr(args, "week_start", None):
        spec = timeline.PeriodSpec(args.unit, WEEKDAYS.index(args.week_start), spec.month_start_day)
    if getattr(args, "month_start_day", None) is not None:
        spec = timeline.PeriodSpec(args.unit, spec.week_start, args.month_start_day)
    key = GROUP_KEYS[args.by] if args.by else None
    result = timeline.timeline(list(catalog.entries), spec, win.zone, win.days, key)
    if ctx.json:
        return ctx.print_json([export.period_record(p, args.by) for p in result.periods])
    from fdash.cli.views.periods import PeriodsView

    return ctx.show(PeriodsView(result, args.unit, win.zone.name, win.days.describe(), args.by))
