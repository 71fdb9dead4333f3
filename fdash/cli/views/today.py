"""`fdash watch`'s screen: today's totals and burn rate, the budget, the active sessions."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text

from fdash import fmt
from fdash.cli.views.budget import budget_view
from fdash.core.text import one_line
from fdash.core.times import QUARTER_MS, decode_activity

ACTIVE_WINDOW_MS = 15 * 60 * 1000


def today_view(entries, config, zone, now: datetime) -> Group:
    """`fdash watch`'s screen at `now`: today's totals and burn rate, the budget, the
    sessions active in the last 15 minutes."""
    from fdash.core import timeline
    from fdash.core.budget import budget_status

    today = now.astimezone(zone.tz).date() if zone.tz is not None else now.astimezone().date()
    spec = timeline.PeriodSpec("day")
    total = timeline.timeline(entries, spec, zone, timeline.DayRange(today, today)).total
    midnight = datetime.combine(today, datetime.min.time())
    midnight = midnight.replace(tzinfo=zone.tz) if zone.tz is not None else midnight.astimezone()
    hours = max((now - midnight).total_seconds() / 3600, 1 / 60)
    tokens = total.tokens.total if total else 0
    cost = total.cost_usd if total else 0.0
    head = Table.grid(padding=(0, 3))
    for _ in range(5):
        head.add_column()
    head.add_row(
        Text(f"Today {today.isoformat()} ({zone.name})", style="bold"),
        Text(f"{fmt.tokens(tokens)} tokens"),
        Text(f"{fmt.money(cost)}" + (f" +{total.unpriced_sessions} unpriced" if total and total.unpriced_sessions else "")),
        Text(f"burn {fmt.tokens(int(tokens / hours))}/h · {fmt.money(cost / hours)}/h"),
        Text(f"{total.sessions if total else 0} sessions today"),
    )
    parts = [head]
    if config.budget.any_limit:
        parts.append(budget_view(budget_status(entries, config.budget, config.reports, zone, now)))
    now_ms = int(now.timestamp() * 1000)
    active = [e for e in entries if (e.session.last_at_ms or 0) >= now_ms - ACTIVE_WINDOW_MS]
    active.sort(key=lambda e: e.session.last_at_ms or 0, reverse=True)
    table = Table(title=Text(f"Active in the last 15 minutes: {len(active)}", style="bold"), title_justify="left")
    for name in ("Last", "Title", "Project", "Model", "Tokens", "Cost", "Msgs/15m"):
        table.add_column(name, justify="right" if name in ("Tokens", "Cost", "Msgs/15m") else "left")
    for e in active[:12]:
        s = e.session
        recent = sum(c for q, c in decode_activity(s.activity).items() if q * QUARTER_MS >= now_ms - ACTIVE_WINDOW_MS)
        table.add_row(
            fmt.when(s.last_at_ms)[11:], Text(one_line(s.title, 36)), Text(one_line(s.project, 32)),
            Text(one_line(e.model, 24)), fmt.tokens(s.usage.total), fmt.money(e.cost.usd), str(recent),
        )
    parts.append(table)
    return Group(*parts)
