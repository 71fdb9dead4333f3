"""Tables fitted to the terminal width: names shorten, then the least useful columns go."""

from __future__ import annotations

from attrs import frozen
from rich.cells import cell_len
from rich.style import Style
from rich.table import Table
from rich.text import Text

from fdash.cli.views.cells import report_table


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


def fitted_table(title: str, columns: list[Col], width: int) -> Table | None:
    """A table of `columns` no wider than `width`, or None when the ones that must be
    shown whole (and the shrinking ones at their least) do not fit."""
    layout = _layout(columns, width)
    if layout is None:
        return None
    shown, widths = layout
    return _filled(report_table(title), shown, widths, 0, len(shown[0].cells) if shown else 0)


PART_ROWS = 500  # rows per table when a long list is printed in parts


def fitted_parts(title: str, columns: list[Col], width: int):
    """`fitted_table`, for a list of any length: the title, the header and the first
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
        return [_filled(report_table(title), shown, widths, 0, rows)]
    every = {c.name: widths.get(c.name, c.natural()) for c in shown}
    first = report_table(title)
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
        table.add_row(*(cut_cell(cell, cut[c.name], c.path) if c.name in cut else cell
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
                cell = cut_cell(cell, width, c.path)
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
    """The columns `fitted_table` shows and the widths of the shrinking ones, or None."""
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
    """A report table fitted to the width at render time (`fitted_table`): names shorten,
    then the least useful columns go; numbers and money are never cut. Too narrow even
    for that, every column is kept and Rich wraps the cells."""

    def __init__(self, title: str, columns: list[Col], caption: str | None = None):
        self.title, self.columns, self.caption = title, columns, caption

    def __rich_console__(self, console, options):
        table = fitted_table(self.title, self.columns, options.max_width)
        if table is None:
            table = report_table(self.title)
            for c in self.columns:
                table.add_column(c.name, justify=c.justify)
            for row in zip(*(c.cells for c in self.columns)):
                table.add_row(*row)
        table.caption = self.caption
        yield table


def cut_cell(cell, width: int, path: bool):
    """A cell of a shrinking column cut to `width` cells: a path from the left (…/auth-app);
    a moved session's project is cut before where it is now (`sessions._where`)."""
    text = cell if isinstance(cell, Text) else Text(str(cell))
    if not path or cell_len(text.plain) <= width:
        return text
    moved = next((s.start for s in text.spans if isinstance(s.style, Style) and s.style.meta.get("fdash") == "moved"),
                 None)
    if moved:
        rest = cell_len(text.plain[moved:])
        if width - rest < 6:  # the project keeps "…" and a few characters of its name
            return cut_cell(text[:moved], width, path)  # narrower: the project only
        head = cut_cell(text[:moved], width - rest, path)
        head.append_text(text[moved:])
        return head
    plain = text.plain
    while plain and cell_len(plain) > width - 1:
        plain = plain[1:]
    return Text("…" + plain, style=text.style)
