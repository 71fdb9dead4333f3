"""The transcript and settings parser: the prompt rule, titles, tolerance."""

from __future__ import annotations

import json

import orjson
import pytest

from fdash.core.models import TokenUsage
from fdash.core.parse import TranscriptReader
from fdash.core.prompts import clean_prompt, is_prompt
from fdash.core.settings_file import parse_settings

START = {"type": "session_start", "id": "s", "title": "T", "cwd": "/w/p", "version": 2}


def msg(role, content, mid="m1", ts="2026-01-02T03:04:05.000Z", **message_extra):
    return {"type": "message", "id": mid, "timestamp": ts,
            "message": {"role": role, "content": content, **message_extra}}


def text(t):
    return {"type": "text", "text": t}


def read(*records, raw: bytes = b""):
    data = b"".join(orjson.dumps(r) + b"\n" for r in records) + raw
    reader = TranscriptReader("t.jsonl")
    return reader.finished(reader.feed(data))


@pytest.mark.parametrize(
    "record, expected",
    [
        (msg("user", [text("fix the bug")]), ["fix the bug"]),
        (msg("user", [text("<system-reminder>ctx</system-reminder>\nfix it\n")]), ["fix it"]),
        (msg("user", [text("do x <system-reminder>a\nb</system-reminder>")]), ["do x"]),
        (msg("user", [text("<system-reminder>only a reminder</system-reminder>")]), []),
        (msg("user", [text("   ")]), []),
        (msg("user", [text("x")], visibility="llm_only"), []),
        (msg("user", [text("No active subscription found.")], visibility="user_only"), []),
        ({**msg("user", [text("x")]), "visibility": "llm_only"}, []),  # tolerated at top level
        (msg("user", [text("x")], mid="context-123"), []),
        (msg("user", [{"type": "tool_result", "tool_use_id": "a", "content": [text("out")]}]), []),
        (msg("user", [{"type": "tool_result", "tool_use_id": "a", "content": "out"}, text("and this")]),
         ["and this"]),
        (msg("assistant", [text("hello")]), []),
        (msg("user", "a plain string prompt"), ["a plain string prompt"]),
    ],
)
def test_prompt_rule(record, expected):
    assert is_prompt(record) == expected
    reader = read(START, record)
    assert reader.user_prompts == (1 if expected else 0)


def test_unclosed_reminder_is_dropped():
    assert clean_prompt("hi <system-reminder> never closed") == "hi"


def test_title_is_what_droids_own_list_shows():
    """`title` (droid 0.225.2 drops sessionTitle on rewrite); an older sessionTitle only
    where title is empty or a sub-agent's handoff; "New Session" never hides a title."""
    assert read({**START, "sessionTitle": "Better"}).title == "T"
    assert read({**START, "sessionTitle": ""}).title == "T"
    assert read({**START, "sessionTitle": "New Session"}).title == "T"
    assert read({**START, "title": "", "sessionTitle": "Named"}).title == "Named"
    handoff = "# Task Tool Invocation\n\nSubagent type: worker"
    assert read({**START, "title": handoff, "sessionTitle": "worker: count files"}).title == "worker: count files"
    assert read({**START, "title": handoff, "sessionTitle": "New Session"}).title == handoff


def test_fork_parent_and_timestamps():
    r = read({**START, "parent": "p-id"}, msg("user", [text("a")], ts="2026-01-02T00:00:00Z"),
             msg("assistant", [text("b")], ts="2026-01-02T00:00:05.500Z", modelId="gpt-5"),
             {"type": "todo_state", "todos": "1. x", "timestamp": "2027-01-01T00:00:00Z"})
    assert r.parent_id == "p-id"
    assert r.first_at_ms == 1767312000000
    assert r.last_at_ms == 1767312005500  # todo_state is not a message
    assert r.message_count == 2
    assert r.model_hint == "gpt-5"


def test_truncated_last_line_is_a_warning_not_an_error():
    r = read(START, msg("user", [text("first")]), raw=b'{"type":"message","id":"x","timestamp":"2026-01-0')
    assert r.user_prompts == 1
    assert r.partial_tail
    assert any("incomplete last line" in p.reason for p in r.problems())


