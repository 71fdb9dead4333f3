"""`fdash watch`: a compact summary of today that refreshes itself.

Today's tokens and cost (as `fdash daily` attributes them), the burn rate per hour since
local midnight, budgets when configured, and the sessions active in the last 15 minutes
(`fdash.cli.views.today.today_view`). Each refresh re-scans through the index, so it costs a
stat per file and reads only the bytes that were appended.
"""

from __future__ import annotations

import time
from datetime import datetime

from fdash.cli.context import Context
from fdash.cli.flags import add_zone_flag

MIN_INTERVAL, MAX_INTERVAL = 0.5, 86400.0


def seconds(text: str) -> float:
    """An --interval: a number of seconds a refresh can wait (`inf`, `nan`, `-1` are not)."""
    import argparse

    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not MIN_INTERVAL <= value <= MAX_INTERVAL:
        raise argparse.ArgumentTypeError(
            f"expected seconds from {MIN_INTERVAL:g} to {MAX_INTERVAL:g}, got {text!r}")
    return value


def register(command) -> None:
    p = command("watch", "a compact summary of today that refreshes itself (Ctrl-C to stop)", watch)
    p.add_argument("--interval", type=seconds, default=5.0, metavar="SECONDS",
                   help=f"refresh every (default 5; {MIN_INTERVAL:g} to {MAX_INTERVAL:g})")
    add_zone_flag(p)


def watch(ctx: Context) -> int:
    from rich.console import Group
    from rich.live import Live
    from rich.text import Text

    from fdash.cli.output import DEMO_BANNER
    from fdash.cli.views.today import today_view
    from fdash.core.catalog import SessionsDirError
    from fdash.core.text import notice

    zone = ctx.window().zone
    interval = ctx.args.interval
    try:
        with Live(Text("reading sessions…"), refresh_per_second=4, screen=False) as live:
            while True:
                try:
                    catalog = ctx.source.load(ctx.config, use_index=not ctx.args.no_cache)
                except SessionsDirError as exc:
                    live.update(Text(notice(str(exc)), style="red"))
                else:
                    view = today_view(catalog.entries, ctx.config, zone, datetime.now().astimezone())
                    live.update(Group(Text(DEMO_BANNER, style="bold reverse"), view) if ctx.demo else view)
                time.sleep(interval)
    except KeyboardInterrupt:
        return 0
