"""Rich renderables for the command line's reports (`fdash stats`, `projects`, `watch`, …).

Every piece of text that comes from a session file goes through `fdash.core.text`
and into a `rich.text.Text`, so it can neither move the cursor nor be read as markup.
"""

from __future__ import annotations

import os
from datetime import datetime

from attrs import frozen
from rich import box
from rich.cells import cell_len
from rich.console import Group
from rich.measure import Measurement
from rich.style import Style
from rich.table import Table
from rich.text import Text

from fdash import fmt
from fdash.core.aggregate import Bucket, Totals
from fdash.core.budget import PERIOD_NAMES
from fdash.core.models import TOKEN_KINDS, TOKEN_LABELS, Entry
from fdash.core.text import one_line
from fdash.core.times import QUARTER_MS, decode_activity


def _table(title: str) -> Table:
    return Table(
        title=Text(title, style="bold"),
        box=box.SIMPLE_HEAVY,
        title_justify="left",
        header_style="bold cyan",
    )


def _cost_cell(usd: float, unpriced: int) -> Text:
    cell = Text(fmt.money(usd))
    if unpriced:
        cell.append(f" +{unpriced} unpriced", style="yellow")
    return cell


def _credits_cell(summed) -> Text:
    """Factory Standard Credits of a sum of sessions; "+N" sessions that recorded none."""
    cell = Text(fmt.credits(summed.credits))
    if summed.no_credit_sessions:
        cell.append(f" +{summed.no_credit_sessions}", style="dim")
    return cell


def stats_view(totals: Totals, warnings: int, scope: str = "", suggestions: dict[str, str] | None = None) -> Table:
    """`suggestions`: custom model id → the model droid's settings.json names for it."""
    table = _table("fdash — Droid usage" + (f" ({scope})" if scope else ""))
    table.add_column("")
    table.add_column("", justify="right")
    tokens = totals.tokens
    rows = [
        ("Sessions", fmt.exact(totals.sessions) + f"  ({totals.empty_sessions} empty)"),
        ("Projects", fmt.exact(totals.projects)),
        ("Groups", fmt.exact(totals.groups)),
        ("User prompts", fmt.exact(totals.user_prompts)),
        ("Active time", fmt.duration(totals.active_time_ms)),
        *((f"{TOKEN_LABELS[kind]} tokens" + (" (part of output)" if kind == "thinking" else ""),
           fmt.exact(getattr(tokens, kind))) for kind in TOKEN_KINDS),
        ("Total tokens", fmt.exact(tokens.total)),
        ("Cache hit (read / (read + input))", fmt.percent(tokens.cache_hit_ratio)),
    ]
    for label, value in rows:
        table.add_row(label, value)
    table.add_row(Text("Estimated cost", style="bold"), _cost_cell(totals.cost_usd, totals.unpriced_sessions))
    credits = _credits_cell(totals)
    if totals.no_credit_sessions:
        credits.append(" without a record", style="dim")
    table.add_row(Text("Factory credits", style="bold"), credits)
    if totals.unpriced_models:
        models = ", ".join(one_line(m, 60) for m in totals.unpriced_models)
        table.add_row(Text("Unpriced models", style="yellow"), Text(models, style="yellow"))
        for model in totals.unpriced_models:
            if model in (suggestions or {}):
                line = Text(f'[pricing.custom] "{one_line(model, 60)}" = "{one_line(suggestions[model], 60)}"')
                line.append("  (from droid's settings.json today: check it was that model then)", style="dim")
                table.add_row(Text("Suggested estimate", style="dim"), line)
    if warnings:
        table.add_row(Text("Warnings", style="yellow"), Text(f"{warnings} (see --verbose)", style="yellow"))
    return table


