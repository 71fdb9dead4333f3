"""Issue 12's interactions on the real screen: resume asks first, y copies the id, Enter
drills into a project or group and Esc comes back, a sort shows the top, the filter
shows its subtotal, group headers fold, the prompts pane toggles."""

from __future__ import annotations

import base64

from fdash import fmt

from .conftest import make_state, write_session

ALPHA = "11111111-1111-4111-8111-111111111111"
BETA = "44444444-4444-4444-8444-444444444444"


def row_of(h, text: str) -> int:
    return next(y for y, line in enumerate(h.lines()) if text in line)


def test_resume_asks_with_the_exact_command(tmp_path, headless, fake_droid):
    project, _droid = fake_droid
    root = tmp_path / "sessions"
    write_session(root, ALPHA, "resume me", cwd=str(project))
    h = headless(make_state(root), columns=200, rows=40)  # the whole command on one line
    h.press("4", "c")
    assert h.wait_for("Resume in droid?"), h.text()
    screen = h.text()
    assert "resume me" in screen and f"cd {project} && droid --resume {ALPHA}" in screen
    h.press("escape")  # stay
    assert h.running and "Resume in droid?" not in h.text()
    h.press("c", "enter", settle=False)  # go
    assert h.wait_until(lambda: not h.running, 5)
    assert h.result.session_id == ALPHA


def test_y_copies_the_session_id_with_osc52_and_shows_it(small, headless):
    h = headless(make_state(small))
    h.press("4", "home", "y")
    selected = h.state.tabs.sessions.selected_entry().session.id
    payload = base64.b64encode(selected.encode()).decode()
    assert f"\x1b]52;c;{payload}\x07" in h.raw()
    assert f"copied {selected}" in h.text()


def test_enter_on_a_project_shows_its_sessions_and_esc_comes_back(small, headless):
    h = headless(make_state(small))
    h.press("3")
    h.click(5, row_of(h, "/home/test/other/beta"))
    h.press("enter")
    assert h.state.tab == "sessions"
    lines = h.lines()
    assert "project /…/beta (Esc: all) · Σ 1 · 620 tok" in lines[1]  # beside the prompts
    assert "Beta bugfix" in h.text() and "Alpha refactor" not in h.text()
    h.press("escape")
    assert h.state.tab == "projects" and h.state.tabs.sessions.scope is None


def test_enter_on_a_group_shows_its_sessions(small, headless):
    h = headless(make_state(small))
    h.press("2", "home", "enter")
    group = h.state.tabs.sessions.scope
    assert h.state.tab == "sessions" and group is not None and group[0] == "group"
    shown = [e.group for e in h.state.tabs.sessions.rows]
    assert shown and set(shown) == {group[1]}


def test_a_sort_shows_the_top_and_the_position(sessions, headless):
    h = headless(make_state(sessions), columns=120, rows=30)
    h.press("4", "pagedown", "pagedown")
    assert "row 1 of" not in h.lines()[1]
    h.press("s")  # tokens ▼: the largest first, at the top
    lst = h.state.tabs.sessions
    assert lst.cursor.index == 0 and lst.cursor.top == 0
    biggest = max(e.session.usage.total for e in h.state.entries)
    assert lst.selected_entry().session.usage.total == biggest
    assert "row 1 of 120" in h.lines()[1]


def test_the_filter_shows_what_it_keeps(small, headless):
    h = headless(make_state(small), columns=200)
    h.press("4", "F", *"alpha", "enter")
    assert "filter “alpha” · Σ 1 of 4 sessions · 15.5K tokens" in h.lines()[1]


def test_the_filter_shows_sessions_tokens_cost_and_credits(tmp_path, headless):
    root = tmp_path / "credits"
    write_session(root, ALPHA, "fix one", credits=12.5, tokens=2000)
    write_session(root, BETA, "fix two", tokens=1000)  # no credits recorded
    write_session(root, "55555555-5555-4555-8555-555555555555", "other", credits=1000)
    for columns in (200, 80):
        h = headless(make_state(root), columns=columns, rows=24)
        h.press("4", "F", *"fix", "enter")
        cost = fmt.money(h.state.tabs.sessions.subtotal.cost_usd)
        wide = f"Σ 2 of 3 sessions · 9.3K tokens · {cost} · 12.5 credits (1 not recorded)"
        narrow = f"filter “fix” · Σ 2/3 · 9.3K tok · {cost} · 12.5? cr"
        assert (wide if columns == 200 else narrow) in h.lines()[1], h.lines()[1]


def test_group_headers_fold_on_screen(small, headless):
    h = headless(make_state(small))
    h.press("4", "g")  # by project: the top is a header
    assert h.lines()[3].lstrip().startswith("▾")
    h.press("enter")
    assert h.lines()[3].lstrip().startswith("▸")
    assert "Alpha refactor" not in h.text() or "/home/test/proj/app" not in h.lines()[3]


def test_the_prompts_pane_toggles_and_drops_below_120_columns(small, headless):
    h = headless(make_state(small), columns=120, rows=30)
    h.press("4")
    assert "Prompts" in h.lines()[1]
    h.press("p")
    assert "Prompts" not in h.lines()[1]
    narrow = headless(make_state(small), columns=100, rows=30)
    narrow.press("4")
    assert "Prompts" not in narrow.lines()[1]
    narrow.press("tab")  # over the list
    assert "Prompts (" in narrow.text()


def test_enter_on_an_overview_top_project_shows_its_sessions(small, headless):
    h = headless(make_state(small), columns=120, rows=50)
    h.press("1", "down")  # the second top project
    second = h.state.data.by_project[1].key
    picked = [line for line in h.lines() if "▸ " in line]
    assert len(picked) == 1 and second in picked[0], h.text()
    h.press("enter")
    assert h.state.tab == "sessions" and h.state.tabs.sessions.scope == ("project", second)
    h.press("escape")
    assert h.state.tab == "overview"


def test_a_long_filter_is_cut_in_the_header_never_its_sums(small, headless):
    h = headless(make_state(small), columns=80, rows=24)
    h.press("4", "F", *"alpha refactor the alpha module", "enter")
    line = h.lines()[1]
    assert "filter “alpha ref" in line and "…" in line
    assert line.rstrip().endswith("· – cr") or "· – cr " in line, line
