"""`fdash show ID`: a session's transcript as text or records, found by a unique id start."""

from __future__ import annotations

import json
import re

import orjson
import pytest

from .conftest import run_cli


@pytest.mark.slow
def test_show_prints_the_transcript(observer_root):
    result = run_cli("-d", str(observer_root), "show", "1108")
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode()
    assert text.startswith("--update\nid 11080800-d13f-4c9d-b6df-149ea74d7723 · /home/marmutapp/needlehaystack")
    assert "1 tool call: Read 1\n0 failed tool results · 1 turn ended early · 0 files edited\n" in text
    assert "❯ You" in text and "  QUick summary of the project\n" in text
    assert "▸ Read /home/marmutapp/needlehaystack/README.md\n  ⎿ Read: 218 lines, 8.2k chars\n" in text
    assert "✦ HaystackBench is a Python benchmark suite" in text
    assert "✗ turn ended: error\n" in text
    assert "injected context" not in text and "Greeting the user" not in text  # folded unless --full
    full = run_cli("-d", str(observer_root), "show", "11080800-D13F", "--full").stdout.decode()
    assert "injected context" in full and "Greeting the user" in full and "| Checkpoint/resume |" in full


def test_show_json_records(observer_root):
    result = run_cli("-d", str(observer_root), "show", "7df5", "--json")
    assert result.returncode == 0, result.stderr.decode()
    doc = json.loads(result.stdout)
    assert doc["session"]["id"] == "7df5bcf0-6cd9-4c89-8925-1bf8b3fb061d"
    assert doc["session"]["tool_calls"] == {"TodoWrite": 2, "LS": 1, "Read": 1}
    kinds = [r["kind"] for r in doc["records"]]
    assert kinds.count("prompt") == 2 and kinds.count("tool") == 4 and kinds.count("result") == 4
    tool = next(r for r in doc["records"] if r["kind"] == "tool" and r["tool"] == "LS")
    assert tool["head"] == "LS C:\\Users\\auzy_\\copilot-smoke" and tool["line"] == 7


@pytest.mark.slow
def test_show_refuses_unknown_and_ambiguous_ids(observer_root):
    unknown = run_cli("-d", str(observer_root), "show", "zz")
    assert unknown.returncode == 1 and b"no session id starts with 'zz'" in unknown.stderr
    ambiguous = run_cli("-d", str(observer_root), "show", "7")
    assert ambiguous.returncode == 2 and b"2 sessions start with '7'" in ambiguous.stderr


@pytest.mark.slow
def test_show_output_is_inert(tmp_path):
    evil = "\x1b]52;c;cHduZWQ=\x07\x1b[2J[bold red]boom[/] \x9b31m\u202e"
    root = tmp_path / "sessions" / "-p"
    root.mkdir(parents=True)
    sid = "0b34cbcb-108c-4800-b68e-af7093c8cae9"
    lines = [
        {"type": "session_start", "id": sid, "title": evil, "cwd": "/p" + evil},
        {"type": "message", "id": "u", "timestamp": "2026-01-01T00:00:00Z",
         "message": {"role": "user", "content": [{"type": "text", "text": evil}]}},
        {"type": "message", "id": "a", "timestamp": "2026-01-01T00:00:01Z",
         "message": {"role": "assistant", "content": [
             {"type": "text", "text": evil}, {"type": "thinking", "thinking": evil},
             {"type": "tool_use", "id": "t", "name": "Execute" + evil, "input": {"command": evil}}]}},
        {"type": "message", "id": "r", "timestamp": "2026-01-01T00:00:02Z",
         "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t", "content": evil}]}},
    ]
    (root / f"{sid}.jsonl").write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    for flags in ((), ("--full",)):
        result = run_cli("-d", str(tmp_path / "sessions"), "show", sid[:6], *flags)
        assert result.returncode == 0, result.stderr.decode()
        out = result.stdout
        assert b"\x1b" not in out and b"\x07" not in out and "\u202e".encode() not in out
        assert b"\xc2\x9b" not in out
        assert b"[bold red]boom[/]" in out  # markup is text, printed as it is
    result = run_cli("-d", str(tmp_path / "sessions"), "show", sid[:6], "--json")
    assert b"\x1b" not in result.stdout and b"\x07" not in result.stdout  # JSON escapes them
    records = json.loads(result.stdout)["records"]
    assert len(records) == 5
    for record in records:  # the records are cleaned like every view (the session is as export has it)
        for value in (record["head"], record["text"], record["tool"] or ""):
            assert not any(c in value for c in "\x1b\x07\x9b\u202e"), record


@pytest.mark.slow
def test_show_prints_times_like_every_report(observer_root):
    """The head's times are local `YYYY-MM-DD HH:MM` in --tz / [reports] timezone (as
    sessions, daily… show them), not ISO UTC; --json keeps ISO."""
    text = run_cli("-d", str(observer_root), "show", "1108", "--tz", "Asia/Tokyo").stdout.decode()
    third = text.splitlines()[2]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d … \d{4}-\d\d-\d\d \d\d:\d\d \(Asia/Tokyo\)", third), third
    utc = run_cli("-d", str(observer_root), "show", "1108", "--tz", "UTC").stdout.decode().splitlines()[2]
    first = json.loads(run_cli("-d", str(observer_root), "show", "1108", "--json").stdout)["session"]
    start = first["started_at"]
    assert start.endswith("Z")  # --json keeps ISO UTC
    assert utc.startswith(start[:10] + " " + start[11:16]), (utc, start)
    assert not third.startswith(start[:10] + " " + start[11:16])
    bad = run_cli("-d", str(observer_root), "show", "1108", "--tz", "Nowhere/Nope")
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr
