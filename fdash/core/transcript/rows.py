"""Records laid out as rows of text for a given width: what a transcript view draws.

Each record starts with a marker telling its kind; bodies are wrapped (by terminal
cells: wide characters count two) and indented under it. What is folded shows its head
and, for tool results and summaries, their first lines; `Layout` says what is unfolded:
thinking, injected context, every tool's output, or single records (a search hit).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from attrs import define, field, frozen

from fdash.core.transcript.records import Record

PREVIEW_LINES = 3  # lines of a folded tool result or summary
MARKERS = {
    "prompt": "❯ ", "reply": "✦ ", "thinking": "✻ ", "tool": "▸ ", "result": "  ⎿ ", "context": "⋯ ",
    "notice": "! ", "compaction": "↺ ", "outcome": "✗ ", "todo": "✓ ", "bad": "? ",
}


@frozen
class Row:
    style: str  # the record's kind, "<kind>.head" for its first row, "result.error", "blank"
    text: str
    record: int = -1  # which record of its line (-1: a spacer)


@define
class Layout:
    width: int | None = None  # None: no wrapping (plain text for pipes)
    thinking: bool = False
    context: bool = False
    output: bool = False  # every tool's input and output unfolded
    unfolded: set = field(factory=set)  # (line, record index) unfolded one by one

    def key(self) -> tuple:
        return (self.width, self.thinking, self.context, self.output)


def visible(record: Record, layout: Layout) -> bool:
    return record.kind != "context" or layout.context


def cells(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(_cell(c) for c in text)


def _cell(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap(text: str, width: int | None) -> list[str]:
    """`text`'s lines broken to at most `width` cells, at spaces where possible."""
    out: list[str] = []
    for line in text.replace("\t", "    ").split("\n"):
        if width is None or cells(line) <= width:
            out.append(line)
            continue
        while cells(line) > width:
            cut = _fit(line, width)
            space = line.rfind(" ", 0, cut + 1)
            if space > 0:
                out.append(line[:space])
                line = line[space + 1 :]
            else:
                out.append(line[:cut])
                line = line[cut:]
        out.append(line)
    return out


def _fit(text: str, width: int) -> int:
    """How many characters of `text` fit in `width` cells (at least one)."""
    if text.isascii():
        return max(1, width)
    used = 0
    for i, char in enumerate(text):
        used += _cell(char)
        if used > width:
            return max(1, i)
    return len(text)


def shorten(text: str, width: int | None) -> str:
    """One row cut to `width` cells with `…`."""
    if width is None or cells(text) <= width:
        return text
    return text[: max(0, _fit(text, width - 1))] + "…"


def _local(ms: int | None) -> str:
    if ms is None:
        return ""
    try:
        return datetime.fromtimestamp(ms / 1000).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):
        return ""


def rows_of(records: list[Record], layout: Layout) -> list[Row]:
    """The rows of one transcript line's records."""
    out: list[Row] = []
    for index, record in enumerate(records):
        if visible(record, layout):
            unfolded = (record.line, index) in layout.unfolded
            out.extend(_record_rows(record, index, layout, unfolded))
    return out


def _record_rows(record: Record, index: int, layout: Layout, unfolded: bool) -> list[Row]:
    kind, width = record.kind, layout.width
    marker = MARKERS[kind]
    inner = None if width is None else max(10, width - 4)

    def body(lines: list[str], indent: str = "  ", style: str = kind) -> list[Row]:
        return [Row(style, indent + line, index) for line in lines]

    def head(text: str, style: str = f"{kind}.head") -> Row:
        return Row(style, shorten(marker + text, width), index)

    if kind == "prompt":
        when = _local(record.at_ms)
        return [Row("blank", "", index), head(f"You{'  ' + when if when else ''}"),
                *body(wrap(record.text, inner))]
    if kind == "reply":
        lines = wrap(record.text, None if width is None else max(10, width - 2))
        return [Row("reply", marker + lines[0], index), *body(lines[1:])]
    if kind == "thinking":
        if not (layout.thinking or unfolded):
            return [head(f"{record.head} (t shows)" if width else record.head)]
        return [head("thinking"), *body(wrap(record.text, inner))]
    if kind == "context":
        return [head(record.head), *body(wrap(record.text, inner))]
    if kind == "tool":
        rows = [head(record.head)]
        if layout.output or unfolded:
            rows += body(wrap(record.text, None if width is None else max(10, width - 6)), "    ")
        return rows
    if kind == "result":
        style = "result.error" if record.error else "result"
        rows = [head(f"{record.tool + ': ' if record.tool else ''}{record.head}", style)]
        if layout.output or unfolded:
            return rows + body(wrap(record.text, None if width is None else max(10, width - 6)),
                               "      ", style)
        preview = record.text.split("\n", PREVIEW_LINES)[:PREVIEW_LINES]
        return rows + [Row(style, shorten("      " + line.replace("\t", "    "), width), index)
                       for line in preview if line.strip()]
    if kind == "compaction":
        rows = [head(record.head)]
        if layout.output or unfolded:
            return rows + body(wrap(record.text, inner))
        preview = record.text.split("\n", PREVIEW_LINES)[:PREVIEW_LINES]
        return rows + [Row(kind, shorten("  " + line, width), index) for line in preview if line.strip()]
    if kind == "notice":
        lines = wrap(record.text, None if width is None else max(10, width - 2))
        return [Row("notice", marker + lines[0], index), *body(lines[1:])]
    if kind == "todo":
        rows = [head(record.head)]
        if layout.output or unfolded:
            rows += body(wrap(record.text, inner))
        return rows
    return [head(record.head)]  # outcome, bad
