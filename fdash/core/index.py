"""The persistent index: each session's parsed facts, so unchanged files are not opened.

One file per sessions root in the cache dir (`$XDG_CACHE_HOME/fdash/`; its format and
checks are in `fdash.core.indexfile`), holding per session id the stat key (size, mtime,
inode) of its transcript and settings, the session's facts, the problems found and the
transcript reader's resumable state. On the next run:

- both files unchanged → the stored facts are used, nothing is opened;
- only the settings changed → only the settings file is read;
- the transcript only grew (same inode, same session_start line, same bytes just before
  where the last read stopped) → only the new bytes are read, the reader resumes;
- anything else, or a stored row that fails its checks → the files are read again;
  removed sessions drop out;
- a file changed within 2 s of the scan that stored it (scan.RACY_NS) is checked again
  as if it had grown: its key alone does not prove it unchanged.

Files that must be read are read in parallel worker processes when there are enough of
them to pay for the workers (a cold start); the results are the same plain lists.

The index is written only when something changed, whole, to a temp file then renamed
(`atomic_write`): concurrent fdash processes never see a torn index, the last writer
wins, and a corrupt, partial or other-version index is silently rebuilt. `fresh=True`
(`--no-cache`) reads every file again and rewrites the index (keeping only the token
history fdash observed, from rows that pass their checks).
See docs/ARCHITECTURE.md for why this and not SQLite.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Callable, Iterable
from itertools import chain
from operator import itemgetter
from pathlib import Path

from attrs import fields

from fdash.core import indexfile
from fdash.core.indexfile import index_path, key, reusable_rows
from fdash.core.models import SESSION_FACTS, Problem, Session, TokenUsage
from fdash.core.parse import TranscriptReader
from fdash.core.read import FirstLine, build_session, read_settings
from fdash.core.regular import chunks_of, open_regular, read_at
from fdash.core.scan import RACY_NS, FileStat, SessionFiles
from fdash.core.settings_file import SettingsFacts
from fdash.core.times import decode_activity, encode_activity

__all__ = ["Index", "Table", "index_path", "read_entry"]

SEAM = 64  # bytes before the resume point checked to prove the file only grew
PARALLEL_MIN_BYTES = 32 * 1024 * 1024  # below this and PARALLEL_MIN_FILES, workers cost
PARALLEL_MIN_FILES = 400  # more to start than they save
WORKERS = 2

# the reader's resumable state, stored without its previews (kept once, in the session facts)
# (every field of the reader but its settings, its prompts and what only `finished` sets)
_READER_FIELDS = tuple(
    f.name for f in fields(TranscriptReader)
    if f.name not in ("path", "keep_full_prompts", "previews", "full_prompts", "partial_tail", "long_tail")
)
READER, HEAD, SETTINGS_FACTS, SETTINGS_PROBLEMS = range(4)  # inside the detail column


def _tokens(t: TokenUsage | None) -> tuple | None:
    return None if t is None else (t.input, t.output, t.cache_write, t.cache_read, t.thinking)


def _tokens_from(values: tuple | None) -> TokenUsage | None:
    return None if values is None else TokenUsage(*values)


# How a value marshal does not hold is stored, by its declared type (a new type needs its
# stored form here and its check in indexfile.CHECKS).
_CODECS = {"TokenUsage | None": (_tokens, _tokens_from)}


class _Layout:
    """The stored form of some fields of an attrs class: a list of their values, in order."""

    def __init__(self, attributes) -> None:
        self.names = tuple(a.name for a in attributes)
        self.types = tuple(a.type for a in attributes)
        self._encode = [(i, _CODECS[a.type][0]) for i, a in enumerate(attributes) if a.type in _CODECS]
        self._decode = [(i, _CODECS[a.type][1]) for i, a in enumerate(attributes) if a.type in _CODECS]

    def dump(self, obj) -> list:
        values = [getattr(obj, name) for name in self.names]
        for i, encode in self._encode:
            values[i] = encode(values[i])
        return values

    def load(self, stored) -> list:
        """The values of a dumped list; raises TypeError or ValueError on a damaged one."""
        values = list(stored)
        for i, decode in self._decode:
            values[i] = decode(values[i])
        return values


_FACTS = _Layout(SESSION_FACTS)  # a Session but where its files are
_SETTINGS_FACTS = _Layout(fields(SettingsFacts))
# the index's columns, in order: an index of another layout is rebuilt
LAYOUT = (*indexfile.FIRST, *zip(_FACTS.names, _FACTS.types), *indexfile.LAST)
NAMES = tuple(name for name, _type in LAYOUT)
DETAIL_LAYOUT = (tuple(zip(_SETTINGS_FACTS.names, _SETTINGS_FACTS.types)), _READER_FIELDS)
ID, FOLDER, TRANSCRIPT, SETTINGS = range(4)
FACTS = slice(len(indexfile.FIRST), len(indexfile.FIRST) + len(_FACTS.names))
PROBLEMS, DETAIL = len(NAMES) - 2, len(NAMES) - 1
PREVIEWS, SNAPSHOTS = (NAMES.index(name) for name in ("prompt_previews", "token_snapshots"))
for _name, _type in LAYOUT:  # a fact of a type the index cannot check: say so at once
    assert _type in indexfile.CHECKS, f"Session.{_name}: give type {_type} a check in indexfile.CHECKS"


def _settings_to_list(f: SettingsFacts | None) -> list | None:
    return None if f is None else _SETTINGS_FACTS.dump(f)


def _settings_from_list(values: list | None) -> SettingsFacts | None:
    return None if values is None else SettingsFacts(*_SETTINGS_FACTS.load(values))


def _problems(pairs) -> list[Problem]:
    return [Problem(p, r) for p, r in pairs]


# --------------------------------------------------------------------------- reading one session


def read_entry(files: SessionFiles, stored: list | None, counters: dict | None = None,
               settled_ns: int | None = None) -> list:
    """Read what changed of one session and return its new index row (a list in LAYOUT's
    order). A stored row whose resumable state is damaged is ignored: everything is read again."""
    counters = counters if counters is not None else {}
    if stored is not None:
        try:
            detail = marshal.loads(stored[DETAIL])
            return _read_entry(files, stored, detail, counters, settled_ns)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError, EOFError):
            pass
    return _read_entry(files, None, None, counters)


def _read_entry(files: SessionFiles, stored: list | None, detail: list | None, counters: dict,
                settled_ns: int | None = None) -> list:
    transcript_problems: list[Problem] = []
    reader, tail, head, previews = _read_transcript(files, stored, detail, transcript_problems, counters)
    settings, settings_problems = _read_settings(files, stored, detail, counters, settled_ns)
    finished = reader.finished(tail) if reader else None
    if finished is not None:
        transcript_problems += finished.problems()
    previous = stored[SNAPSHOTS] if stored is not None else ""
    session = build_session(files, finished, settings, add_snapshot(previous, _snapshot(files, settings)))
    found = transcript_problems + settings_problems  # a settings file alone is no problem (docs/FORMAT.md)
    detail = (
        [_reader_value(reader, f) for f in _READER_FIELDS] + [previews] if reader else None,
        head,
        _settings_to_list(settings),
        tuple(tuple(p) for p in settings_problems),
    )
    return [
        files.id,
        files.folder,
        key(files.transcript),
        key(files.settings),
        *_FACTS.dump(session),
        tuple(tuple(p) for p in found),
        marshal.dumps(detail),
    ]


def _reader_value(reader: TranscriptReader, name: str):
    value = getattr(reader, name)
    return encode_activity(value) if name == "activity" else value


def _snapshot(files: SessionFiles, settings: SettingsFacts | None) -> str:
    """The settings' token totals now, taken at the settings file's mtime ("" without)."""
    if settings is None or settings.tokens is None or files.settings is None:
        return ""
    t = settings.tokens
    return f"{files.settings.mtime_ns // 1_000_000}:{t.input}:{t.output}:{t.cache_write}:{t.cache_read}:{t.thinking}"


def add_snapshot(previous: str, snapshot: str) -> str:
    """A session's token snapshots: the previous ones, plus `snapshot` when its totals
    differ from the last one."""
    if not snapshot:
        return previous
    last = previous.rsplit(";", 1)[-1]
    if last.split(":", 1)[-1] == snapshot.split(":", 1)[-1]:
        return previous
    return f"{previous};{snapshot}" if previous else snapshot


def _read_settings(files: SessionFiles, stored: list | None, detail: list | None, counters: dict,
                   settled_ns: int | None = None):
    """(SettingsFacts or None, problems), reusing the stored facts of an unchanged file."""
    if files.settings is None:
        return None, []
    settled = settled_ns is None or files.settings.mtime_ns < settled_ns  # else it may have changed unseen
    if stored is not None and stored[SETTINGS] == key(files.settings) and settled:
        return _settings_from_list(detail[SETTINGS_FACTS]), _problems(detail[SETTINGS_PROBLEMS])
    problems: list[Problem] = []
    counters["bytes_read"] = counters.get("bytes_read", 0) + files.settings.size
    return read_settings(files.settings.path, problems), problems


def _read_transcript(
    files: SessionFiles, stored: list | None, detail: list | None, found: list[Problem], counters: dict
):
    """(reader, unterminated tail, [first-line length, its crc, crc of the seam], previews
    of the resumable state)."""
    st = files.transcript
    if st is None:
        return None, b"", None, 0
    resumed = _resume(st, stored, detail, counters) if stored is not None else None
    if resumed is not None:
        counters["resumed"] = counters.get("resumed", 0) + 1
        return resumed
    counters["reread"] = counters.get("reread", 0) + 1
    reader = TranscriptReader(st.path)
    first = FirstLine()
    try:
        with open_regular(st.path) as (fd, now):
            tail = reader.feed_chunks(first.watch(chunks_of(fd, 0, now.st_size)))
            seam = _seam_at(fd, reader.offset)
    except OSError as exc:
        found.append(Problem(st.path, f"cannot read: {exc.strerror or exc}"))
        return None, b"", None, 0
    counters["bytes_read"] = counters.get("bytes_read", 0) + now.st_size
    head = (first.length, first.crc, zlib.crc32(seam))
    return reader, tail, head, len(reader.previews)


def _resume(st: FileStat, stored: list, detail: list, counters: dict):
    """Continue the stored reader over the new bytes, if the file provably only grew (or
    is the same: a file changed close to the last scan is checked so, see scan.RACY_NS)."""
    old = stored[TRANSCRIPT]
    if not detail[READER] or not old:
        return None
    state = dict(zip(_READER_FIELDS, detail[READER]))
    state["activity"] = decode_activity(state["activity"])
    state["previews"] = list(stored[PREVIEWS][: detail[READER][-1]])
    head_len, head_crc, seam_crc = detail[HEAD]
    offset = state["offset"]
    reader = TranscriptReader(st.path, **state)
    old_size, _mtime, old_inode = old
    if old_inode != st.inode or st.size < old_size or offset < head_len:
        return None
    try:  # only a regular file, read up to its size now: a FIFO swapped in cannot hang us
        with open_regular(st.path) as (fd, now):
            if now.st_ino != st.inode or now.st_size < offset:
                return None
            if zlib.crc32(read_at(fd, 0, head_len)) != head_crc or zlib.crc32(_seam_at(fd, offset)) != seam_crc:
                return None
            tail = reader.feed_chunks(chunks_of(fd, offset, now.st_size))
            new_seam = _seam_at(fd, reader.offset)
    except OSError:
        return None
    counters["bytes_read"] = counters.get("bytes_read", 0) + head_len + now.st_size - max(0, offset - SEAM)
    return reader, tail, (head_len, head_crc, zlib.crc32(new_seam)), len(reader.previews)


def _seam_at(fd: int, end: int) -> bytes:
    """The SEAM bytes of an open file before `end`."""
    return read_at(fd, max(0, end - SEAM), min(SEAM, end))


def _read_batch(batch: list[tuple[SessionFiles, list | None, int | None]]) -> tuple[list[list], dict]:
    """Read a batch of sessions (in this process or a worker)."""
    counters: dict = {}
    return [read_entry(files, stored, counters, settled) for files, stored, settled in batch], counters


_FORKED_WORK: list = []  # the work list a forked worker inherits instead of receiving it pickled


def _read_forked_range(bounds: tuple[int, int]) -> tuple[list[list], dict]:
    return _read_batch(_FORKED_WORK[bounds[0] : bounds[1]])


# --------------------------------------------------------------------------- the index


class Table:
    """The sessions of one read, as the index's columns (in the order of `files`)."""

    def __init__(self, files: list[SessionFiles], columns: dict[str, list]) -> None:
        self.files = files
        self.columns = columns

    def problems(self) -> list[Problem]:
        return [Problem(*p) for p in chain.from_iterable(self.columns["problems"])]

    def sessions(self) -> list[Session]:
        """A Session per row (one C-level pass per column and a call per session)."""
        files = self.files
        facts = [self.columns[name] for name in _FACTS.names]
        for i, decode in _FACTS._decode:
            facts[i] = list(map(decode, facts[i]))
        return list(map(
            Session,
            self.columns["id"],
            [f.transcript.path if f.transcript else None for f in files],
            [f.settings.path if f.settings else None for f in files],
            self.columns["folder"],
            [f.root for f in files],
            *facts,
        ))


