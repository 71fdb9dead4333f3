"""`fdash budget`: spent vs the `[budget]` limits, the burn rate, and when they run out."""

from __future__ import annotations

from fdash.cli.context import Context, Failure
from fdash.cli.flags import add_zone_flag


def register(command) -> None:
    add_zone_flag(command("budget", "spent vs your [budget] limits, burn rate and when they run out", budget))


def budget(ctx: Context) -> int:
    from fdash.core.budget import budget_status

    config = ctx.config
    if not config.budget.any_limit:
        raise Failure("no [budget] in the config; add e.g. `[budget]` `daily_usd = 20` (see README)")
    zone = ctx.window().zone
    statuses = budget_status(ctx.catalog().entries, config.budget, config.reports, zone)
    if ctx.json:
        from fdash.core import export

        return ctx.print_json([export.budget_record(b) for b in statuses])
    from fdash.cli.views.budget import budget_view

    return ctx.show(budget_view(statuses))
