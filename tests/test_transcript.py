"""The lazy transcript reader: line offsets, records, rows, scrolling and search."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from fdash.core.transcript import lines as lines_module
from fdash.core.transcript import pager as pager_module
from fdash.core.transcript.lines import LineIndex, TranscriptChanged
from fdash.core.transcript.pager import Pager
from fdash.core.transcript.records import decode, main_argument
from fdash.core.transcript.rows import Layout, cells, wrap

PUBLIC = Path(__file__).parent / "fixtures" / "public"
LINUX = PUBLIC / "superbased-observer/linux-home-marmutapp-needlehaystack/11080800-d13f-4c9d-b6df-149ea74d7723.jsonl"
WINDOWS = PUBLIC / "superbased-observer/windows-C-Users-auzy_-copilot-smoke/7df5bcf0-6cd9-4c89-8925-1bf8b3fb061d.jsonl"
ZIRV = PUBLIC / "zirv/session.jsonl"


def all_records(path: Path):
    names: dict[str, str] = {}
    out = []
    for number, raw in enumerate(path.read_bytes().split(b"\n")):
        out.extend(decode(raw, number, names))
    return out


def dump(*records) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def message(role: str, content, **extra) -> dict:
    body = {"role": role, "content": content, **extra.pop("body", {})}
    return {"type": "message", "id": extra.pop("id", "m"), "timestamp": "2026-07-28T18:03:10.939Z",
            "message": body, **extra}


# ---------------------------------------------------------------- line offsets


def test_line_index_matches_split(tmp_path, monkeypatch):
    monkeypatch.setattr(lines_module, "CHUNK", 7)  # lines cross chunk borders
    data = b'{"a":1}\n\n{"bb":22}\r\n' + b"x" * 30 + b"\n" + b'{"tail":'
    path = tmp_path / "t.jsonl"
    path.write_bytes(data)
    index = LineIndex(str(path))
    expected = [b'{"a":1}', b"", b'{"bb":22}', b"x" * 30, b'{"tail":']
    assert len(index) == len(expected)
    assert index.read(0, len(index)) == expected
    assert index.read(3, 4) == [b"x" * 30]
    assert index.line_at(data.index(b"bb")) == 2


def test_empty_file_has_no_lines(tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_bytes(b"")
    assert len(LineIndex(str(path))) == 0
    assert Pager(str(path)).window(10) == []


def test_a_fifo_is_refused(tmp_path):
    fifo = tmp_path / "f.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(OSError):
        LineIndex(str(fifo))


def test_a_replaced_file_is_noticed(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_bytes(dump(message("user", [{"type": "text", "text": "first"}])))
    index = LineIndex(str(path))
    replacement = tmp_path / "new.jsonl"
    replacement.write_bytes(dump(message("user", [{"type": "text", "text": "second, longer"}])))
    os.replace(replacement, path)
    with pytest.raises(TranscriptChanged):
        index.read(0, 1)


def test_the_pager_reads_a_replaced_file_again(tmp_path, monkeypatch):
    monkeypatch.setattr(pager_module, "READ_AROUND", 8)  # one line per read
    path = tmp_path / "t.jsonl"
    prompts = [message("user", [{"type": "text", "text": f"old {i}"}]) for i in range(5)]
    path.write_bytes(dump(*prompts))
    pager = Pager(str(path), Layout(width=60))
    assert pager.window(3)[-1][2].text == "  old 0"
    replacement = tmp_path / "new.jsonl"
    replacement.write_bytes(dump(*[message("user", [{"type": "text", "text": f"new {i}"}]) for i in range(9)]))
    os.replace(replacement, path)  # a rename rewrites a transcript so
    texts = [row.text for _, _, row in pager.window(30)]
    assert "  new 8" in texts and len(pager) == 9


# ---------------------------------------------------------------- records


def test_real_transcript_records():
    records = all_records(LINUX)
    kinds = [r.kind for r in records]
    prompts = [r.text for r in records if r.kind == "prompt"]
    assert prompts == ["--update", "hi", "QUick summary of the project"]
    assert "compaction" in kinds and kinds.count("context") >= 3
    notices = [r.text for r in records if r.kind == "notice"]
    assert notices[0].startswith("No active subscription found.")
    outcome = next(r for r in records if r.kind == "outcome")
    assert outcome.head == "turn ended: error" and outcome.error
    assert kinds.count("outcome") == 1  # completed turns are not marked
    tool = next(r for r in records if r.kind == "tool")
    assert tool.head == "Read /home/marmutapp/needlehaystack/README.md" and tool.tool == "Read"
    result = next(r for r in records if r.kind == "result")
    assert result.tool == "Read" and not result.error and result.text.startswith("# HaystackBench")
    replies = [r.text for r in records if r.kind == "reply"]
    assert replies[0] == "Hi. What can I help with?"
    assert sum(r.kind == "thinking" for r in records) == 2


def test_failed_tool_result_and_command_argument():
    records = all_records(ZIRV)
    tool = next(r for r in records if r.kind == "tool")
    assert tool.head == "Execute echo hi"
    result = next(r for r in records if r.kind == "result")
    assert result.error and result.tool == "Execute" and "rejected" in result.text


def test_todo_state_of_both_shapes():
    todo = [r for r in all_records(WINDOWS) if r.kind == "todo"]
    assert todo[0].head == "todos: 0 done, 1 in progress, 1 pending"
    listed = {"type": "todo_state", "todos": {"todos": [
        {"id": "1", "status": "completed", "content": "a"}, {"id": "2", "status": "pending", "content": "b"}]}}
    (record,) = decode(orjson.dumps(listed), 3, {})
    assert record.head == "todos: 1 done, 0 in progress, 1 pending"


def test_reminder_spans_become_hidden_context():
    text = "<system-reminder>date is today</system-reminder>\nfix the bug\n<system-reminder>x"
    records = decode(orjson.dumps(message("user", [{"type": "text", "text": text}])), 1, {})
    assert [r.kind for r in records] == ["prompt", "context", "context"]
    assert records[0].text == "fix the bug"
    assert records[1].text == "date is today"


def test_untrusted_text_is_cleaned():
    evil = "\x1b[2J\x1b]0;pwned\x07[bold red]hi[/] \u202eevil\u200b"
    raw = dump(
        message("user", [{"type": "text", "text": evil}]),
        message("assistant", [{"type": "text", "text": evil},
                              {"type": "tool_use", "id": "t1", "name": "Execute\x1b[31m", "input": {"command": evil}}]),
        message("user", [{"type": "tool_result", "tool_use_id": "t1", "content": evil}]),
    )
    names: dict[str, str] = {}
    records = [r for i, line in enumerate(raw.split(b"\n")) for r in decode(line, i, names)]
    assert len(records) == 4
    for record in records:
        for text in (record.head, record.text, record.tool or ""):
            assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\u200b" not in text
    assert records[0].text == "[bold red]hi[/] evil"  # markup stays text; views never parse it


def test_bad_lines_are_records_not_errors():
    assert decode(b"{not json", 4, {})[0].kind == "bad"
    assert decode(b"[1, 2]", 4, {})[0].kind == "bad"
    assert decode(b"", 4, {}) == []
    assert decode(b'{"type":"message","message":{"role":"user","content":7}}', 4, {}) == []
    assert decode(b'{"type":"something_new","x":1}', 4, {}) == []


def test_main_argument_prefers_what_the_call_worked_on():
    assert main_argument({"old_str": "a", "file_path": "/x/y.py"}) == "/x/y.py"
    assert main_argument({"patterns": ["**/*.py", "*.md"], "folder": "/p"}) == "**/*.py *.md"
    assert main_argument({"path": "/p", "pattern": "def main", "output_mode": "content"}) == "def main"
    assert main_argument({"other": "line one\nline two"}) == "line one line two"
    assert main_argument(None) == ""


# ---------------------------------------------------------------- rows


def test_wrap_counts_cells():
    assert wrap("aaa bbb ccc", 7) == ["aaa bbb", "ccc"]
    assert wrap("x" * 12, 5) == ["xxxxx", "xxxxx", "xx"]
    assert all(cells(line) <= 6 for line in wrap("漢字漢字漢字漢字", 6))
    assert wrap("a\tb", None) == ["a    b"]


def test_layout_folds_thinking_context_and_output():
    pager = Pager(str(LINUX), Layout(width=80))
    shown = [row for line in range(len(pager)) for row in pager.rows(line)]
    texts = [row.text for row in shown]
    assert not any("injected context" in t for t in texts)
    assert any(t.startswith("✻ thinking (") for t in texts)
    assert sum(row.style == "result" for row in shown) <= 4  # the head and three first lines
    pager.set_layout(thinking=True, context=True, output=True)
    unfolded = [row.text for line in range(len(pager)) for row in pager.rows(line)]
    assert any("injected context" in t for t in unfolded)
    assert any("Greeting the user" in t for t in unfolded)
    assert len(unfolded) > len(texts) + 200  # the whole README the tool read
    assert all(cells(t) <= 80 for t in unfolded)


# ---------------------------------------------------------------- scrolling and search


def _generated(tmp_path, kb: int) -> Path:
    from fdash.demo import write_history as generate

    root = tmp_path / "gen"
    generate(root, sessions=6, seed=3, avg_kb=kb)
    return max(root.rglob("*.jsonl"), key=lambda p: p.stat().st_size)


def test_scrolling_visits_every_row_once_in_order(tmp_path):
    path = _generated(tmp_path, 60)
    pager = Pager(str(path), Layout(width=70))
    expected = [(line, n) for line in range(len(pager)) for n in range(len(pager.rows(line)))]
    pager.home()
    seen = []
    for _ in range(len(expected)):
        seen.append(pager.window(1)[0][:2])
        pager.scroll(1)
    assert seen == expected
    pager.end(10)
    assert [w[:2] for w in pager.window(10)] == expected[-10:]
    pager.scroll(-7)
    assert [w[:2] for w in pager.window(3)] == expected[-17:-14]
    pager.scroll(-(10**6))
    assert pager.top == (0, 0)


@pytest.mark.slow
def test_memory_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(pager_module, "CACHE_CHARS", 50_000)
    path = _generated(tmp_path, 400)
    pager = Pager(str(path), Layout(width=70, output=True))
    while pager.top[0] < len(pager) - 1:
        pager.window(40)
        pager.scroll(40)
        assert pager._chars <= 50_000 + max(sum(len(r.text) for r in v) for v in pager._records.values())


def test_find_goes_forward_backward_and_round(tmp_path):
    pager = Pager(str(WINDOWS), Layout(width=80))
    first = pager.find("todo list updated")
    assert first is not None
    row = pager.rows(first.line)[first.row]
    assert row.text[first.start:first.end].casefold() == "todo list updated"
    second = pager.find("todo list updated")
    assert (second.line, second.row) > (first.line, first.row)
    third = pager.find("TODO LIST UPDATED")
    assert (third.line, third.row) == (first.line, first.row) and pager.wrapped
    back = pager.find("todo list updated", forward=False)
    assert (back.line, back.row) == (second.line, second.row)
    assert pager.find("no such text anywhere") is None


def test_find_unfolds_a_folded_tool_output():
    pager = Pager(str(LINUX), Layout(width=80))
    hit = pager.find("SvelteKit web UI")  # in the assistant's reply: no unfolding needed
    assert pager.rows(hit.line)[hit.row].style == "reply"
    pager.hit = None
    pager.home()
    deep = pager.find("gkamradt NIAH")  # deep inside the README the Read call returned
    assert deep is not None
    assert pager.rows(deep.line)[deep.row].style == "result"
    assert "gkamradt niah" in pager.rows(deep.line)[deep.row].text.casefold()


def test_find_skips_hidden_context_unless_shown():
    pager = Pager(str(ZIRV), Layout(width=80))
    assert pager.find("injected environment") is None
    pager.set_layout(context=True)
    assert pager.find("injected environment") is not None


def test_find_matches_text_json_escapes(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_bytes(dump(message("user", [{"type": "text", "text": 'say "quoted" C:\\dir\\x and café'}])))
    pager = Pager(str(path), Layout(width=80))
    assert pager.find('"quoted" C:\\dir') is not None
    pager.hit = None
    assert pager.find("café") is not None


def test_markers_are_one_cell_wide_for_every_width_table():
    """A glyph whose width tables disagree (☰ is wide for wcwidth/prompt_toolkit since Unicode
    16, narrow for tmux 3.3 and Python's unicodedata) shifts the rest of its line on the
    terminal, and prompt_toolkit's screen diff then leaves old characters behind."""
    import unicodedata

    from prompt_toolkit.utils import get_cwidth

    from fdash.core.transcript.rows import MARKERS

    for marker in MARKERS.values():
        for ch in marker:
            assert get_cwidth(ch) == 1 and unicodedata.east_asian_width(ch) in ("N", "Na", "H"), (marker, ch)
