"""Overview: totals, the budget (when `[budget]` sets limits), token breakdown, activity
heatmap (days in the report time zone), top projects."""

from __future__ import annotations

from datetime import date, timedelta

from attrs import evolve
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from fdash import fmt
from fdash.core.budget import PERIOD_NAMES, BudgetStatus, budget_status
from fdash.core.config import ReportsConfig
from fdash.core.models import TOKEN_KINDS, TOKEN_LABELS
from fdash.core.text import one_line
from fdash.core.timeline import PeriodSpec, Zone, timeline
from fdash.tui.controls import ListModel
from fdash.tui.deferred import Failed
from fdash.tui.richbridge import LineCache, render_lines
from fdash.tui.state import AppState
from fdash.tui.style import palette
from fdash.tui.tabs.activity.state import active_since, chunks
from fdash.tui.widgets import bar, flow, short_path

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HEAT_CHAR = "■"
TOP_PROJECTS = 8
PICKED = "▸ "  # the top project Enter opens
_cache = LineCache(8)


def _item(label: str, value: str, note: str = "", note_style: str = "fd.dim") -> Text:
    text = Text(f"{label} ", style="fd.dim")
    text.append(value, style="fd.title")
    if note:
        text.append(f"  ({note})", style=note_style)
    return text


def summary(state: AppState, width: int = 200) -> Text:
    """Sessions, projects, groups, active time, cost and credits, wrapped between items."""
    t = state.data.totals
    unpriced = ""
    if t.unpriced_sessions:
        noun = "session" if t.unpriced_sessions == 1 else "sessions"
        unpriced = f"{fmt.exact(t.unpriced_sessions)} {noun} unpriced"
    no_credits = f"{fmt.exact(t.no_credit_sessions)} without a record" if t.no_credit_sessions else ""
    return flow(
        [
            _item("Sessions", fmt.exact(t.sessions)),
            _item("Projects", fmt.exact(t.projects)),
            _item("Groups", fmt.exact(t.groups)),
            _item("Active time", fmt.duration(t.active_time_ms)),
            _item("Est. cost", fmt.money(t.cost_usd), unpriced, "fd.warn"),
            # Factory Standard Credits, their own unit
            _item("Credits", fmt.credits(t.credits), no_credits),
        ],
        width,
    )


