"""The index file: what `fdash.core.index` keeps per sessions folder, as columns of plain
values in stdlib `marshal`, validated value by value when loaded.

A column per stored value (the session id, its folder, the stat key of each file, each
of `models.SESSION_FACTS` in declared order, the problems found and the reader's
resumable state), each its own marshal data after a small header that says where each
lies, then the listing of the scan that wrote it (`scan.still`): a reader reads and
decodes only the columns it uses — one C call each — and checks them with a few C-speed
passes, with no object per session. The file names its columns and their types
(`layout`), so this module needs neither the models nor attrs: a warm `stats`
(fdash.core.quick) imports only this, the scan and the sums.

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
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from fdash.core import paths
from fdash.core.atomic import atomic_write
from fdash.core.regular import open_regular, read_at
from fdash.core.scan import RACY_NS, settled

FORMAT_VERSION = 10  # bump when what is stored changes meaning (a change of fields is seen by the layout)
MAX_BYTES = 1 << 30  # an index larger than this is not read (30,000 sessions take ~25 MB)
# the columns before and after a session's facts, with their types
FIRST = (("id", "id"), ("folder", "str"), ("transcript", "key"), ("settings", "key"))
LAST = (("problems", "problems"), ("detail", "bytes"))
_NONE = type(None)


def index_path(root: str | os.PathLike[str]) -> Path:
    raw = os.fsencode(os.path.abspath(root))
    return paths.cache_dir() / f"index-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.marshal"


def key(st) -> tuple[int, int, int] | None:
    """What identifies a file's version (a scan.FileStat or None): size, mtime, inode
    (`st[1:]`, as `unchanged` takes it)."""
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
    columns: dict[str, list]  # the columns decoded and checked so far
    rows: dict[str, int]  # session id → row, for the rows that passed the checks made
    scanned_ns: int  # when the scan that wrote it began (wall clock)
    extra: object  # what the writer keeps besides (fdash.core.index: the layout of the detail column)
    blobs: Blobs  # every column as stored, read when needed


MAGIC = b"fdashidx"


class Blobs:
    """The stored form of each column (marshal data), read from the file when asked for:
    only from the file the header was read from (same size, mtime and inode)."""

    def __init__(self, path: str, identity: tuple[int, int, int], base: int, offsets: dict) -> None:
        self.path, self.identity, self.base, self.offsets = path, identity, base, offsets

    def __getitem__(self, name: str) -> bytes:
        offset, length = self.offsets[name]
        with open_regular(self.path) as (fd, st):
            if (st.st_size, st.st_mtime_ns, st.st_ino) != self.identity:
                raise ValueError("the index was replaced meanwhile")
            data = read_at(fd, self.base + offset, length)
        if len(data) != length:
            raise ValueError("the index is shorter than it says")
        return data


def load(root: str | os.PathLike[str], only: tuple[str, ...] | None = None) -> Stored | None:
    """The stored index of `root`, checked; None when there is none usable. `only`: just
    these columns (and the ids, folders, file keys and problems) are read and checked now,
    for a reader that uses no other; `checked` does the rest.

    The file: MAGIC, the header's length (8 bytes), the header (marshal: version, root,
    layout, where each column's marshal data lies after it), then those data."""
    path = str(index_path(root))
    try:
        with open_regular(path) as (fd, st):
            head = read_at(fd, 0, 16)
            size = int.from_bytes(head[8:16], "little")
            if head[:8] != MAGIC or not 0 < size <= min(st.st_size, MAX_BYTES) - 16:
                return None
            doc = marshal.loads(read_at(fd, 16, size))
            identity = (st.st_size, st.st_mtime_ns, st.st_ino)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if type(doc) is not dict or doc.get("version") != FORMAT_VERSION or doc.get("root") != os.path.abspath(root):
        return None
    layout, offsets, scanned = doc.get("layout"), doc.get("offsets"), doc.get("scanned_ns")
    end = identity[0] - 16 - size
    if (type(layout) is not tuple or type(offsets) is not dict or type(scanned) is not int
            or not all(type(c) is tuple and len(c) == 2 and c[1] in CHECKS for c in layout)
            or len(layout) + 1 != len(offsets) or layout[: len(FIRST)] != FIRST
            or not all(_is_span(offsets.get(name), end) for name in (*(n for n, _k in layout), "listing"))):
        return None
    if only is not None and not set(only) <= {name for name, _kind in layout}:
        return None  # of another layout: what is asked for is not in it
    wanted = [c for c in layout if only is None or c[0] in only or c in FIRST or c[0] == "problems"]
    blobs = Blobs(path, identity, 16 + size, offsets)
    return _decoded(Stored(layout, {}, {}, scanned, doc.get("extra"), blobs), wanted)


