"""Activity tab, search, live view, folded sub-agents, the source column and the budget:
first as AppState actions (no event loop), then on the headless screen."""

from __future__ import annotations

import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from fdash.core import timeline
from fdash.core.config import load_config
from fdash.core.source import Source
from fdash.tui.state import AppState
from fdash.tui.tabs.activity.state import Chart, Heat
from fdash.tui.tabs.sessions.state import GroupRow

from .conftest import make_state, write_session

ALPHA = "11111111-1111-4111-8111-111111111111"
HOSTILE = "22222222-2222-4222-8222-222222222222"
EMPTY = "33333333-3333-4333-8333-333333333333"
BETA = "44444444-4444-4444-8444-444444444444"
PARENT = "aaaaaaaa-0000-4000-8000-000000000001"
CHILD = "aaaaaaaa-0000-4000-8000-000000000002"
GRANDCHILD = "aaaaaaaa-0000-4000-8000-000000000003"
TODAY = date(2026, 11, 14)


def loaded(root, config_text=None, **kwargs):
    state = make_state(root, config_text, **kwargs)
    state.reload()
    assert state.catalog is not None, state.loader.error
    return state


def ids(rows):
    return [r.session.id for r in rows if not isinstance(r, GroupRow)]


def family_tree(root: Path) -> Path:
    """A parent whose Task tool started a sub-agent, which started another."""
    write_session(root, PARENT, "Parent work", tokens=1000, children=(CHILD,), day="2026-11-12")
    write_session(root, CHILD, "# Task Tool Invocation one", tokens=300, children=(GRANDCHILD,),
                  day="2026-11-12")
    write_session(root, GRANDCHILD, "# Task Tool Invocation two", tokens=20, day="2026-11-12")
    write_session(root, BETA, "Beta bugfix", tokens=200, day="2026-11-13")
    return root


# ---------------------------------------------------------------------- Activity


def test_activity_days_match_the_daily_report(small):
    state = loaded(small, today=TODAY)
    state.set_tab("activity")  # elsewhere its timelines pause
    chart = state.tabs.activity.chart()
    assert isinstance(chart, Chart) and chart.unit == "day"
    assert chart.periods[-1].start == TODAY and len(chart.periods) >= 20 * 7 - 6
    daily = timeline.timeline(state.entries, timeline.PeriodSpec("day"), timeline.zone("UTC"),
                              timeline.DayRange(chart.days.since, TODAY))
    by_day = {p.start: p for p in chart.periods}
    for period in daily.periods:  # the same days, the same numbers as `fdash daily`
        assert by_day[period.start].tokens == period.tokens
        assert by_day[period.start].cost_usd == period.cost_usd
    alpha_day = by_day[date(2026, 11, 10)]
    assert alpha_day.tokens.total == 5000 + 500 + 10000
    assert state.tabs.activity.period().start == date(2026, 11, 11)  # the last day with sessions
    state.tabs.activity.step(-1)
    assert state.tabs.activity.period().start == date(2026, 11, 10)
    assert [e.session.id for e, _p in state.tabs.activity.rows()] == [ALPHA]


def test_activity_toggles_and_enter_opens_the_session(small):
    state = loaded(small, today=TODAY)
    state.set_tab("activity")
    act = state.tabs.activity
    act.day = date(2026, 11, 10)
    act.toggle_metric()
    assert act.metric == "cost"
    act.cycle_unit()
    week = act.period()  # the week holding that day
    assert week.start == date(2026, 11, 9) and week.sessions == 3  # the empty one has no day
    assert next(e.session.id for e, _p in act.rows()) == HOSTILE  # the costliest first
    act.cycle_unit()
    assert act.unit == "month" and act.period().start == date(2026, 11, 1)
    act.cycle_unit()
    assert act.unit == "day" and act.period().start == date(2026, 11, 10)  # the same day again
    heat = act.heat()
    assert isinstance(heat, Heat) and heat.rows[0].project == "/home/test/proj/\x1b[31mred"
    state.open_session()
    assert state.tab == "sessions"
    assert state.tabs.sessions.selected_entry().session.id == ALPHA


def test_the_report_time_zone_moves_the_days(small):
    # 10:00 UTC is already the next day at UTC+14
    state = loaded(small, '[reports]\ntimezone = "Pacific/Kiritimati"\n', today=TODAY)
    state.set_tab("activity")
    days = {p.start: p.tokens.total for p in state.tabs.activity.chart().periods}
    assert days[date(2026, 11, 11)] == 15500  # alpha: 2026-11-10 10:00 UTC
    assert days[date(2026, 11, 10)] == 620 and days[date(2026, 11, 9)] == 0  # beta, a day later

    per_day = state.data.per_day(state.zone)
    assert per_day[date(2026, 11, 11)] == 1 and date(2026, 11, 9) not in per_day


