"""Numbers, money, times and dates as people read them (shared by CLI and TUI)."""

from __future__ import annotations

from datetime import datetime, timezone


def tokens(n: int) -> str:
    """1234 → 1.2K, 5_600_000 → 5.6M (exact below 1,000)."""
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(n) >= limit:
            return f"{n / limit:.1f}{suffix}"
    return str(n)


def exact(n: int) -> str:
    return f"{n:,}"


def money(usd: float | None) -> str:
    if usd is None:
        return "unpriced"
    if usd >= 1000:
        return f"${usd:,.0f}"
    if usd >= 0.995 or usd == 0:
        return f"${usd:,.2f}"
    return f"${usd:.3f}"


def credits(value: float | None) -> str:
    """Factory Standard Credits as droid records them (whole or fractional): 1,234 /
    12.5 / 1.2M; "–" when none were recorded."""
    if value is None:
        return "–"
    if abs(value) >= 1e6:
        return tokens(int(value))
    return f"{value:,.0f}" if value == int(value) or abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def amount(value: float, unit: str) -> str:
    """A budget amount: dollars (unit "usd"), credits ("1,200 credits") or tokens ("1.2M tokens")."""
    if unit == "usd":
        return money(value)
    if unit == "credits":
        return f"{credits(value)} credits"
    return f"{tokens(int(value))} tokens"


def duration(ms: int) -> str:
    seconds = int(ms // 1000)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:  # one unit rule: 2d 3h, never 43h 11m
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h"


def when(ms: int | None, with_time: bool = True, tz=None) -> str:
    """Local date (and time) of an epoch-ms moment (in `tz`, a tzinfo, when given); "—"
    when unknown."""
    if ms is None:
        return "—"
    moment = datetime.fromtimestamp(ms / 1000, tz=timezone.utc).astimezone(tz)
    return moment.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.0f}%"
