"""The persistent index: each session's parsed facts, so unchanged files are not opened.

One file per sessions root in the cache dir (`$XDG_CACHE_HOME/fdash/`), holding per
session id the stat key (name, size, mtime, inode) of its transcript and settings, the
session's facts, the transcript reader's resumable state and the problems found. On the
next run:

- both files unchanged → the stored facts are used, nothing is opened;
- only the settings changed → only the settings file is read;
- the transcript only grew (same inode, same session_start line, same bytes just before
  where the last read stopped) → only the new bytes are read, the reader resumes;
- anything else → the file is read again; removed sessions drop out.

Files that must be read are read in parallel worker processes when there are enough of
them to pay for the workers (a cold start); the results are the same plain lists.

The index is written only when something changed, whole, to a temp file then renamed
(`atomic_write`): concurrent fdash processes never see a torn index, the last writer
wins, and a corrupt, partial or other-version index is silently rebuilt.
See docs/ARCHITECTURE.md for why this and not SQLite.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

import orjson
from attrs import fields

from fdash.core import paths
from fdash.core.atomic import atomic_write
from fdash.core.models import SESSION_FACTS, Problem, Session, TokenUsage
from fdash.core.parse import SettingsFacts, TranscriptReader, decode_activity, encode_activity
from fdash.core.read import FirstLine, build_session, read_settings
from fdash.core.regular import chunks_of, open_regular, read_at, read_chunks, read_regular
from fdash.core.scan import FileStat, SessionFiles

FORMAT_VERSION = 8  # bump when what is stored changes meaning (a change of fields is seen by LAYOUT)
SEAM = 64  # bytes before the resume point checked to prove the file only grew
PARALLEL_MIN_BYTES = 32 * 1024 * 1024  # below this and PARALLEL_MIN_FILES, workers cost
PARALLEL_MIN_FILES = 400  # more to start than they save
WORKERS = 2
MAX_INDEX_BYTES = 4 * 1024 * 1024 * 1024  # a bigger file in the index's place is not read

# the reader's resumable state, stored without its previews (kept once, in the session facts)
# (every field of the reader but its settings, its prompts and what only `finished` sets)
_READER_FIELDS = tuple(
    f.name for f in fields(TranscriptReader)
    if f.name not in ("path", "keep_full_prompts", "previews", "full_prompts", "partial_tail", "long_tail")
)
# An entry is a list, to keep the file small and fast to load. What only a changed file
# needs (the reader's state, the seam check, the settings facts) is kept as one JSON
# text, decoded only then: a warm start allocates a few objects per session, not dozens.
FOLDER, TRANSCRIPT, SETTINGS, FACTS, PROBLEMS, DETAIL = range(6)
READER, HEAD, SETTINGS_FACTS, SETTINGS_PROBLEMS = range(4)  # inside DETAIL


def index_path(root: str | os.PathLike[str]) -> Path:
    digest = hashlib.sha1(os.fsencode(os.path.abspath(root))).hexdigest()[:16]
    return paths.cache_dir() / f"index-{digest}.json"


def _key(st: FileStat | None) -> str | None:
    """What identifies a file's version: size, mtime and inode (its path is implied by
    the session id and folder)."""
    return None if st is None else f"{st.size}:{st.mtime_ns}:{st.inode}"


def _tokens(t: TokenUsage | None) -> list | None:
    return None if t is None else [t.input, t.output, t.cache_write, t.cache_read, t.thinking]


def _tokens_from(values: list | None) -> TokenUsage | None:
    return None if values is None else TokenUsage(*values)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(text.split("\n")) if text else ()


# How a value of a type JSON does not hold is stored, by its declared type: tokens as a
# list (or null), a tuple of texts as one text (previews and ids hold no newline).
_CODECS = {
    "TokenUsage | None": (_tokens, _tokens_from),
    "tuple[str, ...]": ("\n".join, _lines),
}


class _Layout:
    """The stored form of some fields of an attrs class: a list of their values, in order."""

    def __init__(self, attributes) -> None:
        self.names = tuple(a.name for a in attributes)
        self.signature = [f"{a.name}:{a.type}" for a in attributes]
        self._encode = [(i, _CODECS[a.type][0]) for i, a in enumerate(attributes) if a.type in _CODECS]
        self._decode = [(i, _CODECS[a.type][1]) for i, a in enumerate(attributes) if a.type in _CODECS]

    def dump(self, obj) -> list:
        values = [getattr(obj, name) for name in self.names]
        for i, encode in self._encode:
            values[i] = encode(values[i])
        return values

    def load(self, stored: list) -> list:
        """The values of a dumped list; raises TypeError or ValueError on a damaged one."""
        values = list(stored)
        for i, decode in self._decode:
            values[i] = decode(values[i])
        return values


_FACTS = _Layout(SESSION_FACTS)  # a Session but where its files are
_SETTINGS_FACTS = _Layout(fields(SettingsFacts))
PREVIEWS, SNAPSHOTS = _FACTS.names.index("prompt_previews"), _FACTS.names.index("token_snapshots")
# what the index's entries hold: an index of another layout is rebuilt
LAYOUT = [_FACTS.signature, _SETTINGS_FACTS.signature, list(_READER_FIELDS)]


def _settings_to_list(f: SettingsFacts | None) -> list | None:
    return None if f is None else _SETTINGS_FACTS.dump(f)


def _settings_from_list(values: list | None) -> SettingsFacts | None:
    return None if values is None else SettingsFacts(*_SETTINGS_FACTS.load(values))


def _session(files: SessionFiles, facts: list) -> Session:
    """The Session of stored facts (`models.SESSION_FACTS`) and where its files are."""
    return Session(
        files.id,
        files.transcript.path if files.transcript else None,
        files.settings.path if files.settings else None,
        files.folder,
        files.root,
        *_FACTS.load(facts),
    )


def _problems(pairs: list) -> list[Problem]:
    return [Problem(p, r) for p, r in pairs]


# --------------------------------------------------------------------------- reading one session


def read_entry(files: SessionFiles, stored: list | None, counters: dict | None = None) -> list:
    """Read what changed of one session and return its new index entry. A stored entry
    of an unexpected shape (a damaged index) is ignored: everything is read again."""
    counters = counters if counters is not None else {}
    if stored is not None:
        try:
            detail = orjson.loads(stored[DETAIL])
            return _read_entry(files, stored, detail, counters)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            pass
    return _read_entry(files, None, None, counters)


def _read_entry(files: SessionFiles, stored: list | None, detail: list | None, counters: dict) -> list:
    transcript_problems: list[Problem] = []
    reader, tail, head, previews = _read_transcript(files, stored, detail, transcript_problems, counters)
    settings, settings_problems = _read_settings(files, stored, detail, counters)
    finished = reader.finished(tail) if reader else None
    if finished is not None:
        transcript_problems += finished.problems()
    session = build_session(files, finished, settings, _snapshots(files, stored, settings))
    found = transcript_problems + settings_problems
    if files.transcript is None and files.settings is not None:
        found.append(Problem(files.settings.path, "settings without a transcript"))
    detail = [
        [_reader_value(reader, f) for f in _READER_FIELDS] + [previews] if reader else None,
        head,
        _settings_to_list(settings),
        [[p.path, p.reason] for p in settings_problems],
    ]
    return [
        files.folder,
        _key(files.transcript),
        _key(files.settings),
        _FACTS.dump(session),
        [[p.path, p.reason] for p in found],
        orjson.dumps(detail).decode(),
    ]


def _reader_value(reader: TranscriptReader, name: str):
    value = getattr(reader, name)
    return encode_activity(value) if name == "activity" else value


def _snapshots(files: SessionFiles, stored: list | None, settings: SettingsFacts | None) -> str:
    """The session's token snapshots: the stored ones, plus the settings' totals now when
    they differ from the last one (each taken at the settings file's mtime)."""
    previous = stored[FACTS][SNAPSHOTS] if stored is not None else ""
    if settings is None or settings.tokens is None or files.settings is None:
        return previous
    t = settings.tokens
    values = f"{t.input}:{t.output}:{t.cache_write}:{t.cache_read}:{t.thinking}"
    last = previous.rsplit(";", 1)[-1]
    if last.split(":", 1)[-1] == values:
        return previous
    snapshot = f"{files.settings.mtime_ns // 1_000_000}:{values}"
    return f"{previous};{snapshot}" if previous else snapshot


def _read_settings(files: SessionFiles, stored: list | None, detail: list | None, counters: dict):
    """(SettingsFacts or None, problems), reusing the stored facts of an unchanged file."""
    if files.settings is None:
        return None, []
    if stored is not None and stored[SETTINGS] == _key(files.settings):
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
    head = [first.length, first.crc, zlib.crc32(seam)]
    return reader, tail, head, len(reader.previews)


def _resume(st: FileStat, stored: list, detail: list, counters: dict):
    """Continue the stored reader over the new bytes, if the file provably only grew."""
    old = stored[TRANSCRIPT]
    if not detail[READER] or not old:
        return None
    state = dict(zip(_READER_FIELDS, detail[READER]))
    state["activity"] = decode_activity(state["activity"])
    previews = stored[FACTS][PREVIEWS]
    state["previews"] = (previews.split("\n") if previews else [])[: detail[READER][-1]]
    head_len, head_crc, seam_crc = detail[HEAD]
    offset = state["offset"]
    reader = TranscriptReader(st.path, **state)
    if old == _key(st):  # unchanged: at most a partial last line to read again
        tail = b""
        if offset < st.size:
            try:
                tail = reader.feed_chunks(read_chunks(st.path, offset))
            except OSError:
                return None
            counters["bytes_read"] = counters.get("bytes_read", 0) + st.size - offset
        return reader, tail, detail[HEAD], len(state["previews"])
    old_size, _mtime, old_inode = (int(v) for v in old.split(":"))
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
    return reader, tail, [head_len, head_crc, zlib.crc32(new_seam)], len(reader.previews)


def _text(path: str) -> str:
    """A path as JSON can hold it (undecodable bytes replaced)."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _storable(entry: list) -> bool:
    try:
        orjson.dumps(entry)
    except TypeError:
        return False
    return True


def _seam_at(fd: int, end: int) -> bytes:
    """The SEAM bytes of an open file before `end`."""
    return read_at(fd, max(0, end - SEAM), min(SEAM, end))


def _read_batch(batch: list[tuple[SessionFiles, list | None]]) -> tuple[list[list], dict]:
    """Read a batch of sessions (in this process or a worker)."""
    counters: dict = {}
    return [read_entry(files, stored, counters) for files, stored in batch], counters


_FORKED_WORK: list = []  # the work list a forked worker inherits instead of receiving it pickled


def _read_forked_range(bounds: tuple[int, int]) -> tuple[list[list], dict]:
    return _read_batch(_FORKED_WORK[bounds[0] : bounds[1]])


# --------------------------------------------------------------------------- the index


class Index:
    """Reads sessions, reusing what a previous run stored; `save()` writes it back."""

    def __init__(self, root: Path, enabled: bool = True):
        self.root = root
        self.enabled = enabled
        self.path = index_path(root)
        self.entries: dict[str, list] = self._load() if enabled else {}
        self.dirty = False
        # what this run did, for tests and the benchmark
        self.reused = self.resumed = self.reread = 0
        self.bytes_read = 0

    def _load(self) -> dict[str, list]:
        try:  # a FIFO or a link to /dev/zero in its place is not read
            doc = orjson.loads(read_regular(self.path, limit=MAX_INDEX_BYTES))
        except (OSError, orjson.JSONDecodeError):
            return {}
        if not isinstance(doc, dict) or doc.get("version") != FORMAT_VERSION or doc.get("layout") != LAYOUT:
            return {}
        if doc.get("root") != _text(os.path.abspath(self.root)):
            return {}
        sessions = doc.get("sessions")
        return sessions if isinstance(sessions, dict) else {}

    def save(self) -> None:
        if not self.enabled or not self.dirty:
            return
        doc = {
            "version": FORMAT_VERSION,
            "layout": LAYOUT,
            "root": _text(os.path.abspath(self.root)),
            "sessions": self.entries,
        }
        try:
            data = orjson.dumps(doc)
        except TypeError:  # a path that is not valid UTF-8: leave those sessions out
            doc["sessions"] = {k: e for k, e in self.entries.items() if _storable(e)}
            data = orjson.dumps(doc)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, data)
        except OSError:
            pass  # a read-only cache only costs speed
        self.dirty = False

    def read_all(
        self,
        files: Iterable[SessionFiles],
        problems: list[Problem],
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Session]:
        files = list(files)
        entries: list[list | None] = [None] * len(files)
        todo: list[int] = []
        for i, item in enumerate(files):
            entry = self._reusable(item)
            if entry is None:
                todo.append(i)
            else:
                entries[i] = entry
        self.reused = len(files) - len(todo)
        for i, entry in self._read(files, todo, progress):
            entries[i] = entry
        sessions = []
        for item, entry in zip(files, entries):
            try:
                sessions.append(_session(item, entry[FACTS]))
                problems.extend(_problems(entry[PROBLEMS]))
            except (TypeError, ValueError, IndexError):  # cannot happen for fresh entries
                entry = read_entry(item, None)
                sessions.append(_session(item, entry[FACTS]))
                problems.extend(_problems(entry[PROBLEMS]))
            if self.enabled and self.entries.get(item.id) is not entry:
                self.entries[item.id] = entry
                self.dirty = True
        if self.enabled and len(self.entries) != len(files):
            keep = {item.id for item in files}
            self.entries = {sid: e for sid, e in self.entries.items() if sid in keep}
            self.dirty = True
        return sessions

    def read(self, files: SessionFiles, problems: list[Problem]) -> Session:
        return self.read_all([files], problems)[0]

    def _reusable(self, files: SessionFiles) -> list | None:
        """The stored entry when neither file changed."""
        entry = self.entries.get(files.id)
        if (
            isinstance(entry, list)
            and len(entry) == 6
            and entry[FOLDER] == files.folder
            and entry[TRANSCRIPT] == _key(files.transcript)
            and entry[SETTINGS] == _key(files.settings)
            and isinstance(entry[FACTS], list)
            and len(entry[FACTS]) == len(_FACTS.names)
        ):
            return entry
        return None

    def _stored(self, files: SessionFiles) -> list | None:
        """The stored entry of a session that changed, if it has the expected shape."""
        entry = self.entries.get(files.id)
        if isinstance(entry, list) and len(entry) == 6 and entry[FOLDER] == files.folder:
            return entry
        return None

    def _read(self, files: list[SessionFiles], todo: list[int], progress):
        """(position, entry) for every session that must be (partly) read."""
        done_before = len(files) - len(todo)
        if progress is not None:
            progress(done_before, len(files))
        work = [(files[i], self._stored(files[i])) for i in todo]
        size = sum(f.transcript.size for f, _ in work if f.transcript is not None)
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
