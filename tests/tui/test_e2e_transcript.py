"""The transcript view in the real app, in tmux: a session written by the real droid and a
generated one are opened with `v`, an assistant reply and a tool call are found on the
screen, text is searched inside, and Esc goes back."""

from __future__ import annotations

import os
import shutil
import sys
import time

import pytest

from fdash.core.transcript.pager import all_records

from .conftest import REPO

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

REAL = REPO / "tests" / "fixtures" / "real-droid" / "sessions" / "-tmp-droid-lab-w-my-app.v2"
REAL_ID = "66e180a9-7a69-41aa-a22b-042a785703af"  # droid 0.225.2: "read notes.txt" (Read, LS)


def _driver():
    from tools import tmux_e2e

    return tmux_e2e


def _most_tools(root):
    """The session the Sessions list shows first when sorted by tool calls, and a text deep
    in its last tool output (to search for)."""
    best = None
    for path in root.rglob("*.jsonl"):
        records = list(all_records(str(path)))
        calls = sum(r.kind == "tool" for r in records)
        key = (calls, path.stem)
        if best is None or key > best[0]:
            best = (key, path, records)
    _key, path, records = best
    deep = next(line for r in reversed(records) if r.kind == "result" and r.line > 4
                for line in r.text.split("\n")[3:] if len(line.strip()) > 15 and "  " not in line.strip())
    return path, deep.strip()[:24]


def test_transcript_view_in_tmux(sessions, tmp_path):
    driver = _driver()
    shutil.copytree(REAL, sessions / REAL.name)
    chosen, deep = _most_tools(sessions)
    home = tmp_path / "home"
    home.mkdir()
    past = time.time() - 3600
    for path in sessions.rglob("*.jsonl"):
        os.utime(path, (past, past))
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
           "PYTHONPATH": str(REPO), "TERM": "xterm-256color", "TZ": "UTC", "LANG": "C.UTF-8"}
    tmux = driver.Tmux(tmp_path)
    try:
        tmux.start([sys.executable, "-m", "fdash", "-d", str(sessions)], env)
        tmux.wait_for("Top projects by tokens")

        # the real droid session, found with the search and opened from the results
        tmux.send("/")
        tmux.send("notes.txt", literal=True)
        tmux.send("Enter")
        tmux.wait_for("read notes.txt")
        tmux.send("v")
        screen = tmux.wait_for("▸ Read /tmp/droid-lab/w/my-app.v2/notes.txt")
        assert "✦ It has three lines." in screen and "⎿ Read: 3 lines" in screen
        assert "2 tool calls: LS 1 · Read 1" in screen and REAL_ID[:8] in screen
        tmux.send("/")
        tmux.send("LITTLE LINES", literal=True)
        tmux.send("Enter")
        tmux.wait_for(lambda s: "three little lines" in s and "Find:" not in s)
        tmux.send("/")
        tmux.send("words that are not there", literal=True)
        tmux.send("Enter")
        tmux.wait_for("is not in this transcript")
        tmux.send("Escape")
        tmux.wait_for(lambda s: "▸ Read" not in s and "read notes.txt" in s)  # the results again
        tmux.send("Escape")

        # a generated session: the one with the most tool calls (sorted by tools)
        tmux.send("4")
        tmux.wait_for("Last active ▼")
        for _ in range(3):
            tmux.send("s")
        tmux.wait_for("sort tools ▼")
        tmux.send("Home")  # the selection stayed on its session: go to the top
        time.sleep(0.3)
        screen = tmux.screen()
        first = driver._first_row(screen)
        row = screen.splitlines()[first]
        tmux.send("v")
        screen = tmux.wait_for("❯ You")
        assert chosen.stem[:8] in screen
        seen = screen
        for _ in range(40):  # page down until a reply and a tool call have been on screen
            if "\n✦ " in seen and "\n▸ " in seen:
                break
            tmux.send("PageDown")
            time.sleep(0.1)
            seen += tmux.screen()
        assert "\n✦ " in seen and "\n▸ " in seen, seen
        tmux.send("/")
        tmux.send(deep, literal=True)
        tmux.send("Enter")
        tmux.wait_for(lambda s: deep in s and "Find:" not in s)
        tmux.send("Escape")
        screen = tmux.wait_for("sort tools ▼")
        assert screen.splitlines()[driver._first_row(screen)] == row  # back on the same row
    finally:
        tmux.stop()
