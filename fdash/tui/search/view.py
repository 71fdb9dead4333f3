"""Search results (`/`): one line per session found, newest first, with the excerpt that
holds most of the words, the words highlighted; the prompt panel of the selected one
beside them. Excerpts are made for the rows on screen only."""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size

from fdash import fmt
from fdash.core.search import Hit
from fdash.core.text import clean, one_line
from fdash.tui.controls import ListModel
from fdash.tui.prompt_panel import prompt_model
from fdash.tui.richbridge import LineCache, fragments, theme_styles
from fdash.tui.state import AppState
from fdash.tui.widgets import Column, fit, fixed, header_fragments, short_path

_rows = LineCache(512)
_SPACES = re.compile(r"\s+")


def columns(width: int) -> list[Column]:
    return fit(
        [
            Column("date", "Last active", 16, priority=6),
            Column("title", "Title", 24, priority=8),
            Column("project", "Project", 18, priority=5),
            Column("match", "Match", 30, flex=True, priority=10),
        ],
        width,
    )


def pieces(hit: Hit) -> list[tuple[str, bool]]:
    """The excerpt as (text, is a match) pieces, made safe and put on one line (the
    cleaning is done per piece, so the highlights stay on the words)."""
    text, merged = hit.excerpt, []
    for start, end in hit.spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    raw, pos = [], 0
    for start, end in merged:
        raw += [(text[pos:start], False), (text[start:end], True)]
        pos = end
    raw.append((text[pos:], False))
    found: list[tuple[str, bool]] = []
    for part, matched in raw:
        part = _SPACES.sub(" ", clean(part))
        if not found:
            part = part.lstrip()
        if part:
            found.append((part, matched))
    return found


def excerpt_line(hit: Hit, width: int, dark: bool) -> list:
    """`prompt: …words…`, cut to `width` cells."""
    styles = theme_styles(dark)
    line = [(styles["fd.dim"], f"{hit.where}: ")]
    left = width - len(line[0][1])
    parts = pieces(hit)
    lead = left // 4  # the text before the first match, kept short: the match shows
    if parts and not parts[0][1] and len(parts) > 1 and cell_len(parts[0][0]) > lead:
        parts[0] = ("…" + parts[0][0][-max(0, lead - 1) :] if lead > 1 else "", False)
    for part, matched in parts:
        if left <= 0:
            break
        size = cell_len(part)
        if size > left:
            part, size = set_cell_size(part, max(0, left - 1)) + "…", left
        line.append((styles["fd.match" if matched else "fd.text"], part))
        left -= size
    if left > 0:
        line.append(("", " " * left))
    return line


def model(state: AppState, width: int) -> ListModel:
    search = state.search
    found = search.found
    cols = columns(width)
    key_base = (search.query, tuple((c.name, c.width) for c in cols), state.dark)

    def line(index: int, _w: int):
        entry = search.entry(index)

        def make():
            s = entry.session
            cells = []
            for col in cols[:-1]:
                if col.name == "date":
                    cells.append((fixed(fmt.when(s.last_at_ms), col.width), "fd.dim"))
                elif col.name == "title":
                    title = fixed(one_line(s.title) or "(untitled)", col.width)
                    cells.append((title, "fd.fav" if entry.favorite else "fd.text"))
                else:
                    cells.append((fixed(short_path(s.project, col.width), col.width), "fd.accent"))
            row = fragments(cells, state.dark)
            match = excerpt_line(search.hit(index), cols[-1].width, state.dark)
            return (row + [("", " ")] + match) if cells else match

        return _rows.owned(entry, (id(entry), *key_base), make)

    return ListModel(len(found), line, search.cursor, on_click=search.select, on_scroll=search.move)


def header(state: AppState, width: int):
    return header_fragments(columns(width), None, False, None)


def info(state: AppState) -> list[tuple[str, str]]:
    search = state.search
    if not search.query.strip():
        what = "type words to find in prompts, titles and projects"
    else:
        count = len(search.found)
        noun = "session matches" if count == 1 else "sessions match"
        what = f"{fmt.exact(count)} {noun} “{search.query}” · newest first"
    return [("class:pane.title", " Search "), ("class:status", f" {what}")]


def side_model(state: AppState, width: int) -> ListModel:
    search = state.search
    return prompt_model(state, search.selected_entry(), search.side, width)
