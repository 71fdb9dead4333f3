"""Fixtures for the full-screen app: an isolated home, generated sessions, hand-made
sessions with hostile titles, and a headless app (pipe input → recording Vt100 → pyte)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import orjson
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def isolated(isolated_home, monkeypatch):
    """The home, config and cache are isolated by tests/conftest.py; here dates are also
    shown in UTC and the terminal's colour support is not guessed from the environment."""
    home = isolated_home
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("COLORTERM", raising=False)
    time.tzset()
    yield home
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def fake_droid(tmp_path, monkeypatch):
    """A `droid` on PATH that does nothing: (a project folder to resume in, its path)."""
    import stat

    project = tmp_path / "project"
    project.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    droid = bin_dir / "droid"
    droid.write_text("#!/bin/sh\nexit 0\n")
    droid.chmod(droid.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return project, droid


def _generator():
    from tools import sessiongen

    return sessiongen


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """120 generated sessions (fixed seed), written once; copy it before writing to it."""
    root = tmp_path_factory.mktemp("tui-corpus") / "sessions"
    _generator().generate(root, sessions=120, seed=5, avg_kb=4)
    return root


@pytest.fixture
def sessions(corpus, tmp_path) -> Path:
    """A writable copy of the corpus."""
    root = tmp_path / "sessions"
    shutil.copytree(corpus, root, symlinks=True)
    return root


HOSTILE_TITLE = "\x1b[2J\x1b[31mEVIL\x1b]0;pwned\x07 [bold]markup[/bold] \u202eRTL\u202c zero\u200bwidth\nsecond line ⚠️ end"


def write_session(root: Path, session_id: str, title: str, *, cwd: str = "/home/test/proj/app",
                  prompts: tuple[str, ...] = ("hello",), model: str = "claude-sonnet-4-5-20250929",
                  tokens: int = 1000, day: str = "2026-11-10", age_s: float = 3600,
                  children: tuple[str, ...] = (), credits: float | None = None) -> Path:
    """A minimal droid session (transcript + settings) in the project-folder layout;
    returns the transcript path. Its mtime is `age_s` in the past (not "live").
    `children`: ids of its sub-agent sessions; `credits`: the factoryCredits droid recorded."""
    folder = root / cwd.replace("/", "-")
    folder.mkdir(parents=True, exist_ok=True)
    lines = [{"type": "session_start", "id": session_id, "title": title, "owner": "t", "version": 2,
              "cwd": cwd, "isSessionTitleManuallySet": False}]
    for i, prompt in enumerate(prompts):
        stamp = f"{day}T10:{i:02d}:00.000Z"
        lines.append({"type": "message", "id": f"u{i}", "timestamp": stamp,
                      "message": {"role": "user", "content": [{"type": "text", "text": prompt}]}})
        lines.append({"type": "message", "id": f"a{i}", "timestamp": stamp.replace(":00.000", ":30.000"),
                      "message": {"role": "assistant", "content": [{"type": "text", "text": "ok"}]}})
    transcript = folder / f"{session_id}.jsonl"
    transcript.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    settings = {"model": model, "assistantActiveTimeMs": 60000,
                "tokenUsage": {"inputTokens": tokens, "outputTokens": tokens // 10, "cacheCreationTokens": 0,
                               "cacheReadTokens": tokens * 2, "thinkingTokens": 0}}
    if credits is not None:
        settings["tokenUsage"]["factoryCredits"] = credits
    if children:  # sub-agents this session's Task tool started (droid names them so)
        settings["childInclusiveTokenUsageBySessionId"] = {child: {} for child in children}
    (folder / f"{session_id}.settings.json").write_bytes(orjson.dumps(settings))
    past = time.time() - age_s
    os.utime(transcript, (past, past))
    return transcript


@pytest.fixture
def small(tmp_path) -> Path:
    """Four hand-made sessions: one hostile title, one empty, two normal."""
    root = tmp_path / "small"
    write_session(root, "11111111-1111-4111-8111-111111111111", "Alpha refactor", tokens=5000,
                  prompts=("refactor the alpha module", "now add tests"), day="2026-11-10")
    write_session(root, "22222222-2222-4222-8222-222222222222", HOSTILE_TITLE, tokens=90000,
                  cwd="/home/test/proj/\x1b[31mred", prompts=("\x1b]8;;http://x\x07link\x1b]8;;\x07 [red]x[/red]",),
                  day="2026-11-11")
    write_session(root, "33333333-3333-4333-8333-333333333333", "New Session", prompts=(), tokens=0,
                  day="2026-11-12")
    write_session(root, "44444444-4444-4444-8444-444444444444", "Beta bugfix", tokens=200, cwd="/home/test/other/beta",
                  prompts=("fix the beta bug",), day="2026-11-09")
    return root


def make_state(
    root: Path, config_text: str | None = None, *, config_path: Path | None = None, **kwargs
):
    from fdash.core.config import load_config
    from fdash.core.source import Source
    from fdash.tui.state import AppState

    if config_text is not None:
        config_path = (
            config_path or Path(os.environ["XDG_CONFIG_HOME"]) / "factory-dashboard" / "config.toml"
        )
        config_path.parent.mkdir(parents=True, exist_ok=True)
        config_path.write_text(config_text, encoding="utf-8")
    loaded = load_config(config_path)
    return AppState(loaded, Source(root), **kwargs)


@pytest.fixture
def headless():
    """`headless(state, columns=120, rows=40)` → a started Headless app, stopped afterwards."""
    from tests.tui.harness import Headless

    started = []

    def start(state, columns: int = 120, rows: int = 40, load: bool = True):
        harness = Headless(state, columns=columns, rows=rows, load=load)
        harness.start()
        started.append(harness)
        if load:
            assert harness.wait_loaded(30), harness.error
        return harness

    yield start
    for harness in started:
        harness.stop()


def pytest_collection_modifyitems(items):
    """Tests that run the app headless are `screen` tests (`-m "not screen"` skips them)."""
    for item in items:
        if "headless" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.screen)