def tokens_view(buckets: list[Bucket], sources: dict[str, str]) -> FittedTable:
    """Tokens by model; narrower, the price source, then token kinds go (least useful
    first); the model shortens; totals, cost and credits are never cut."""
    kinds = [Col(TOKEN_LABELS[kind], [fmt.tokens(getattr(b.tokens, kind)) for b in buckets], "right",
                 drop={"thinking": 9, "cache_write": 8, "input": 7, "output": 6, "cache_read": 5}[kind])
             for kind in TOKEN_KINDS]
    return FittedTable("Tokens by model", [
        Col("Model", [Text(one_line(b.key, 48)) for b in buckets], shrink=True, least=10, comfort=24),
        Col("Sessions", [fmt.exact(b.sessions) for b in buckets], "right", drop=3),
        *kinds,
        Col("Total", [fmt.tokens(b.tokens.total) for b in buckets], "right"),
        Col("Est. cost", [_cost_cell(b.cost_usd, b.unpriced_sessions) for b in buckets], "right"),
        Col("Credits", [_credits_cell(b) for b in buckets], "right", drop=4),
        Col("Price", [Text(sources.get(b.key, "")) for b in buckets], drop=10),
    ])


def groups_view(buckets: list[Bucket]) -> FittedTable:
    return FittedTable("Groups", [
        Col("Group", [Text(one_line(b.key, 40)) for b in buckets], shrink=True, least=8, comfort=16),
        Col("Projects", [fmt.exact(b.projects) for b in buckets], "right", drop=6),
        Col("Sessions", [fmt.exact(b.sessions) for b in buckets], "right", drop=2),
        Col("Tokens", [fmt.tokens(b.tokens.total) for b in buckets], "right"),
        Col("Est. cost", [_cost_cell(b.cost_usd, b.unpriced_sessions) for b in buckets], "right"),
        Col("Credits", [_credits_cell(b) for b in buckets], "right", drop=3),
        Col("Cache hit", [fmt.percent(b.tokens.cache_hit_ratio) for b in buckets], "right", drop=5),
        Col("Active time", [fmt.duration(b.active_time_ms) for b in buckets], "right", drop=4),
    ])


def projects_view(buckets: list[Bucket]) -> FittedTable:
    return FittedTable("Projects", [
        Col("Project", [Text(one_line(b.key, 60)) for b in buckets], shrink=True, least=12, comfort=30,
            path=True),
        Col("Group", [Text(one_line(b.group, 24)) for b in buckets], shrink=True, least=6, comfort=10, drop=5),
        Col("Sessions", [fmt.exact(b.sessions) for b in buckets], "right", drop=2),
        Col("Tokens", [fmt.tokens(b.tokens.total) for b in buckets], "right"),
        Col("Active time", [fmt.duration(b.active_time_ms) for b in buckets], "right", drop=4),
        Col("Est. cost", [_cost_cell(b.cost_usd, b.unpriced_sessions) for b in buckets], "right"),
        Col("Credits", [_credits_cell(b) for b in buckets], "right", drop=3),
    ])


@frozen
class Col:
    """A column of a width-fitted table: `shrink` columns (titles, paths) give way first,
    down to `least` cells; `drop` > 0 columns are left out, highest first, while the
    shrinking ones would get less than `comfort` cells. The others (dates, money, counts,
    ids) are never cut."""

    name: str
    cells: list
    justify: str = "left"
    shrink: bool = False
    least: int = 0
    comfort: int = 0
    drop: int = 0
    path: bool = False  # a path: cut from the left, its last component kept

    def natural(self) -> int:
        return max([cell_len(self.name), *(cell_len(_plain(c)) for c in self.cells)])