def _is_span(value, end: int) -> bool:
    return (type(value) is tuple and len(value) == 2 and all(type(v) is int for v in value)
            and 0 <= value[0] and 0 <= value[1] and value[0] + value[1] <= end)


def listing(stored: Stored | None) -> tuple:
    """The listing of the scan the stored rows are of (scan.ScanResult.listing), checked;
    () when there is none."""
    if stored is None:
        return ()
    try:
        value = marshal.loads(stored.blobs["listing"])
    except (OSError, EOFError, ValueError, TypeError):
        return ()
    return value if _is_listing(value) else ()


def _is_listing(value) -> bool:
    """(int, ((folder, mtime), ...), ((name, ...), ...) a tuple per folder, (int, ...) three a
    name, int)."""
    if type(value) is not tuple or len(value) != 5 or type(value[0]) is not int or type(value[4]) is not int:
        return False
    _began, folders, names, keys, _duplicates = value
    return (type(folders) is tuple and type(names) is tuple and type(keys) is tuple and len(folders) == len(names)
            and all(type(f) is tuple and len(f) == 2 and type(f[0]) is str and type(f[1]) is int for f in folders)
            and _types(names, {tuple}) and _types(chain.from_iterable(names), {str})
            and len(keys) == 3 * sum(map(len, names)) and _counts(keys))


def checked(stored: Stored | None) -> Stored | None:
    """`stored` with every column decoded and checked (rows that fail are dropped)."""
    if stored is None or len(stored.columns) == len(stored.layout):
        return stored
    return _decoded(stored, [c for c in stored.layout if c[0] not in stored.columns])


def _decoded(stored: Stored, wanted) -> Stored | None:
    columns = dict(stored.columns)
    for name, _kind in wanted:
        try:
            columns[name] = marshal.loads(stored.blobs[name])
        except (OSError, EOFError, ValueError, TypeError):
            return None
    ids = columns["id"]
    count = len(ids) if type(ids) is list else -1
    if not all(type(columns[name]) is list and len(columns[name]) == count for name, _kind in wanted):
        return None
    bad: set[int] = set()
    for name, kind in wanted:
        bad |= bad_rows(columns[name], kind)
    if stored.columns:  # checked before: the rows that passed then, less those failing now
        rows = {sid: row for sid, row in stored.rows.items() if row not in bad} if bad else stored.rows
        return stored._replace(columns=columns, rows=rows)
    good = [(sid, i) for i, sid in enumerate(ids) if i not in bad] if bad else list(zip(ids, range(count)))
    rows = dict(good)
    if len(rows) != len(good):  # an id twice: neither row is trusted
        twice = {sid for sid, n in Counter(sid for sid, _ in good).items() if n > 1}
        rows = {sid: i for sid, i in good if sid not in twice}
    return stored._replace(columns=columns, rows=rows)


