"""The real app, headless: keys through a pipe, the screen read back with pyte."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import orjson
import pytest

from fdash.tui.style import DARK, LIGHT

from .conftest import make_state, write_session

ALPHA = "11111111-1111-4111-8111-111111111111"
HOSTILE = "22222222-2222-4222-8222-222222222222"
BETA = "44444444-4444-4444-8444-444444444444"


def row_of(h, text: str) -> int:
    for y, line in enumerate(h.lines()):
        if text in line:
            return y
    raise AssertionError(f"{text!r} not on screen:\n{h.text()}")


def test_first_frame_comes_before_the_data(small, headless, monkeypatch):
    import fdash.tui.loader as state_module

    release = threading.Event()
    real = state_module.load_catalog

    def slow_load(root, config, *, progress=None, **kwargs):
        progress(1, 4)
        release.wait(10)
        return real(root, config, progress=progress, **kwargs)

    monkeypatch.setattr(state_module, "load_catalog", slow_load)
    state = make_state(small)
    h = headless(state, load=False)
    h.state.reload()  # what run() does in pre_run, here after the first frame
    assert h.wait_for("Reading Droid sessions"), h.text()
    assert h.wait_for("1 / 4"), h.text()
    assert "reading sessions 1/4" in h.text()
    release.set()
    assert h.wait_for("Sessions 4"), h.text()


def test_every_tab_renders(sessions, headless):
    h = headless(make_state(sessions), columns=140, rows=45)
    expected = {
        "1": (
            "Tokens",
            "Cache read",
            "Activity",
            "Mon",
            "Sun",
            "Less",
            "More",
            "Top projects by tokens",
            "Est. cost",
        ),
        "2": ("Groups (", "Cache hit", "Tokens %", "Active time", "Est. cost"),
        "3": ("Project", "Group", "Sessions", "Tokens ▼", "Active time", "Est. cost"),
        "4": ("Last active ▼", "Title", "Prompts (", "sort date ▼"),
        "5": ("Favorites", "Last active"),
        "6": (
            "Display",
            "Dark mode",
            "Heatmap weeks",
            "Show title",
            "Pricing",
            "Sessions folder",
            "built-in",
        ),
    }
    for key, words in expected.items():
        h.press(key)
        screen = h.text()
        for word in words:
            assert word in screen, f"tab {key}: {word!r} missing:\n{screen}"
    assert h.foreign_controls() == []


def test_demo_data_is_marked(sessions, headless):
    from fdash.core.config import Config, LoadedConfig
    from fdash.core.source import Source
    from fdash.tui.state import AppState

    h = headless(
        AppState(
            LoadedConfig(Config(), None), Source(sessions, demo=True, note="showing DEMO DATA")
        )
    )
    assert "DEMO DATA" in h.lines()[0]
    assert "DEMO DATA — generated sessions" in h.text()


def test_help_and_warnings_overlays(sessions, headless):
    (sessions / "-broken").mkdir()
    (sessions / "-broken" / "55555555-5555-4555-8555-555555555555.settings.json").write_text(
        "{nope"
    )
    h = headless(make_state(sessions))
    assert "1 warning (w)" in h.lines()[0]  # invalid JSON (a settings file alone is no warning)
    h.press("?")
    assert "Keys — Esc to close" in h.text() and "search prompts" in h.text()
    h.press("end")  # the help scrolls
    assert "Keys — Esc to close" in h.text() and "Dialogs and the filter bar" in h.text()
    h.press("escape")
    assert h.wait_until(lambda: "Keys — Esc to close" not in h.text(), 3)
    h.press("w")
    screen = h.text()
    assert "Warnings (" in screen and str(sessions) in screen
    h.press("j", "pagedown", "escape")
    assert h.running and "Warnings (" not in h.text()


def test_dark_and_light_themes(small, headless):
    h = headless(make_state(small))
    bg = h.screen().buffer[5][60].bg
    assert bg == DARK.bg.lstrip("#")
    h.press("d")
    assert h.screen().buffer[5][60].bg == LIGHT.bg.lstrip("#")
    assert not h.state.dark
    h.press("d")
    assert h.screen().buffer[5][60].bg == DARK.bg.lstrip("#")


def test_sort_keys_change_the_order_and_the_header(small, headless):
    h = headless(make_state(small))
    h.press("4")
    assert "Last active ▼" in h.text()
    first = row_of(h, "Last active")
    assert "EVIL" in h.lines()[first + 1]  # the newest session
    h.press("s")  # tokens
    assert "Tokens ▼" in h.text() and "Last active ▼" not in h.text()
    assert "EVIL" in h.lines()[first + 1]  # also the biggest
    h.press("o")
    assert "Tokens ▲" in h.text()
    assert "New Session" in h.lines()[first + 1]  # no tokens at all
    h.press("s")
    assert "sort duration" in h.text()


def test_a_click_on_a_projects_header_sorts_by_it(small, headless):
    h = headless(make_state(small))
    h.press("3")
    y = row_of(h, "Active time")
    x = h.lines()[y].index("Sessions")
    h.click(x + 1, y)
    assert h.state.tabs.projects.column == "sessions" and h.state.tabs.projects.descending
    assert "Sessions ▼" in h.lines()[y]
    h.click(x + 1, y)
    assert not h.state.tabs.projects.descending and "Sessions ▲" in h.lines()[y]
    h.press("s")  # the next column (no letter per column: one meaning per key)
    assert h.state.tabs.projects.column == "tokens" and "Tokens ▼" in h.text()


def test_filter_typed_in_the_filter_bar(small, headless):
    h = headless(make_state(small))
    h.press("4", "F")
    assert "Enter keep · Esc cancel" in h.text()
    h.press(*"beta")
    assert h.wait_for("Σ 1/4"), h.text()
    assert "Beta bugfix" in h.text() and "Alpha refactor" not in h.text()
    h.press("enter")
    assert "filter “beta”" in h.text()
    h.press("escape")
    assert h.wait_until(lambda: "Alpha refactor" in h.text(), 3)


def test_hide_empty_and_group_by_keys(small, headless):
    h = headless(make_state(small))
    h.press("4")
    assert "New Session" in h.text()
    h.press("h")
    assert "hide empty on" in h.text() and "New Session" not in h.text()
    h.press("g")
    screen = h.text()
    assert "group by project" in screen
    assert "▾ /home/test/proj/app" in screen and "1 session ·" in screen
    h.press("g", "g", "g")
    assert "group by" not in h.lines()[1] and "▾" not in h.text()


def test_favorite_key_writes_the_file_and_shows_a_star(small, headless):
    h = headless(make_state(small))
    h.press("4")
    y = row_of(h, "Alpha refactor")
    h.click(40, y)
    assert h.state.tabs.sessions.selected_entry().session.id == ALPHA
    h.press("f")
    assert orjson.loads((small / ".favorites").read_bytes()) == [ALPHA]
    assert h.lines()[y].startswith("★") and "is a favorite" in h.text()
    h.press("5")
    assert "Alpha refactor" in h.text() and "Beta bugfix" not in h.text()
    h.press("f")
    assert orjson.loads((small / ".favorites").read_bytes()) == []
    assert "Alpha refactor" not in h.lines()[row_of(h, "Last active") + 1]


def test_title_edit_dialog_rewrites_only_the_first_line(small, headless):
    h = headless(make_state(small))
    h.press("4")
    h.click(40, row_of(h, "Alpha refactor"))
    path = h.state.tabs.sessions.selected_entry().session.transcript_path
    before = Path(path).read_bytes()
    h.press("e")
    assert "Rename session" in h.text()
    h.press("c-u")  # clear the line (readline keys), then type
    h.press(*"Renamed by test", "enter")
    assert h.wait_until(lambda: "Rename session" not in h.text(), 3), h.text()
    after = Path(path).read_bytes()
    assert after.split(b"\n", 1)[1] == before.split(b"\n", 1)[1]
    assert orjson.loads(after.split(b"\n", 1)[0])["title"] == "Renamed by test"
    assert "Renamed by test" in h.text() and "Alpha refactor" not in h.text()


def test_title_edit_of_a_live_session_shows_why(small, headless):
    h = headless(make_state(small))
    h.press("4")
    h.click(40, row_of(h, "Beta bugfix"))
    path = h.state.tabs.sessions.selected_entry().session.transcript_path
    os.utime(path)
    before = Path(path).read_bytes()
    h.press("e", "x", "enter")
    assert h.wait_for("may be running"), h.text()
    assert "Rename session" in h.text() and Path(path).read_bytes() == before
    h.press("escape")
    assert h.wait_until(lambda: "Rename session" not in h.text(), 3)
    assert h.running


def test_settings_change_with_keys_is_saved_with_comments(small, headless):
    config = "# mine\n[display]\n# theme\ndark_mode = true\n"
    h = headless(make_state(small, config))
    path = h.state.loaded.write_path
    h.press("6")
    while h.state.tabs.settings.selected().label != "Dark mode":
        h.press("j")
    h.press("enter")
    assert path.read_text(encoding="utf-8") == "# mine\n[display]\n# theme\ndark_mode = false\n"
    assert "saved to" in h.text() and not h.state.dark
    assert h.screen().buffer[5][60].bg == LIGHT.bg.lstrip("#")
    h.press("k")  # Hide empty sessions
    h.press("space")
    assert "hide_empty_sessions = true" in path.read_text(encoding="utf-8")
    h.press("k", "enter")  # Default grouping: an editor? no: a choice steps
    assert 'default_group = "project"' in path.read_text(encoding="utf-8")


def test_escape_sequences_and_markup_do_not_garble_the_screen(small, headless):
    h = headless(make_state(small), columns=120, rows=30)
    h.press("4")
    h.click(40, row_of(h, "EVIL"))
    screen = h.screen()
    text = h.text()
    assert screen.title in ("", None)  # the OSC 0 "set title" never reached the terminal
    assert h.foreign_controls() == [] and "pwned" not in h.raw()
    assert "[bold]markup[/bold]" in text  # markup is shown as typed, not interpreted
    assert "link [red]x[/red]" in text and "http://x" not in text  # no OSC 8 leak
    lines = h.lines()
    header = row_of(h, "Last active")
    separator = lines[header].index("│")
    for y in range(header, header + 5):  # rows line up: the panel border is straight
        assert lines[y][separator] == "│", "\n".join(lines)
    cell = screen.buffer[header + 1][0]
    assert not cell.reverse
    for name in ("1", "2", "3", "5", "6"):
        h.press(name)
    assert h.foreign_controls() == [] and "pwned" not in h.raw()


def test_hostile_generated_data_renders_everywhere(tmp_path, headless):
    from .conftest import _generator

    root = tmp_path / "hostile"
    _generator().generate(root, sessions=30, seed=3, avg_kb=2, hostile=True)
    h = headless(make_state(root), columns=100, rows=30)
    for key in ("1", "2", "3", "4", "j", "j", "tab", "j", "5", "6", "w"):
        h.press(key)
        assert h.running, h.error
    assert h.foreign_controls() == []


def test_connect_error_is_a_message(small, headless):
    h = headless(make_state(small))
    h.press("4", "c")
    assert h.wait_for("cannot resume"), h.text()
    assert h.running


def test_q_quits(small, headless):
    h = headless(make_state(small))
    h.press("q", settle=False)
    h.wait_until(lambda: not h.running, 5)
    assert not h.running and h.result is None and h.error is None


def test_prompt_panel_scrolls_with_tab(tmp_path, headless):
    root = tmp_path / "long"
    prompts = tuple(f"prompt number {i}\nwith a second line" for i in range(40))
    write_session(root, ALPHA, "many prompts", prompts=prompts)
    h = headless(make_state(root), columns=120, rows=24)
    h.press("4")
    assert h.wait_for("prompt number 0"), h.text()
    assert "Prompts (40)" in h.text()
    h.press("tab", "pagedown", "pagedown")
    assert "prompt number 0" not in h.text() and h.state.tabs.sessions.side_focus
    h.press("escape", "home")
    assert not h.state.tabs.sessions.side_focus


def test_narrow_terminal_shows_list_or_prompts(small, headless):
    h = headless(make_state(small), columns=70, rows=20)
    h.press("4")
    assert "Last active" in h.text() and "Prompts (" not in h.text()
    h.press("tab")
    assert "Prompts (" in h.text()


def test_refresh_keeps_the_selection(small, headless):
    h = headless(make_state(small))
    h.press("4")
    h.click(40, row_of(h, "Beta bugfix"))
    write_session(small, "66666666-6666-4666-8666-666666666666", "Brand new", day="2026-11-15")
    h.press("r")
    assert h.wait_for("Brand new"), h.text()
    assert h.state.tabs.sessions.selected_entry().session.id == BETA
    assert h.state.loader.loads == 2


@pytest.mark.parametrize("size", [(80, 24), (140, 45)])
def test_sizes(sessions, headless, size):
    h = headless(make_state(sessions), columns=size[0], rows=size[1])
    titles = ["Overview", "Groups", "Projects", "Sessions", "Favorites", "Settings"]
    for key, title in zip("123456", titles):
        h.press(key)
        lines = h.lines()
        assert len(lines) == size[1]
        assert f"{key} {title}" in lines[0]  # the current tab is always named
    assert time.time() > 0


def test_session_columns_follow_the_config(small, headless):
    config = "[columns.sessions]\nshow_id = true\nshow_model = false\nshow_date = false\n"
    h = headless(make_state(small, config), columns=220, rows=30)  # room for the 36-wide ID
    h.press("4")
    header = h.lines()[row_of(h, "Title")]
    assert "ID" in header and "Model" not in header and "Last active" not in header
    assert ALPHA in h.text()


def test_the_raw_output_check_catches_a_leaked_escape(small, headless):
    """What the hostile-text tests rely on: an OSC that reached the terminal is seen in
    the raw bytes, though the emulated screen shows nothing of it."""
    h = headless(make_state(small))
    assert h.foreign_controls() == []
    h._out.write("\x1b]0;pwned\x07")
    assert "pwned" not in h.text() and h.foreign_controls() == ["\x1b]0;pwned\x07"]


def test_the_help_fits_160_by_48_and_scrolls_below(small, headless):
    from fdash.tui.keys import help_sections

    h = headless(make_state(small), columns=160, rows=48)
    h.press("?")
    screen = h.text()
    for section in help_sections():  # every section at once, in columns
        assert section.title in screen, section.title
    assert "cancel" in screen  # the last row of the last section
    small_screen = headless(make_state(small), columns=100, rows=30)
    small_screen.press("?")
    assert "Dialogs and the filter bar" not in small_screen.text()
    small_screen.press("end")
    assert "Dialogs and the filter bar" in small_screen.text()


def test_the_config_order_of_the_columns_decides_what_a_narrow_screen_keeps(small, headless):
    """Default at 80: date, title, tokens and cost. Listing show_model before show_tokens
    gives the model the tokens' place: the model stays, the tokens go."""
    plain = headless(make_state(small), columns=80, rows=24)
    plain.press("4")
    header = plain.lines()[row_of(plain, "Title")]
    assert all(label in header for label in ("Last active", "Title", "Tokens", "Est. cost"))
    assert "Model" not in header
    config = "[columns.sessions]\nshow_model = true\nshow_tokens = true\n"
    mine = headless(make_state(small, config), columns=80, rows=24)
    mine.press("4")
    header = mine.lines()[row_of(mine, "Title")]
    assert all(label in header for label in ("Last active", "Title", "Model", "Est. cost"))
    assert "Tokens" not in header and "columns hidden" in mine.lines()[1]


def test_column_priority_merges_the_users_order_into_the_default():
    from fdash.tui.tabs.sessions.view import PRIORITY, priority

    assert priority(()) == list(PRIORITY)
    assert priority(("id",)) == list(PRIORITY)  # one column listed keeps its place
    mine = priority(("model", "tokens", "nonsense"))
    assert mine.index("model") == PRIORITY.index("tokens")
    assert mine.index("tokens") == PRIORITY.index("model")
    everything = tuple(reversed(PRIORITY))
    assert priority(everything) == list(everything)
