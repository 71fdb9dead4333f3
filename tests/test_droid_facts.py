"""What real droid writes beyond the lab's sessions (docs/FORMAT.md), each fact a test:
the model named only in the system reminder, lastCwd, FACTORY_HOME_OVERRIDE, droid's
lock files, two copies of one id, settings without a transcript, several models."""

from __future__ import annotations

import json
import os

import pytest

from fdash.core import aggregate, paths, timeline
from fdash.core.catalog import load_catalog
from fdash.core.config import Config
from fdash.core.models import SEVERAL_MODELS, UNKNOWN_PROJECT, Session
from fdash.core.parse import TranscriptReader
from fdash.core.resume import ResumeError, resume_command

A = "aaaaaaaa-1111-4111-8111-111111111111"
B = "bbbbbbbb-2222-4222-8222-222222222222"
C = "cccccccc-3333-4333-8333-333333333333"


def _lines(*records) -> str:
    return "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records)


def _msg(i, role, text, ts="2025-11-03T10:00:00.000Z", **extra):
    message = {"role": role, "content": [{"type": "text", "text": text}], **extra}
    return {"type": "message", "id": f"m{i}", "timestamp": ts, "message": message}


def _write(folder, sid, transcript=None, settings=None):
    folder.mkdir(parents=True, exist_ok=True)
    if transcript is not None:
        (folder / f"{sid}.jsonl").write_text(transcript)
    if settings is not None:
        (folder / f"{sid}.settings.json").write_text(json.dumps(settings))


def _catalog(root):
    return load_catalog(root, Config(), use_index=False)


def test_model_from_the_system_reminder_when_settings_and_messages_name_none(tmp_path):
    info = "<system-reminder>\nUser system info (linux)\n\nModel: Droid Core (GLM-4.6)\nUser language: en\n</system-reminder>"
    context = {"type": "message", "id": "context-1", "timestamp": "2025-11-03T10:00:00.000Z",
               "message": {"role": "user", "content": [{"type": "text", "text": info}], "visibility": "llm_only"}}
    start = {"type": "session_start", "id": A, "title": "t", "cwd": "/p"}
    _write(tmp_path / "-p", A, _lines(start, context, _msg(2, "user", "hi")), {"tokenUsage": {}})
    s = _catalog(tmp_path).entries[0].session
    assert s.model == "Droid Core (GLM-4.6)" and s.user_prompts == 1
    # an assistant modelId comes first
    _write(tmp_path / "-p", A, _lines(start, context, _msg(2, "user", "hi"), _msg(3, "assistant", "ok", modelId="glm-4.6")))
    assert _catalog(tmp_path).entries[0].session.model == "glm-4.6"


def test_last_cwd_keeps_the_project_shows_where_it_is_and_resumes_there(tmp_path, monkeypatch):
    start, moved = tmp_path / "start", tmp_path / "moved"
    start.mkdir()
    moved.mkdir()
    first = {"type": "session_start", "id": A, "title": "t", "cwd": str(start), "lastCwd": str(moved)}
    _write(tmp_path / "sessions" / "-start", A, _lines(first, _msg(1, "user", "hi")))
    s = _catalog(tmp_path / "sessions").entries[0].session
    assert s.project == str(start) and s.last_cwd == str(moved)
    (tmp_path / "bin").mkdir()
    droid = tmp_path / "bin" / "droid"
    droid.write_text("#!/bin/sh\n")
    droid.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert resume_command(s).cwd == str(moved)
    moved.rmdir()  # gone: droid would fail there, the starting folder still works
    assert resume_command(s).cwd == str(start)
    start.rmdir()
    with pytest.raises(ResumeError):
        resume_command(s)


def test_factory_home_override_moves_the_default_sessions_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FACTORY_HOME_OVERRIDE", raising=False)
    assert paths.default_sessions_dir() == tmp_path / "home" / ".factory" / "sessions"
    monkeypatch.setenv("FACTORY_HOME_OVERRIDE", str(tmp_path / "elsewhere"))
    assert paths.default_sessions_dir() == tmp_path / "elsewhere" / ".factory" / "sessions"
    from fdash.core.source import resolve_source

    (tmp_path / "elsewhere" / ".factory" / "sessions").mkdir(parents=True)
    assert resolve_source(None, Config()).root == tmp_path / "elsewhere" / ".factory" / "sessions"


def test_droids_lock_files_are_its_own(tmp_path):
    folder = tmp_path / "-p"
    _write(folder, A, _lines({"type": "session_start", "id": A, "title": "t", "cwd": "/p"}, _msg(1, "user", "hi")))
    for name in (f"{A}.jsonl.events.lock", f"{A}.jsonl.events.pending"):
        (folder / name).write_text("")
        (folder / name).chmod(0)  # never opened (opening would fail)
    catalog = _catalog(tmp_path)
    assert catalog.problems == () and len(catalog.entries) == 1


def _usage(n):
    return {"tokenUsage": {"inputTokens": n, "outputTokens": n, "cacheCreationTokens": 0, "cacheReadTokens": n,
                           "thinkingTokens": 0}}


