"""`fdash daily` / `weekly` / `monthly`: usage per local period."""

from __future__ import annotations

from rich.cells import cell_len
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from fdash import fmt
from fdash.cli.views.cells import credits_cell, report_table
from fdash.core.text import one_line

ESTIMATED = "~"
_UNIT_TITLES = {"day": "Daily usage", "week": "Weekly usage", "month": "Monthly usage"}


def _period_label(period, unit: str) -> str:
    start, end = period.start, period.end
    if unit == "day":
        label = start.strftime("%Y-%m-%d %a")
    elif unit == "month" and start.day == 1:
        label = start.strftime("%Y-%m")
    else:
        label = f"{start}–{end.strftime('%m-%d')}"
    return label + ("*" if period.partial else "")


# the token columns of a period table, the widest layout first: each kind, cache as one
# column, none (Total only); the first that fits the terminal is used
_KIND_LAYOUTS = (
    (("Input", "Output", "Cache w", "Cache r", "Think"),
     lambda t: (t.input, t.output, t.cache_write, t.cache_read, t.thinking)),
    (("Input", "Output", "Cache"), lambda t: (t.input, t.output, t.cache_write + t.cache_read)),
    ((), lambda t: ()),
)


def _period_row(table: Table, label: Text, p, kinds, style: str = "") -> None:
    t = p.tokens
    cost = Text(fmt.money(p.cost_usd))
    if p.unpriced_sessions:
        cost.append(f" +{p.unpriced_sessions}", style="yellow")
    table.add_row(
        label,
        Text(ESTIMATED if p.estimated else "", style="bold yellow"),
        fmt.exact(p.sessions),
        *(fmt.tokens(n) for n in kinds(t)),
        fmt.tokens(t.total),
        cost,
        credits_cell(p),
        style=style,
    )


class PeriodsView:
    """`fdash daily|weekly|monthly`: one row per period of a `fdash.core.timeline.Timeline`
    (each token kind when the terminal is wide enough, else cache write + read as one
    column, else the total only: numbers and money are never cut), estimated figures
    marked "~", then a legend."""

    def __init__(self, result, unit: str, zone_name: str, scope: str, by: str | None):
        self.result, self.unit, self.by = result, unit, by
        self.title = f"{_UNIT_TITLES[unit]} — {scope}, {one_line(zone_name, 40)}"

    def __rich_console__(self, console, options):
        result = self.result
        if not result.periods:
            yield Text(self.title, style="bold")
            yield Text("No activity in this range.")
            return
        for layout, (names, kinds) in enumerate(_KIND_LAYOUTS):
            table = self.report_table(names, kinds, wide=layout == 0)
            excess = Measurement.get(console, options.update_width(10_000), table).maximum - options.max_width
            if excess <= 0:
                break
        else:  # narrower still: the labels (dates, names) shorten, never the numbers
            label = table.columns[0]
            label.overflow = "ellipsis"
            label.max_width = max(6, max(cell_len(c.plain) for c in label.cells) - excess)
        yield table
        notes = [(f"{ESTIMATED} estimated: includes part of a session also active outside this "
                  "period, split by its assistant messages per day, or a session dated only by its "
                  "settings file's time; rows without it are exact "
                  "(docs/TIME.md).")]
        if layout == 1:
            notes.append("Cache = cache write + cache read (a wider terminal or --json shows each kind).")
        elif layout == 2:
            notes.append("A wider terminal or --json shows the tokens of each kind.")
        if any(p.partial for p in result.periods):
            notes.append("* the range covers only part of this period.")
        if result.total.unpriced_sessions:
            notes.append("+N sessions without a price (not in the cost).")
        if result.undated_sessions:
            notes.append(f"{result.undated_sessions} sessions with no message and no token snapshot are in "
                         f"no period ({fmt.exact(result.undated_tokens.total)} tokens).")
        for note in notes:
            yield Text(note, style="dim")


    def report_table(self, names: tuple[str, ...], kinds, wide: bool) -> Table:
        result = self.result
        table = report_table(self.title)
        table.pad_edge = False
        table.add_column({"day": "Day", "week": "Week", "month": "Month"}[self.unit], no_wrap=True)
        table.add_column("", width=1, no_wrap=True)
        for name in ("Sess.", *names, "Total", "Est. cost", "Credits"):
            table.add_column(name, justify="right", no_wrap=True)
        for p in result.periods:
            _period_row(table, Text(_period_label(p, self.unit), style="bold" if self.by else ""), p, kinds)
            for part in p.breakdown:
                _period_row(table, Text(" " + one_line(part.key, 40 if wide else 20)), part, kinds, "dim")
        if len(result.periods) > 1:
            table.add_section()
            _period_row(table, Text("Total", style="bold"), result.total, kinds)
        return table
