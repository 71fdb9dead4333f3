"""Groups: per group projects, sessions, tokens, cost, cache hit ratio, and three
horizontal share bars (tokens, cost, active time) split by group.

Built as prompt_toolkit fragments with column widths measured from the cells (no Rich
table: a first visit costs a twentieth of one; docs/PERFORMANCE.md).
"""

from __future__ import annotations

from fdash import fmt
from fdash.core.aggregate import Bucket
from fdash.core.text import one_line
from fdash.tui.controls import ListModel
from fdash.tui.richbridge import LineCache, fragments, theme_styles
from fdash.tui.state import AppState
from fdash.tui.style import palette
from fdash.tui.widgets import fixed

_cache = LineCache(8)
GROUP_WIDTH = 28
HEADERS = ("", "Group", "Projects", "Sessions", "Tokens", "Est. cost", "Cache hit",
           "Active time", "Tokens %", "Cost %", "Time %")


def _colors(state: AppState, buckets: list[Bucket]) -> dict[str, str]:
    """A color for each of the biggest groups; the rest share the last (grey) one."""
    series = palette(state.dark).series
    return {b.key: series[i] for i, b in enumerate(buckets[: len(series) - 1])}


def share_bar(
    label: str, values: list[tuple[str, float]], colors: dict[str, str], other: str, width: int,
    styles: dict[str, str],
) -> list:
    """One bar `width` cells wide, a colored segment per group (small groups merged)."""
    total = sum(v for _k, v in values)
    line = [(styles["fd.dim"], f"{label:<12}")]
    if total <= 0:
        return [*line, (styles["fd.dim"], "no data")]
    segments: list[tuple[str, float]] = []
    rest = 0.0
    for key, value in values:
        if key in colors:
            segments.append((colors[key], value))
        else:
            rest += value
    if rest:
        segments.append((other, rest))
    used, acc = 0, 0.0
    for color, value in segments:
        acc += value
        end = round(acc / total * width)
        if end > used:
            line.append((color, "█" * (end - used)))
            used = end
    return line


def _cells(b: Bucket, totals: tuple[float, float, float]) -> list[str]:
    cost = fmt.money(b.cost_usd) + (
        f" +{b.unpriced_sessions} unpriced" if b.unpriced_sessions else ""
    )
    return [
        "■",
        one_line(b.key),
        fmt.exact(b.projects),
        fmt.exact(b.sessions),
        fmt.tokens(b.tokens.total),
        cost,
        fmt.percent(b.tokens.cache_hit_ratio),
        fmt.duration(b.active_time_ms),
        fmt.percent(b.tokens.total / totals[0]),
        fmt.percent(b.cost_usd / totals[1]),
        fmt.percent(b.active_time_ms / totals[2]),
    ]


def lines(state: AppState, width: int) -> list[list]:
    buckets = state.data.by_group
    dark = state.dark
    p = palette(dark)
    styles = theme_styles(dark)
    colors = _colors(state, buckets)
    totals = (
        sum(b.tokens.total for b in buckets) or 1,
        sum(b.cost_usd for b in buckets) or 1.0,
        sum(b.active_time_ms for b in buckets) or 1,
    )
    bar_width = max(10, width - 14)
    out = [fragments([(f"Groups ({len(buckets)}) — share of the total", "fd.header")], dark)]
    for label, value in (
        ("Tokens", lambda b: b.tokens.total),
        ("Est. cost", lambda b: b.cost_usd),
        ("Active time", lambda b: b.active_time_ms),
    ):
        values = [(b.key, value(b)) for b in buckets]
        out.append(share_bar(label, values, colors, p.dim, bar_width, styles))
    out.append([])
    rows = [_cells(b, totals) for b in buckets]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(HEADERS)]
    widths[1] = min(widths[1], GROUP_WIDTH)
    out.append(fragments([(fixed(h, w, "left" if i < 2 else "right"), "fd.header")
                          for i, (h, w) in enumerate(zip(HEADERS, widths))], dark))
    for b, row in zip(buckets, rows):
        line = [(colors.get(b.key, p.dim), "■")]
        for i in range(1, len(row)):
            text = fixed(row[i], widths[i], "left" if i < 2 else "right")
            style = styles["fd.warn"] if i == 5 and b.unpriced_sessions else ""
            line += [("", " "), (style, text)]
        out.append(line)
    out.append([])
    legend = "Cache hit = cache read / (cache read + cache write)"
    if len(buckets) > len(colors):
        legend += f" · grey: {len(buckets) - len(colors)} smaller groups"
    out.append(fragments([(legend, "fd.dim")], dark))
    return out


def model(state: AppState, width: int) -> ListModel:
    key = (state.data.serial, width, state.dark)
    found = _cache.get(key, lambda: lines(state, width - 1))
    return ListModel(
        len(found),
        lambda i, _w: [("", " ")] + found[i],
        state.tabs.groups.scroll,
        on_scroll=state.tabs.groups.scroll.by,
    )
