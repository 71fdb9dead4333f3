"""`fdash watch`: a compact summary of today that refreshes itself.

Today's tokens and cost (as `fdash daily` attributes them), the burn rate per hour since
local midnight, budgets when configured, and the sessions active in the last 15 minutes.
Each refresh re-scans through the index, so it costs a stat per file and reads only the
bytes that were appended.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime

from rich.console import Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from fdash import fmt
from fdash.core.parse import QUARTER_MS, decode_activity
from fdash.core.text import one_line

ACTIVE_WINDOW_MS = 15 * 60 * 1000


def summary(entries, config, zone, now: datetime) -> Group:
    """The watch screen for `now` (a pure function of the data, for tests)."""
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
    if any(v is not None for v in (config.budget.daily_usd, config.budget.weekly_usd, config.budget.monthly_usd,
                                    config.budget.daily_tokens, config.budget.weekly_tokens,
                                    config.budget.monthly_tokens)):
        from fdash.report import budget_view

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


def watch(source, config, args) -> int:
    from fdash import cli_time
    from fdash.core.catalog import SessionsDirError
    from fdash.core.timeline import TimeError

    try:
        zone = cli_time.window(args, config).zone
    except TimeError as exc:
        print(f"fdash: {exc}", file=sys.stderr)
        return 2
    interval = max(0.5, args.interval)
    try:
        with Live(Text("reading sessions…"), refresh_per_second=4, screen=False) as live:
            while True:
                try:
                    catalog = source.load(config, use_index=not args.no_cache)
                except SessionsDirError as exc:
                    live.update(Text(f"fdash: {exc}", style="red"))
                else:
                    live.update(summary(catalog.entries, config, zone, datetime.now().astimezone()))
                time.sleep(interval)
    except KeyboardInterrupt:
        return 0