# ---------------------------------------------------------------------- search


def test_search_finds_prompt_words_and_enter_jumps(small):
    state = loaded(small)
    state.set_tab("overview")
    state.open_search()
    assert state.search.active and state.input.kind == "search"
    state.input_changed("ALPHA module")  # every word, any case, in a prompt
    assert [e.session.id for e in state.search.found] == [ALPHA]
    hit = state.search.hit(0)
    assert hit.where == "prompt" and hit.excerpt == "refactor the alpha module"
    assert [hit.excerpt[a:b] for a, b in hit.spans] == ["alpha", "module"]
    state.input_changed("add tests")  # the second prompt
    assert [e.session.id for e in state.search.found] == [ALPHA]
    state.input_changed("proj")  # the project path: newest first (no date: last)
    assert [e.session.id for e in state.search.found] == [HOSTILE, ALPHA, EMPTY]
    state.submit_input()
    assert state.input is None and state.search.active
    assert state.search.selected_entry().session.id == ALPHA  # the selection stayed on it
    state.open_session()
    assert not state.search.active and state.tab == "sessions"
    assert state.tabs.sessions.selected_entry().session.id == ALPHA


def test_search_result_can_be_resumed_and_escape_closes(small):
    state = loaded(small)
    state.open_search()
    state.submit_input("beta bug")
    exits = []
    state.hooks.exit = exits.append
    state.connect()  # its folder does not exist here: a message, the app stays
    assert exits == [] and "cannot resume" in state.message.text
    state.escape()
    assert not state.search.active


def test_enter_shows_a_session_the_filter_hid(small):
    state = loaded(small)
    state.tabs.sessions.set_filter("alpha")
    state.tabs.sessions.toggle_hide_empty()
    state.open_search()
    state.submit_input("new session")  # the empty one: hidden by both
    state.open_session()
    assert state.tabs.sessions.selected_entry().session.title == "New Session"
    assert state.tabs.sessions.filter == "" and not state.tabs.sessions.hide_empty


# ---------------------------------------------------------------------- sub-agents, source


def test_folded_sub_agents_sit_under_their_parent_and_count_once(tmp_path):
    state = loaded(family_tree(tmp_path / "s"))
    lst = state.tabs.sessions
    assert ids(lst.rows)[:3] != [PARENT, CHILD, GRANDCHILD]
    lst.toggle_fold()
    assert ids(lst.rows) == [BETA, PARENT, CHILD, GRANDCHILD]
    assert lst.depths == [0, 0, 1, 2]
    family = lst.family(1)
    assert (family.children, family.tokens) == (2, 930 + 62)  # tokens are t + t/10 + 2t
    assert lst.family(2).tokens == 62 and lst.family(3) is None
    own = sum(r.session.usage.total for r in lst.rows)
    assert own == state.data.totals.tokens.total  # every session once
    lst.cycle_grouping()  # by project: one header, its subtotal counts each session once
    header = lst.rows[0]
    assert isinstance(header, GroupRow) and header.tokens == own
    assert ids(lst.rows) == [BETA, PARENT, CHILD, GRANDCHILD]
    assert "sub-agents under parents" in lst.describe()


def test_folded_sub_agents_on_screen(tmp_path, headless):
    h = headless(make_state(family_tree(tmp_path / "s")), columns=160, rows=24)
    h.press("4", "a")
    screen = h.text()
    assert "+Sub-agents" in screen and "+992 ×2" in screen
    lines = h.lines()
    parent = next(y for y, line in enumerate(lines) if "Parent work" in line)
    assert "└ # Task Tool Invocation one" in lines[parent + 1]
    assert "  └ # Task Tool Invocation" in lines[parent + 2]


def test_source_column_names_the_folder_of_each_session(tmp_path, headless):
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    write_session(laptop, ALPHA, "From the laptop")
    write_session(desktop, BETA, "From the desktop")
    config = make_state(laptop, "[columns.sessions]\nshow_source = true\nshow_model = false\n")
    state = AppState(config.loaded, Source(laptop, more_roots=(desktop,)))
    h = headless(state, columns=200, rows=20)
    h.press("4")
    lines = h.lines()
    header = next(line for line in lines if "Last active" in line)
    assert "Source" in header
    assert any("From the laptop" in line and "laptop" in line.split("From the laptop")[1]
               for line in lines)
    assert any("From the desktop" in line and "desktop" in line.split("From the desktop")[1]
               for line in lines)