def tokens_table(state: AppState, width: int) -> Table:
    t = state.data.totals.tokens
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
            Text("  of which thinking" if kind == "thinking" else TOKEN_LABELS[kind]),  # inside output
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
    per_day = state.data.per_day(state.zone)
    weeks = state.config.display.heatmap_weeks
    fitting = max(1, (width - 5) // 2)
    shown = min(weeks, fitting)
    today = today or state.window_end()
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
    title = f"Activity — sessions per day, last {shown} weeks ({one_line(state.zone.name)})"
    if today != state.today():
        title = (f"Activity — nothing in the last {weeks} weeks, last activity {today} "
                 f"({one_line(state.zone.name)})")
    return Group(Text(title, style="fd.header"), *lines, legend)


def top_projects(state: AppState, width: int) -> Table:
    buckets = state.data.by_project[:TOP_PROJECTS]
    biggest = max([b.tokens.total for b in buckets] or [0]) or 1
    name_width = max(10, min(40, width - 32))
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(justify="right")
    table.add_column()
    color = palette(state.dark).accent
    pick = state.tabs.overview.pick
    for n, b in enumerate(buckets):
        mark = PICKED if n == pick else "  "
        table.add_row(
            Text(mark + short_path(b.key, name_width - 2), style="fd.title" if n == pick else ""),
            Text(fmt.tokens(b.tokens.total)),
            bar(b.tokens.total / biggest, max(6, min(24, width - name_width - 12)), style=color),
        )
    if not buckets:
        table.add_row(Text("no sessions", style="fd.dim"), "", "")
    return table




def budget(state: AppState) -> list[BudgetStatus] | Failed | None:
    """The budget statuses (computed in the background), None while they are computed
    or when no limit is set."""
    limits = state.config.budget
    if not state.config.budget.any_limit:
        return None
    reports, zone, now = state.config.reports, state.zone, state.now()
    first = PeriodSpec.of("month", reports).start(state.today())
    first = min(first, PeriodSpec.of("week", reports).start(state.today()))
    entries = state.entries
    key = (state.data.content, limits, reports, zone.name,
           now.replace(second=0, microsecond=0))
    value, _fresh = state.tabs.overview.budget.get(
        key, lambda: budget_job(entries, first, limits, reports, zone, now)
    )
    return value


def budget_job(entries, since, limits, reports, zone, now):
    """`budget_status` of ~100 sessions at a time, summed (spending adds up; the limits,
    periods and hours are the same for every group)."""
    window = active_since(entries, since)
    yield
    found = [budget_status([], limits, reports, zone, now)]
    for part in chunks(window):
        found.append(budget_status(part, limits, reports, zone, now))
        yield
    statuses = []
    for same in zip(*found):  # one limit, as each group of sessions saw it
        statuses.append(
            evolve(
                same[0],
                spent=sum(s.spent for s in same),
                estimated=any(s.estimated for s in same),
                unpriced_sessions=sum(s.unpriced_sessions for s in same),
            )
        )
    return statuses


def budget_table(statuses: list[BudgetStatus], width: int) -> Table:
    """Spent vs limit, the burn rate, the forecast, and when the limit runs out at that
    rate (or by how much it is over, in plain words), one period a row."""
    table = Table.grid(padding=(0, 2))
    for _ in range(3):
        table.add_column(no_wrap=True)
    table.add_column()
    bar_width = max(8, min(16, width - 110))
    for b in statuses:
        style = "fd.error" if b.over else "fd.warn" if b.used > 0.8 else "fd.ok"
        gauge = bar(min(b.used, 1.0), bar_width, style=style)
        gauge.append(f" {b.used * 100:3.0f}%", style=style)
        mark = "~" if b.estimated else ""
        spent = Text(f"{mark}{fmt.amount(b.spent, b.unit)} of {fmt.amount(b.limit, b.unit)}")
        rate = fmt.amount(b.burn_per_hour, b.unit).removesuffix(" tokens")
        outlook = Text(f"burn {rate}/h · ", style="fd.dim")
        if b.over:
            outlook.append(f"OVER BUDGET by {fmt.amount(b.spent - b.limit, b.unit)}", style="fd.error")
        else:
            forecast = fmt.amount(b.forecast, b.unit).removesuffix(" tokens")
            outlook.append(f"forecast {forecast} · ", style="fd.dim")
            if b.runs_out_at is not None:
                when = b.runs_out_at.strftime("%a %d %b %H:%M")
                outlook.append(f"runs out {when}", style="fd.warn")
            else:
                outlook.append("lasts the period", style="fd.ok")
        table.add_row(Text(PERIOD_NAMES[b.period], style="fd.dim"), gauge, spent, outlook)
    return table


def budget_part(state: AppState, width: int) -> list[RenderableType]:
    if not state.config.budget.any_limit:
        return []
    found = budget(state)
    head = Text("Budget", style="fd.header")
    if isinstance(found, Failed):
        why = Text(f"cannot compute the budget: {one_line(found.message)}", style="fd.error")
        return [head, why, Text("")]
    if found is None:
        return [head, Text("computing…", style="fd.dim"), Text("")]
    notes = []
    if any(b.estimated for b in found):
        note = "~ includes sessions also active outside the period, split by their messages per day"
        notes.append(Text(note, style="fd.dim"))
    return [head, budget_table(found, width), *notes, Text("")]


def daily_job(entries, zone: Zone):
    """Cost and tokens of every local day of the history (`timeline` per day over ~25
    sessions at a time, summed: a session's day shares add up)."""
    spec = PeriodSpec.of("day", ReportsConfig())
    found: dict[date, list] = {}
    yield
    for part in chunks(list(entries)):
        for period in timeline(part, spec, zone).periods:
            acc = found.setdefault(period.start, [0.0, 0, False])
            acc[0] += period.cost_usd
            acc[1] += period.tokens.total
            acc[2] = acc[2] or period.estimated
        yield
    return found


def daily(state: AppState) -> dict | Failed | None:
    """Every day's cost and tokens (computed in the background)."""
    entries, zone = state.entries, state.zone
    key = (state.data.content, zone.name)
    value, _fresh = state.tabs.overview.daily.get(key, lambda: daily_job(entries, zone))
    return value


def spend(state: AppState, width: int) -> list[RenderableType]:
    """Spend today, this week and this (billing) month, and the history's date range,
    median and peak day: with or without a [budget]."""
    days = daily(state)
    head = Text("Spend", style="fd.header")
    if isinstance(days, Failed):
        return [head, Text(f"cannot compute: {one_line(days.message)}", style="fd.error"), Text("")]
    if days is None:
        return [head, Text("computing…", style="fd.dim"), Text("")]
    today, reports = state.today(), state.config.reports
    periods = (
        ("Today", today),
        ("This week", PeriodSpec.of("week", reports).start(today)),
        ("This month", PeriodSpec.of("month", reports).start(today)),
    )
    items = []
    for label, since in periods:
        cost = sum(v[0] for d, v in days.items() if since <= d <= today)
        tokens = sum(v[1] for d, v in days.items() if since <= d <= today)
        mark = "~" if any(v[2] for d, v in days.items() if since <= d <= today) else ""
        item = _item(label, f"{mark}{fmt.money(cost)}")
        item.append(f" {fmt.tokens(tokens)} tokens", style="fd.dim")
        items.append(item)
    line = flow(items, width)
    busy = sorted(d for d, v in days.items() if v[0] or v[1])
    history = Text()
    if busy:
        costs = sorted(days[d][0] for d in busy)
        middle = len(costs) // 2
        median = costs[middle] if len(costs) % 2 else (costs[middle - 1] + costs[middle]) / 2
        peak = max(busy, key=lambda d: (days[d][0], days[d][1]))
        span = _item("History", f"{busy[0]} → {busy[-1]}")
        span.append(f" ({fmt.exact(len(busy))} active days)", style="fd.dim")
        history = flow(
            [span, _item("median day", fmt.money(median)),
             _item("peak", f"{fmt.money(days[peak][0])} on {peak}")],
            width,
        )
    month = f" (billing month from day {reports.month_start_day})" if reports.month_start_day > 1 else ""
    note = Text(f"days in {one_line(state.zone.name)}{month}; ~ includes estimated day shares",
                style="fd.dim") if width >= 100 else Text("")
    return [head, line, history, note, Text("")]


def renderable(state: AppState, width: int) -> RenderableType:
    parts: list[RenderableType] = [summary(state, width - 1), Text("")]
    parts += spend(state, width)
    parts += budget_part(state, width)
    if state.loader.demo:
        parts.insert(0, Text(" DEMO DATA — generated sessions, not your history ", style="fd.demo"))
    warnings = state.warning_count
    if warnings:
        parts.insert(
            1 if state.loader.demo else 0,
            Text(
                f"⚠ {warnings:,} warning{'' if warnings == 1 else 's'} about unreadable data"
                " — press w to list them",
                style="fd.warn",
            ),
        )
    tokens = Group(Text("Tokens", style="fd.header"), tokens_table(state, min(width, 80)))
    projects = Group(
        Text("Top projects by tokens (↑↓ Enter: its sessions)", style="fd.header"),
        top_projects(state, min(width, 80)),
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
        state.data.serial,
        width,
        state.dark,
        state.config.display.heatmap_weeks,
        state.loader.demo,
        state.warning_count,
        state.today(),
        state.zone.name,
        id(budget(state)),
        id(daily(state)),
        state.tabs.overview.pick,
    )
    lines = _cache.get(
        key, lambda: render_lines(renderable(state, width - 1), width - 1, state.dark)
    )
    overview = state.tabs.overview
    if overview.follow:  # the selected top project in view
        overview.follow = False
        found = next((i for i, line in enumerate(lines)
                      if any(f[1].startswith(PICKED) for f in line)), None)
        if found is not None:
            scroll = overview.scroll
            scroll.top = max(min(scroll.top, found), found - scroll.height + 2)
    return ListModel(
        len(lines),
        lambda i, _w: [("", " ")] + lines[i],
        state.tabs.overview.scroll,
        on_scroll=state.tabs.overview.scroll.by,
    )
