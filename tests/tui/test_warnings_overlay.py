"""The warnings overlay with 100,000 warnings (issue 15, case 7): only the lines on the
screen are made, whatever the number of warnings; every warning is there, folded."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from fdash.tui import overlays
from fdash.tui.cursor import Scroll


def _state(found):
    return SimpleNamespace(warnings=found, data=SimpleNamespace(serial=object()), loaded=object(), dark=True,
                           overlay_scroll=Scroll())


def _plain(fragments) -> str:
    return "".join(f[1] for f in fragments)


@pytest.mark.slow
def test_only_the_shown_lines_are_made(monkeypatch):
    made = []
    real_text_line, real_render = overlays.text_line, overlays.render_lines
    monkeypatch.setattr(overlays, "text_line", lambda *a: made.append(1) or real_text_line(*a))
    monkeypatch.setattr(overlays, "render_lines", lambda *a: made.extend(real_render(*a)) or real_render(*a))
    n = 100_000
    found = [(f"/home/u/.factory/sessions/-p/{i:08d}-0000-4000-8000-000000000000.jsonl",
              f"line {i}: invalid JSON (unexpected character); those lines skipped") for i in range(n)]
    model = overlays.warnings_model(_state(found), 100)
    assert model.count == 2 * n
    screen = [_plain(model.line(i, 100)) for i in range(40)]
    last = [_plain(model.line(i, 100)) for i in range(model.count - 4, model.count)]
    assert len(made) <= 200, len(made)  # a screenful and the last lines, not 200,000
    assert screen[0].startswith("/home/u/.factory/sessions/-p/00000000-") and screen[1].startswith("   line 0:")
    assert last[-1].startswith(f"   line {n - 1}:")


def test_long_and_wide_text_folds_without_losing_a_character():
    path = "/p/" + "中" * 70 + "/x.jsonl"
    reason = "r" * 250
    model = overlays.warnings_model(_state([(path, reason), ("/b", "\x1b[31mred")]), 60)
    text = [_plain(model.line(i, 60)) for i in range(model.count)]
    assert "".join(text[:3]) == path  # 2 cells each: 30 a line
    assert "".join(text[3:8]) == "   " + reason
    assert text[8:] == ["/b", "   red"]
