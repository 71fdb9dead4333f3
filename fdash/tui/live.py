"""Live view: notice new and changed session files without re-reading anything.

A poll (every `[display] refresh_seconds`, on a background thread) stats only what can
show a change cheaply: the sessions folders and their project folders (a new, removed
or atomically replaced file changes its folder's mtime), the favorites files, and the
files of the sessions active in the last hours (droid appends to those in place). That
is well under a millisecond for 10,000 sessions. Every `FULL_EVERY` polls, a full scan
(`fdash.core.scan`, a stat of every session file) catches an old session resumed in
place. When something differs, the app re-reads through the index, which reads only
the files that changed. No UI imports.

A file that was not watched before (a session that just became active) counts as a
change once: whatever happened to it between the re-read and this poll is picked up.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from fdash.core.favorites import favorites_path
from fdash.core.models import Entry
from fdash.core.scan import scan

FULL_EVERY = 12  # polls between two full scans (a minute at the default 5 s)
HOT_MS = 3 * 3600 * 1000  # sessions active this recently are watched file by file

Snapshot = dict[str, tuple[int, int, int] | None]


def _stat(path: str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def watched(roots: Iterable[Path], entries: Iterable[Entry], now_ms: int) -> list[str]:
    """The paths a quick poll stats."""
    paths: dict[str, None] = {}
    for root in roots:
        paths[str(root)] = None
        paths[str(favorites_path(root))] = None
    hot: list[str] = []
    for e in entries:
        s = e.session
        for path in (s.transcript_path, s.settings_path):
            if path:
                paths.setdefault(os.path.dirname(path), None)
        if (s.last_at_ms or 0) >= now_ms - HOT_MS:
            hot += [p for p in (s.transcript_path, s.settings_path) if p]
    return [*paths, *hot]


class Watcher:
    def __init__(self) -> None:
        self._quick: Snapshot = {}
        self._full: tuple | None = None
        self._polls = 0

    def changed(
        self, roots: tuple[Path, ...], entries: Iterable[Entry], now_ms: int, since_ns: int
    ) -> bool:
        """Whether anything changed since the previous call; on the first call, whether
        anything was written after `since_ns` (when the data on screen began to be read)."""
        first = self._full is None
        quick = {path: _stat(path) for path in watched(roots, entries, now_ms)}
        before, self._quick = self._quick, quick
        if first:
            found = any(v is not None and v[1] >= since_ns for v in quick.values())
        else:
            found = any(before.get(p, 0) != v for p, v in quick.items())
        self._polls += 1
        if first or self._polls % FULL_EVERY == 0:
            full = tuple(scan(root).sessions if os.path.isdir(root) else () for root in roots)
            if first:
                found = found or any(
                    f is not None and f.mtime_ns >= since_ns
                    for files in full
                    for session in files
                    for f in (session.transcript, session.settings)
                )
            else:
                found = found or full != self._full
            self._full = full
        return found
