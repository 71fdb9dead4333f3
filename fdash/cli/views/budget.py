"""`fdash budget`: spent against the [budget] limits."""

from __future__ import annotations

from rich.text import Text

from fdash import fmt
from fdash.cli.views.fitted import Col, FittedTable
from fdash.core.budget import PERIOD_NAMES


def budget_view(statuses) -> FittedTable:
    """Spent vs limit per period; narrower, the dates, the forecast and the burn rate go
    (in that order); amounts are never cut."""
    def bar(b) -> Text:
        used = min(b.used, 1.0)
        cell = Text("█" * round(used * 10) + "░" * (10 - round(used * 10)),
                    style="red" if b.over else "yellow" if b.used > 0.8 else "green")
        cell.append(f" {b.used * 100:.0f}%")
        return cell

    def runs_out(b) -> Text:
        if b.over:
            return Text(f"OVER BUDGET by {fmt.amount(b.spent - b.limit, b.unit)}", style="bold red")
        if b.runs_out_at is not None:
            return Text(b.runs_out_at.strftime("%a %d %b %H:%M"), style="yellow")
        return Text("not this period" if b.spent else "—", style="green")

    def dates(b) -> str:
        return b.start.isoformat() + ("" if b.period == "day" else " … " + b.end.isoformat())

    caption = None
    if any(b.estimated for b in statuses):
        caption = "~ includes sessions also active outside the period, split by assistant messages per day"
    return FittedTable("Budget", [
        Col("Period", [PERIOD_NAMES[b.period] for b in statuses]),
        Col("Dates", [dates(b) for b in statuses], drop=3),
        Col("Spent", [("~" if b.estimated else "") + fmt.amount(b.spent, b.unit) for b in statuses], "right"),
        Col("Limit", [fmt.amount(b.limit, b.unit) for b in statuses], "right"),
        Col("Used", [bar(b) for b in statuses]),
        Col("Burn / hour", [fmt.amount(b.burn_per_hour, b.unit) for b in statuses], "right", drop=1),
        Col("Forecast", [fmt.amount(b.forecast, b.unit) for b in statuses], "right", drop=2),
        Col("Runs out", [runs_out(b) for b in statuses]),
    ], caption)
