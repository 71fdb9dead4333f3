"""The transcript view (`v`): opened from Sessions, Favorites, search results and Activity;
scrolled, searched, folded and unfolded; Esc back to the row it came from; inert text."""

from __future__ import annotations

import orjson

from fdash.core.resume import ResumeCommand
from fdash.tui.keys import sections

from .conftest import make_state, write_session
from .test_state import ALPHA, BETA, loaded, select

EVIL = "\x1b]0;pwned\x07\x1b[2J[bold]markup[/bold] \x9b31m\u202eRTL"


def texts(view, width=80, height=40) -> list[str]:
    return [row.text for _, _, row in view.rows(width, height)]


def test_v_opens_the_transcript_and_esc_returns_to_the_row(small):
    state = loaded(small)
    state.set_tab("sessions")
    select(state.tabs.sessions, ALPHA)
    state.open_transcript()
    view = state.transcript
    assert view is not None and view.entry.session.id == ALPHA
    shown = texts(view)
    assert "  refactor the alpha module" in shown and "✦ ok" in shown and "  now add tests" in shown
    assert state.selected_entry().session.id == ALPHA  # c, f act on the session on screen
    state.escape()
    assert state.transcript is None and state.tab == "sessions"
    assert state.tabs.sessions.selected_entry().session.id == ALPHA


def test_from_search_results_and_back(small):
    state = loaded(small)
    state.open_search()
    state.submit_input("beta")
    assert state.search.active and state.search.selected_entry().session.id == BETA
    state.open_transcript()
    assert state.transcript.entry.session.id == BETA and "  fix the beta bug" in texts(state.transcript)
    state.escape()
    assert state.transcript is None and state.search.active  # back on the results


def test_every_list_of_sessions_has_the_key():
    by_when = {s.when: {k for row in s.rows for k in row.keys} for s in sections()}
    for where in ("tab:sessions", "tab:favorites", "tab:activity", "results"):
        assert "v" in by_when[where], where
    assert {"/", "n", "N", "t", "i", "O", "c", "escape"} <= by_when["transcript"]


def test_find_moves_and_tells_when_nothing_is_there(small):
    state = loaded(small)
    state.set_tab("sessions")
    select(state.tabs.sessions, ALPHA)
    state.open_transcript()
    state.submit_input("x") if state.input else None
    state.find_in_transcript()
    assert state.input is not None and state.input.kind == "find"
    state.submit_input("NOW ADD")
    hit = state.transcript.hit
    assert hit is not None and state.input is None
    row = state.transcript.pager.rows(hit.line)[hit.row].text
    assert row[hit.start:hit.end] == "now add"
    state.find_in_transcript()
    state.submit_input("no such words")
    assert state.message.level == "error" and "is not in this transcript" in state.message.text
    state.find_again(True)
    assert state.message.level == "error"


def test_toggles_and_connect(tmp_path, fake_droid):
    project, droid = fake_droid
    root = tmp_path / "sessions"
    path = write_session(root, ALPHA, "resume me", cwd=str(project))
    thinking = {"type": "message", "id": "t", "timestamp": "2026-11-10T10:05:00.000Z",
                "message": {"role": "assistant", "content": [
                    {"type": "thinking", "thinking": "let me think about it"},
                    {"type": "tool_use", "id": "c1", "name": "Edit", "input": {"file_path": "/a.py", "old_str": "x"}}]}}
    with open(path, "ab") as out:
        out.write(orjson.dumps(thinking) + b"\n")
    state = loaded(root)
    state.set_tab("sessions")
    state.open_transcript()
    view = state.transcript
    assert "✻ thinking (21 chars) (t shows)" in texts(view) and "▸ Edit /a.py" in texts(view)
    view.toggle("thinking")
    assert "  let me think about it" in texts(view)
    view.toggle("output")
    assert any('"old_str": "x"' in t for t in texts(view))
    assert "thinking shown" in view.shown()
    exits = []
    state.hooks.exit = exits.append
    state.connect()
    state.answer(True)  # resume asks first (issue 12)
    assert len(exits) == 1 and isinstance(exits[0], ResumeCommand) and exits[0].argv[-1] == ALPHA


def test_a_transcript_gone_is_a_message_not_a_crash(small):
    state = loaded(small)
    state.set_tab("sessions")
    select(state.tabs.sessions, ALPHA)
    state.transcript = None
    entry = state.selected_entry()
    import os

    os.remove(entry.session.transcript_path)
    state.open_transcript()
    assert state.transcript is None and state.message.level == "error"
    assert "cannot read the transcript" in state.message.text