# columns whose values repeat across sessions (folders, cwds, models, tool names…)
_SHARED = ("str", "str | None", "tuple[str, ...]")


def _take(column: list, rows: list[int]) -> list:
    return list(itemgetter(*rows)(column)) if len(rows) > 1 else [column[r] for r in rows]


class Index:
    """Reads sessions, reusing what a previous run stored; `save()` writes it back.
    `fresh=True`: every file is read again and the index rewritten."""

    def __init__(self, root: Path, fresh: bool = False, stored: indexfile.Stored | None = None):
        self.root = root
        self.fresh = fresh
        self.path = index_path(root)
        self.stored = indexfile.checked(stored) if stored is not None else indexfile.load(root)
        if self.stored is not None and (self.stored.layout != LAYOUT or self.stored.extra != DETAIL_LAYOUT):
            self.stored = None
        self.columns: dict[str, list] | None = None  # what `save` writes
        self.listing: tuple = ()  # the scan they are of (scan.ScanResult.listing), written with them
        self.scanned_ns = indexfile.now_ns()
        self.dirty = False
        # what this run did, for tests and the benchmark
        self.reused = self.resumed = self.reread = 0
        self.bytes_read = 0

    def save(self) -> Problem | None:
        """Write what changed; a Problem saying why when the index cannot be written."""
        why = None
        if self.dirty and self.columns is not None:
            why = indexfile.save(self.root, LAYOUT, self.columns, self.scanned_ns, DETAIL_LAYOUT, self.listing)
        self.dirty = False
        if why is None:
            return None
        return Problem(str(index_path(self.root)), f"index not saved ({why}); fdash reads every session each time")

    def read_all(self, files: Iterable[SessionFiles], problems: list[Problem],
                 progress: Callable[[int, int], None] | None = None, listing: tuple = ()) -> list[Session]:
        table = self.read_table(files, progress, listing)
        problems.extend(table.problems())
        return table.sessions()

    def read_table(self, files: Iterable[SessionFiles], progress: Callable[[int, int], None] | None = None,
                   listing: tuple = ()) -> Table:
        """The sessions of `files`; `listing`, the scan that found them (scan.ScanResult.
        listing), is kept with them so that a later run may only check it (scan.still)."""
        files = list(files)
        stored = self.stored
        self.listing = listing
        self.dirty = indexfile.listing_news(stored, listing)
        if stored is not None and not self.fresh and indexfile.unchanged(stored, files):
            rows = list(range(len(files)))  # (checked whole, at C speed)
        else:
            rows = reusable_rows(stored, files) if stored is not None and not self.fresh else [-1] * len(files)
        todo = [i for i, r in enumerate(rows) if r < 0]
        self.reused = len(files) - len(todo)
        fresh = dict(self._read(files, todo, progress))
        if stored is not None and not todo and rows == list(range(len(stored.columns["id"]))):
            self.columns = stored.columns  # nothing changed
            return Table(files, self.columns)
        columns = {}
        for j, (name, kind) in enumerate(LAYOUT):
            column = _take(stored.columns[name], rows) if self.reused else [None] * len(files)
            if kind in _SHARED:
                one = {}  # one object per distinct value: less memory, and marshal writes it once
                for i, entry in fresh.items():
                    column[i] = one.setdefault(entry[j], entry[j])
            else:
                for i, entry in fresh.items():
                    column[i] = entry[j]
            columns[name] = column
        del fresh
        self.columns = columns
        self.dirty = True
        if self.fresh and stored is not None:  # keep the token history observed before
            self.columns = dict(columns, token_snapshots=self._kept_snapshots(columns))
        return Table(files, columns)

    def _kept_snapshots(self, columns: dict[str, list]) -> list[str]:
        stored = self.stored
        old = stored.columns["token_snapshots"]
        kept = []
        for sid, snapshots in zip(columns["id"], columns["token_snapshots"]):
            row = stored.rows.get(sid)
            previous = old[row] if row is not None else ""
            kept.append(add_snapshot(previous, snapshots.rsplit(";", 1)[-1]) if previous else snapshots)
        return kept

    def _stored(self, files: SessionFiles) -> list | None:
        """The stored row of a session that changed (when not reading afresh)."""
        stored = self.stored
        row = stored.rows.get(files.id) if stored is not None and not self.fresh else None
        if row is None or stored.columns["folder"][row] != files.folder:
            return None
        return [stored.columns[name][row] for name in NAMES]

    def _read(self, files: list[SessionFiles], todo: list[int], progress):
        """(position, entry) for every session that must be (partly) read."""
        done_before = len(files) - len(todo)
        if progress is not None:
            progress(done_before, len(files))
        settled = self.stored.scanned_ns - RACY_NS if self.stored is not None else None
        work = [(files[i], self._stored(files[i]), settled) for i in todo]
        size = sum(f.transcript.size for f, _stored, _settled in work if f.transcript is not None)
        big = size >= PARALLEL_MIN_BYTES or len(work) >= PARALLEL_MIN_FILES
        results = self._parallel(work, size) if big else None
        if results is None:
            results = self._serial(work)
        done = done_before
        cursor = 0
        for entry_batch, counters in results:
            self._count(counters)
            for entry in entry_batch:
                yield todo[cursor], entry
                cursor += 1
            done += len(entry_batch)
            if progress is not None:
                progress(done, len(files))

    def _serial(self, work):
        step = 64
        for start in range(0, len(work), step):
            yield _read_batch(work[start : start + step])

    def _parallel(self, work, size: int):
        """Batches read by worker processes, in order; None when workers are unavailable."""
        try:
            import multiprocessing  # noqa: PLC0415
            import threading  # noqa: PLC0415
            from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

            # fork is cheap but unsafe from a thread of a threaded program (the full-screen app)
            fork = threading.current_thread() is threading.main_thread()
            context = multiprocessing.get_context("fork" if fork else "spawn")
            step = max(16, len(work) // (WORKERS * 8))
            bounds = [(s, min(s + step, len(work))) for s in range(0, len(work), step)]
            if fork:
                global _FORKED_WORK
                _FORKED_WORK = work
                task, batches = _read_forked_range, bounds
            else:
                task, batches = _read_batch, [work[a:b] for a, b in bounds]
            executor = ProcessPoolExecutor(max_workers=WORKERS, mp_context=context)
        except (ImportError, OSError, ValueError):
            return None
        return _drain(executor, task, batches)

    def _count(self, counters: dict) -> None:
        self.resumed += counters.get("resumed", 0)
        self.reread += counters.get("reread", 0)
        self.bytes_read += counters.get("bytes_read", 0)


def _drain(executor, task, batches):
    """Results in order. When the reader stops early (a progress callback raised to
    cancel, e.g. the user quit during a cold scan), queued batches are dropped and the
    workers left to finish the one they hold, without waiting for them."""
    global _FORKED_WORK
    finished = False
    try:
        yield from executor.map(task, batches)
        finished = True
    finally:
        _FORKED_WORK = []
        executor.shutdown(wait=finished, cancel_futures=not finished)
