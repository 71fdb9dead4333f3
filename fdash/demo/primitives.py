"""Shared primitives: time units, droid's timestamp format, seeded ids and random picks.

Everything random takes an explicit `random.Random`: the generator never reads the
clock or the global random state, so the same seed and arguments give the same bytes.
"""

from __future__ import annotations

import json
import math
import random
import time
import uuid
from datetime import datetime, timezone
from typing import Any

DEFAULT_NOW = "2026-11-20T12:00:00Z"  # the generator's "now" unless told otherwise
SEC_MS = 1000
MIN_MS = 60 * SEC_MS
HOUR_MS = 60 * MIN_MS
DAY_MS = 24 * HOUR_MS


# JSON as droid writes a transcript line: no spaces, non-ASCII kept as is.
dumps_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def iso_ms(ms: int) -> str:
    """Epoch milliseconds -> '2026-07-28T18:03:10.939Z' (droid's format)."""
    secs, msec = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + f".{msec:03d}Z"


def parse_now(text: str | None) -> datetime:
    dt = datetime.fromisoformat((text or DEFAULT_NOW).replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def new_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def rand_str(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choices(alphabet, k=n))


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"
B64 = ALNUM + "-_"


def quarter(x: float) -> int | float:
    """Round to 0.25 (exact in binary, so sums stay exact); whole numbers as int."""
    q = math.floor(x * 4 + 0.5) / 4
    return int(q) if q == int(q) else q


def weighted(rng: random.Random, pairs: list[tuple[Any, float]]) -> Any:
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights)[0]
