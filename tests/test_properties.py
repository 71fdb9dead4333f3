"""Property tests: the parsers take any bytes without raising, and never report a
negative or non-integer count, whatever a file holds or wherever it was cut."""

from __future__ import annotations

import json
import os

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fdash.core.models import Problem, TokenUsage
from fdash.core.parse import TranscriptReader
from fdash.core.prompts import is_prompt
from fdash.core.settings_file import MAX_TOKENS, parse_settings
from fdash.core.times import iso_to_ms, ms_to_iso

SCALE = int(os.environ.get("FDASH_PROPERTY_SCALE", "1"))  # e.g. 20 for a deep local run
FAST = settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=50 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=6,
)
TEXT_BLOCK = st.fixed_dictionaries({"type": st.sampled_from(["text", "tool_result", "thinking", "x"]),
                                    "text": st.one_of(st.text(max_size=30), JSON)})
MESSAGE = st.fixed_dictionaries(
    {"type": st.just("message"),
     "id": st.one_of(st.text(max_size=12), st.just("context-1"), JSON),
     "timestamp": st.one_of(st.just("2026-01-02T03:04:05.678Z"), st.text(max_size=30), JSON),
     "message": st.one_of(
         st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant", "system"]),
                                "content": st.one_of(st.lists(st.one_of(TEXT_BLOCK, JSON), max_size=3),
                                                     st.text(max_size=20), JSON)},
                               optional={"visibility": st.sampled_from(["llm_only", "user_only", "all"]),
                                         "modelId": st.one_of(st.text(max_size=20), JSON)}),
         JSON)})
START = st.fixed_dictionaries({"type": st.just("session_start")},
                              optional={"title": JSON, "sessionTitle": JSON, "cwd": JSON, "parent": JSON})
RECORD = st.one_of(MESSAGE, START, JSON, st.dictionaries(st.just("type"), JSON))


def _lines(records) -> bytes:
    return b"".join(orjson.dumps(r, option=orjson.OPT_NON_STR_KEYS) + b"\n" for r in records)


def _read(data: bytes) -> TranscriptReader:
    reader = TranscriptReader("t.jsonl", keep_full_prompts=True)
    return reader.finished(reader.feed(data))


def _sane(reader: TranscriptReader, data: bytes) -> None:
    counts = (reader.lines, reader.message_count, reader.user_prompts, reader.bad_lines, reader.replaced_utf8,
              reader.offset)
    for n in counts:
        assert type(n) is int and n >= 0
    assert reader.offset <= len(data)
    assert reader.user_prompts <= reader.message_count <= reader.lines
    assert reader.user_prompts == len(reader.full_prompts) and len(reader.previews) <= reader.user_prompts
    for ms in (reader.first_at_ms, reader.last_at_ms):
        assert ms is None or (type(ms) is int and ms_to_iso(ms))
    assert isinstance(reader.title, str)
    assert reader.cwd is None or isinstance(reader.cwd, str)
    assert reader.model_hint is None or isinstance(reader.model_hint, str)
    assert all(isinstance(p, Problem) for p in reader.problems())


def _tokens_sane(tokens: TokenUsage | None) -> None:
    if tokens is None:
        return
    for n in (tokens.input, tokens.output, tokens.cache_write, tokens.cache_read, tokens.thinking):
        assert type(n) is int and 0 <= n <= MAX_TOKENS


# --------------------------------------------------------------------------- transcripts


@FAST
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(data):
    _sane(_read(data), data)


# pieces the byte-level fast path looks for, mixed with noise
SOUP = st.lists(st.one_of(st.sampled_from([
    b'{"type":"message","id":"', b'{"type":"message"', b'{"type":"session_start"', b'"role":"user"',
    b'"role":"assistant"', b'"role":"', b'"type":"text"', b'"text":"hi"', b'"content":"', b'\n', b'\r\n',
    b'"visibility":"llm_only"}}', b'"timestamp":"2026-01-02T03:04:05Z"', b'"modelId":"m\\"', b'context-',
    b'{"type":"', b"}", b"]", b'"', b"\\", b"\xef\xbb\xbf", b"\xff",
]), st.binary(max_size=12)), max_size=40).map(b"".join)


@FAST
@given(SOUP)
def test_byte_soup_never_raises(data):
    _sane(_read(data), data)


@pytest.mark.slow
@SLOW
@given(st.lists(RECORD, max_size=12))
def test_random_json_records_never_raise(records):
    data = _lines(records)
    _sane(_read(data), data)


@SLOW
@given(st.lists(RECORD, min_size=1, max_size=10), st.data())
def test_random_truncation_never_raises_and_only_loses_the_cut_line(records, draw):
    data = _lines(records)
    cut = draw.draw(st.integers(min_value=0, max_value=len(data)))
    whole, part = _read(data), _read(data[:cut])
    _sane(part, data[:cut])
    assert part.message_count <= whole.message_count + 1  # the cut line may parse as something else
    assert part.lines <= whole.lines


