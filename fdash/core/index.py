"""The persistent index: each session's parsed facts, so unchanged files are not opened.

One file per sessions root in the cache dir (`$XDG_CACHE_HOME/fdash/`), holding per
session id the stat key (path, size, mtime, inode) of its transcript and settings, the
built `Session`, the transcript reader's resumable state and the problems found. On the
next run:

- both files unchanged → the stored Session is used, nothing is opened;
- the transcript only grew (same inode, same session_start line, same bytes just before
  where the last read stopped) → only the new bytes are read, the reader resumes;
- anything else → the file is read again; removed sessions drop out.

The file is written only when something changed, whole, to a temp file then renamed
(`atomic_write`): concurrent fdash processes never see a torn index, the last writer
wins, and a corrupt, partial or other-version index is silently rebuilt.
See docs/ARCHITECTURE.md for why this and not SQLite.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

import orjson

from fdash.core import paths
from fdash.core.atomic import atomic_write
from fdash.core.models import Problem, Session, TokenUsage
from fdash.core.parse import SettingsFacts, TranscriptReader
from fdash.core.read import build_session, read_bytes, read_settings
from fdash.core.scan import FileStat, SessionFiles

FORMAT_VERSION = 1
SEAM = 64  # bytes before the resume point checked to prove the file only grew
_READER_FIELDS = (
    "offset", "lines", "started", "has_start", "title", "cwd", "parent_id", "first_at_ms",
    "last_at_ms", "message_count", "user_prompts", "previews", "model_hint", "bad_lines",
    "first_bad_line", "first_bad_reason", "replaced_utf8",
)  # fmt: skip
_SESSION_FIELDS = tuple(a for a in Session.__attrs_attrs__)


def index_path(root: str | os.PathLike[str]) -> Path:
    digest = hashlib.sha1(os.fsencode(os.path.abspath(root))).hexdigest()[:16]
    return paths.cache_dir() / f"index-{digest}.json"


def _stat_key(st: FileStat | None) -> list | None:
    return None if st is None else [st.path, st.size, st.mtime_ns, st.inode]


def _settings_to_list(facts: SettingsFacts | None) -> list | None:
    if facts is None:
        return None
    tokens = facts.tokens
    return [
        facts.model,
        facts.resolved_model,
        None if tokens is None else [tokens.input, tokens.output, tokens.cache_write, tokens.cache_read, tokens.thinking],
        facts.active_time_ms,
        facts.provider_lock_at_ms,
        facts.archived,
    ]


def _settings_from_list(values: list | None) -> SettingsFacts | None:
    if values is None:
        return None
    model, resolved, tokens, active, lock, archived = values
    return SettingsFacts(model, resolved, None if tokens is None else TokenUsage(*tokens), active, lock, archived)


def _session_to_list(session: Session) -> list:
    values = []
    for attribute in _SESSION_FIELDS:
        value = getattr(session, attribute.name)
        if isinstance(value, TokenUsage):
            value = [value.input, value.output, value.cache_write, value.cache_read, value.thinking]
        elif isinstance(value, tuple):
            value = list(value)
        values.append(value)
    return values


def _session_from_list(values: list) -> Session:
    fields = dict(zip((a.name for a in _SESSION_FIELDS), values))
    if fields["tokens"] is not None:
        fields["tokens"] = TokenUsage(*fields["tokens"])
    fields["prompt_previews"] = tuple(fields["prompt_previews"])
    return Session(**fields)


class Index:
    """Reads sessions, reusing what a previous run stored. Use through `open_index`."""

    def __init__(self, root: Path, enabled: bool = True):
        self.root = root
        self.enabled = enabled
        self.path = index_path(root)
        self.entries: dict[str, dict] = self._load() if enabled else {}
        self.dirty = False
        # what this run did, for tests and the benchmark
        self.reused = self.resumed = self.reread = 0
        self.bytes_read = 0

    def _load(self) -> dict[str, dict]:
        try:
            with open(self.path, "rb") as handle:
                doc = orjson.loads(handle.read())
        except (OSError, orjson.JSONDecodeError):
            return {}
        if not isinstance(doc, dict) or doc.get("version") != FORMAT_VERSION:
            return {}
        if doc.get("root") != os.path.abspath(self.root):
            return {}
        sessions = doc.get("sessions")
        return sessions if isinstance(sessions, dict) else {}

    def save(self) -> None:
        if not self.enabled or not self.dirty:
            return
        doc = {"version": FORMAT_VERSION, "root": os.path.abspath(self.root), "sessions": self.entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, orjson.dumps(doc))
        except OSError:
            pass  # a read-only cache only costs speed
        self.dirty = False

    # ------------------------------------------------------------------ reading

    def read_all(self, files: Iterable[SessionFiles], problems: list[Problem], progress=None) -> list[Session]:
        files = list(files)
        seen = set()
        sessions = []
        for done, item in enumerate(files, 1):
            seen.add(item.id)
            sessions.append(self.read(item, problems))
            if progress is not None:
                progress(done, len(files))
        if self.enabled and len(seen) != len(self.entries):
            for sid in [sid for sid in self.entries if sid not in seen]:
                del self.entries[sid]
            self.dirty = True
        return sessions

    def read(self, files: SessionFiles, problems: list[Problem]) -> Session:
        transcript_key = _stat_key(files.transcript)
        settings_key = _stat_key(files.settings)
        stored = self.entries.get(files.id)
        try:
            if (
                stored is not None
                and stored["transcript"] == transcript_key
                and stored["settings"] == settings_key
                and stored["folder"] == files.folder
            ):
                self.reused += 1
                problems.extend(Problem(p, r) for p, r in stored["problems"])
                return _session_from_list(stored["session"])
        except (KeyError, TypeError, ValueError):
            stored = None  # an entry of another shape: read again
        transcript_problems: list[Problem] = []
        reader, tail, head = self._read_transcript(files, stored, transcript_problems)
        settings, settings_problems = self._read_settings(files, stored)
        finished = reader.finished(tail) if reader else None
        if finished is not None:
            transcript_problems += finished.problems()
        session = build_session(files, finished, settings)
        found = transcript_problems + settings_problems
        if files.transcript is None and files.settings is not None:
            found.append(Problem(files.settings.path, "settings without a transcript"))
        problems.extend(found)
        if self.enabled:
            self.entries[files.id] = {
                "transcript": transcript_key,
                "settings": settings_key,
                "folder": files.folder,
                "session": _session_to_list(session),
                "reader": [getattr(reader, f) for f in _READER_FIELDS] if reader else None,
                "head": head,
                "settings_facts": _settings_to_list(settings),
                "settings_problems": [[p.path, p.reason] for p in settings_problems],
                "problems": [[p.path, p.reason] for p in found],
            }
            self.dirty = True
        return session

    def _read_settings(self, files: SessionFiles, stored: dict | None):
        """(SettingsFacts or None, problems), reusing the stored facts of an unchanged file."""
        if files.settings is None:
            return None, []
        if stored is not None and stored.get("settings") == _stat_key(files.settings):
            try:
                problems = [Problem(p, r) for p, r in stored["settings_problems"]]
                return _settings_from_list(stored["settings_facts"]), problems
            except (KeyError, TypeError, ValueError):
                pass
        problems: list[Problem] = []
        self.bytes_read += files.settings.size
        return read_settings(files.settings.path, problems), problems

    def _read_transcript(self, files: SessionFiles, stored: dict | None, found: list[Problem]):
        """(reader, unterminated tail, [first-line length, its crc, crc of the seam])."""
        st = files.transcript
        if st is None:
            return None, b"", None
        resumed = self._resume(st, stored)
        if resumed is not None:
            self.resumed += 1
            return resumed
        self.reread += 1
        data = read_bytes(st.path, found)
        if data is None:
            return None, b"", None
        self.bytes_read += len(data)
        reader = TranscriptReader(st.path)
        tail = reader.feed(data)
        newline = data.find(b"\n")
        head_len = newline + 1 if newline != -1 else 0
        head = [head_len, zlib.crc32(data[:head_len]), zlib.crc32(_seam(data, reader.offset))]
        return reader, tail, head

    def _resume(self, st: FileStat, stored: dict | None):
        """Continue the stored reader over the new bytes, if the file provably only grew."""
        if stored is None or not stored.get("reader") or not stored.get("transcript"):
            return None
        try:
            old_path, old_size, _old_mtime, old_inode = stored["transcript"]
            state = dict(zip(_READER_FIELDS, stored["reader"], strict=True))
            head_len, head_crc, seam_crc = stored["head"]
            offset = int(state["offset"])
        except (TypeError, ValueError, KeyError):
            return None
        if stored["transcript"] == _stat_key(st):  # unchanged: only a partial last line to read
            try:
                reader = TranscriptReader(st.path, **state)
            except TypeError:
                return None
            tail = b""
            if offset < st.size:
                data = read_bytes(st.path, [], offset)
                if data is None:
                    return None
                self.bytes_read += len(data)
                tail = reader.feed(data)
            return reader, tail, stored["head"]
        if old_path != st.path or old_inode != st.inode or st.size < old_size or offset < head_len:
            return None
        seam_start = max(0, offset - SEAM)
        try:
            with open(st.path, "rb") as handle:
                head = handle.read(head_len)
                handle.seek(seam_start)
                rest = handle.read()
        except OSError:
            return None
        self.bytes_read += len(head) + len(rest)
        if zlib.crc32(head) != head_crc or zlib.crc32(rest[: offset - seam_start]) != seam_crc:
            return None
        try:
            reader = TranscriptReader(st.path, **state)
        except TypeError:
            return None
        tail = reader.feed(rest[offset - seam_start :])
        new_seam = _seam(rest, reader.offset - seam_start)
        return reader, tail, [head_len, head_crc, zlib.crc32(new_seam)]


def _seam(data: bytes, end: int) -> bytes:
    return data[max(0, end - SEAM) : end]


@contextmanager
def open_index(root: Path, enabled: bool = True):
    index = Index(root, enabled)
    try:
        yield index
    finally:
        index.save()
