"""The real `python3 -m fdash -d DIR` in tmux: all seven tabs, the Activity tab, a search,
a favorite, a rename and a settings change, checked on the screen and in the files (see
tools/tmux_e2e.py)."""

from __future__ import annotations

import shutil

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def _driver():
    from tools import tmux_e2e

    return tmux_e2e


def test_fdash_in_tmux(sessions, tmp_path):
    _driver().run_scenario(sessions, tmp_path / "work")


# What the Sessions tab shows at the sizes people use (issue 12), in a real terminal.
SIZES = {
    (80, 24): ("Last active", "Title", "Tokens", "Est. cost", "Project"),
    (120, 40): ("Last active", "Title", "Tokens", "Est. cost", "Project", "Prompts  Tab"),
    (200, 50): ("Last active", "Title", "Tokens", "Est. cost", "Project", "Model", "Duration",
                "Prompts  Tab"),
}


@pytest.mark.parametrize("size", list(SIZES), ids=lambda s: f"{s[0]}x{s[1]}")
def test_sessions_columns_by_terminal_size(sessions, tmp_path, size):
    screen = _driver().sessions_screen(sessions, tmp_path / "work", *size)
    lines = screen.splitlines()
    header = next(line for line in lines if "Last active" in line)
    for label in SIZES[size]:
        assert label in header or label in lines[1], f"{label!r} at {size}:\n{screen}"
    if size[0] < 120:
        assert "Prompts  Tab" not in screen  # the pane opens over the list (Tab, p)
    else:  # the prompt count beside the pane of prompts
        assert "Prompts" in header.split("│")[0], screen
    assert all(len(line) <= size[0] for line in lines)