def hostile_root(tmp_path):
    root = tmp_path / "sessions"
    path = write_session(root, ALPHA, "hostile transcript", prompts=(EVIL,))
    lines = [
        {"type": "message", "id": "a", "timestamp": "2026-11-10T10:05:00.000Z", "message": {
            "role": "assistant", "content": [
                {"type": "text", "text": EVIL},
                {"type": "tool_use", "id": "c1", "name": "Execute", "input": {"command": EVIL}}]}},
        {"type": "message", "id": "r", "timestamp": "2026-11-10T10:05:01.000Z", "message": {
            "role": "user", "content": [{"type": "tool_result", "tool_use_id": "c1", "is_error": True,
                                         "content": EVIL}]}},
        {"type": "compaction_state", "summaryText": EVIL, "removedCount": 2},
    ]
    with open(path, "ab") as out:
        out.write(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    return root


def test_escapes_and_markup_render_inert(tmp_path, headless):
    h = headless(make_state(hostile_root(tmp_path)), columns=100, rows=30)
    h.press("4", "v", "O", "t", "i")
    assert h.wait_for("▸ Execute"), h.text()
    text = h.text()
    assert "[bold]markup[/bold]" in text  # shown as typed, never interpreted
    assert h.foreign_controls() == [] and "pwned" not in h.raw()
    assert h.screen().title in ("", None)


def test_the_view_on_screen(small, headless):
    h = headless(make_state(small), columns=80, rows=24)
    h.press("4")
    h.press("v")
    assert h.wait_for("❯ You"), h.text()
    assert "line 1 of" in h.text() and "Esc back" in h.text(), h.text()
    h.press("/")
    h.send("[RED]")
    h.press("enter")
    assert h.wait_until(lambda: h.state.transcript.hit is not None), h.text()
    assert h.state.transcript.hit.start == 7  # "  link [red]x[/red]"
    h.press("escape")
    assert h.wait_for("Last active"), h.text()


def test_sessions_sort_by_tool_calls_errors_and_files(tmp_path, headless):
    root = tmp_path / "sessions"
    ids = ("aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002",
           "aaaaaaaa-0000-4000-8000-000000000003")
    shapes = {ids[0]: (3, 0, ["/a"]), ids[1]: (1, 2, []), ids[2]: (0, 0, ["/a", "/b"])}
    for n, (sid, (calls, failures, files)) in enumerate(shapes.items()):
        path = write_session(root, sid, f"session {n}", day=f"2026-11-1{n}")
        blocks = [{"type": "tool_use", "id": f"c{i}", "name": "Read", "input": {"file_path": "/r"}}
                  for i in range(calls)]
        blocks += [{"type": "tool_use", "id": f"e{i}", "name": "Edit", "input": {"file_path": f}}
                   for i, f in enumerate(files)]
        lines = [{"type": "message", "id": "x", "timestamp": f"2026-11-1{n}T11:00:00.000Z",
                  "message": {"role": "assistant", "content": blocks}}]
        lines += [{"type": "agent_turn_outcome", "turnId": "u0", "reason": "error"}] * failures
        with open(path, "ab") as out:
            out.write(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    state = loaded(root)
    state.set_tab("sessions")
    lst = state.tabs.sessions
    order = {}
    for field in ("tools", "errors", "files"):
        lst.set_sort(field)
        order[field] = [r.session.id for r in lst.rows]
    assert order == {"tools": [ids[0], ids[2], ids[1]], "errors": [ids[1], ids[2], ids[0]],
                     "files": [ids[2], ids[0], ids[1]]}
    h = headless(make_state(root), columns=300, rows=20)  # columns a wide screen has room for
    h.press("4")
    header = next(line for line in h.lines() if "Last active" in line)
    assert "Tools" in header and "Errors" in header and "Edited" in header
    row = next(line for line in h.lines() if "session 1" in line)
    assert row.split("session 1")[1].split("│")[0].split()[-3:] == ["1", "2", "0"]


def test_from_activity_day_list_and_back(small):
    from datetime import date

    state = loaded(small, today=date(2026, 11, 20))
    state.set_tab("activity")
    act = state.tabs.activity
    act.day = date(2026, 11, 10)
    assert [e.session.id for e, _p in act.rows()] == [ALPHA]
    state.open_transcript()
    assert state.transcript.entry.session.id == ALPHA
    state.escape()
    assert state.transcript is None and state.tab == "activity" and act.day == date(2026, 11, 10)
