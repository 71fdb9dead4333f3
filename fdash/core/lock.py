"""One writer at a time: an advisory lock beside a file fdash reads, changes and writes back.

`.favorites` and the config are changed read-modify-write. Two fdash processes doing
that at once could each read the old file and the second rename would drop the first
one's change. Holding `locked(path)` around the read, the change and the rename makes
fdash processes take turns; the compare-before-rename check (`atomic.unchanged`) still
catches a program that does not take the lock (droid, an editor).

The lock is `flock` on a small hidden file beside the real file (`.favorites.lock`,
`.config.toml.lock`), never the file itself: the file is replaced by a rename, and a lock
on a replaced inode protects nothing. The lock file is left in place (removing it would
let two processes lock two different files). Where no lock can be had (no `fcntl`, a
read-only folder) the write goes ahead unlocked and fails or succeeds on its own.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

WAIT_S = 10.0  # another fdash holding the lock longer than this is stuck (or stopped)
POLL_S = 0.005


class LockTimeout(OSError):
    """Another process held the lock for longer than WAIT_S."""


def lock_path(path: str | os.PathLike[str]) -> str:
    real = os.path.realpath(os.fspath(path))
    folder, name = os.path.split(real)
    return os.path.join(folder, (name if name.startswith(".") else "." + name) + ".lock")


@contextmanager
def locked(path: str | os.PathLike[str], wait_s: float | None = None) -> Iterator[None]:
    """Hold the exclusive lock of `path` for the duration of the block (waiting at most
    `wait_s`, default WAIT_S, for another holder)."""
    wait_s = WAIT_S if wait_s is None else wait_s
    try:
        import fcntl  # noqa: PLC0415 (POSIX only)
    except ImportError:
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(lock_path(path), flags, 0o644)
    except OSError:  # a read-only or missing folder: the write itself will say why
        yield
        return
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    break  # a file system without locks (ENOLCK): go ahead unlocked
                if time.monotonic() > deadline:
                    raise LockTimeout(
                        errno.ETIMEDOUT, f"another fdash has been saving it for {wait_s:g}s", os.fspath(path)
                    ) from None
                time.sleep(POLL_S)
        yield
    finally:
        os.close(fd)  # releases the lock
