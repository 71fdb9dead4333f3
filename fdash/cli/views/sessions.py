"""`fdash sessions` and `fdash search`: session lists, a row per session or match."""

from __future__ import annotations

import os

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from fdash import fmt
from fdash.cli.views.fitted import Col, cut_cell, fitted_parts, fitted_table
from fdash.core.models import Entry
from fdash.core.text import one_line

TITLE_CELLS = 48  # at most, however wide the terminal (a 5,000-character title stays a title)
PATH_CELLS = 48


def _project(e: Entry) -> Text:
    """The session's project, `~` for the home folder, at most PATH_CELLS (cut from the left)."""
    return cut_cell(Text(_home(one_line(e.session.project))), PATH_CELLS, path=True)


MOVED = Style(dim=True, meta={"fdash": "moved"})  # marks `_where`'s "→ now" part for `cut_cell`


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
        tables = fitted_parts(title, columns, width)
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
    return Text.assemble("  ", Text(e.session.id, style="dim"), "  ", cut_cell(_where(e), max(2, width - 40), path=True))


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
        table = fitted_table(title, columns, width)
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
