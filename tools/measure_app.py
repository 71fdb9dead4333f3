"""Measure the full-screen app headlessly (tests/tui/harness.py): time to the first frame, to the loaded data,
and from a key press to the end of its repaint. For benchmarks (tools/bench.py), not tests.

    from measure_app import measure          # with tools/ on sys.path (tools/bench.py)
    result = measure("/tmp/gen10k")              # a dict, see `measure`
    print(result["first_frame_ms"], result["key_ms"]["median"])

Loading uses the persistent index like `fdash` does: run it twice (or once with
`warm=True`) for warm numbers.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: tests.tui.harness

from fdash.core.catalog import load_catalog  # noqa: E402
from fdash.core.config import Config, LoadedConfig  # noqa: E402
from fdash.core.source import Source  # noqa: E402
from fdash.tui.state import AppState  # noqa: E402
from tests.tui.harness import Headless  # noqa: E402

# Switch to Sessions, walk, page, sort, group, filter, hide empty, other tabs, and back.
DEFAULT_KEYS: tuple[str, ...] = (
    "4", *["j"] * 10, "pagedown", "pagedown", "pageup", "end", "home",
    "s", "s", "s", "o", "g", "g", "g", "g", "h", "h",
    "3", "j", "t", "t", "1", "2", "5", "6", "j", "4", *["k"] * 5,
)
# The newer parts: the Activity tab and its toggles, a search typed and opened, sub-agents
# folded and unfolded. (The Activity tab's timelines are computed piece by piece while
# these keys are timed.)
FEATURE_KEYS: tuple[str, ...] = (
    "7", "left", "left", "right", "m", "p", "p", "p", "m", "1",
    "/", *"add tests", "enter", "j", "j", "enter", "a", "j", "a", "1",
)
KEY_SETS = {"default": DEFAULT_KEYS, "features": FEATURE_KEYS, "all": DEFAULT_KEYS + FEATURE_KEYS}


def _stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {"count": 0}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "count": len(values),
        "median": round(statistics.median(values), 2),
        "p95": round(p95, 2),
        "max": round(max(values), 2),
        "mean": round(statistics.fmean(values), 2),
    }


def measure(
    root: str | os.PathLike[str],
    *,
    keys: Sequence[str] = DEFAULT_KEYS,
    columns: int = 140,
    rows: int = 45,
    config: LoadedConfig | None = None,
    use_index: bool = True,
    warm: bool = True,
    settle_s: float = 0.12,
) -> dict:
    """Run the app on `root` with no terminal and time it.

    Returns ``{"sessions", "first_frame_ms", "loaded_ms", "key_ms": {count, median, p95,
    max, mean}, "per_key": [(key, ms), ...], "size": "140x45"}``. `first_frame_ms` is from
    building the app (modules already imported) to the end of its first render;
    `loaded_ms` to the end of the first render showing the data. Each key's latency is from
    writing it to the input pipe to the end of the first render that started after it was
    handled; between keys the app is left to go quiet (`settle_s`) so background redraws
    (the prompt panel's lazy read) are not counted against the next key. `warm=True`
    reads the folder once first, so the index is up to date.
    """
    loaded = config or LoadedConfig(Config(), None)
    if warm:
        load_catalog(root, loaded.config, use_index=use_index)
    state = AppState(loaded, Source(root), use_index=use_index)
    per_key: list[tuple[str, float]] = []
    harness = Headless(state, columns=columns, rows=rows)
    harness.start()
    try:
        if harness.wait_render(0, timeout=10) is None:
            raise RuntimeError(f"the app drew nothing: {harness.error!r}")
        first = harness.spans[0][1] - harness.started_at
        if not harness.wait_until(lambda: state.catalog is not None and not state.loader.loading, 300):
            raise RuntimeError("the sessions did not load")
        loaded_at = harness.wait_render(_render_after(harness, state.loader.done_at))
        harness.settle(settle_s)
        for key in keys:
            latency = harness.key_latency(key)
            if latency is not None:
                per_key.append((key, round(latency * 1000, 2)))
            harness.settle(settle_s)
    finally:
        harness.stop()
    return {
        "sessions": len(state.entries),
        "size": f"{columns}x{rows}",
        "first_frame_ms": round(first * 1000, 1),
        "loaded_ms": round(((loaded_at or time.perf_counter()) - harness.started_at) * 1000, 1),
        "key_ms": _stats([ms for _key, ms in per_key]),
        "per_key": per_key,
    }


def _render_after(harness: Headless, moment: float) -> int:
    """The number of renders that began before `moment` (the next one shows the data)."""
    return sum(1 for start, _end in harness.spans if start < moment)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(description="time the fdash app headlessly")
    parser.add_argument("root")
    parser.add_argument("--size", default="140x45")
    parser.add_argument("--no-index", action="store_true")
    parser.add_argument("--keys", choices=sorted(KEY_SETS), default="default")
    args = parser.parse_args(argv)
    columns, rows = (int(n) for n in args.size.split("x"))
    result = measure(
        args.root, keys=KEY_SETS[args.keys], columns=columns, rows=rows, use_index=not args.no_index
    )
    result.pop("per_key")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
