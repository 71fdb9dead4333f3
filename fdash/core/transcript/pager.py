"""Scroll and search a transcript by rows, decoding only the lines that are looked at.

`Pager` keeps a position (`top`: a line of the file and a row of that line's layout) and
hands out the rows of a window. Lines are read around the one needed (one `pread` of
~256 KB), decoded into records and laid out; both are cached, bounded by the text they
hold, so memory stays flat however long the transcript is. Search looks for the text in
the raw bytes first (as JSON writes it, ASCII case folded), chunk by chunk, and decodes
only the lines that may hold it; a hit inside folded text unfolds that record.
"""

from __future__ import annotations

import json
from collections import OrderedDict

import orjson
from attrs import frozen

from fdash.core.parse import MAX_LINE
from fdash.core.transcript.lines import LineIndex, TranscriptChanged
from fdash.core.transcript.records import Record, decode
from fdash.core.transcript.rows import Layout, Row, rows_of

READ_AROUND = 256 * 1024  # bytes read around a line that is needed
SEARCH_CHUNK = 2 * 1024 * 1024  # bytes searched at once (and a lower-case copy)
CACHE_CHARS = 16_000_000  # decoded text kept at most (least recently used dropped)
RAW_CACHE_BYTES = 4 * READ_AROUND  # lines read around those needed, kept until decoded
MAX_TOOL_NAMES = 100_000
FOLDABLE = ("thinking", "tool", "result", "compaction", "todo")


def too_long(index: LineIndex, line: int) -> Record:
    """A line too long to hold (the index's parser skips it too)."""
    size = index.length(line)
    return Record("bad", line, f"a line of {size / 1e6:.0f} MB, too long to show", size=size)


@frozen
class Hit:
    line: int
    row: int  # row of that line's layout
    start: int  # characters of the row's text where the match starts / ends
    end: int