def test_favorites_go_to_the_folder_of_the_session(tmp_path):
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    write_session(laptop, ALPHA, "From the laptop")
    write_session(desktop, BETA, "From the desktop")
    state = AppState(load_config(None), Source(laptop, more_roots=(desktop,)))
    state.reload()
    state.set_tab("sessions")
    state.tabs.sessions.show(BETA)
    state.toggle_favorite()
    assert (desktop / ".favorites").read_text() == f'["{BETA}"]'
    assert not (laptop / ".favorites").exists()
    assert state.catalog.by_id(BETA).favorite and not state.catalog.by_id(ALPHA).favorite


# ---------------------------------------------------------------------- live view, budget


@pytest.fixture
def no_backoff(monkeypatch):
    """These tests poll right after a read: the live view's back-off would skip them."""
    from fdash.tui import loader as loading

    monkeypatch.setattr(loading, "LIVE_COST_FACTOR", 0)


def test_the_live_view_waits_longer_when_reading_is_costly(small):
    state = loaded(small)
    state.loader.took = 3600.0  # as if re-reading took an hour
    write_session(small, "66666666-6666-4666-8666-666666666666", "Brand new", day="2026-11-15")
    assert state.poll() is False and len(state.entries) == 4


def test_poll_notices_a_new_session_and_keeps_the_selection(small, no_backoff):
    state = loaded(small)
    state.set_tab("sessions")
    state.tabs.sessions.show(BETA)
    assert state.poll() is False  # the first poll takes the baseline
    assert state.poll() is False
    write_session(small, "66666666-6666-4666-8666-666666666666", "Brand new", day="2026-11-15")
    assert state.poll() is True  # re-read at once (no event loop in this test)
    assert len(state.entries) == 5 and state.loader.updated_at is not None
    assert state.tabs.sessions.selected_entry().session.id == BETA
    assert state.poll() is False


def _append_prompt(path: str) -> None:
    with open(path, "a", encoding="utf-8") as f:  # droid appends to a session in place
        f.write('{"type":"message","id":"x","timestamp":"2026-11-09T11:00:00.000Z",'
                '"message":{"role":"user","content":[{"type":"text","text":"one more"}]}}\n')


def test_poll_notices_an_appended_transcript(small, monkeypatch, no_backoff):
    from fdash.tui import live

    state = loaded(small)
    monkeypatch.setattr(live, "HOT_MS", 10**15)  # every session counts as active now
    state.poll()
    _append_prompt(state.catalog.by_id(BETA).session.transcript_path)
    assert state.poll() is True
    assert state.catalog.by_id(BETA).session.user_prompts == 2


def test_a_session_resumed_long_after_is_noticed_by_the_full_scan(small, no_backoff):
    from fdash.tui import live

    state = loaded(small)
    state.poll()
    _append_prompt(state.catalog.by_id(BETA).session.transcript_path)  # not active: no quick stat
    found = [state.poll() for _ in range(live.FULL_EVERY)]
    assert found.count(True) == 1
    assert state.catalog.by_id(BETA).session.user_prompts == 2


def test_live_view_updates_the_screen_in_place(small, headless):
    state = make_state(small, "[display]\nrefresh_seconds = 0.25\n")
    h = headless(state)
    h.press("4")
    y = next(i for i, line in enumerate(h.lines()) if "Beta bugfix" in line[:80])
    h.click(40, y)
    assert state.tabs.sessions.selected_entry().session.id == BETA
    assert "● live" in h.lines()[-2]
    write_session(small, "66666666-6666-4666-8666-666666666666", "Brand new", day="2026-11-15")
    assert h.wait_for("Brand new", 10), h.text()
    assert h.wait_for("updated ", 5)
    assert state.tabs.sessions.selected_entry().session.id == BETA
    lines = [line[:80] for line in h.lines()]  # the list fits: the new row above moves it down
    assert "Brand new" in lines[y - 2] and "Beta bugfix" in lines[y + 1]


def test_budget_on_the_overview(small, headless):
    config = "[budget]\ndaily_usd = 0.001\nweekly_usd = 100.0\nmonthly_tokens = 1000000\n"
    now = datetime(2026, 11, 10, 12, 0, tzinfo=timezone.utc)
    state = make_state(small, config)
    state.clock = lambda: now
    h = headless(state, columns=140, rows=40)
    assert h.wait_for("Budget"), h.text()
    assert h.wait_for("OVER BUDGET by $0.024"), h.text()  # today: $0.0255 of $0.001
    screen = h.text()
    assert "This week" in screen and "lasts the period" in screen
    assert "This month" in screen and "tokens of 1.0M tokens" in screen


