"""The app with sessions whose times are at the edge of a datetime (issue 15, case 2):
every tab renders, no traceback, the warning is listed."""

from __future__ import annotations

import pytest

from ..test_extreme_times import EDGES, _write
from .conftest import make_state

pytestmark = pytest.mark.screen


def test_extreme_times_render_in_every_tab(tmp_path, headless):
    root = tmp_path / "sessions"
    _write(root, "aaaaaaaa-0000-4000-8000-000000000001", list(EDGES))
    _write(root, "aaaaaaaa-0000-4000-8000-000000000002", ["2026-11-10T10:00:00Z", EDGES[0]])
    h = headless(make_state(root), columns=120, rows=40)
    for key in ("1", "2", "3", "4", "j", "5", "6", "7", "/", "n", "e", "e", "d", "l", "e", "enter", "escape", "w"):
        h.press(key)
        assert h.running, h.error
        assert "Traceback" not in h.text() and "Press ENTER" not in h.text()
    assert "out of range" in h.text()
