"""Atomic file replacement: a temp file in the same folder, fsync, then os.replace.

Readers see either the old or the new file, never a half-written one; a crash leaves
the old file intact. The file's permission bits (and, where allowed, its owner) are
kept; a symlink is followed, so the file it points to is replaced and the link stays.
Anything but a regular file (a folder, a device, a pipe) is refused.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable

from fdash.core.regular import read_regular


class ChangedUnderneath(Exception):
    """The file changed between the moment it was read and the moment it was replaced."""


def atomic_write(
    path: str | os.PathLike[str], data: bytes, before_replace: Callable[[str], None] | None = None
) -> None:
    """Replace `path` with `data`. `before_replace(temp_path)`, called just before the
    rename, may append to the temp file or raise ChangedUnderneath to abandon the write
    (the caller re-reads and retries)."""
    path = os.path.realpath(os.fspath(path))
    folder = os.path.dirname(path)
    try:
        old = os.stat(path)
    except FileNotFoundError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", path)
    import tempfile  # noqa: PLC0415 (only writers pay for it)

    handle, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if old is not None:
            _keep_owner_and_mode(tmp, old)
        if before_replace is not None:
            before_replace(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(folder)


def unchanged(path: str | os.PathLike[str], old: bytes | None) -> Callable[[str], None]:
    """A `before_replace` check: the file still holds `old` (None: it still does not exist)."""

    def check(_tmp: str) -> None:
        try:
            now = read_regular(path)
        except FileNotFoundError:
            now = None
        if now != old:
            raise ChangedUnderneath(os.fspath(path))

    return check


def _keep_owner_and_mode(tmp: str, old: os.stat_result) -> None:
    if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)
        except OSError:
            pass  # only root may give a file away; the mode still applies
    os.chmod(tmp, stat.S_IMODE(old.st_mode))


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