def test_invalid_json_line_in_the_middle_is_skipped():
    data = orjson.dumps(START) + b"\n{not json\n" + orjson.dumps(msg("user", [text("ok")])) + b"\n"
    reader = TranscriptReader("t")
    r = reader.finished(reader.feed(data))
    assert r.user_prompts == 1
    problems = r.problems()
    assert len(problems) == 1 and "line 2" in problems[0].reason


def test_invalid_utf8_is_replaced_and_the_line_kept():
    line = orjson.dumps(msg("user", [text("caf\u00e9")])).replace("é".encode(), b"\xff\xfe")
    reader = TranscriptReader("t")
    r = reader.finished(reader.feed(orjson.dumps(START) + b"\n" + line + b"\n"))
    assert r.user_prompts == 1
    assert any("UTF-8" in p.reason for p in r.problems())


def test_no_session_start_and_empty_file():
    r = read(msg("user", [text("a")]))
    assert r.user_prompts == 1 and r.cwd is None
    assert any("no session_start" in p.reason for p in r.problems())
    empty = TranscriptReader("t").finished(b"")
    assert any("empty transcript" in p.reason for p in empty.problems())


def test_resumed_reader_equals_one_pass():
    records = [START] + [msg("user" if i % 2 else "assistant", [text(f"p{i}")], mid=f"m{i}") for i in range(10)]
    data = b"".join(orjson.dumps(r) + b"\n" for r in records)
    whole = read(*records)
    reader = TranscriptReader("t.jsonl")
    cut = len(data) // 2
    reader.feed(data[:cut])  # stops at the last complete line before `cut`
    assert 0 < reader.offset <= cut
    # resume as the index does: a new reader from the stored state, fed from `offset`
    state = {k: getattr(reader, k) for k in (
        "offset", "lines", "started", "has_start", "title", "cwd", "user_prompts",
        "message_count", "first_at_ms", "last_at_ms", "previews")}
    reader2 = TranscriptReader("t.jsonl", **state)
    tail = reader2.feed(data[reader.offset:])
    done = reader2.finished(tail)
    assert (done.user_prompts, done.message_count, done.previews, done.offset) == (
        whole.user_prompts, whole.message_count, whole.previews, len(data))


def _settings(doc) -> tuple:
    problems = []
    data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    facts = parse_settings(data, "s.json", problems)
    return facts, problems


def test_settings_token_usage_not_inclusive():
    facts, problems = _settings({
        "model": "claude-opus-4-5-20251101",
        "tokenUsage": {"inputTokens": 1, "outputTokens": 2, "cacheCreationTokens": 3,
                       "cacheReadTokens": 4, "thinkingTokens": 5, "factoryCredits": 9},
        "inclusiveTokenUsage": {"inputTokens": 100, "outputTokens": 200},
        "assistantActiveTimeMs": 1234, "providerLockTimestamp": "2026-01-01T00:00:00.000Z",
    })
    assert facts.tokens == TokenUsage(1, 2, 3, 4, 5)
    assert facts.active_time_ms == 1234
    assert facts.provider_lock_at_ms == 1767225600000
    assert problems == []


@pytest.mark.parametrize("routed, expected", [
    ({"modelId": "claude-sonnet-4-5-20250929", "reasoningEffort": "high", "fallbacks": []}, "claude-sonnet-4-5-20250929"),
    ("gpt-5.1-codex", "gpt-5.1-codex"),
    (None, "auto"),
])
def test_auto_model_resolved(routed, expected):
    facts, _ = _settings({"model": "auto", "effectiveFactoryRouterModel": routed})
    assert facts.model == "auto"
    assert facts.resolved_model == expected


@pytest.mark.parametrize("value, counted", [
    ("12", 0), (-5, 0), (None, 0), (1.5, 0), (12.0, 12), (1e30, 0), (10**20, 0), (True, 0), (7, 7),
])
def test_settings_bad_values_warn_and_count_zero(value, counted):
    facts, problems = _settings({"tokenUsage": {"inputTokens": value, "outputTokens": 3}})
    assert facts.tokens.input == counted and facts.tokens.output == 3
    assert isinstance(facts.tokens.input, int)
    assert bool(problems) == (counted == 0 and value is not None)


@pytest.mark.parametrize("raw", [b"{not json", b"[1,2]", b'"text"'])
def test_settings_not_an_object(raw):
    facts, problems = _settings(raw)
    assert facts is None and len(problems) == 1
