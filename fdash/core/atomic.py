"""Atomic file replacement: a temp file in the same folder, fsync, then os.replace.

Readers see either the old or the new file, never a half-written one; a crash leaves
the old file intact. The file's permission bits are kept.
"""

from __future__ import annotations

import os
import stat
import tempfile


class ChangedUnderneath(Exception):
    """The file changed between the moment it was read and the moment it was replaced."""


def atomic_write(path: str | os.PathLike[str], data: bytes, before_replace=None) -> None:
    """Replace `path` with `data`. `before_replace()`, called just before the rename,
    may raise ChangedUnderneath to abandon the write (the caller re-reads and retries)."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None
    handle, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(folder)


def _fsync_dir(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
