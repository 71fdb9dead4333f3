"""Atomic file replacement: a temp file in the same folder, fsync, then os.replace.

Readers see either the old or the new file, never a half-written one; a crash leaves
the old file intact. The file's permission bits (and, where allowed, its owner) are
kept; a symlink is followed, so the file it points to is replaced and the link stays.
Anything but a regular file (a folder, a device, a pipe) is refused, and so is a file
without write permission (`chmod 0444`: the user said "do not change this"; even root,
whom the system would let, respects it).

The temp file is named `.<name>.fdash-<pid>-<random>.tmp`. A write killed before its
rename (kill -9, power loss) leaves one behind: the next write into that folder removes
those whose process is gone (and any older than a day), so none pile up.
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
    path: str | os.PathLike[str], data: bytes | list[bytes], before_replace: Callable[[str], None] | None = None,
    cache: bool = False,
) -> None:
    """Replace `path` with `data` (bytes, or a list of them written one after the other).
    `before_replace(temp_path)`, called just before the rename, may append to the temp
    file or raise ChangedUnderneath to abandon the write (the caller re-reads and retries).
    `cache=True` (a file only fdash writes, checked whenever it is read): whatever is at
    `path` — a symlink, a pipe — is itself replaced by a regular file, and nothing is
    flushed to the disk (after a crash a torn file fails its checks and is rebuilt)."""
    path = os.path.abspath(os.fspath(path)) if cache else os.path.realpath(os.fspath(path))
    folder = os.path.dirname(path)
    try:
        old = None if cache else os.stat(path)
    except FileNotFoundError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", path)
    if old is not None and (not old.st_mode & 0o222 or not os.access(path, os.W_OK)):
        raise PermissionError(
            errno.EACCES, f"read-only file (mode {stat.S_IMODE(old.st_mode):04o}); left untouched", path
        )
    import tempfile  # noqa: PLC0415 (only writers pay for it)

    sweep_stale_temp_files(folder)
    handle, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}{TEMP_TAG}{os.getpid()}-", suffix=".tmp",
                                   dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in [data] if isinstance(data, bytes) else data:
                out.write(chunk)
            out.flush()
            if not cache:
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
    if not cache:
        _fsync_dir(folder)


TEMP_TAG = ".fdash-"  # in the name of every temp file fdash writes, before its pid
DEAD_AFTER_S = 10  # a temp file of a process that is gone, older than this, is stale
STALE_AFTER_S = 24 * 3600  # any temp file of ours this old is stale (its pid may be reused)


def sweep_stale_temp_files(folder: str, now: float | None = None) -> list[str]:
    """Remove the temp files killed writes left in `folder`; returns their names."""
    import time  # noqa: PLC0415

    now = time.time() if now is None else now
    removed = []
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.startswith(".") and e.name.endswith(".tmp")
                     and TEMP_TAG in e.name]
    except OSError:
        return removed
    for name in names:
        pid_text = name.rsplit(TEMP_TAG, 1)[1].split("-", 1)[0]
        if not pid_text.isdigit():
            continue
        path = os.path.join(folder, name)
        try:
            st = os.lstat(path)
        except OSError:
            continue
        age = now - st.st_mtime
        if not stat.S_ISREG(st.st_mode) or not (
            age > STALE_AFTER_S or (age > DEAD_AFTER_S and not _alive(int(pid_text)))
        ):
            continue
        try:
            os.unlink(path)
            removed.append(name)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or we cannot tell: leave it
    return True


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