def test_of_two_copies_the_one_whose_totals_grew_is_current(tmp_path):
    start = _lines({"type": "session_start", "id": A, "title": "t", "cwd": "/p"}, _msg(1, "user", "hi"))
    _write(tmp_path / "-p", A, start, _usage(100))
    _write(tmp_path / "-q", A, start, _usage(300))  # the newer copy by its totals
    os.utime(tmp_path / "-q" / f"{A}.jsonl", (1, 1))  # though older on disk
    catalog = _catalog(tmp_path)
    assert catalog.entries[0].session.usage.input == 300 and catalog.problems == ()
    # copies that contradict each other (neither holds the other's tokens): a warning
    _write(tmp_path / "-q", A, start, {"tokenUsage": {**_usage(300)["tokenUsage"], "outputTokens": 1}})
    catalog = _catalog(tmp_path)
    assert [p.reason for p in catalog.problems if "disagree" in p.reason]


def test_settings_without_a_transcript_belong_to_their_folders_project_and_lock_date(tmp_path):
    start = _lines({"type": "session_start", "id": A, "title": "t", "cwd": "/home/ana/my-app"}, _msg(1, "user", "hi"))
    _write(tmp_path / "-home-ana-my-app", A, start, _usage(1))
    lock = {**_usage(5), "model": "claude-opus-4-5", "providerLockTimestamp": "2025-11-20T09:30:00.000Z"}
    _write(tmp_path / "-home-ana-my-app", B, settings=lock)
    os.utime(tmp_path / "-home-ana-my-app" / f"{B}.settings.json", (1e9, 1e9))  # a copy's mtime: 2001
    _write(tmp_path, C, settings=_usage(2))  # flat, no transcript, no lock time: no project
    entries = {e.session.id: e for e in _catalog(tmp_path).entries}
    orphan = entries[B].session
    assert orphan.project == "/home/ana/my-app" and orphan.cwd is None
    assert orphan.dated_by == "providerLockTimestamp" and not orphan.date_estimated
    days = timeline.attribute(orphan, timeline.zone("UTC").day_of_quarter())
    assert [str(d) for d in days.days] == ["2025-11-20"]  # not the copy's mtime (2001)
    assert entries[C].session.project == UNKNOWN_PROJECT and entries[C].session.date_estimated
    assert aggregate.totals(entries.values()).projects == 1


def test_a_session_that_switched_models_says_so_and_is_not_priced_as_the_last(tmp_path):
    start = {"type": "session_start", "id": A, "title": "t", "cwd": "/p"}
    lines = _lines(start, _msg(1, "user", "hi"), _msg(2, "assistant", "a", modelId="claude-opus-4-5-20251101"),
                   _msg(3, "user", "more"), _msg(4, "assistant", "b", modelId="gpt-5.1-codex"))
    _write(tmp_path / "-p", A, lines, {**_usage(1000), "model": "gpt-5.1-codex"})
    entry = _catalog(tmp_path).entries[0]
    assert entry.model == SEVERAL_MODELS and entry.session.models == ("claude-opus-4-5-20251101", "gpt-5.1-codex")
    assert entry.cost.usd is None


def test_a_subagent_handoff_and_a_task_notice_are_not_prompts():
    reader = TranscriptReader("x")
    handoff = "# Task Tool Invocation\n\nSubagent type: worker\n\n## Task\ncount"
    notice = {"type": "message", "id": "task-completion:1", "timestamp": "2025-11-03T10:00:00.000Z",
              "message": {"role": "user", "content": [{"type": "text", "text": "Background task completed."}]}}
    data = _lines({"type": "session_start", "id": A, "title": "Worker: count", "cwd": "/p", "callingSessionId": B},
                  _msg(1, "user", handoff), notice).encode()
    reader.feed(data)
    assert reader.user_prompts == 0 and reader.calling_session_id == B
    assert Session(A, calling_session_id=B).looks_like_subagent and not Session(A, calling_session_id=B).empty


def test_where_a_moved_session_is_now_is_shown(tmp_path):
    from fdash.core.export import session_record

    first = {"type": "session_start", "id": A, "title": "t", "cwd": "/a/start", "lastCwd": "/a/moved/"}
    _write(tmp_path / "-a-start", A, _lines(first, _msg(1, "user", "hi")))
    entry = _catalog(tmp_path).entries[0]
    assert entry.session.moved_to == "/a/moved" and entry.session.project == "/a/start"
    assert session_record(entry)["last_cwd"] == "/a/moved"
    assert Session(A, cwd="/a", last_cwd="/a").moved_to is None


def test_an_older_subagent_titled_by_its_session_title_is_still_a_subagent(tmp_path):
    handoff = "# Task Tool Invocation\n\nSubagent type: worker\n\n## Task\ncount"
    start = {"type": "session_start", "id": A, "title": handoff, "sessionTitle": "worker: count", "cwd": "/p"}
    _write(tmp_path / "-p", A, _lines(start, _msg(1, "user", handoff)))
    s = _catalog(tmp_path).entries[0].session
    assert s.title == "worker: count" and s.user_prompts == 0
    assert s.handoff and s.looks_like_subagent and not s.empty


def test_a_day_known_only_from_a_file_time_is_marked_estimated():
    from fdash.core.models import TokenUsage

    s = Session(A, settings_path="/x", tokens=TokenUsage(5, 5, 0, 0, 0), dated_by="file time",
                token_snapshots="1795000000000:5:5:0:0:0")
    found = timeline.attribute(s, timeline.zone("UTC").day_of_quarter())
    assert found.guessed and found.estimated_keys(lambda d: d) == set(found.days)
    locked = Session(A, settings_path="/x", tokens=TokenUsage(5, 5, 0, 0, 0), dated_by="providerLockTimestamp",
                     provider_lock_at_ms=1795000000000, token_snapshots="1796000000000:5:5:0:0:0")
    assert not timeline.attribute(locked, timeline.zone("UTC").day_of_quarter()).uncertain
