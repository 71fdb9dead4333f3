"""Times as fdash keeps them: ISO 8601 text ↔ epoch milliseconds (only 1970 to 3000),
and activity per quarter hour (`{quarter: messages}`, kept as "q:c,q:c" text)."""

from __future__ import annotations

from datetime import datetime, timezone

# Times fdash accepts: from 1970 to 3000. Others (`9999-12-31T23:59:59-14:00` is in the
# year 10000 in UTC; year 1 is before the first day of some zones) cannot be shown in
# every time zone; a session holding one is warned about and that time ignored.
MIN_MS = 0
MAX_MS = 32_503_680_000_000  # 3000-01-01T00:00:00Z


def in_range(ms: int) -> bool:
    return MIN_MS <= ms < MAX_MS


def iso_to_ms(value: object) -> int | None:
    """ISO 8601 text → epoch milliseconds (UTC), None when it is not a time or not
    between 1970 and 3000 (`is_out_of_range` tells the two apart)."""
    ms = _iso_to_ms(value)
    return ms if ms is not None and in_range(ms) else None


def is_out_of_range(value: object) -> bool:
    """Whether `value` is a valid ISO 8601 time outside the range fdash can show."""
    ms = _iso_to_ms(value)
    return ms is not None and not in_range(ms)


def _iso_to_ms(value: object) -> int | None:
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return None
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return int(moment.timestamp() * 1000)
    except (OverflowError, OSError, ValueError):
        return None


def ms_to_iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    moment = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


QUARTER_MS = 15 * 60 * 1000  # activity is kept per quarter hour: every time zone's day
# (whole, half and quarter-hour offsets) is a union of quarter hours


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


_HOURS: dict[bytes, int] = {}  # b"2026-07-28T18" → its first quarter hour (memo)


def quarter_of(stamp: bytes) -> int | None:
    """The quarter hour of a Droid timestamp (`2026-07-28T18:03:10.939Z`), cheaply: the
    hour is looked up (messages of a session share a few hours), only minutes parsed."""
    if len(stamp) >= 17 and stamp[-1:] == b"Z" and stamp[10:11] == b"T" and stamp[14:16].isdigit():
        hour = stamp[:13]
        base = _HOURS.get(hour)
        if base is None:
            try:
                days = _days_from_civil(int(stamp[0:4]), int(stamp[5:7]), int(stamp[8:10]))
                base = days * 96 + int(stamp[11:13]) * 4
            except ValueError:
                return None
            if not _MIN_QUARTER <= base < _MAX_QUARTER:
                return None
            if len(_HOURS) > 50_000:
                _HOURS.clear()
            _HOURS[hour] = base
        return base + int(stamp[14:16]) // 15
    ms = iso_to_ms(stamp.decode("ascii", "replace"))
    return None if ms is None else ms // QUARTER_MS


_MIN_QUARTER, _MAX_QUARTER = MIN_MS // QUARTER_MS, MAX_MS // QUARTER_MS


def encode_activity(activity: dict[int, int]) -> str:
    """`{quarter: count}` as compact text ("q:c,q:c"), the form sessions keep it in."""
    return ",".join(f"{q}:{c}" for q, c in sorted(activity.items()))


def decode_activity(text: str) -> dict[int, int]:
    if not text:
        return {}
    pairs = (item.split(":") for item in text.split(","))
    return {int(q): int(c) for q, c in pairs}
