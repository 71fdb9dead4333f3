"""Reading files fdash did not write: only regular files, never blocking, size-bounded.

Every file fdash reads (transcripts, settings, `.favorites`, the config, the index) may
have been swapped for a FIFO, a device or a symlink to `/dev/zero`. Each is opened
here without blocking (a FIFO cannot hang the open), checked to be a regular file on the
open descriptor (no race between a check and the open), and read only up to the size it
had when opened and never more than a bound, so nothing can make a read hang or grow
without end. The handle is closed when the read is done.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

CHUNK = 16 * 1024 * 1024  # what `read_chunks` hands out at a time
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0)


class TooLarge(OSError):
    """The file is bigger than the caller is willing to read."""

    def __init__(self, path: str, size: int, limit: int):
        super().__init__(errno.EFBIG, f"too large ({_mb(size)}; at most {_mb(limit)} is read)", path)
        self.size = size
        self.limit = limit


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"


@contextmanager
def open_regular(path: str | os.PathLike[str]) -> Iterator[tuple[int, os.stat_result]]:
    """(descriptor, its stat) of a regular file, closed on exit. Raises OSError (EINVAL,
    "not a regular file") for a folder, FIFO, socket or device, without blocking."""
    fd = os.open(path, _FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", os.fspath(path))
        yield fd, st
    finally:
        os.close(fd)


def open_binary(path: str | os.PathLike[str]) -> BinaryIO:
    """A regular file as a Python binary file object (the caller closes it), opened
    without blocking; OSError for anything else."""
    fd = os.open(path, _FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", os.fspath(path))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_at(fd: int, offset: int, length: int) -> bytes:
    """Up to `length` bytes from `offset` (fewer when the file is shorter)."""
    if length <= 0:
        return b""
    os.lseek(fd, offset, os.SEEK_SET)
    chunks = []
    while length > 0:
        chunk = os.read(fd, length)
        if not chunk:
            break
        chunks.append(chunk)
        length -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_regular(path: str | os.PathLike[str], offset: int = 0, limit: int | None = None) -> bytes:
    """The bytes of a regular file from `offset` up to its size when opened (bytes
    appended meanwhile are for the next read). Raises TooLarge when that is more than
    `limit` bytes, OSError when the file is not a regular file or cannot be read."""
    with open_regular(path) as (fd, st):
        want = max(0, st.st_size - offset)
        if limit is not None and want > limit:
            raise TooLarge(os.fspath(path), want, limit)
        return read_at(fd, offset, want)


def read_chunks(path: str | os.PathLike[str], offset: int = 0, chunk: int | None = None) -> Iterator[bytes]:
    """The bytes of a regular file from `offset` up to its size when opened, `chunk`
    bytes at a time (one chunk for most files), so a huge file never sits in memory
    whole. The file is open until the iterator is exhausted or closed."""
    with open_regular(path) as (fd, st):
        yield from chunks_of(fd, offset, st.st_size, chunk)


def chunks_of(fd: int, start: int, end: int, chunk: int | None = None) -> Iterator[bytes]:
    """The bytes of an open file from `start` to `end`, `chunk` (default CHUNK) bytes at
    a time."""
    chunk = chunk or CHUNK
    position = start
    while position < end:
        data = read_at(fd, position, min(chunk, end - position))
        if not data:
            return
        position += len(data)
        yield data
