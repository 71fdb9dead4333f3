"""Table cells every report shares: a report table, cost and credits cells."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from fdash import fmt


def report_table(title: str) -> Table:
    return Table(
        title=Text(title, style="bold"),
        box=box.SIMPLE_HEAVY,
        title_justify="left",
        header_style="bold cyan",
    )


def cost_cell(usd: float, unpriced: int) -> Text:
    cell = Text(fmt.money(usd))
    if unpriced:
        cell.append(f" +{unpriced} unpriced", style="yellow")
    return cell


def credits_cell(summed) -> Text:
    """Factory Standard Credits of a sum of sessions; "+N" sessions that recorded none."""
    cell = Text(fmt.credits(summed.credits))
    if summed.no_credit_sessions:
        cell.append(f" +{summed.no_credit_sessions}", style="dim")
    return cell
