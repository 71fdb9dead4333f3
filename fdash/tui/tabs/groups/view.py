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
HEADERS = ("", "Group", "Projects", "Sessions", "Tokens", "Est. cost", "Credits", "Cache hit",
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
        fmt.credits(b.credits) + (f" +{b.no_credit_sessions}" if b.no_credit_sessions else ""),
        fmt.percent(b.tokens.cache_hit_ratio),
        fmt.duration(b.active_time_ms),
        fmt.percent(b.tokens.total / totals[0]),
        fmt.percent(b.cost_usd / totals[1]),
        fmt.percent(b.active_time_ms / totals[2]),
    ]


def _totals(buckets: list[Bucket]) -> tuple[float, float, float]:
    return (
        sum(b.tokens.total for b in buckets) or 1,
        sum(b.cost_usd for b in buckets) or 1.0,
        sum(b.active_time_ms for b in buckets) or 1,
    )


def bars(state: AppState, width: int) -> list[list]:
    """The title and one share bar per measure (tokens, cost, active time)."""
    buckets = state.data.by_group
    dark = state.dark
    styles = theme_styles(dark)
    colors = _colors(state, buckets)
    bar_width = max(10, width - 14)
    out = [fragments([(f"Groups ({len(buckets)}) — share of the total", "fd.header")], dark)]
    for label, value in (
        ("Tokens", lambda b: b.tokens.total),
        ("Est. cost", lambda b: b.cost_usd),
        ("Active time", lambda b: b.active_time_ms),
    ):
        values = [(b.key, value(b)) for b in buckets]
        out.append(share_bar(label, values, colors, palette(dark).dim, bar_width, styles))
    return out


BAR_LINES = 5  # the title, three bars, a blank line


def table(state: AppState, width: int) -> tuple[list, list[list]]:
    """The table's header and one line per group. Columns that do not fit are left out
    from the right (the shares first), never cut inside a number."""
    buckets = state.data.by_group
    dark = state.dark
    styles = theme_styles(dark)
    colors = _colors(state, buckets)
    totals = _totals(buckets)
    rows = [_cells(b, totals) for b in buckets]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(HEADERS)]
    widths[1] = min(widths[1], GROUP_WIDTH)
    count = len(HEADERS)
    while count > 3 and sum(widths[:count]) + count - 1 > width:
        count -= 1
    widths[1] = max(6, min(widths[1], width - sum(widths[2:count]) - count))
    header = fragments([(fixed(h, w, "left" if i < 2 else "right"), "fd.header")
                        for i, (h, w) in enumerate(zip(HEADERS[:count], widths))], dark)
    lines = []
    for b, row in zip(buckets, rows):
        line = [(colors.get(b.key, palette(dark).dim), "■")]
        for i in range(1, count):
            text = fixed(row[i], widths[i], "left" if i < 2 else "right")
            style = styles["fd.warn"] if i == 5 and b.unpriced_sessions else ""
            line += [("", " "), (style, text)]
        lines.append(line)
    return header, lines


def legend(state: AppState, width: int) -> list:
    buckets = state.data.by_group
    colors = _colors(state, buckets)
    text = "Enter: a group's sessions · Cache hit = cache read / (cache read + input)"
    rest = len(buckets) - len(colors)
    if rest > 0:
        text += f" · grey: {rest} smaller group" + ("s" if rest > 1 else "")
    return fragments([(text, "fd.dim")], state.dark)


def bars_model(state: AppState, width: int) -> ListModel:
    key = ("bars", state.data.serial, width, state.dark)
    found = _cache.get(key, lambda: [*bars(state, width - 1), []])
    return ListModel(len(found), lambda i, _w: [("", " ")] + found[i], state.tabs.groups.scroll)


def header(state: AppState, width: int) -> list:
    head, _lines = _cache.get(("table", state.data.serial, width, state.dark),
                              lambda: table(state, width - 1))
    return [("", " ")] + head


def model(state: AppState, width: int) -> ListModel:
    groups = state.tabs.groups
    _head, lines = _cache.get(("table", state.data.serial, width, state.dark),
                              lambda: table(state, width - 1))
    return ListModel(
        len(lines),
        lambda i, _w: [("", " ")] + lines[i],
        groups.cursor,
        on_click=groups.select,
        on_scroll=groups.move,
    )
