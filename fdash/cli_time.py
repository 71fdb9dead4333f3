"""The command line's time options: `daily` / `weekly` / `monthly`, and `--since`,
`--until`, `--tz` on the other reports. The rules live in `fdash.core.timeline`
(docs/TIME.md); `--json` output imports no UI library.
"""

from __future__ import annotations

import argparse

from attrs import frozen

PERIOD_COMMANDS = {"daily": "day", "weekly": "week", "monthly": "month"}
BY_CHOICES = ("model", "project", "group")
_BY = {
    "model": lambda e: e.model,
    "project": lambda e: e.session.project,
    "group": lambda e: e.group,
}


def add_range_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DAY",
                        help="from this local day: YYYY-MM-DD, today, yesterday, 7d, 2w, 3m")
    parser.add_argument("--until", metavar="DAY", help="up to this local day, included")
    parser.add_argument("--tz", metavar="ZONE",
                        help="IANA time zone for days (default: [reports] timezone, else local)")


def add_commands(command) -> None:
    """daily / weekly / monthly, made by the CLI's `command(name, help)` factory."""
    for name, unit in PERIOD_COMMANDS.items():
        p = command(name, f"tokens and cost per {unit} in your time zone (docs/TIME.md)")
        add_range_flags(p)
        p.add_argument("--by", choices=BY_CHOICES, help="break each period down")
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


@frozen
class Window:
    zone: object  # fdash.core.timeline.Zone
    days: object  # fdash.core.timeline.DayRange


def window(args, config) -> Window:
    """The zone and day range asked for; TimeError (one line) for a bad value."""
    from fdash.core import timeline

    name = getattr(args, "tz", None)
    zone = timeline.zone(name if name is not None else config.reports.timezone)
    since, until = getattr(args, "since", None), getattr(args, "until", None)
    today = zone.today() if since is not None or until is not None else None
    return Window(zone, timeline.day_range(since, until, today))


@frozen
class TimeScope:
    """What a --since/--until report covers, for its title, a note under it, or JSON."""

    window: Window
    estimated: bool
    whole: bool = False  # sessions and export: whole sessions, not their part in the range

    def label(self) -> str:
        mark = ", tokens partly estimated" if self.estimated else ""
        return f"{self.window.days.describe()} {self.window.zone.name}{mark}"

    def note(self) -> str:
        where = f"{self.window.days.describe()} ({self.window.zone.name}): sessions active in the range"
        if self.whole:
            return f"{where}, whole (docs/TIME.md)."
        split = ("; estimated: some sessions also active outside it are split by their assistant "
                 "messages per day") if self.estimated else ""
        return f"{where}, with the tokens and cost attributed to it{split} (docs/TIME.md)."

    def record(self) -> dict:
        days = self.window.days
        return {
            "since": days.since.isoformat() if days.since else None,
            "until": days.until.isoformat() if days.until else None,
            "tz": self.window.zone.name,
            "estimated": self.estimated,
        }


def restrict(command: str, entries: list, win: Window):
    """(entries, TimeScope or None): `sessions` and `export` keep the whole sessions active
    in the range; the other reports keep the part of their tokens attributed to it."""
    if win is None or not win.days.bounded:
        return entries, None
    from fdash.core import timeline

    if command in ("sessions", "export"):
        return timeline.active(entries, win.zone, win.days), TimeScope(win, False, whole=True)
    kept, estimated = timeline.within(entries, win.zone, win.days)
    return kept, TimeScope(win, estimated)


def periods(command: str, entries: list, args, config, win: Window, demo: bool):
    """The `daily` / `weekly` / `monthly` report: a list of records for --json, else a
    Rich renderable."""
    from fdash.core import export, timeline
    from fdash.core.config import WEEKDAYS

    unit = PERIOD_COMMANDS[command]
    spec = timeline.PeriodSpec.of(unit, config.reports)
    if getattr(args, "week_start", None):
        spec = timeline.PeriodSpec(unit, WEEKDAYS.index(args.week_start), spec.month_start_day)
    if getattr(args, "month_start_day", None) is not None:
        spec = timeline.PeriodSpec(unit, spec.week_start, args.month_start_day)
    result = timeline.timeline(entries, spec, win.zone, win.days, _BY[args.by] if args.by else None)
    if args.json:
        return [export.period_record(p, args.by) for p in result.periods]
    from fdash import report

    return report.PeriodsView(result, unit, win.zone.name, win.days.describe(), args.by, demo)
