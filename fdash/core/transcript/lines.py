"""Where each line of a transcript starts, found in one pass over its bytes.

Nothing is decoded: the file is read in chunks, split at newlines and only the line
lengths are kept (8 bytes a line, in an `array`), so a 200 MB transcript is indexed in a
fraction of a second with a few MB of memory. Lines are read back on demand with one
`pread` per range; the file is opened only for that read. A transcript replaced or cut
since it was indexed (a rename rewrites it, a new inode) raises `TranscriptChanged` so
the caller can index it again; one that grew keeps its indexed lines valid.
"""

from __future__ import annotations

import errno
from array import array
from bisect import bisect_left, bisect_right
from itertools import accumulate

from fdash.core.regular import chunks_of, open_regular, read_at

CHUNK = 1024 * 1024  # read at a time: small, so memory stays flat (splitting copies it once)


class TranscriptChanged(OSError):
    """The file is no longer the one indexed (replaced or truncated)."""


class LineIndex:
    """The start offset of every line of a transcript; `starts[len]` is where the last
    line ends. A last line without a newline (droid is writing it) is included."""

    def __init__(self, path: str):
        self.path = path
        self.starts = array("q", [0])
        self.inode = 0
        self.size = 0
        self._index()

    def __len__(self) -> int:
        return len(self.starts) - 1

    def _index(self) -> None:
        with open_regular(self.path) as (fd, st):
            starts = array("q", [0])
            offset = 0
            for data in chunks_of(fd, 0, st.st_size, CHUNK):
                parts = data.split(b"\n")
                del parts[-1]  # what follows the chunk's last newline
                # the start of the line after each newline: C-speed sums of the lengths
                after = accumulate(map((1).__add__, map(len, parts)), initial=offset)
                next(after)
                starts.extend(after)
                offset += len(data)
                del data, parts  # before the next read
            if starts[-1] != offset:
                starts.append(offset)  # an unterminated last line
            self.inode, self.size, self.starts = st.st_ino, offset, starts

    def span(self, first: int, last: int) -> bytes:
        """The bytes of lines `first` … `last - 1`, newlines included, in one read."""
        first, last = max(0, first), min(len(self), last)
        if first >= last:
            return b""
        begin, end = self.starts[first], self.starts[last]
        with open_regular(self.path) as (fd, st):
            if st.st_ino != self.inode or st.st_size < self.size:
                raise TranscriptChanged(errno.ESTALE, "the transcript was replaced or cut")
            data = read_at(fd, begin, end - begin)
        if len(data) < end - begin:
            raise TranscriptChanged(errno.ESTALE, "the transcript was cut")
        return data

    def read(self, first: int, last: int) -> list[bytes]:
        """The bytes of lines `first` … `last - 1`, without their line ends."""
        first, last = max(0, first), min(len(self), last)
        data = self.span(first, last)
        starts, begin = self.starts, self.starts[first] if first < last else 0
        return [data[starts[i] - begin : starts[i + 1] - begin].rstrip(b"\r\n") for i in range(first, last)]

    def lines_within(self, first: int, budget: int) -> int:
        """The line after `first` such that lines `first` … it hold about `budget` bytes
        (always at least one line)."""
        return max(first + 1, min(len(self), bisect_right(self.starts, self.starts[first] + budget) - 1))

    def lines_before(self, last: int, budget: int) -> int:
        """The first line of a range ending before `last` holding about `budget` bytes."""
        if last <= 0:
            return 0
        return min(last - 1, max(0, bisect_left(self.starts, self.starts[last] - budget)))

    def length(self, line: int) -> int:
        return self.starts[line + 1] - self.starts[line]

    def line_at(self, offset: int) -> int:
        """The line holding byte `offset`."""
        return max(0, bisect_right(self.starts, offset) - 1)
