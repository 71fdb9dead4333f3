"""Filler text: big pre-generated pools of code and log lines, sliced cheaply.

Tool outputs (the bulk of a transcript's bytes) are slices of these pools, so a
100 KB transcript costs a string slice rather than 100 KB of random choices.
"""

from __future__ import annotations

import random
import re

from .primitives import B64, dumps_compact, rand_str
from .vocabulary import CODE_LINES, LOG_LINES, fill


class TextPools:
    """Pre-generated text pools (built once per process, independent of seed)."""

    SIZE = 1 << 20

    def __init__(self) -> None:
        rng = random.Random("fdash-generator-pools-v1")
        self.pools = {"code": self._build(rng, CODE_LINES), "log": self._build(rng, LOG_LINES)}
        self.doubled = {k: v + v for k, v in self.pools.items()}
        self.starts = {
            k: [0] + [m.end() for m in re.finditer("\n", v)] for k, v in self.pools.items()
        }
        # bytes per character once JSON-escaped and UTF-8 encoded
        self.ratio = {
            k: len(dumps_compact(v).encode("utf-8")) / len(v) for k, v in self.pools.items()
        }
        self.b64 = rand_str(rng, B64, 1 << 17)
        # lines for the injected tool / skill lists
        self.tool_lines = [
            f"{fill('{Fn}', rng)}: {fill('Use to {fn} the {a} of a {w}', rng)} "
            f"(params: {fill('{a}* (string), {b} (number)', rng)})"
            for _ in range(200)
        ]
        self.skill_lines = [
            f"{fill('{a}-{w}', rng)}: {fill('Helps with {feature} for the {mod} module.', rng)}"
            for _ in range(100)
        ]

    def _build(self, rng: random.Random, templates: tuple[str, ...]) -> str:
        distinct = [fill(rng.choice(templates), rng) for _ in range(3000)]
        lines = rng.choices(distinct, k=self.SIZE // 30)
        while sum(map(len, lines)) + len(lines) < self.SIZE:
            lines += rng.choices(distinct, k=1000)
        return "\n".join(lines)[: self.SIZE]

    def text(self, style: str, nchars: int, rng: random.Random) -> str:
        """`nchars` characters of `style` text starting at a random line."""
        pool = self.pools[style]
        starts = self.starts[style]
        start = starts[rng.randrange(len(starts))]
        if nchars <= len(pool):
            return self.doubled[style][start : start + nchars]
        reps = nchars // len(pool) + 2
        return (pool * reps)[start : start + nchars]

    def base64(self, rng: random.Random, n: int) -> str:
        start = rng.randrange(len(self.b64) - n) if n < len(self.b64) else 0
        return self.b64[start : start + n]


_POOLS: TextPools | None = None


def pools() -> TextPools:
    global _POOLS
    if _POOLS is None:
        _POOLS = TextPools()
    return _POOLS
