"""Groups: per group projects, sessions, tokens, cost, cache hit ratio, and three
horizontal share bars (tokens, cost, active time) split by group."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from fdash import fmt
from fdash.core.aggregate import Bucket
from fdash.tui.controls import ListModel
from fdash.tui.richbridge import LineCache, render_lines
from fdash.tui.state import AppState
from fdash.tui.style import palette
from fdash.tui.views.common import plain

_cache = LineCache(8)


def _colors(state: AppState, buckets: list[Bucket]) -> dict[str, str]:
    """A color for each of the biggest groups; the rest share the last (grey) one."""
    series = palette(state.dark).series
    return {b.key: series[i] for i, b in enumerate(buckets[: len(series) - 1])}


def share_bar(
    label: str, values: list[tuple[str, float]], colors: dict[str, str], other: str, width: int
) -> Text:
    """One bar `width` cells wide, a colored segment per group (small groups merged)."""
    total = sum(v for _k, v in values)
    text = Text(f"{label:<12}", style="fd.dim")
    if total <= 0:
        return text + Text("no data", style="fd.dim")
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
            text.append("█" * (end - used), style=color)
            used = end
    return text


def renderable(state: AppState, width: int) -> RenderableType:
    buckets = state.fact("by_group")
    p = palette(state.dark)
    colors = _colors(state, buckets)
    totals = (
        sum(b.tokens.total for b in buckets) or 1,
        sum(b.cost_usd for b in buckets) or 1.0,
        sum(b.active_time_ms for b in buckets) or 1,
    )
    bar_width = max(10, width - 14)
    bars = [
        share_bar("Tokens", [(b.key, b.tokens.total) for b in buckets], colors, p.dim, bar_width),
        share_bar("Est. cost", [(b.key, b.cost_usd) for b in buckets], colors, p.dim, bar_width),
        share_bar(
            "Active time", [(b.key, b.active_time_ms) for b in buckets], colors, p.dim, bar_width
        ),
    ]
    table = Table(box=None, padding=(0, 1), header_style="fd.header", show_edge=False, expand=False)
    for name, justify in (
        ("", "left"),
        ("Group", "left"),
        ("Projects", "right"),
        ("Sessions", "right"),
        ("Tokens", "right"),
        ("Est. cost", "right"),
        ("Cache hit", "right"),
        ("Active time", "right"),
        ("Tokens %", "right"),
        ("Cost %", "right"),
        ("Time %", "right"),
    ):
        table.add_column(
            name,
            justify=justify,
            no_wrap=True,
            overflow="ellipsis",
            max_width=28 if name == "Group" else None,
        )
    for b in buckets:
        cost = Text(fmt.money(b.cost_usd))
        if b.unpriced_sessions:
            cost.append(f" +{b.unpriced_sessions} unpriced", style="fd.warn")
        table.add_row(
            Text("■", style=colors.get(b.key, p.dim)),
            Text(plain(b.key)),
            fmt.exact(b.projects),
            fmt.exact(b.sessions),
            fmt.tokens(b.tokens.total),
            cost,
            fmt.percent(b.tokens.cache_hit_ratio),
            fmt.duration(b.active_time_ms),
            fmt.percent(b.tokens.total / totals[0]),
            fmt.percent(b.cost_usd / totals[1]),
            fmt.percent(b.active_time_ms / totals[2]),
        )
    legend = Text("Cache hit = cache read / (cache read + cache write)", style="fd.dim")
    if len(buckets) > len(colors):
        legend.append(f" · grey: {len(buckets) - len(colors)} smaller groups", style="fd.dim")
    title = Text(f"Groups ({len(buckets)}) — share of the total", style="fd.header")
    return Group(title, *bars, Text(""), table, Text(""), legend)


def model(state: AppState, width: int) -> ListModel:
    key = (state.data_version, width, state.dark)
    lines = _cache.get(
        key, lambda: render_lines(renderable(state, width - 1), width - 1, state.dark)
    )
    return ListModel(
        len(lines),
        lambda i, _w: [("", " ")] + lines[i],
        state.groups_scroll,
        on_scroll=state.groups_scroll.by,
    )
