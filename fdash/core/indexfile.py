"""The index file: what `fdash.core.index` keeps per sessions folder, as columns of plain
values in stdlib `marshal`, validated value by value when loaded.

A column per stored value (the session id, its folder, the stat key of each file, each
of `models.SESSION_FACTS` in declared order, the problems found and the reader's
resumable state): a warm start is one C call to load and a few C-speed passes to check,
with no object per session. The file names its columns and their types (`layout`), so
this module needs neither the models nor attrs — a warm `stats` (fdash.core.quick)
imports only this, the scan and the sums.

Nothing in the file is trusted: a value of the wrong type, a negative count, a damaged
problem list or a repeated id makes that session's row unusable (it is read again from
its files); a file that is not a regular file, too large, not marshal data, of another
version or another folder is ignored as a whole (and rebuilt).
"""

from __future__ import annotations

import marshal
import os
import time
import zlib
from collections import Counter
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from fdash.core import paths
from fdash.core.atomic import atomic_write
from fdash.core.regular import read_regular

FORMAT_VERSION = 9  # bump when what is stored changes meaning (a change of fields is seen by the layout)
MAX_BYTES = 1 << 30  # an index larger than this is not read (30,000 sessions take ~25 MB)
# the columns before and after a session's facts, with their types
FIRST = (("id", "id"), ("folder", "str"), ("transcript", "key"), ("settings", "key"))
LAST = (("problems", "problems"), ("detail", "bytes"))
_NONE = type(None)


def index_path(root: str | os.PathLike[str]) -> Path:
    raw = os.fsencode(os.path.abspath(root))
    return paths.cache_dir() / f"index-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.marshal"


def key(st) -> tuple[int, int, int] | None:
    """What identifies a file's version (a scan.FileStat or None): size, mtime, inode."""
    return None if st is None else (st.size, st.mtime_ns, st.inode)


# --------------------------------------------------------------------------- checks

# Each type a column can have: a check of a whole column at C speed (True: every value
# is good), and of one value (to find the bad rows when the whole check fails).


def _types(values, allowed: set) -> bool:
    return set(map(type, values)) <= allowed


def _counts(values) -> bool:
    values = list(values)
    return _types(values, {int}) and (not values or min(values) >= 0)


def _tuples(column, size: int | None, items) -> bool:
    """Every value None (when allowed by the caller) or a tuple of `size` items passing `items`."""
    present = [v for v in column if v is not None]
    if not _types(present, {tuple}):
        return False
    if size is not None and not set(map(len, present)) <= {size}:
        return False
    return items(chain.from_iterable(present))


def _pairs_of_text(values) -> bool:
    values = list(values)
    return _types(values, {tuple}) and set(map(len, values)) <= {2} and _types(chain.from_iterable(values), {str})


CHECKS = {
    "str": (lambda c: _types(c, {str}), lambda v: type(v) is str),
    "str | None": (lambda c: _types(c, {str, _NONE}), lambda v: type(v) in (str, _NONE)),
    "int": (_counts, lambda v: _counts([v])),  # counts: never negative
    "int | None": (lambda c: _types(c, {int, _NONE}), lambda v: type(v) in (int, _NONE)),
    "bool": (lambda c: _types(c, {bool}), lambda v: type(v) is bool),
    "float | None": (lambda c: _types(c, {float, int, _NONE}), lambda v: type(v) in (float, int, _NONE)),
    "tuple[str, ...]": (lambda c: _types(c, {tuple}) and _types(chain.from_iterable(c), {str}),
                        lambda v: type(v) is tuple and _types(v, {str})),
    "TokenUsage | None": (lambda c: _tuples(c, 5, _counts), lambda v: v is None or _tuples([v], 5, _counts)),
    # the index's own columns
    "id": (lambda c: _types(c, {str}) and set(map(len, c)) <= {36}, lambda v: type(v) is str and len(v) == 36),
    "key": (lambda c: _tuples(c, 3, _counts), lambda v: v is None or _tuples([v], 3, _counts)),
    "problems": (lambda c: _types(c, {tuple}) and _pairs_of_text(chain.from_iterable(c)),
                 lambda v: type(v) is tuple and _pairs_of_text(v)),
    "bytes": (lambda c: _types(c, {bytes}), lambda v: type(v) is bytes),
}


def bad_rows(column: list, kind: str) -> set[int]:
    whole, one = CHECKS[kind]
    if whole(column):
        return set()
    return {i for i, value in enumerate(column) if not one(value)}


# --------------------------------------------------------------------------- the file


class Stored(NamedTuple):
    layout: tuple[tuple[str, str], ...]  # (column, type) in order
    columns: dict[str, list]
    rows: dict[str, int]  # session id → row, for the rows that passed every check
    scanned_ns: int  # when the scan that wrote it began (wall clock)
    extra: object  # what the writer keeps besides (fdash.core.index: the layout of the detail column)


def load(root: str | os.PathLike[str]) -> Stored | None:
    """The stored index of `root`, checked; None when there is none usable."""
    try:
        doc = marshal.loads(read_regular(str(index_path(root)), limit=MAX_BYTES))
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if type(doc) is not dict or doc.get("version") != FORMAT_VERSION or doc.get("root") != os.path.abspath(root):
        return None
    layout, columns, scanned = doc.get("layout"), doc.get("columns"), doc.get("scanned_ns")
    if (type(layout) is not tuple or type(columns) is not dict or type(scanned) is not int
            or not all(type(c) is tuple and len(c) == 2 and c[1] in CHECKS for c in layout)
            or len(layout) != len(columns) or layout[: len(FIRST)] != FIRST):
        return None
    ids = columns.get("id")
    count = len(ids) if type(ids) is list else -1
    bad: set[int] = set()
    for name, kind in layout:
        column = columns.get(name)
        if type(column) is not list or len(column) != count:
            return None
        bad |= bad_rows(column, kind)
    good = [(sid, i) for i, sid in enumerate(ids) if i not in bad] if bad else list(zip(ids, range(count)))
    rows = dict(good)
    if len(rows) != len(good):  # an id twice: neither row is trusted
        twice = {sid for sid, n in Counter(sid for sid, _ in good).items() if n > 1}
        rows = {sid: i for sid, i in good if sid not in twice}
    return Stored(layout, columns, rows, scanned, doc.get("extra"))


def save(root: str | os.PathLike[str], layout, columns: dict[str, list], scanned_ns: int, extra=None) -> None:
    """Write the index whole (temp file + rename: readers see the old or the new one)."""
    doc = {"version": FORMAT_VERSION, "root": os.path.abspath(root), "scanned_ns": scanned_ns,
           "layout": tuple(layout), "columns": columns, "extra": extra}
    path = index_path(root)
    try:
        data = marshal.dumps(doc)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data, cache=True)
    except (OSError, ValueError):
        pass  # a read-only cache, or a value marshal cannot hold: only costs speed


def now_ns() -> int:
    return time.time_ns()
