"""Overview: totals, token breakdown, activity heatmap, top projects."""

from __future__ import annotations

from datetime import date, timedelta

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from fdash import fmt
from fdash.core.models import TOKEN_KINDS
from fdash.tui.controls import ListModel
from fdash.tui.richbridge import LineCache, render_lines
from fdash.tui.state import AppState
from fdash.tui.style import palette
from fdash.tui.views.common import bar, short_path

TOKEN_LABELS = {
    "input": "Input",
    "output": "Output",
    "cache_write": "Cache write",
    "cache_read": "Cache read",
    "thinking": "Thinking",
}
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HEAT_CHAR = "■"
TOP_PROJECTS = 8
_cache = LineCache(8)


def summary(state: AppState) -> Text:
    t = state.fact("totals")
    text = Text()
    for label, value in (
        ("Sessions", fmt.exact(t.sessions)),
        ("Projects", fmt.exact(t.projects)),
        ("Groups", fmt.exact(t.groups)),
        ("Active time", fmt.duration(t.active_time_ms)),
    ):
        text.append(f"{label} ", style="fd.dim")
        text.append(value + "   ", style="fd.title")
    text.append("Est. cost ", style="fd.dim")
    text.append(fmt.money(t.cost_usd), style="fd.title")
    if t.unpriced_sessions:
        noun = "session" if t.unpriced_sessions == 1 else "sessions"
        text.append(f"  ({fmt.exact(t.unpriced_sessions)} {noun} unpriced)", style="fd.warn")
    return text


def tokens_table(state: AppState, width: int) -> Table:
    t = state.fact("totals").tokens
    colors = palette(state.dark).tokens
    total = t.total or 1
    biggest = max(getattr(t, k) for k in TOKEN_KINDS) or 1
    bar_width = max(8, min(40, width - 36))
    table = Table.grid(padding=(0, 1))
    table.add_column()
    table.add_column(justify="right")
    table.add_column(justify="right")
    table.add_column()
    for kind, color in zip(TOKEN_KINDS, colors):
        n = getattr(t, kind)
        table.add_row(
            Text(TOKEN_LABELS[kind]),
            Text(fmt.tokens(n)),
            Text(fmt.percent(n / total), style="fd.dim"),
            bar(n / biggest, bar_width, style=color),
        )
    table.add_row(
        Text("Total", style="fd.title"), Text(fmt.tokens(t.total), style="fd.title"), "", ""
    )
    return table


def heatmap(state: AppState, width: int, today: date | None = None) -> RenderableType:
    """Sessions per day: weeks as columns (oldest left), Monday..Sunday as rows."""
    per_day = state.fact("per_day")
    weeks = state.config.display.heatmap_weeks
    fitting = max(1, (width - 5) // 2)
    shown = min(weeks, fitting)
    today = today or state.today or date.today()
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=shown - 1)
    days = [first + timedelta(days=i) for i in range(shown * 7)]
    counts = [per_day.get(d, 0) if d <= today else -1 for d in days]
    peak = max([c for c in counts if c > 0] or [0])
    heat = palette(state.dark).heat

    def level(count: int) -> int:
        if count <= 0 or not peak:
            return 0
        return min(4, 1 + (count - 1) * 4 // peak) if peak > 1 else 4

    label = [" "] * (shown * 2 + 3)
    free_from = 0
    for w in range(shown):
        week = days[w * 7 : w * 7 + 7]
        first_of_month = next((d for d in week if d.day == 1), None)
        if first_of_month is not None and w * 2 >= free_from:
            name = first_of_month.strftime("%b")
            label[w * 2 : w * 2 + len(name)] = name
            free_from = w * 2 + len(name) + 1
    months = Text("     " + "".join(label).rstrip(), style="fd.dim")
    lines = [months]
    for weekday in range(7):
        line = Text(f"{DAY_NAMES[weekday]}  ", style="fd.dim")
        for w in range(shown):
            count = counts[w * 7 + weekday]
            if count < 0:
                line.append("  ")
            else:
                line.append(HEAT_CHAR + " ", style=heat[level(count)])
        lines.append(line)
    legend = Text("     Less ", style="fd.dim")
    for color in heat:
        legend.append(HEAT_CHAR + " ", style=color)
    legend.append("More", style="fd.dim")
    legend.append(
        f"   max {peak}/day · {sum(c for c in counts if c > 0):,} sessions in {shown} weeks",
        style="fd.dim",
    )
    if shown < weeks:
        legend.append(f" (of {weeks}; widen the window for more)", style="fd.dim")
    return Group(
        Text(f"Activity — sessions per day, last {shown} weeks", style="fd.header"), *lines, legend
    )


def top_projects(state: AppState, width: int) -> Table:
    buckets = state.fact("by_project")[:TOP_PROJECTS]
    biggest = max([b.tokens.total for b in buckets] or [0]) or 1
    name_width = max(10, min(40, width - 32))
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(justify="right")
    table.add_column()
    color = palette(state.dark).accent
    for b in buckets:
        table.add_row(
            Text(short_path(b.key, name_width)),
            Text(fmt.tokens(b.tokens.total)),
            bar(b.tokens.total / biggest, max(6, min(24, width - name_width - 12)), style=color),
        )
    if not buckets:
        table.add_row(Text("no sessions", style="fd.dim"), "", "")
    return table


def renderable(state: AppState, width: int) -> RenderableType:
    parts: list[RenderableType] = [summary(state), Text("")]
    if state.demo:
        parts.insert(0, Text(" DEMO DATA — generated sessions, not your history ", style="fd.demo"))
    warnings = state.warning_count
    if warnings:
        parts.insert(
            1 if state.demo else 0,
            Text(
                f"⚠ {warnings:,} warnings about unreadable data — press w to list them",
                style="fd.warn",
            ),
        )
    tokens = Group(Text("Tokens", style="fd.header"), tokens_table(state, min(width, 80)))
    projects = Group(
        Text("Top projects by tokens", style="fd.header"), top_projects(state, min(width, 80))
    )
    if width >= 120:
        left = max(60, width // 2 - 2)
        grid = Table.grid(padding=(0, 3))
        grid.add_column(width=left)
        grid.add_column()
        tokens = Group(Text("Tokens", style="fd.header"), tokens_table(state, left))
        grid.add_row(tokens, heatmap(state, width - left - 3))
        parts += [grid, Text(""), projects]
    else:
        parts += [tokens, Text(""), heatmap(state, width), Text(""), projects]
    return Group(*parts)


def model(state: AppState, width: int) -> ListModel:
    key = (
        state.data_version,
        width,
        state.dark,
        state.config.display.heatmap_weeks,
        state.demo,
        state.warning_count,
        state.today or date.today(),
    )
    lines = _cache.get(
        key, lambda: render_lines(renderable(state, width - 1), width - 1, state.dark)
    )
    return ListModel(
        len(lines),
        lambda i, _w: [("", " ")] + lines[i],
        state.overview_scroll,
        on_scroll=state.overview_scroll.by,
    )