def test_no_budget_no_panel(small, headless):
    h = headless(make_state(small))
    assert "Budget" not in h.text()


def test_a_cancelled_load_leaves_quietly(small):
    state = make_state(small)
    state.loader.cancel(timeout=0)  # the app is closing
    state.reload()
    assert state.catalog is None and not state.loader.loading and state.message is None


# ---------------------------------------------------------------------- on screen


def test_activity_tab_on_screen(small, headless):
    h = headless(make_state(small, today=TODAY), columns=140, rows=40)
    h.press("7")
    assert h.wait_for("▶ Wed 2026-11-11"), h.text()  # computed piece by piece: wait for it
    assert h.wait_for("Projects × weeks — tokens"), h.text()
    screen = h.text()
    assert "tokens per day" in screen and "Sessions of the day" in screen and "▲" in screen
    h.press("left")
    assert h.wait_for("▶ Tue 2026-11-10"), h.text()
    assert "Alpha refactor" in h.text() and "15.5K" in h.text()
    h.press("m")
    assert "cost per day" in h.text()
    h.press("u")
    assert h.wait_for("Sessions of the week"), h.text()
    h.press("u", "u", "enter")
    assert h.wait_for("Last active"), h.text()
    assert h.state.tab == "sessions" and h.state.tabs.sessions.selected_entry().session.id == ALPHA


def test_search_on_screen(small, headless):
    h = headless(make_state(small))
    h.press("/")
    assert "Search:" in h.text()
    h.press(*"bug beta")
    assert h.wait_for("1 session matches"), h.text()
    assert "fix the beta bug" in h.text()
    h.press("enter")  # to the results
    assert h.state.input is None and h.state.search.active
    h.press("enter")  # show it in Sessions
    assert h.wait_for("Last active ▼"), h.text()
    assert h.state.tabs.sessions.selected_entry().session.id == BETA
    h.press("/", "escape")
    assert h.wait_until(lambda: not h.state.search.active, 3)
    assert time.time() > 0


def test_a_refresh_keeps_the_selected_row_on_its_screen_line(sessions):
    state = loaded(sessions)
    lst = state.tabs.sessions
    lst.move(50)
    lst.cursor.window(len(lst.rows), 20)  # as a 20-line window draws it
    top, index = lst.cursor.top, lst.cursor.index
    assert top > 0
    write_session(sessions, "66666666-6666-4666-8666-666666666666", "Brand new", day="2027-01-01")
    state.reload()
    assert lst.rows[0].session.title == "Brand new"
    assert (lst.cursor.index, lst.cursor.top) == (index + 1, top + 1)


def test_every_cell_is_painted_with_the_theme(sessions, headless):
    """No window fills a background any more: every cell must be written by a control."""
    h = headless(make_state(sessions), columns=100, rows=30)
    for keys in (["1"], ["2"], ["3"], ["4"], ["4", "tab"], ["5"], ["6"], ["7"], ["/", "a"],
                 ["enter"], ["escape", "?"], ["escape", "w"], ["escape", "4", "e"],
                 ["escape", "F", "x"], ["escape", "escape", "d", "1"], ["7"]):
        h.press(*keys)
        screen = h.screen()
        unpainted = [(x, y) for y in range(screen.lines) for x in range(screen.columns)
                     if screen.buffer[y][x].bg == "default"]
        assert not unpainted, (keys, unpainted[:5], h.text())


def test_typing_further_narrows_the_last_matches(small):
    state = loaded(small)
    search = state.search
    for query in ("a", "al", "alpha mod", "alpha", "be", "", "proj", "proj app"):
        search.set_query(query)
        assert search.found == state.data.searcher.matching(query), query
    assert [e.session.id for e in search.found] == [ALPHA, EMPTY]


def test_activity_shows_factory_credits_as_a_metric(small):
    """m cycles tokens → cost → credits → active time; credits are as the periods record them."""
    state = loaded(small, today=TODAY)
    state.set_tab("activity")
    act = state.tabs.activity
    act.day = date(2026, 11, 10)
    act.toggle_metric()
    act.toggle_metric()
    assert act.metric == "credits"
    period = act.period()
    assert act.value(period) == period.credits
    assert sum(v for _p, v in act.projects(period)) == pytest.approx(period.credits)
    credits = [p.credits for _e, p in act.rows()]
    assert credits == sorted(credits, reverse=True)
    act.toggle_metric()
    assert act.metric == "active"
