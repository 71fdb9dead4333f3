"""The real `python3 -m fdash -d DIR` in tmux: all seven tabs, the Activity tab, a search,
a favorite, a rename and a settings change, checked on the screen and in the files (see
tools/tmux_e2e.py)."""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from .conftest import REPO

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def _driver():
    spec = importlib.util.spec_from_file_location("tmux_e2e", REPO / "tools" / "tmux_e2e.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fdash_in_tmux(sessions, tmp_path):
    _driver().run_scenario(sessions, tmp_path / "work")