@pytest.mark.slow
@SLOW
@given(st.lists(RECORD, max_size=10), st.binary(max_size=40), st.data())
def test_reading_in_two_goes_equals_one_pass(records, noise, draw):
    """What the index does when a transcript grew: resume from `offset`."""
    data = _lines(records) + noise
    cut = draw.draw(st.integers(min_value=0, max_value=len(data)))
    one = _read(data)
    reader = TranscriptReader("t.jsonl", keep_full_prompts=True)
    tail = reader.feed(data[:cut])
    assert reader.offset + len(tail) == cut
    two = reader.finished(reader.feed(tail + data[cut:]))
    fields = ("lines", "offset", "message_count", "user_prompts", "title", "cwd", "parent_id", "first_at_ms",
              "last_at_ms", "previews", "full_prompts", "bad_lines", "replaced_utf8", "partial_tail")
    assert {f: getattr(two, f) for f in fields} == {f: getattr(one, f) for f in fields}


@SLOW
@given(st.lists(MESSAGE, min_size=1, max_size=6), st.sampled_from([b"\r\n", b"\n\n", b"\n \t\n"]))
def test_line_endings_and_blank_lines_do_not_change_counts(records, separator):
    plain = _read(_lines(records))
    odd = b"".join(orjson.dumps(r, option=orjson.OPT_NON_STR_KEYS) + separator for r in records)
    other = _read(odd)
    _sane(other, odd)
    assert other.user_prompts == plain.user_prompts


@FAST
@given(JSON)
def test_is_prompt_takes_any_record(record):
    if isinstance(record, dict):
        texts = is_prompt(record)
        assert isinstance(texts, list) and all(isinstance(t, str) and t for t in texts)


@FAST
@given(st.one_of(st.text(max_size=45), JSON))
def test_iso_to_ms_takes_anything(value):
    ms = iso_to_ms(value)
    assert ms is None or (type(ms) is int and ms_to_iso(ms))


# --------------------------------------------------------------------------- settings

TOKEN_VALUE = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.floats(), st.text(max_size=8), st.none(),
    st.booleans(), JSON,
)
TOKEN_KEYS = ("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "thinkingTokens")


@FAST
@given(st.binary(max_size=500))
def test_settings_random_bytes(data):
    problems = []
    facts = parse_settings(data, "s.json", problems)
    if facts is not None:
        _tokens_sane(facts.tokens)
        assert type(facts.active_time_ms) is int and facts.active_time_ms >= 0


@FAST
@given(JSON)
def test_settings_random_json(doc):
    problems = []
    facts = parse_settings(orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS), "s.json", problems)
    assert (facts is None) == (not isinstance(doc, dict))
    if facts is not None:
        _tokens_sane(facts.tokens)


FIELD = dict(zip(TOKEN_KEYS, ("input", "output", "cache_write", "cache_read", "thinking")))


def _expected_count(value) -> tuple[int, bool]:
    """(what must be counted, whether a warning must say so) for one token value."""
    if value is None:
        return 0, False  # null reads as "missing"
    if type(value) is int and 0 <= value <= MAX_TOKENS:
        return value, False
    if type(value) is float and value.is_integer() and 0 <= value <= MAX_TOKENS:
        return int(value), False
    return 0, True


@FAST
@given(st.dictionaries(st.sampled_from(TOKEN_KEYS), TOKEN_VALUE), TOKEN_VALUE)
def test_settings_token_values_are_whole_non_negative_numbers(usage, active):
    doc = {"model": "m", "tokenUsage": usage, "assistantActiveTimeMs": active}
    data = json.dumps(doc).encode()  # big integers exact; NaN/Infinity as JS would never write them
    problems = []
    facts = parse_settings(data, "s.json", problems)
    if facts is None:
        assert problems  # unreadable (NaN is not JSON): said so, nothing counted
        return
    _tokens_sane(facts.tokens)
    assert type(facts.active_time_ms) is int and 0 <= facts.active_time_ms <= MAX_TOKENS
    for key, value in usage.items():
        expected, warned = _expected_count(value)
        assert getattr(facts.tokens, FIELD[key]) == expected, (key, value)
        assert any(f"tokenUsage.{key} " in p.reason for p in problems) == warned, (key, value, problems)


def test_an_undated_last_message_dates_a_session_as_when_read_in_two_goes():
    """Found by the property above: the time of a transcript read at once and in two goes
    (the index resuming a grown file) must agree when the edge message has no usable time."""
    stamp = "2026-01-02T03:04:05.678Z"
    start = {"type": "session_start", "id": "s", "title": "t", "cwd": "/p"}
    user = {"type": "message", "id": "m", "timestamp": stamp,
            "message": {"role": "user", "content": [{"type": "text", "text": "hi"}]}}
    for undated in ({"type": "message", "id": "context-1", "timestamp": "", "message": None},
                    {"type": "message", "id": "x", "timestamp": "", "message": {"role": "assistant"}}):
        for records in ([start, user, user, undated], [start, undated, user, user]):
            data = _lines(records)
            one = _read(data)
            assert one.first_at_ms == one.last_at_ms is not None
            for cut in range(len(data) + 1):
                reader = TranscriptReader("t.jsonl", keep_full_prompts=True)
                two = reader.finished(reader.feed(reader.feed(data[:cut]) + data[cut:]))
                assert (two.first_at_ms, two.last_at_ms) == (one.first_at_ms, one.last_at_ms), cut