def _plain(cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def _fitted(title: str, columns: list[Col], width: int) -> Table | None:
    """A table of `columns` no wider than `width`, or None when the ones that must be
    shown whole (and the shrinking ones at their least) do not fit."""
    layout = _layout(columns, width)
    if layout is None:
        return None
    shown, widths = layout
    return _filled(_table(title), shown, widths, 0, len(shown[0].cells) if shown else 0)


PART_ROWS = 500  # rows per table when a long list is printed in parts


def _fitted_parts(title: str, columns: list[Col], width: int):
    """`_fitted`, for a list of any length: the title, the header and the first
    PART_ROWS rows as a table without edges, then the other rows PART_ROWS lines at a
    time, laid out as that table lays them out (same widths, a space at each edge,
    three between cells). Rich lays out a table's rows all at once, which grows faster than the rows
    (50,000 sessions took 55 s); lines cost what they hold and print as they come.
    None when the columns do not fit `width`."""
    layout = _layout(columns, width)
    if layout is None:
        return None
    shown, widths = layout
    rows = len(shown[0].cells) if shown else 0
    if rows <= PART_ROWS:
        return [_filled(_table(title), shown, widths, 0, rows)]
    every = {c.name: widths.get(c.name, c.natural()) for c in shown}
    first = _table(title)
    first.show_edge = False  # no blank line between its rows and the next part's
    parts: list = [_filled(first, shown, every, 0, PART_ROWS, cut=widths)]
    parts += [_lines(shown, every, start, min(rows, start + PART_ROWS)) for start in range(PART_ROWS, rows, PART_ROWS)]
    return parts


def _filled(table: Table, shown: list[Col], widths: dict, start: int, end: int, cut: dict | None = None) -> Table:
    """`table` with the columns `shown` (`widths` by name, else as wide as they need) and
    their rows from `start` to `end`; the cells of the columns in `cut` (default
    `widths`) are shortened to it."""
    cut = widths if cut is None else cut
    for c in shown:
        table.add_column(c.name, justify=c.justify, no_wrap=True, width=widths.get(c.name),
                         overflow="ellipsis")
    for row in zip(*(c.cells[start:end] for c in shown)):
        table.add_row(*(_cut(cell, cut[c.name], c.path) if c.name in cut else cell
                        for c, cell in zip(shown, row)))
    return table


def _lines(shown: list[Col], widths: dict[str, int], start: int, end: int) -> Text:
    """Rows `start` to `end` as lines of text, cell for cell where the table puts them."""
    text = Text(no_wrap=True, overflow="ignore", end="")
    for i in range(start, end):
        text.append(" ")
        for n, c in enumerate(shown):
            cell = c.cells[i]
            cell = cell.copy() if isinstance(cell, Text) else Text(str(cell))
            width = widths[c.name]
            if c.shrink:
                cell = _cut(cell, width, c.path)
                cell.truncate(width, overflow="ellipsis")
            pad = " " * max(0, width - cell_len(cell.plain))
            text.append("   " if n else "")
            if c.justify == "right":
                text.append(pad)
            text.append_text(cell)
            if c.justify != "right":
                text.append(pad)
        text.append(" \n")
    return text


def _layout(columns: list[Col], width: int) -> tuple[list[Col], dict[str, int]] | None:
    """The columns `_fitted` shows and the widths of the shrinking ones, or None."""
    natural = {id(c): c.natural() for c in columns}  # measured once: each is a pass over the rows
    shown = list(columns)
    while True:
        fixed = sum(natural[id(c)] for c in shown if not c.shrink)
        least = sum(min(c.least, natural[id(c)]) for c in shown if c.shrink)
        comfort = sum(min(max(c.least, c.comfort), natural[id(c)]) for c in shown if c.shrink)
        room = width - (3 * len(shown) + 1) - fixed  # 3 cells of padding and rule per column
        optional = [c for c in shown if c.drop]
        if room >= comfort or (room >= least and not optional):
            break
        if not optional:
            return None
        shown.remove(max(optional, key=lambda c: c.drop))
    # the shrinking columns get their least, then share what is left by what they lack
    shrinking = [c for c in shown if c.shrink]
    widths = {c.name: min(c.least, natural[id(c)]) for c in shrinking}
    lacking = {c.name: natural[id(c)] - widths[c.name] for c in shrinking}
    extra, wanted = room - least, sum(lacking.values())
    for c in shrinking:
        if wanted:
            widths[c.name] += min(lacking[c.name], extra * lacking[c.name] // wanted)
    return shown, widths


class FittedTable:
    """A report table fitted to the width at render time (`_fitted`): names shorten,
    then the least useful columns go; numbers and money are never cut. Too narrow even
    for that, every column is kept and Rich wraps the cells."""

    def __init__(self, title: str, columns: list[Col], caption: str | None = None):
        self.title, self.columns, self.caption = title, columns, caption

    def __rich_console__(self, console, options):
        table = _fitted(self.title, self.columns, options.max_width)
        if table is None:
            table = _table(self.title)
            for c in self.columns:
                table.add_column(c.name, justify=c.justify)
            for row in zip(*(c.cells for c in self.columns)):
                table.add_row(*row)
        table.caption = self.caption
        yield table


def _cut(cell, width: int, path: bool):
    """A cell of a shrinking column cut to `width` cells: a path from the left (…/auth-app);
    a moved session's project is cut before where it is now (`_where`)."""
    text = cell if isinstance(cell, Text) else Text(str(cell))
    if not path or cell_len(text.plain) <= width:
        return text
    moved = next((s.start for s in text.spans if isinstance(s.style, Style) and s.style.meta.get("fdash") == "moved"),
                 None)
    if moved:
        rest = cell_len(text.plain[moved:])
        if width - rest < 6:  # the project keeps "…" and a few characters of its name
            return _cut(text[:moved], width, path)  # narrower: the project only
        head = _cut(text[:moved], width - rest, path)
        head.append_text(text[moved:])
        return head
    plain = text.plain
    while plain and cell_len(plain) > width - 1:
        plain = plain[1:]
    return Text("…" + plain, style=text.style)


TITLE_CELLS = 48  # at most, however wide the terminal (a 5,000-character title stays a title)
PATH_CELLS = 48


def _project(e: Entry) -> Text:
    """The session's project, `~` for the home folder, at most PATH_CELLS (cut from the left)."""
    return _cut(Text(_home(one_line(e.session.project))), PATH_CELLS, path=True)


MOVED = Style(dim=True, meta={"fdash": "moved"})  # marks `_where`'s "→ now" part for `_cut`


def _where(e: Entry) -> Text:
    """The project, and where the session is now when it moved from there (`lastCwd`):
    `~/work/app → …/app-wt` (its last component when the whole path is long)."""
    cell = _project(e)
    moved = e.session.moved_to
    if not moved:
        return cell
    now = _home(one_line(moved))
    if cell_len(now) > 20:
        now = "…/" + one_line(now.rstrip("/").rsplit("/", 1)[-1], 16)
    cell = cell.copy()
    cell.append(f" → {now}", style=MOVED)
    return cell


def _home(path: str) -> str:
    home = os.path.expanduser("~")
    return "~" + path[len(home):] if home not in ("", "/", "~") and path.startswith(home + "/") else path


class SessionsView:
    """Sessions, newest first: the full id (what `droid --resume` takes), the date, tokens
    and cost always whole; titles and projects shorten, then columns go, to fit the width;
    narrower still, two lines a session."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries

    def __rich_console__(self, console, options):
        yield from self.parts(options.max_width)

    def parts(self, width: int):
        """What to print, in order (`output.show` prints one part at a time: a long
        list's first rows show at once)."""
        entries = self.entries
        favorite = [e.favorite for e in entries]
        columns = [
            Col("", [Text("★", style="bold yellow") if f else "" for f in favorite], drop=1),
            Col("Last active", [fmt.when(e.session.last_at_ms) for e in entries]),
            Col("Title", [_title(e) for e in entries], shrink=True, least=16, comfort=40),
            Col("Project", [_where(e) for e in entries], shrink=True, least=12,
                comfort=24, drop=2, path=True),
            Col("Model", [Text(one_line(e.model, 28)) for e in entries], drop=3),
            Col("Prompts", [fmt.exact(e.session.user_prompts) for e in entries], "right", drop=5),
            Col("Tokens", [fmt.tokens(e.session.usage.total) for e in entries], "right"),
            Col("Cost", [_money(e.cost.usd) for e in entries], "right"),
            Col("Credits", [fmt.credits(e.session.credits) for e in entries], "right", drop=4),
            Col("Active", [fmt.duration(e.session.active_time_ms) for e in entries], "right", drop=6),
            Col("ID", [Text(e.session.id, style="dim") for e in entries]),
        ]
        title = "Sessions (newest first)"
        tables = _fitted_parts(title, columns, width)
        if tables is not None:
            yield from tables
            return
        yield Text(title, style="bold")
        for e in entries:
            s = e.session
            yield _stacked([fmt.when(s.last_at_ms), fmt.tokens(s.usage.total), _money(e.cost.usd)], _title(e),
                           width)
            yield _id_line(e, width)


def _id_line(e: Entry, width: int) -> Text:
    """The full id, then the project shortened from the left to what is left."""
    return Text.assemble("  ", Text(e.session.id, style="dim"), "  ", _cut(_where(e), max(2, width - 40), path=True))


def _title(e: Entry) -> Text:
    return Text(one_line(e.session.title, TITLE_CELLS) or "(untitled)", style="bold yellow" if e.favorite else "")


def _money(usd: float | None) -> Text:
    return Text(fmt.money(usd), style="yellow" if usd is None else "")


def _stacked(whole: list, rest: Text, width: int) -> Text:
    """One line: the cells that are never cut, then `rest` shortened to what is left."""
    line = Text("  ").join(Text(c) if isinstance(c, str) else c for c in whole)
    room = width - cell_len(line.plain) - 2
    if room > 1:
        line.append("  ")
        line.append_text(rest if cell_len(rest.plain) <= room else _ellipsis(rest, room))
    return line


def _ellipsis(text: Text, width: int) -> Text:
    cut = text.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut


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
        _credits_cell(p),
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
            table = self._table(names, kinds, wide=layout == 0)
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


    def _table(self, names: tuple[str, ...], kinds, wide: bool) -> Table:
        result = self.result
        table = _table(self.title)
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


class SearchView:
    """Search hits, newest first, the matching words highlighted in each excerpt; the
    full id and the date always whole (titles and projects shorten first); narrower
    still, three lines a hit."""

    def __init__(self, hits, query: str):
        self.hits, self.query = hits, query

    def __rich_console__(self, console, options):
        hits, width = self.hits, options.max_width
        title = f"Sessions matching {one_line(self.query, 60)!r}: {len(hits)}"
        matches = [_match(h) for h in hits]
        columns = [
            Col("Last active", [fmt.when(h.entry.session.last_at_ms) for h in hits]),
            Col("Title", [_title(h.entry) for h in hits], shrink=True, least=16, comfort=24),
            Col("Project", [_project(h.entry) for h in hits], shrink=True,
                least=12, comfort=20, drop=1, path=True),
            Col("Match", matches, shrink=True, least=24, comfort=48),
            Col("ID", [Text(h.entry.session.id, style="dim") for h in hits]),
        ]
        table = _fitted(title, columns, width)
        if table is not None:
            for column in table.columns:  # the excerpt wraps rather than lose its words
                if column.header == "Match":
                    column.no_wrap, column.overflow = False, "fold"
            yield table
            return
        yield Text(title, style="bold")
        for h, match in zip(hits, matches):
            s = h.entry.session
            yield _stacked([fmt.when(s.last_at_ms)], _title(h.entry), width)
            yield _id_line(h.entry, width)
            yield Text.assemble("  ", match)


def _match(hit) -> Text:
    excerpt = Text(hit.excerpt)  # clean, one line (fdash.core.search)
    for start, end in hit.spans:
        excerpt.stylize("bold black on yellow", start, end)
    return Text.assemble(Text(f"{hit.where}: ", style="dim"), excerpt)


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
