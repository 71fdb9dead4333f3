"""Every transcript line costs what its bytes cost (issue 15, 4c).

Work is counted, not timed: the reader gets its data as a `bytes` subclass that adds
up the bytes each `find`/`rfind` scans, each `startswith`/`endswith` compares and each
slice copies. For any mix of hostile lines the total must stay within a constant factor
of the data's size (plus a constant per line); a line that makes the reader look at the
rest of the buffer (quadratic: 10 MB of them took minutes) fails at once."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fdash.core.parse import HEAD_BYTES, TranscriptReader


class Counted(bytes):
    work = 0

    @staticmethod
    def _span(length: int, start, end) -> tuple[int, int]:
        start = 0 if start is None else (start if start >= 0 else max(0, length + start))
        end = length if end is None else (min(end, length) if end >= 0 else max(0, length + end))
        return start, end

    def find(self, sub, start=None, end=None):
        at = bytes.find(self, sub, start, end)
        a, b = self._span(len(self), start, end)
        Counted.work += (at + len(sub) - a) if at != -1 else max(0, b - a)
        return at

    def rfind(self, sub, start=None, end=None):
        at = bytes.rfind(self, sub, start, end)
        a, b = self._span(len(self), start, end)
        Counted.work += (b - at) if at != -1 else max(0, b - a)
        return at

    def startswith(self, prefix, start=None, end=None):
        Counted.work += len(prefix) if isinstance(prefix, bytes) else sum(map(len, prefix))
        return bytes.startswith(self, prefix, start, end)

    def endswith(self, suffix, start=None, end=None):
        Counted.work += len(suffix) if isinstance(suffix, bytes) else sum(map(len, suffix))
        return bytes.endswith(self, suffix, start, end)

    def __getitem__(self, key):
        value = bytes.__getitem__(self, key)
        if isinstance(key, slice):
            Counted.work += len(value)
        return value


def work_of(data: bytes) -> int:
    Counted.work = 0
    reader = TranscriptReader("t.jsonl")
    reader.finished(reader.feed(Counted(data)))
    return Counted.work


# the pieces droid's lines are made of, and the broken ones that once made a line look
# at the whole rest of the data
PIECES = [
    b'{"type":"message"', b',"id":"m1"', b',"timestamp":"', b'"2026-01-01T00:00:00.000Z"', b'"',
    b'"role":"assistant"', b'"role":"user"', b',"message":{', b'"content":[', b'{"type":"text","text":"hi"}',
    b'"modelId":"gpt-5"', b"}", b"]", b"\\", b",", b":", b'"visibility":"llm_only"}}', b"context-",
    b'{"type":"session_start","title":"t","cwd":"/w"}', b'{"type":"todo_state"}', b"\xef\xbb\xbf", b"\r",
    b'"timestamp":""role":"assistant"}', b'"timestamp":"9999-12-31T23:59:59-14:00"', b"x" * 50,
]
BODY = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map(b"".join)
# most lines start as a message line does, so they take the reader's fast path
LINE = st.one_of(BODY.map(lambda body: b'{"type":"message"' + body), BODY)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=8), st.integers(min_value=50, max_value=400))
def test_work_is_linear_in_the_data(lines, repeat):
    data = b'{"type":"session_start","title":"t","cwd":"/w"}\n' + b"\n".join(lines * repeat) + b"\n"
    line_count = data.count(b"\n")
    assert work_of(data) <= 12 * len(data) + 4 * HEAD_BYTES * line_count


def test_the_line_that_was_quadratic():
    line = b'{"type":"message","timestamp":""role":"assistant"}\n'
    small = work_of(line * 1000)
    big = work_of(line * 4000)
    assert big <= 4.5 * small, (small, big)
    assert big <= 12 * len(line) * 4000 + 4 * HEAD_BYTES * 4000
