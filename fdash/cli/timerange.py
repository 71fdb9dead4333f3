"""The days a report covers: `--since`, `--until` and `--tz`. The rules live in
`fdash.core.timeline` (docs/TIME.md); nothing here imports a UI library.
"""

from __future__ import annotations

from attrs import frozen


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


def restrict(entries: list, win: Window | None, whole: bool):
    """(entries, TimeScope or None) of the days of `win`: the whole sessions active in
    them when `whole` (`sessions`, `export`), else the part of their tokens attributed to
    them (the other reports)."""
    if win is None or not win.days.bounded:
        return entries, None
    from fdash.core import timeline

    if whole:
        return timeline.active(entries, win.zone, win.days), TimeScope(win, False, whole=True)
    kept, estimated = timeline.within(entries, win.zone, win.days)
    return kept, TimeScope(win, estimated)
