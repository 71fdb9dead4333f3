"""Live view: notice new and changed session files without re-reading anything.

A poll (every `[display] refresh_seconds`, on a background thread) stats only what can
show a change cheaply: the sessions folders and their project folders (a new, removed
or atomically replaced file changes its folder's mtime), the favorites files, and the
files of the sessions active in the last hours (droid appends to those in place). That
is well under a millisecond for 10,000 sessions. Every `FULL_EVERY` polls, every known
session file is stat'ed too (an old session resumed in place), a slice at a time with
pauses, so the thread never holds the interpreter for long while the screen is drawn.
When something differs, the app re-reads through the index, which reads only the files
that changed. No UI imports.

A file that was not watched before (a session that just became active) counts as a
change once: whatever happened to it between the re-read and this poll is picked up.
The first look at anything compares it with the time the data on screen began to be
read, so a change made while it was being read is not missed either.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from fdash.core.favorites import favorites_path
from fdash.core.models import Entry

FULL_EVERY = 3  # polls between two looks at every file (15 s at the default 5 s)
HOT_MS = 3 * 3600 * 1000  # sessions active this recently are watched file by file
SLICE = 256  # files stat'ed between two pauses of a full look
PAUSE_S = 0.002

Stat = tuple[int, int, int] | None
Snapshot = dict[str, Stat]


def _stat(path: str) -> Stat:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _files(entries: Iterable[Entry]) -> Iterable[str]:
    for e in entries:
        s = e.session
        if s.transcript_path:
            yield s.transcript_path
        if s.settings_path:
            yield s.settings_path


def watched(roots: Iterable[Path], entries: Iterable[Entry], now_ms: int) -> list[str]:
    """The paths a quick poll stats: folders, favorites files, active sessions' files."""
    paths: dict[str, None] = {}
    for root in roots:
        paths[str(root)] = None
        paths[str(favorites_path(root))] = None
    hot: list[str] = []
    for e in entries:
        for path in _files((e,)):
            paths.setdefault(os.path.dirname(path), None)
        if (e.session.last_at_ms or 0) >= now_ms - HOT_MS:
            hot += _files((e,))
    return [*paths, *hot]


def full_snapshot(entries: Iterable[Entry]) -> Snapshot:
    """Every known session file, with pauses (the stats themselves release the GIL)."""
    found: Snapshot = {}
    for n, path in enumerate(_files(entries), 1):
        found[path] = _stat(path)
        if n % SLICE == 0:
            time.sleep(PAUSE_S)
    return found


class Watcher:
    def __init__(self) -> None:
        self._quick: Snapshot | None = None
        self._full: Snapshot | None = None
        self._polls = 0
        self._paths: tuple = (None, 0, [])  # (entries, minute, watched paths), kept a minute

    def _watched(self, roots: tuple[Path, ...], entries: tuple[Entry, ...], now_ms: int) -> list:
        """`watched`, worked out again only for new data or a minute later (10,000
        sessions take a few milliseconds: not on every poll)."""
        minute = now_ms // 60_000
        if self._paths[0] is not entries or self._paths[1] != minute:
            self._paths = (entries, minute, watched(roots, entries, now_ms))
        return self._paths[2]

    def changed(
        self, roots: tuple[Path, ...], entries: tuple[Entry, ...], now_ms: int, since_ns: int
    ) -> bool:
        """Whether anything changed since the previous call; on the first one, whether
        anything was written after `since_ns` (when the data on screen began to be read)."""
        quick = {path: _stat(path) for path in self._watched(roots, entries, now_ms)}
        found = _differs(self._quick, quick, since_ns)
        self._quick = quick
        self._polls += 1
        if self._polls % FULL_EVERY == 0:
            full = full_snapshot(entries)
            found = _differs(self._full, full, since_ns) or found
            self._full = full
        return found


def _differs(before: Snapshot | None, now: Snapshot, since_ns: int) -> bool:
    if before is None:
        return any(v is not None and v[1] >= since_ns for v in now.values())
    return any(before.get(path, 0) != v for path, v in now.items())
