"""Projects: Project, Group, Sessions, Tokens, Active time, Est. cost, Credits — sortable by any
column (keys or a click on its header; the same column again reverses)."""

from __future__ import annotations

from fdash import fmt
from fdash.core.aggregate import Bucket
from fdash.core.text import one_line
from fdash.tui.controls import ListModel
from fdash.tui.richbridge import LineCache, fragments
from fdash.tui.state import AppState
from fdash.tui.tabs.projects.state import COLUMNS
from fdash.tui.widgets import Column, fit, fixed, header_fragments, short_path

_rows = LineCache(1024)


def columns(state: AppState, width: int) -> list[Column]:
    gw = max(7, min(20, state.data.widths["group"]))
    return fit(
        [
            Column("project", "Project", 20, flex=True, priority=10, sort="project"),
            Column("group", "Group", gw, priority=4, sort="group"),
            Column("sessions", "Sessions", 10, "right", priority=7, sort="sessions"),
            Column("tokens", "Tokens", 8, "right", priority=9, sort="tokens"),
            Column("active", "Active time", 13, "right", priority=6, sort="active"),
            Column("cost", "Est. cost", 18, "right", priority=8, sort="cost"),
            Column("credits", "Credits", 10, "right", priority=3, sort="credits"),
        ],
        width,
    )


def _line(b: Bucket, cols: list[Column], dark: bool) -> list:
    cells = []
    for col in cols:
        style = ""
        if col.name == "project":
            value, style = short_path(b.key, col.width), "fd.accent"
        elif col.name == "group":
            value = one_line(b.group) or "—"
        elif col.name == "sessions":
            value = fmt.exact(b.sessions)
        elif col.name == "tokens":
            value = fmt.tokens(b.tokens.total)
        elif col.name == "active":
            value = fmt.duration(b.active_time_ms)
        elif col.name == "credits":  # Factory Standard Credits; +N sessions that recorded none
            value = fmt.credits(b.credits) + (f" +{b.no_credit_sessions}" if b.no_credit_sessions else "")
        else:
            value = fmt.money(b.cost_usd)
            if b.unpriced_sessions:
                value, style = f"{value} +{b.unpriced_sessions} unpr.", "fd.warn"
        cells.append((fixed(value, col.width, col.justify), style))
    return fragments(cells, dark)


def model(state: AppState, width: int) -> ListModel:
    lst = state.tabs.projects
    rows = lst.rows
    cols = columns(state, width)
    key_base = (state.data.serial, tuple((c.name, c.width) for c in cols), state.dark, width)

    def line(index: int, w: int):
        bucket = rows[index]
        return _rows.get((bucket.key, *key_base), lambda: _line(bucket, cols, state.dark))

    return ListModel(len(rows), line, lst.cursor, on_click=lst.select, on_scroll=lst.move)


def header(state: AppState, width: int):
    lst = state.tabs.projects
    return header_fragments(columns(state, width), lst.column, lst.descending, lst.sort_by)


def info(state: AppState, width: int = 200) -> list[tuple[str, str]]:
    """How many projects, the order, and the columns that did not fit."""
    lst = state.tabs.projects
    arrow = "▼" if lst.descending else "▲"
    missing = len(COLUMNS) - len(columns(state, width))
    hidden = f" · +{missing} column{'s' if missing > 1 else ''} hidden: widen" if missing > 0 else ""
    return [
        ("class:pane.title", " Projects "),
        ("class:status", f" {fmt.exact(len(lst.rows))} · sort {lst.column} {arrow}{hidden}"),
    ]
