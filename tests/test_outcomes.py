"""Per-session outcome facts counted from a transcript's bytes: tool calls per tool, failed
tool results, turns that did not complete, files edited. The byte-level counts must equal
what decoding every line says, on real files, generated histories and odd key orders."""

from __future__ import annotations

import json
import re
from pathlib import Path

import orjson
import pytest

from fdash.core.models import decode_counts
from fdash.core.parse import TranscriptReader
from fdash.core.tool_calls import EDITING_TOOLS, encode_counts

PUBLIC = Path(__file__).parent / "fixtures" / "public"
LINUX = PUBLIC / "superbased-observer/linux-home-marmutapp-needlehaystack/11080800-d13f-4c9d-b6df-149ea74d7723.jsonl"
WINDOWS = PUBLIC / "superbased-observer/windows-C-Users-auzy_-copilot-smoke/7df5bcf0-6cd9-4c89-8925-1bf8b3fb061d.jsonl"
ZIRV = PUBLIC / "zirv/session.jsonl"


def facts(data: bytes) -> tuple:
    reader = TranscriptReader("t")
    done = reader.finished(reader.feed(data))
    return dict(done.tool_counts), done.tool_errors, done.turn_errors, sorted(done.edited)


def decoded_truth(data: bytes) -> tuple:
    """The same facts by decoding every line, written independently of the parser."""
    tools: dict[str, int] = {}
    tool_errors = turn_errors = 0
    edited = set()
    for line in data.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("type") == "agent_turn_outcome":
            turn_errors += isinstance(record.get("reason"), str) and record["reason"] != "completed"
            continue
        message = record.get("message") if record.get("type") == "message" else None
        content = message.get("content") if isinstance(message, dict) else None
        for block in content if isinstance(content, list) else []:
            if block.get("type") == "tool_use" and message.get("role") == "assistant":
                tools[block["name"]] = tools.get(block["name"], 0) + 1
                if block["name"] in EDITING_TOOLS and "file_path" in block["input"]:
                    edited.add(block["input"]["file_path"])
                if block["name"] == "ApplyPatch":
                    edited.update(re.findall(r"\*\*\* (?:Update|Add|Delete) File: (.+)", block["input"]["input"]))
            if block.get("type") == "tool_result" and block.get("is_error") is True:
                tool_errors += 1
    return tools, tool_errors, turn_errors, sorted(edited)


def spaced(data: bytes) -> bytes:
    """Every line re-written with spaces after separators: nothing takes the fast path."""
    return b"".join(json.dumps(json.loads(line)).encode() + b"\n" for line in data.splitlines() if line.strip())


def test_real_droid_files():
    assert facts(LINUX.read_bytes()) == ({"Read": 1}, 0, 1, [])
    assert facts(ZIRV.read_bytes()) == ({"Execute": 1}, 1, 0, [])
    assert facts(WINDOWS.read_bytes()) == ({"TodoWrite": 2, "LS": 1, "Read": 1}, 0, 0, [])
    for path in (LINUX, ZIRV, WINDOWS):
        assert facts(path.read_bytes()) == decoded_truth(path.read_bytes()) == facts(spaced(path.read_bytes()))


def test_generated_history_matches_decoding(tmp_path):
    from fdash.demo import write_history as generate

    generate(tmp_path / "h", sessions=40, seed=11)
    edited_somewhere = errors = 0
    for path in sorted((tmp_path / "h").rglob("*.jsonl")):
        data = path.read_bytes()
        truth = decoded_truth(data)
        assert facts(data) == truth, path
        assert facts(spaced(data)) == truth, path
        edited_somewhere += bool(truth[3])
        errors += truth[2]
    assert edited_somewhere and errors  # the history exercises both


def line(record: dict) -> bytes:
    return orjson.dumps(record) + b"\n"


def assistant(*blocks) -> bytes:
    return line({"type": "message", "id": "a", "timestamp": "2026-01-01T00:00:00Z",
                 "message": {"role": "assistant", "content": list(blocks)}})


def call(name: str, **inputs) -> dict:
    return {"type": "tool_use", "id": "c1", "name": name, "input": inputs}


def test_edits_patches_and_odd_shapes():
    start = line({"type": "session_start", "id": "s"})
    patch = "*** Begin Patch\n*** Update File: /p/a.py\n@@\n-x\n+y\n*** Add File: /p/b.py\n+z\n*** End Patch"
    data = start + assistant(
        call("Edit", file_path="/p/a.py", old_str='"type":"tool_use"', new_str="x"),
        call("ApplyPatch", input=patch),
        {"type": "tool_use", "name": "Create", "id": "c2", "input": {"content": "c", "file_path": "C:\\w\\c.py"}},
        call("Read", file_path="/p/never-edited.py"),
    ) + assistant({"type": "text", "text": 'mentions "name":"Edit" and "is_error":true only in text'})
    data += line({"type": "agent_turn_outcome", "turnId": "t", "reason": "model_usage_exhausted"})
    data += line({"type": "agent_turn_outcome", "turnId": "t", "reason": "completed"})
    data += line({"type": "message", "id": "u", "message": {"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "c1", "is_error": True, "content": "boom"},
        {"type": "tool_result", "tool_use_id": "c2", "is_error": False, "content": '"is_error":true'}]}})
    expected = ({"Edit": 1, "ApplyPatch": 1, "Create": 1, "Read": 1}, 1, 1, ["/p/a.py", "/p/b.py", "C:\\w\\c.py"])
    assert facts(data) == expected == decoded_truth(data)
    assert facts(spaced(data)) == expected


def test_resumed_reading_counts_the_same():
    data = WINDOWS.read_bytes() + ZIRV.read_bytes().split(b"\n", 1)[1]
    whole = facts(data)
    reader = TranscriptReader("t")
    cut = data.index(b"\n", len(data) // 2) + 1
    reader.feed(data[:cut])
    done = reader.finished(reader.feed(data[cut:]))
    assert (dict(done.tool_counts), done.tool_errors, done.turn_errors, sorted(done.edited)) == whole


def test_counts_text_round_trips():
    counts = {"Read": 30, "Edit": 5, "mcp:odd,name": 1}
    text = encode_counts(counts)
    assert text.startswith("Read:30,Edit:5")
    assert decode_counts(text) == {"Read": 30, "Edit": 5, "mcp odd name": 1}
    assert decode_counts("") == {}


@pytest.mark.slow
def test_export_has_the_outcome_facts(observer_root):
    from .conftest import run_cli

    result = run_cli("-d", str(observer_root), "export", "--json")
    assert result.returncode == 0, result.stderr.decode()
    by_id = {r["id"][:8]: r for r in json.loads(result.stdout)}
    assert {k: by_id["11080800"][k] for k in ("tool_calls", "tool_errors", "turn_errors", "files_edited")} == {
        "tool_calls": {"Read": 1}, "tool_errors": 0, "turn_errors": 1, "files_edited": 0}
    assert by_id["7df5bcf0"]["tool_calls"] == {"TodoWrite": 2, "LS": 1, "Read": 1}
    rows = run_cli("-d", str(observer_root), "export", "--format", "csv").stdout.decode()
    assert "TodoWrite:2 LS:1 Read:1" in rows
