"""Activity: a bar chart of tokens or cost per day (week, month) over the last N weeks,
the sessions of the selected period (Enter shows one in Sessions), and a projects ×
weeks heatmap. Estimated periods (a session split across days) carry `~`.

Everything is built as prompt_toolkit fragments from the `ActivityState`'s timelines.
"""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len

from fdash import fmt
from fdash.core.text import one_line
from fdash.core.timeline import Period
from fdash.tui.controls import ListModel
from fdash.tui.cursor import Scroll
from fdash.tui.deferred import Failed
from fdash.tui.richbridge import LineCache, fragments, theme_styles
from fdash.tui.state import AppState
from fdash.tui.style import palette
from fdash.tui.tabs.activity.state import Chart, Heat
from fdash.tui.widgets import Column, fit, fixed, header_fragments, short_path

BLOCKS = " ▁▂▃▄▅▆▇█"
_charts = LineCache(8)
_heats = LineCache(4)
_rows = LineCache(512)
AXIS = 9  # the value labels left of the chart
HEAT_NAME = 22  # the project names left of the heatmap


def chart_rows(screen_rows: int) -> int:
    return 8 if screen_rows >= 36 else 5 if screen_rows >= 28 else 3


def heat_width(state: AppState) -> int:
    return HEAT_NAME + 2 * state.config.display.heatmap_weeks + 12


def amount(number: float, metric: str) -> str:
    if metric == "active":
        return fmt.duration(int(number))
    if metric == "credits":
        return fmt.credits(number)
    return fmt.money(number) if metric == "cost" else fmt.tokens(int(number))


def label(period: Period, unit: str) -> str:
    start = period.start
    if unit == "day":
        return start.strftime("%a %Y-%m-%d")
    if unit == "month" and start.day == 1:
        return start.strftime("%B %Y")
    return f"{start} – {period.end}"


def _waiting(thing, what: str, dark: bool) -> list:
    """The line shown instead of a chart or heatmap not computed yet (or that failed)."""
    if isinstance(thing, Failed):
        return fragments(
            [(f"  cannot compute the {what}: {one_line(thing.message)}", "fd.error")], dark
        )
    return fragments([(f"  computing the {what}…", "fd.dim")], dark)


# ---------------------------------------------------------------------- the chart


def chart_model(state: AppState, width: int, height: int) -> ListModel:
    """`height - 2` rows of bars, a row marking the selected (▲) and estimated (~)
    periods, and a row of dates. The periods that do not fit scroll with the selection."""
    act = state.tabs.activity
    chart = act.chart()
    dark = state.dark
    if not isinstance(chart, Chart) or not chart.periods:
        lines = [[], _waiting(chart, "chart", dark)]
        return ListModel(len(lines), lambda i, _w: lines[i], Scroll())
    count = len(chart.periods)
    slot = max(1, min(6, max(1, width - AXIS) // count))
    visible = max(1, (width - AXIS) // slot)
    act.columns.index = act.index(chart)
    first = act.columns.window(count, visible)
    key = (id(chart), width, height, act.columns.index, first, act.metric, dark)
    lines = _charts.owned(
        chart, key, lambda: _chart_lines(chart, act, height, slot, first, visible, dark)
    )
    return ListModel(len(lines), lambda i, _w: lines[i], Scroll())


def _chart_lines(chart: Chart, act, height: int, slot: int, first: int, visible: int, dark: bool):
    rows = max(1, height - 2)
    values = [act.value(p) for p in chart.periods]
    bar = slot - 1 if slot >= 3 else slot
    shown = range(first, min(len(values), first + visible))
    selected = act.columns.index
    peak = max(values) or 1
    styles = theme_styles(dark)
    lines = []
    for r in range(rows):
        tick = {0: amount(peak, act.metric), rows // 2: amount(peak / 2, act.metric)}.get(r, "")
        line = [(styles["fd.dim"], f"{tick:>{AXIS - 2}} ┤" if tick else " " * (AXIS - 1) + "│")]
        for i in shown:
            eighths = round(values[i] / peak * rows * 8)
            if values[i] > 0 and eighths == 0:
                eighths = 1  # a little is not nothing
            fill = max(0, min(8, eighths - (rows - 1 - r) * 8))
            line.append(
                (styles["fd.bar.selected" if i == selected else "fd.bar"], BLOCKS[fill] * bar)
            )
            line.append(("", " " * (slot - bar)))
        lines.append(line)
    marks = [(styles["fd.dim"], " " * (AXIS - 1) + "└")]
    dates = [("", " " * AXIS)]
    x = 0  # where the dates row got to
    at = (bar - 1) // 2  # the marks sit under the middle of the bar
    for n, i in enumerate(shown):
        period = chart.periods[i]
        mark = "▲" if i == selected else ("~" if period.estimated else "─")
        style = "fd.bar.selected" if mark == "▲" else "fd.warn" if mark == "~" else "fd.dim"
        marks += [(styles["fd.dim"], "─" * at), (styles[style], mark),
                  (styles["fd.dim"], "─" * (slot - at - 1))]
        text = _date_label(chart, i)
        if text and n * slot >= x + (1 if x else 0):
            dates.append((styles["fd.dim"], " " * (n * slot - x) + text))
            x = n * slot + len(text)
    return [*lines, marks, dates]


def _date_label(chart: Chart, i: int) -> str:
    """A month's name under its first period, else nothing (a day number each Monday)."""
    start, unit = chart.periods[i].start, chart.unit
    previous = chart.periods[i - 1].start if i else None
    if previous is None or previous.month != start.month:
        return start.strftime("%b") if unit != "day" or start.day < 8 else ""
    if unit == "day" and start.weekday() == 0:
        return str(start.day)
    return ""


def projects_line(state: AppState, width: int) -> list:
    """The selected period per project: `auth-app 62% · api 30% · 2 more`."""
    act = state.tabs.activity
    period = act.period()
    if period is None:
        return []
    found = act.projects(period)
    total = sum(v for _k, v in found) or 1
    styles = theme_styles(state.dark)
    line = [(styles["fd.dim"], " by project: ")]
    used = len(line[0][1])
    for n, (project, number) in enumerate(found):
        piece = f"{short_path(project, 24)} {amount(number, act.metric)} ({number / total:.0%})"
        rest = len(found) - n - 1
        more = f" · {rest} more" if rest else ""
        if used + len(piece) + len(more) + 3 > width and n:
            line.append((styles["fd.dim"], f" · {len(found) - n} more"))
            break
        if n:
            line.append((styles["fd.dim"], " · "))
            used += 3
        line += [(styles["fd.accent"], short_path(project, 24)),
                 (styles["fd.text"], piece[len(short_path(project, 24)):])]
        used += len(piece)
    if not found:
        line.append((styles["fd.dim"], "no sessions"))
    return line


def period_line(state: AppState, width: int) -> list:
    """The selected period: its numbers, and whether they are estimated."""
    act = state.tabs.activity
    period = act.period()
    chart = act.chart()
    if period is None or not isinstance(chart, Chart):
        return []
    active = fmt.duration(int(act.value(period, "active")))
    sessions = f"{fmt.exact(period.sessions)} session{'' if period.sessions == 1 else 's'}"
    tokens, money, credits = fmt.tokens(period.tokens.total), fmt.money(period.cost_usd), fmt.credits(period.credits)
    texts = (  # the shorter one on a narrow screen: no number is cut
        f" ▶ {label(period, chart.unit)}   {tokens} tokens · {money} · {credits} credits · "
        f"~{active} active · {sessions}",
        f" ▶ {label(period, chart.unit)}  {tokens} tok · {money} · {credits} cr · ~{active} · {sessions}",
    )
    text = next((t for t in texts if cell_len(t) <= width), texts[-1])
    parts = [(text, "fd.title")]
    notes = []  # each in its longest form that fits, else left out
    if period.unpriced_sessions:
        notes.append(((f"  +{period.unpriced_sessions} unpriced", f" +{period.unpriced_sessions}?"), "fd.warn"))
    if period.estimated:
        notes.append((("  ~ estimated: sessions split across days by their messages",
                       "  ~ estimated", " ~"), "fd.warn"))
    if period.partial:
        notes.append((("  (part of it is outside the range)", " (partly)"), "fd.dim"))
    used = cell_len(text)
    for forms, style in notes:
        note = next((f for f in forms if used + cell_len(f) <= width), None)
        if note is not None:
            parts.append((note, style))
            used += cell_len(note)
    return fragments(parts, state.dark, 0)


# ---------------------------------------------------------------------- the day's sessions


def columns(width: int, unit: str = "day") -> list[Column]:
    return fit(
        [
            Column("est", "~", 1, priority=9),
            Column("title", f"Sessions of the {unit}", 20, flex=True, priority=10),
            Column("project", "Project", 18, priority=5),
            Column("tokens", "Tokens", 8, "right", priority=8),
            Column("cost", "Est. cost", 9, "right", priority=7),
        ],
        width,
    )


def header(state: AppState, width: int):
    return header_fragments(columns(width, state.tabs.activity.unit), None, False, None)


def sessions_model(state: AppState, width: int) -> ListModel:
    act = state.tabs.activity
    rows = act.rows()
    cols = columns(width)
    dark = state.dark
    cols_key = tuple((c.name, c.width) for c in cols)

    def line(index: int, _w: int):
        entry, part = rows[index]
        return _rows.owned(
            part, (id(part), id(entry), cols_key, dark), lambda: _row(entry, part, cols, dark)
        )

    return ListModel(len(rows), line, act.cursor, on_click=act.select, on_scroll=act.move)


def _row(entry, part: Period, cols: list[Column], dark: bool) -> list:
    s = entry.session
    cells = []
    for col in cols:
        if col.name == "est":
            cells.append(("~" if part.estimated else " ", "fd.warn"))
        elif col.name == "title":
            cells.append((fixed(one_line(s.title) or "(untitled)", col.width), "fd.text"))
        elif col.name == "project":
            cells.append((fixed(short_path(s.project, col.width), col.width), "fd.accent"))
        elif col.name == "tokens":
            cells.append((fixed(fmt.tokens(part.tokens.total), col.width, "right"), ""))
        else:
            unpriced = part.unpriced_sessions > 0
            cost = fixed("unpriced" if unpriced else fmt.money(part.cost_usd), col.width, "right")
            cells.append((cost, "fd.warn" if unpriced else ""))
    return fragments(cells, dark)


# ---------------------------------------------------------------------- the heatmap


def heat_model(state: AppState, width: int) -> ListModel:
    """Projects (rows, biggest first) × weeks (columns, oldest left)."""
    act = state.tabs.activity
    heat = act.heat()
    dark = state.dark
    if not isinstance(heat, Heat):
        lines = [_waiting(heat, "heatmap", dark)]
        return ListModel(len(lines), lambda i, _w: lines[i], act.heat_scroll)
    metric = "cost" if act.metric == "cost" else "tokens"  # (active time, credits: by tokens)
    key = (id(heat), width, metric, dark)
    lines = _heats.owned(heat, key, lambda: _heat_lines(heat, width, metric, dark))
    return ListModel(
        len(lines), lambda i, _w: lines[i], act.heat_scroll, on_scroll=act.heat_scroll.by
    )


def _heat_lines(heat: Heat, width: int, metric: str, dark: bool) -> list:
    styles = theme_styles(dark)
    colors = palette(dark).heat
    rows = list(heat.rows)
    if metric == "cost":
        rows.sort(key=lambda r: (-r.total_cost, r.project))
    cells = [(r.cost if metric == "cost" else r.tokens) for r in rows]
    peak = max((v for row in cells for v in row), default=0) or 1
    name = max(8, min(HEAT_NAME, width - 2 * len(heat.weeks) - 10))
    title = f"Projects × weeks — {metric}"
    lines = [fragments([(title, "fd.header")], dark), _months(heat.weeks, name, styles)]
    for row, values in zip(rows, cells):
        line = [(styles["fd.accent"], fixed(short_path(row.project, name), name) + " ")]
        for v in values:
            level = 0 if v <= 0 else min(4, 1 + int((v / peak) * 4 - 1e-9))
            line.append((colors[level], "■ "))
        total = row.total_cost if metric == "cost" else row.total_tokens
        line.append((styles["fd.dim"], amount(total, metric)))
        lines.append(line)
    if not rows:
        lines.append(fragments([("  no sessions in these weeks", "fd.dim")], dark))
    legend = [(styles["fd.dim"], " " * (name + 1) + "less ")]
    legend += [(color, "■ ") for color in colors] + [(styles["fd.dim"], "more")]
    lines.append(legend)
    return lines


def _months(weeks: tuple[date, ...], name: int, styles: dict) -> list:
    labels = [" "] * (2 * len(weeks) + 4)
    free = 0
    for i, week in enumerate(weeks):
        if (i == 0 or week.month != weeks[i - 1].month) and 2 * i >= free:
            text = week.strftime("%b")
            labels[2 * i : 2 * i + len(text)] = text
            free = 2 * i + len(text) + 1
    return [(styles["fd.dim"], " " * (name + 1) + "".join(labels).rstrip())]


def info(state: AppState, width: int = 200) -> list[tuple[str, str]]:
    """What the chart shows, over which weeks, in which zone, and its keys (which give way
    first on a narrow screen: the footer names them too)."""
    act = state.tabs.activity
    weeks = state.config.display.heatmap_weeks
    what = {"cost": "cost", "active": "active time", "credits": "Factory credits"}.get(act.metric, "tokens")
    where = one_line(state.zone.name)
    hint = "m metric · u day/week/month · ← → select"
    end = state.window_end()
    span = f"last {weeks} weeks" if end == state.today() else (
        f"nothing in the last {weeks} weeks, last activity {end}")
    title = " Activity "
    texts = [f" {what} per {act.unit} · {span} · {where} · {hint}", f" {what} per {act.unit} · {span} · {where}",
             f" {what} per {act.unit} · {span}"]
    text = next((t for t in texts if cell_len(title + t) <= width), texts[-1])
    return [("class:pane.title", title), ("class:status", fixed(text, max(0, width - len(title))))]
