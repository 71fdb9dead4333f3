"""`run()` — the entry point fdash.cli calls — and the rendering pieces under the views."""

from __future__ import annotations

import threading
import time

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.style import Style
from rich.text import Text

from fdash.core.config import Config, LoadedConfig
from fdash.core.resume import ResumeCommand
from fdash.core.source import Source

from .conftest import write_session

SESSION = "77777777-7777-4777-8777-777777777777"


def _run_with_keys(root, keys_after_load: str, monkeypatch):
    """Call fdash.tui.app.run() on a pipe; type `keys_after_load` once the data is in."""
    import fdash.tui.app as app_module

    states = []
    real_create_state = app_module.create_state
    monkeypatch.setattr(
        app_module,
        "create_state",
        lambda *a, **k: states.append(real_create_state(*a, **k)) or states[-1],
    )
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):

        def typist():
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not (states and states[0].catalog is not None):
                time.sleep(0.02)
            time.sleep(0.1)
            pipe.send_text(keys_after_load)

        thread = threading.Thread(target=typist, daemon=True)
        thread.start()
        code = app_module.run(LoadedConfig(Config(), None), Source(root), use_index=True)
        thread.join(5)
    return code, states[0]


def test_run_returns_0_on_q(small, monkeypatch):
    code, state = _run_with_keys(small, "4jq", monkeypatch)
    assert code == 0 and state.tab == "sessions" and len(state.entries) == 4


def test_c_leaves_the_app_then_run_execs_droid(tmp_path, monkeypatch, fake_droid):
    import fdash.tui.app as app_module

    project, droid = fake_droid
    root = tmp_path / "sessions"
    write_session(root, SESSION, "resume me", cwd=str(project))
    execs = []
    monkeypatch.setattr(app_module, "exec_resume", execs.append)
    code, _state = _run_with_keys(root, "4c\r", monkeypatch)  # c, then Enter: yes
    assert code == 0
    assert execs == [ResumeCommand(str(project), (str(droid), "--resume", SESSION), SESSION)]


@pytest.mark.slow
def test_quitting_during_a_scan_cancels_it(small, monkeypatch):
    """q while the sessions are read: the scan stops at its next progress report (the
    core's Cancelled) and run() returns normally, no os._exit."""
    import fdash.tui.loader as loading_module
    from fdash.core.catalog import Cancelled

    stopped = threading.Event()

    def endless_scan(root, config, *, progress=None, **kwargs):
        try:
            for done in range(10_000):
                progress(done, 10_000)
                time.sleep(0.01)
        except Cancelled:
            stopped.set()
            raise
        raise AssertionError("not cancelled")

    monkeypatch.setattr(loading_module, "load_catalog", endless_scan)
    monkeypatch.setattr("os._exit", lambda code: (_ for _ in ()).throw(AssertionError("os._exit")))
    import fdash.tui.app as app_module

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        threading.Timer(0.5, lambda: pipe.send_text("q")).start()
        started = time.monotonic()
        code = app_module.run(LoadedConfig(Config(), None), Source(small), use_index=True)
    assert code == 0 and stopped.wait(2) and time.monotonic() - started < 5


def test_exec_failure_is_exit_code_1(tmp_path, monkeypatch, capsys):
    import fdash.tui.app as app_module

    command = ResumeCommand(str(tmp_path), ("/nonexistent/droid", "--resume", SESSION), SESSION)

    class FakeApp:
        def run(self, pre_run=None):
            return command

    monkeypatch.setattr(app_module, "build_app", lambda state: FakeApp())
    code = app_module.run(LoadedConfig(Config(), None), Source(tmp_path), use_index=False)
    assert code == 1 and "cannot start droid" in capsys.readouterr().err


def test_the_list_control_asks_only_for_visible_rows():
    from fdash.tui.controls import ListControl, ListModel
    from fdash.tui.cursor import Cursor

    asked = []
    cursor = Cursor(index=99_990)
    control = ListControl(
        lambda width: ListModel(100_000, lambda i, w: asked.append(i) or [("", f"row {i}")], cursor)
    )
    content = control.create_content(80, 30)
    lines = [content.get_line(y) for y in range(content.line_count)]
    assert content.line_count == 30 and len(asked) == 30
    top = 99_990 - 30 + 1 + 2  # the selection, two rows of context below it
    assert min(asked) == top and max(asked) == top + 29
    selected = lines[99_990 - top]
    assert all("class:row.selected" in fragment[0] for fragment in selected)


def test_the_cursor_keeps_the_selection_visible_with_a_margin():
    from fdash.tui.cursor import Cursor

    cursor = Cursor()
    assert cursor.window(1000, 10) == 0
    cursor.move(9, 1000)
    assert cursor.window(1000, 10) == 2  # two rows of context below the selection
    cursor.end(1000)
    assert cursor.window(1000, 10) == 990
    cursor.move(-1, 1000, selectable=lambda i: i % 2 == 0)  # skips unselectable rows
    assert cursor.index == 998


def test_richbridge_never_lets_escapes_or_links_through():
    from fdash.tui.richbridge import render_lines, text_line

    text = Text("click ") + Text("here", style=Style(link="https://example.com"))
    lines = render_lines(text, 40, True)
    plain = "".join(fragment[1] for line in lines for fragment in line)
    assert plain.strip() == "click here"  # the OSC 8 link is dropped, not shown as text
    hostile = Text("\x1b[31mred\x1b]0;title\x07")
    fragments = text_line(hostile, True)
    assert "".join(f[1] for f in fragments) == hostile.plain  # given as text, never as escapes


def test_plain_settles_characters_terminals_disagree_on():
    from prompt_toolkit.utils import get_cwidth
    from rich.cells import cell_len

    from fdash.core.text import one_line as plain

    for raw in ("⚠️ do not delete", "flag 🇫🇷", "thumb 👍🏽", "soft\xadhyphen", "a\x1b[2Jb\nc"):
        shown = plain(raw)
        assert "\x1b" not in shown and "\n" not in shown
        assert get_cwidth(shown) == cell_len(shown), raw
    assert plain("flag 🇫🇷") == "flag FR"


def test_fit_drops_low_priority_columns_first():
    from fdash.tui.widgets import Column, fit

    columns = [Column("a", "A", 10, priority=9), Column("t", "T", 10, flex=True, priority=10),
               Column("id", "ID", 36, priority=1), Column("n", "N", 8, priority=5)]
    fitted = fit(columns, 60)
    assert [c.name for c in fitted] == ["a", "t", "n"]
    assert sum(c.width for c in fitted) + len(fitted) - 1 == 60