def save(root: str | os.PathLike[str], layout, columns: dict, scanned_ns: int, extra=None,
         listing: tuple = ()) -> str | None:
    """Write the index whole (temp file + rename: readers see the old or the new one).
    Returns why it could not be written (fdash then works without it, only slower)."""
    path = index_path(root)
    try:
        data = encode({"version": FORMAT_VERSION, "root": os.path.abspath(root), "scanned_ns": scanned_ns,
                       "layout": tuple(layout), "extra": extra}, {name: columns[name] for name, _ in layout}, listing)
        if path.parent.exists() and not path.parent.is_dir():
            return f"{path.parent} is not a folder"
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data, cache=True)
    except OSError as exc:  # a read-only cache: only costs speed, but the user should know
        return f"cannot write in {path.parent}: {exc.strerror or exc}"
    except ValueError:
        pass  # a value marshal cannot hold: that session is read again next time
    return None


def encode(header: dict, columns: dict, listing: tuple) -> list[bytes]:
    """The file's bytes, in parts: `header` (with where each part lies), then each column's
    marshal data (a column given as bytes is taken as its data), then the listing's."""
    parts = [(name, value if type(value) is bytes else marshal.dumps(value)) for name, value in columns.items()]
    parts.append(("listing", marshal.dumps(listing)))
    offsets, at = {}, 0
    for name, data in parts:
        offsets[name] = (at, len(data))
        at += len(data)
    head = marshal.dumps(dict(header, offsets=offsets))
    return [MAGIC, len(head).to_bytes(8, "little"), head, *(data for _name, data in parts)]


def decode(data: bytes) -> tuple[dict, dict, tuple]:
    """(header, columns, listing) of a file's bytes, decoded whole (for tests and tools)."""
    size = int.from_bytes(data[8:16], "little")
    header = marshal.loads(data[16 : 16 + size])
    base = 16 + size
    parts = {name: marshal.loads(data[base + at : base + at + n]) for name, (at, n) in header["offsets"].items()}
    listing = parts.pop("listing")
    return header, parts, listing


def unchanged(stored: Stored, files) -> bool:
    """Every session (scan.SessionFiles, in order) has its stored row, in the same order,
    and neither of its files changed: whole columns compared at C speed."""
    columns = stored.columns
    ids = columns["id"]
    if not len(stored.rows) == len(files) == len(ids):
        return False
    keys = chain(columns["transcript"], columns["settings"])
    return (list(map(itemgetter(0), files)) == ids
            and list(map(itemgetter(1), files)) == columns["folder"]
            and [t and t[1:] for t in map(itemgetter(2), files)] == columns["transcript"]
            and [t and t[1:] for t in map(itemgetter(3), files)] == columns["settings"]
            and max((k[1] for k in keys if k), default=0) < stored.scanned_ns - RACY_NS)


def reusable_rows(stored: Stored, files) -> list[int]:
    """Per session, its stored row when neither file changed (same folder, same keys, and
    neither had changed within RACY_NS of the scan that stored it), else -1."""
    rows, columns = stored.rows, stored.columns
    folders, transcripts, settings = columns["folder"], columns["transcript"], columns["settings"]
    settled = stored.scanned_ns - RACY_NS  # a file changed after this may have changed again unseen
    found = []
    for f in files:
        row = rows.get(f.id, -1)
        if row >= 0 and not (folders[row] == f.folder and transcripts[row] == key(f.transcript)
                             and settings[row] == key(f.settings)
                             and (f.transcript is None or f.transcript.mtime_ns < settled)
                             and (f.settings is None or f.settings.mtime_ns < settled)):
            row = -1
        found.append(row)
    return found


def now_ns() -> int:
    return time.time_ns()


def listing_news(stored: Stored | None, new: tuple) -> bool:
    """Whether `new` (the listing of a scan now) is worth writing down: what the index
    holds is of other files or folders, or not yet settled (see scan.still) where this is."""
    if not new:
        return False
    old = listing(stored)
    if not old or old[1:] != new[1:]:
        return True
    return not settled(old) and settled(new)
