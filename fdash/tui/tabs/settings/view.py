"""Settings: every config setting on one list, edited with the keyboard, saved on change."""

from __future__ import annotations

import os

from rich.text import Text

from fdash.core.text import one_line
from fdash.tui.controls import ListModel
from fdash.tui.richbridge import LineCache, text_line
from fdash.tui.state import AppState
from fdash.tui.tabs.settings.state import Item, fmt_price
from fdash.tui.widgets import cell, row, short_path

LABEL_WIDTH = 32
_rows = LineCache(512)


def _value(item: Item) -> Text:
    if item.kind == "bool":
        return Text("● on" if item.value else "○ off", style="fd.ok" if item.value else "fd.dim")
    if item.kind == "choice":
        return Text(f"‹ {item.value} ›", style="fd.accent")
    if item.kind == "price":
        if item.value is not None:
            return Text(fmt_price(item.value), style="fd.accent") + Text("  config", style="fd.dim")
        if item.note.startswith("built-in"):
            return Text("(built-in applies)", style="fd.dim")
        return Text(
            "unpriced" if item.model else "none", style="fd.warn" if item.model else "fd.dim"
        )
    if item.value is None or item.value == () or (item.flavor == "zone" and not item.value):
        return Text(
            {"zone": "(this machine's zone)", "folders": "none"}.get(item.flavor, "not set"),
            style="fd.dim",
        )
    if isinstance(item.value, tuple):
        return Text(one_line(os.pathsep.join(item.value)))
    value = item.value
    if isinstance(value, float):  # 5, not 5.0 (as the file has it); 0.25 stays
        value = f"{value:g}"
    return Text(one_line(str(value)), style="fd.text" if item.kind != "note" else "fd.dim")


def _text(item: Item, width: int) -> Text:
    if item.kind == "section":
        text = Text(one_line(item.label), style="fd.header")
        if item.note:
            text.append(f"  {one_line(item.note)}", style="fd.dim")
        return cell(text, width)
    value_width = max(10, min(36, width - LABEL_WIDTH - 20))
    if not item.note:
        value_width = max(10, width - LABEL_WIDTH - 2)
    note_width = max(0, width - LABEL_WIDTH - value_width - 4)
    cells = [cell(Text("  " + one_line(item.label)), LABEL_WIDTH), cell(_value(item), value_width)]
    if note_width:
        cells.append(cell(Text(one_line(item.note), style="fd.dim"), note_width))
    return row(cells, gap=2)


def model(state: AppState, width: int) -> ListModel:
    settings = state.tabs.settings
    items = settings.items

    def line(index: int, w: int):
        item = items[index]
        return _rows.get((item, w, state.dark), lambda: text_line(_text(item, w), state.dark))

    return ListModel(
        len(items), line, settings.cursor, on_click=settings.select, on_scroll=settings.move
    )


def info(state: AppState, width: int = 200) -> list[tuple[str, str]]:
    """Where changes are saved: the path shortened readably to fit."""
    path = state.loaded.write_path
    exists = "" if path.exists() else " (created on the first change)"
    title, saved = " Settings ", " saved on change to "
    room = width - len(title) - len(saved)
    if len(str(path)) + len(exists) > room:
        exists = " (new)" if exists else ""
    return [
        ("class:pane.title", title),
        ("class:status", saved + short_path(str(path), max(8, room - len(exists))) + exists),
    ]