class Pager:
    def __init__(self, path: str, layout: Layout | None = None):
        self.path = path
        self.layout = layout or Layout()
        self.index = LineIndex(path)
        self.top = (0, 0)
        self.hit: Hit | None = None
        self.wrapped = False  # the last search went past the end (or the start) and round
        self._names: dict[str, str] = {}  # tool_use id -> tool name
        self._records: OrderedDict[int, list[Record]] = OrderedDict()
        self._chars = 0
        self._raw: OrderedDict[int, bytes] = OrderedDict()  # lines read but not decoded yet
        self._raw_bytes = 0
        self._rows: dict[int, list[Row]] = {}
        self._rows_key: tuple | None = None

    def __len__(self) -> int:
        return len(self.index)

    # ------------------------------------------------------------------ reading

    def refresh(self) -> None:
        """Index the file again (droid appended to it, or replaced it)."""
        old_inode, old_lines = self.index.inode, len(self.index)
        self.index = LineIndex(self.path)
        self._raw.clear()
        self._raw_bytes = 0
        if self.index.inode != old_inode or len(self.index) < old_lines:
            self._records.clear()
            self._chars = 0
            self._names.clear()
            self.layout.unfolded.clear()
            self.hit = None
        else:  # grown: the last line may have been partial
            self._forget(old_lines - 1)
        self._rows.clear()
        line, row = self.top
        self.top = (min(line, len(self.index)), row if line < len(self.index) else 0)

    def _read(self, first: int, last: int) -> list[bytes]:
        try:
            return self.index.read(first, last)
        except TranscriptChanged:
            self.refresh()
            return self.index.read(first, last)

    def _forget(self, line: int) -> None:
        gone = self._records.pop(line, None)
        if gone is not None:
            self._chars -= sum(len(r.text) for r in gone)
        self._rows.pop(line, None)

    def records(self, line: int) -> list[Record]:
        """The records of one line (read with its neighbours when not cached)."""
        if not 0 <= line < len(self.index):
            return []
        cached = self._records.get(line)
        if cached is not None:
            self._records.move_to_end(line)
            return cached
        raw = self._raw.get(line)
        if raw is None and self.index.length(line) > MAX_LINE:
            records = [too_long(self.index, line)]
            self._store(line, records)
            return records
        if raw is None:
            first = min(line, self.index.lines_before(line, READ_AROUND // 2))
            last = max(line + 1, self.index.lines_within(line, READ_AROUND // 2))
            for number, data in enumerate(self._read(first, last), first):
                self._raw[number] = data
                self._raw_bytes += len(data)
            raw = self._raw[line]
            while self._raw_bytes > RAW_CACHE_BYTES and len(self._raw) > last - first:
                self._raw_bytes -= len(self._raw.popitem(last=False)[1])
        records = self._decode(line, raw)
        self._store(line, records)
        return records

    def _decode(self, line: int, raw: bytes) -> list[Record]:
        if len(self._names) > MAX_TOOL_NAMES:
            self._names.clear()
        records = decode(raw, line, self._names)
        if line and any(r.kind == "result" and r.tool is None for r in records):
            first = max(0, line - 4)  # the assistant message that made the calls is just before
            for number, previous in enumerate(self._read(first, line), first):
                if b'"type":"tool_use"' in previous:
                    decode(previous, number, self._names)
            records = decode(raw, line, self._names)
        return records

    def _store(self, line: int, records: list[Record]) -> None:
        self._records[line] = records
        self._chars += sum(len(r.text) for r in records)
        while self._chars > CACHE_CHARS and len(self._records) > 1:
            old, gone = self._records.popitem(last=False)
            self._chars -= sum(len(r.text) for r in gone)
            self._rows.pop(old, None)

    # ------------------------------------------------------------------ rows

    def rows(self, line: int) -> list[Row]:
        key = self.layout.key()
        if key != self._rows_key:
            self._rows.clear()
            self._rows_key = key
        rows = self._rows.get(line)
        if rows is None:
            rows = rows_of(self.records(line), self.layout)
            if len(self._rows) > 4096:
                self._rows.clear()
            self._rows[line] = rows
        return rows

    def window(self, height: int) -> list[tuple[int, int, Row]]:
        """(line, row, Row) of the `height` rows from `top`."""
        out: list[tuple[int, int, Row]] = []
        line, row = self.top
        while len(out) < height and line < len(self.index):
            rows = self.rows(line)
            for number in range(row, len(rows)):
                out.append((line, number, rows[number]))
                if len(out) == height:
                    break
            line, row = line + 1, 0
        return out

    def scroll(self, delta: int) -> None:
        """Move `top` by `delta` rows (negative: up), stopping at either end."""
        line, row = self.top
        count = len(self.index)
        while delta > 0 and line < count:
            left = len(self.rows(line)) - row
            if delta < left:
                row += delta
                delta = 0
            else:
                delta -= left
                line, row = line + 1, 0
        while delta < 0:
            if -delta <= row:
                row += delta
                delta = 0
            elif line == 0:
                row = 0
                break
            else:
                delta += row
                line -= 1
                row = len(self.rows(line))
        self.top = (line, row)

    def home(self) -> None:
        self.top = (0, 0)

    def end(self, height: int) -> None:
        self.top = (len(self.index), 0)
        self.scroll(-height)

    def clamp(self, height: int) -> None:
        """Keep the window full: no blank space below the last row unless it all fits."""
        if len(self.window(height)) < height:
            self.end(height)

    def fraction(self) -> float:
        return self.top[0] / len(self.index) if len(self.index) else 1.0

    def set_layout(self, **changes) -> None:
        """Change what is unfolded, keeping the line at the top."""
        for name, value in changes.items():
            setattr(self.layout, name, value)
        self.top = (self.top[0], 0)

    # ------------------------------------------------------------------ search

    def find(self, query: str, forward: bool = True) -> Hit | None:
        """The next (or previous) row holding `query` (any case), after the current hit
        or from the top of the window, going round the end once. Moves there."""
        folded = query.casefold()
        if not folded.strip() or not len(self.index):
            return None
        needles = {orjson.dumps(query)[1:-1].lower(), json.dumps(query)[1:-1].encode().lower()}
        if self.hit is not None:
            after = (self.hit.line, self.hit.row)
        else:
            after = (self.top[0], self.top[1] - 1) if forward else (self.top[0], self.top[1] + 1)
        self.wrapped = False
        count = len(self.index)
        spans = [(after[0], count), (0, after[0] + 1)] if forward else [(0, after[0] + 1), (after[0], count)]
        for turn, (first, last) in enumerate(spans):
            for line in self._candidates(first, last, needles, forward):
                hit = self._hit_in(line, folded, after if turn == 0 else None, forward)
                if hit is not None:
                    self.wrapped = turn == 1
                    self.hit = hit
                    self.top = (hit.line, hit.row)
                    self.scroll(-2)
                    return hit
        return None

    def _candidates(self, first: int, last: int, needles: set[bytes], forward: bool):
        """Lines in [first, last) whose raw bytes hold a needle, in search order."""
        index = self.index
        ranges = []
        line = first
        while line < last:
            if index.length(line) > MAX_LINE:  # not shown, not searched
                line += 1
                continue
            end = min(last, index.lines_within(line, SEARCH_CHUNK))
            ranges.append((line, end))
            line = end
        for start, end in ranges if forward else reversed(ranges):
            try:
                data = index.span(start, end).lower()
            except TranscriptChanged:
                return
            base = index.starts[start]
            found = set()
            for needle in needles:
                position = data.find(needle)
                while position != -1:
                    found.add(index.line_at(base + position))
                    position = data.find(needle, position + 1)
            yield from sorted(found, reverse=not forward)

    def _hit_in(self, line: int, folded: str, after: tuple[int, int] | None, forward: bool) -> Hit | None:
        records = self.records(line)
        order = range(len(records)) if forward else range(len(records) - 1, -1, -1)
        for index in order:
            record = records[index]
            if record.kind == "context" and not self.layout.context:
                continue
            if folded not in f"{record.head}\n{record.text}".casefold():
                continue
            key = (line, index)
            added = record.kind in FOLDABLE and key not in self.layout.unfolded
            if added:
                self.layout.unfolded.add(key)
                self._rows.pop(line, None)
            rows = self.rows(line)
            numbers = [n for n, row in enumerate(rows) if row.record == index]
            for number in numbers if forward else reversed(numbers):
                if after is not None and ((line, number) <= after if forward else (line, number) >= after):
                    continue
                start = rows[number].text.casefold().find(folded)
                if start != -1:
                    return Hit(line, number, start, start + len(folded))
            if numbers and after is None or (numbers and after[0] != line):
                return Hit(line, numbers[0], 0, 0)  # the text is split over two rows
            if added:
                self.layout.unfolded.discard(key)
                self._rows.pop(line, None)
        return None


def all_records(path: str):
    """Every record of a transcript, in order, read a few MB at a time (memory stays
    near the longest line)."""
    index = LineIndex(path)
    names: dict[str, str] = {}
    line = 0
    while line < len(index):
        if index.length(line) > MAX_LINE:
            yield too_long(index, line)
            line += 1
            continue
        last = index.lines_within(line, SEARCH_CHUNK)
        for number, raw in enumerate(index.read(line, last), line):
            if len(names) > MAX_TOOL_NAMES:
                names.clear()
            yield from decode(raw, number, names)
        line = last
