"""AppState without any event loop: every action, and what it writes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import orjson
import pytest
import tomlkit

from fdash.core.resume import ResumeCommand
from fdash.tui.tabs.sessions.state import GroupRow

from .conftest import HOSTILE_TITLE, make_state, write_session

ALPHA = "11111111-1111-4111-8111-111111111111"
HOSTILE = "22222222-2222-4222-8222-222222222222"
EMPTY = "33333333-3333-4333-8333-333333333333"
BETA = "44444444-4444-4444-8444-444444444444"

COMMENTED = """\
# my fdash settings — keep this comment
[display]
dark_mode = true   # I like it dark
heatmap_weeks = 12

# prices I negotiated
[pricing.models."my-model"]
input_per_million = 1.5
output_per_million = 6.0
"""


def loaded(root, config_text=None, **kwargs):
    state = make_state(root, config_text, **kwargs)
    state.reload()  # the default hooks run it at once
    assert state.catalog is not None and not state.loader.loading, state.loader.error
    return state


def ids(rows):
    return [r.session.id for r in rows if not isinstance(r, GroupRow)]


def select(lst, session_id):
    for i, row in enumerate(lst.rows):
        if not isinstance(row, GroupRow) and row.session.id == session_id:
            lst.select(i)
            return
    raise AssertionError(f"{session_id} not in the list")


def test_loads_without_an_event_loop(small):
    state = loaded(small)
    assert len(state.entries) == 4
    assert state.data.catalog is not None and state.loader.loads == 1
    assert state.tab == "overview" and state.dark


def test_initial_view_comes_from_the_config(small):
    state = make_state(small, '[display]\ndefault_tab = "sessions"\ndefault_sort = "tokens_asc"\n'
                              'default_group = "project"\nhide_empty_sessions = true\ndark_mode = false\n')
    assert state.tab == "sessions" and not state.dark
    lst = state.tabs.sessions
    assert (lst.sort, lst.descending, lst.grouping, lst.hide_empty) == (
        "tokens",
        False,
        "project",
        True,
    )


def test_sort_by_date_tokens_duration_both_ways(small):
    state = loaded(small)
    lst = state.tabs.sessions
    assert ids(lst.rows) == [HOSTILE, ALPHA, BETA, EMPTY]  # newest first; no date: last
    lst.reverse()
    assert ids(lst.rows) == [EMPTY, BETA, ALPHA, HOSTILE]
    lst.set_sort("tokens")
    assert ids(lst.rows)[:2] == [HOSTILE, ALPHA] and lst.descending
    lst.set_sort("tokens")  # the same field again reverses
    assert ids(lst.rows)[-2:] == [ALPHA, HOSTILE] and not lst.descending
    lst.cycle_sort()
    assert lst.sort == "duration"  # active time, as everywhere
    durations = [r.session.active_time_ms for r in lst.rows]
    assert durations == sorted(durations)


def test_group_by_adds_header_rows_with_subtotals(small):
    state = loaded(small)
    lst = state.tabs.sessions
    lst.cycle_grouping()  # none -> project
    assert lst.grouping == "project"
    headers = [r for r in lst.rows if isinstance(r, GroupRow)]
    assert {h.key for h in headers} >= {"/home/test/proj/app", "/home/test/other/beta"}
    app = next(h for h in headers if h.key == "/home/test/proj/app")
    assert app.sessions == 2  # alpha + the empty one
    assert app.tokens == 5000 + 500 + 10000
    assert isinstance(lst.rows[0], GroupRow)
    assert lst.cursor.index == 0 and lst.selected_entry() is None  # the top: a header
    assert lst.selected_header().key == lst.rows[0].key
    lst.move(1)
    assert lst.selected_entry() is not None
    for grouping in ("group", "model", "none"):
        lst.cycle_grouping()
        assert lst.grouping == grouping
    assert not any(isinstance(r, GroupRow) for r in lst.rows)


def test_hide_empty_sessions(small):
    state = loaded(small)
    lst = state.tabs.sessions
    assert EMPTY in ids(lst.rows)
    lst.toggle_hide_empty()
    assert EMPTY not in ids(lst.rows) and len(lst.rows) == 3
    assert "hide empty on" in lst.describe()


def test_filter_matches_title_project_and_prompts(small):
    state = loaded(small)
    lst = state.tabs.sessions
    lst.set_filter("ALPHA")
    assert ids(lst.rows) == [ALPHA]
    lst.set_filter("other/beta")  # project path
    assert ids(lst.rows) == [BETA]
    lst.set_filter("add tests")  # a prompt, not the title
    assert ids(lst.rows) == [ALPHA]
    lst.set_filter("alpha beta")  # every word must match
    assert ids(lst.rows) == []
    lst.set_filter("")
    assert len(lst.rows) == 4


def test_filter_input_is_live_and_esc_restores(small):
    state = loaded(small)
    state.set_tab("sessions")
    state.tabs.sessions.open_filter()
    assert state.input.kind == "filter"
    state.input_changed("beta")
    assert ids(state.tabs.sessions.rows) == [BETA]
    state.cancel_input()
    assert state.input is None and state.tabs.sessions.filter == ""
    state.tabs.sessions.open_filter()
    state.input_changed("alpha")
    state.submit_input()
    assert state.input is None and ids(state.tabs.sessions.rows) == [ALPHA]
    state.escape()  # Esc in the list clears the filter
    assert state.tabs.sessions.filter == ""


def test_selection_follows_the_session_across_a_filter_and_refresh(small):
    state = loaded(small)
    lst = state.tabs.sessions
    select(lst, BETA)
    lst.toggle_hide_empty()
    assert lst.selected_entry().session.id == BETA
    state.reload()
    assert state.loader.loads == 2
    assert lst.selected_entry().session.id == BETA


def test_movement_keys_route_to_the_current_list(small):
    state = loaded(small)
    state.set_tab("sessions")
    lst = state.tabs.sessions
    state.move(1)
    assert lst.cursor.index == 1
    state.end()
    assert lst.cursor.index == 3
    state.page(-1)
    assert lst.cursor.index == 0
    state.tabs.sessions.next_pane()  # Tab: the prompt panel scrolls now
    assert lst.side_focus
    state.move(1)
    assert lst.cursor.index == 0
    state.escape()
    assert not lst.side_focus


def test_favorite_toggle_writes_the_favorites_file(small):
    state = loaded(small)
    state.set_tab("sessions")
    select(state.tabs.sessions, BETA)
    state.toggle_favorite()
    assert orjson.loads((small / ".favorites").read_bytes()) == [BETA]
    assert state.catalog.by_id(BETA).favorite
    state.set_tab("favorites")
    assert ids(state.tabs.favorites.rows) == [BETA]
    state.toggle_favorite()  # un-favorite from the Favorites tab
    assert orjson.loads((small / ".favorites").read_bytes()) == []
    assert state.tabs.favorites.rows == []


def test_favorites_file_that_is_not_json_is_left_alone(small):
    (small / ".favorites").write_text("{not json", encoding="utf-8")
    state = loaded(small)
    state.set_tab("sessions")
    state.toggle_favorite()
    assert state.message.level == "error" and "left untouched" in state.message.text
    assert (small / ".favorites").read_text(encoding="utf-8") == "{not json"


def test_rename_rewrites_only_the_first_line(small):
    state = loaded(small)
    state.set_tab("sessions")
    select(state.tabs.sessions, ALPHA)
    path = state.selected_entry().session.transcript_path
    before = Path(path).read_bytes()
    state.edit_title()
    assert state.input.kind == "title" and state.input.text == "Alpha refactor"
    state.input_changed("Gamma  renamed")
    state.submit_input()
    assert state.input is None
    after = Path(path).read_bytes()
    assert after.split(b"\n", 1)[1] == before.split(b"\n", 1)[1]
    assert orjson.loads(after.split(b"\n", 1)[0])["title"] == "Gamma renamed"
    assert state.selected_entry().session.title == "Gamma renamed"


def test_rename_of_a_live_session_is_refused_with_its_message(small):
    state = loaded(small)
    state.set_tab("sessions")
    select(state.tabs.sessions, BETA)
    path = state.selected_entry().session.transcript_path
    os.utime(path)  # changed just now: droid may be writing it
    before = Path(path).read_bytes()
    state.edit_title()
    state.submit_input("Should not happen")
    assert state.input is not None and "may be running" in state.input.error
    assert Path(path).read_bytes() == before
    state.cancel_input()
    assert state.input is None


def test_connect_reports_why_it_cannot_resume(small):
    state = loaded(small)
    state.set_tab("sessions")
    select(state.tabs.sessions, ALPHA)  # its folder does not exist here
    exits = []
    state.hooks.exit = exits.append
    state.connect()
    assert exits == [] and state.message.level == "error"
    assert "cannot resume" in state.message.text


def test_connect_leaves_with_a_resume_command(tmp_path, monkeypatch, fake_droid):
    project, droid = fake_droid
    root = tmp_path / "sessions"
    write_session(root, ALPHA, "resume me", cwd=str(project))
    state = loaded(root)
    state.set_tab("sessions")
    exits = []
    state.hooks.exit = exits.append
    state.connect()
    assert exits == [] and state.confirm is not None  # it asks first
    assert state.confirm.lines == ("resume me", f"in {project}",
                                   f"cd {project} && droid --resume {ALPHA}")
    state.answer(False)  # Esc: stay
    assert exits == [] and state.confirm is None
    state.connect()
    state.answer(True)  # Enter: go
    assert len(exits) == 1 and isinstance(exits[0], ResumeCommand)
    assert exits[0].argv == (str(droid), "--resume", ALPHA) and exits[0].cwd == str(project)


def test_prompts_are_read_lazily_once_per_session(small, monkeypatch):
    import fdash.tui.prompts as prompts_module

    calls = []
    real = prompts_module.read_prompts
    monkeypatch.setattr(
        prompts_module, "read_prompts", lambda path: calls.append(path) or real(path)
    )
    state = loaded(small)
    entry = state.catalog.by_id(ALPHA)
    key = (entry.session.transcript_path, state.loader.loads)
    assert calls == []  # nothing is read before the panel asks
    assert state.prompts.get(key, entry.session.transcript_path) == [
        "refactor the alpha module",
        "now add tests",
    ]
    assert state.prompts.get(key, entry.session.transcript_path) is not None
    assert calls == [entry.session.transcript_path]


def test_projects_sort_by_any_column(small):
    state = loaded(small)
    projects = state.tabs.projects
    assert projects.column == "tokens" and projects.descending
    projects.sort_by("sessions")
    assert [b.sessions for b in projects.rows] == sorted(
        (b.sessions for b in projects.rows), reverse=True
    )
    projects.sort_by("sessions")
    assert not projects.descending
    projects.sort_by("project")
    keys = [b.key.lower() for b in projects.rows]
    assert keys == sorted(keys) and not projects.descending
    from fdash.tui.tabs.projects.state import COLUMNS

    assert "credits" in COLUMNS  # Factory credits sort like any column
    for _ in range(len(COLUMNS)):  # a full cycle comes back
        projects.cycle_sort()
    assert projects.column == "project"


def test_warnings_are_listed_with_path_and_reason(small):
    (small / "-broken").mkdir()
    (small / "-broken" / "55555555-5555-4555-8555-555555555555.settings.json").write_text("{nope")
    state = loaded(small)
    assert any("55555555" in path for path, _reason in state.warnings)
    state.toggle_overlay("warnings")
    assert state.overlay == "warnings"
    state.escape()
    assert state.overlay is None


def test_a_missing_folder_is_a_message_not_a_crash(tmp_path):
    state = make_state(tmp_path / "nowhere")
    state.reload()
    assert state.catalog is None and not state.loader.loading
    assert "does not exist" in state.loader.error and state.message.level == "error"


# ---------------------------------------------------------------------- settings


def settings_item(state, label):
    items = state.tabs.settings.items
    for i, item in enumerate(items):
        if item.label == label:
            state.tabs.settings.select(i)
            return item
    raise AssertionError(label)


def test_setting_a_switch_saves_it_keeping_the_comments(small, isolated):
    state = loaded(small, COMMENTED)
    path = state.loaded.write_path
    settings_item(state, "Dark mode")
    state.tabs.settings.activate()
    text = path.read_text(encoding="utf-8")
    assert "dark_mode = false   # I like it dark" in text
    assert "# my fdash settings — keep this comment" in text and "# prices I negotiated" in text
    assert not state.dark and state.config.display.dark_mode is False
    assert text.replace("dark_mode = false", "dark_mode = true") == COMMENTED


def test_without_a_config_file_one_is_created_at_the_default_place(small, isolated):
    state = loaded(small)
    assert state.loaded.path is None
    settings_item(state, "Default tab")
    state.tabs.settings.cycle(1)
    target = isolated / ".config" / "factory-dashboard" / "config.toml"
    assert state.loaded.write_path == target
    assert 'default_tab = "groups"' in target.read_text(encoding="utf-8")


def test_invalid_input_is_refused_and_nothing_is_written(small):
    state = loaded(small, COMMENTED)
    path = state.loaded.write_path
    settings_item(state, "Heatmap weeks")
    state.tabs.settings.activate()
    assert state.input.kind == "setting"
    state.submit_input("500")
    assert state.input is not None and "heatmap_weeks" in state.input.error
    state.submit_input("twelve")
    assert "not a whole number" in state.input.error
    assert path.read_text(encoding="utf-8") == COMMENTED
    state.submit_input("30")
    assert state.input is None and state.config.display.heatmap_weeks == 30
    assert "heatmap_weeks = 30" in path.read_text(encoding="utf-8")


def test_price_edit_and_add_model_reprice_at_once(tmp_path):
    root = tmp_path / "sessions"
    write_session(root, ALPHA, "priced", model="acme-x", tokens=1_000_000)
    state = loaded(root, COMMENTED)
    assert state.catalog.by_id(ALPHA).cost.usd is None  # acme-x has no price yet
    state.tabs.settings.add_model()
    state.submit_input("acme-x")
    assert state.input is not None and "Price of acme-x" in state.input.title
    state.submit_input("abc 1")
    assert "not a number" in state.input.error
    state.submit_input("2 10")
    assert state.input is None
    cost = state.catalog.by_id(ALPHA).cost
    assert cost.source == "config" and cost.usd == pytest.approx(
        (1_000_000 * 2 + 100_000 * 10 + 2_000_000 * 2) / 1e6
    )
    text = state.loaded.write_path.read_text(encoding="utf-8")
    assert tomlkit.parse(text).unwrap()["pricing"]["models"]["acme-x"] == {
        "input_per_million": 2.0,
        "output_per_million": 10.0,
    }
    assert "# prices I negotiated" in text
    item = settings_item(state, "acme-x")
    assert item.configured
    state.tabs.settings.delete()
    assert "acme-x" not in state.loaded.write_path.read_text(encoding="utf-8")
    assert state.catalog.by_id(ALPHA).cost.usd is None


def test_sessions_folder_change_reloads_and_a_missing_one_is_refused(small, tmp_path):
    other = tmp_path / "other"
    write_session(other, BETA, "only one here")
    state = loaded(small, COMMENTED)
    settings_item(state, "Sessions folder")
    state.tabs.settings.activate()
    state.submit_input(str(tmp_path / "missing"))
    assert "not an existing folder" in state.input.error
    state.submit_input(str(other))
    assert state.input is None
    assert state.loader.root == other and [e.session.id for e in state.entries] == [BETA]
    assert f'sessions_dir = "{other}"' in state.loaded.write_path.read_text(encoding="utf-8")


def test_display_defaults_apply_to_the_lists_at_once(small):
    state = loaded(small)
    settings_item(state, "Default grouping")
    state.tabs.settings.cycle(1)
    assert state.tabs.sessions.grouping == "project" and state.tabs.favorites.grouping == "project"
    settings_item(state, "Hide empty sessions")
    state.tabs.settings.activate()
    assert state.tabs.sessions.hide_empty


def test_hostile_title_is_kept_as_data(small):
    state = loaded(small)
    assert state.catalog.by_id(HOSTILE).session.title.startswith("\x1b[2J") or HOSTILE_TITLE
    state.tabs.sessions.set_filter("evil")
    assert ids(state.tabs.sessions.rows) == [HOSTILE]


def test_state_imports_no_ui_library():
    import subprocess
    import sys

    code = "import fdash.tui.state, sys; print(' '.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    top = {m.split(".")[0] for m in out.stdout.split()}
    assert "prompt_toolkit" not in top and "rich" not in top
    assert time.time() > 0


def test_budget_report_and_folder_list_settings(small, tmp_path):
    state = loaded(small, COMMENTED)
    path = state.loaded.write_path
    settings_item(state, "Daily USD")
    state.tabs.settings.activate()
    state.submit_input("-5")
    assert state.input is not None and "positive" in state.input.error
    state.submit_input("12.5")
    assert state.input is None and state.config.budget.daily_usd == 12.5
    settings_item(state, "Daily USD")
    state.tabs.settings.activate()
    state.submit_input("")  # empty: no limit (the key is removed)
    assert state.config.budget.daily_usd is None and "daily_usd" not in path.read_text(encoding="utf-8")
    settings_item(state, "Monthly Factory credits")  # [budget] monthly_credits
    state.tabs.settings.activate()
    state.submit_input("20000000")
    assert state.config.budget.monthly_credits == 20_000_000 and "monthly_credits" in path.read_text(encoding="utf-8")
    settings_item(state, "Time zone")
    state.tabs.settings.activate()
    state.submit_input("Mars/Olympus")
    assert state.input is not None and "time zone" in state.input.error
    state.submit_input("UTC")
    assert state.config.reports.timezone == "UTC"
    settings_item(state, "Week starts on")
    state.tabs.settings.cycle(-1)
    assert state.config.reports.week_start == "sunday"
    other = tmp_path / "more"
    write_session(other, BETA.replace("4444", "5555", 1), "from another machine")
    settings_item(state, "More sessions folders")
    state.tabs.settings.activate()
    state.submit_input(str(tmp_path / "missing"))
    assert "not an existing folder" in state.input.error
    state.submit_input(str(other))
    assert state.input is None and state.loader.more_roots == (other,)
    assert len(state.entries) == 5  # read together with the main folder
    assert "# my fdash settings — keep this comment" in path.read_text(encoding="utf-8")


def test_settings_bounds_and_choices_come_from_the_config_model(small, monkeypatch):
    from fdash.core import config as config_module
    from fdash.tui.tabs.settings import state as settings_module

    state = loaded(small)
    items = {item.label: item for item in state.tabs.settings.items}
    assert items["Heatmap weeks"].note == "1–104" and items["Month starts on day"].note == "1–28"
    assert items["Live view refresh (seconds)"].note == "0–3600; 0 = off"
    assert items["Default tab"].choices == config_module.TABS
    assert items["Week starts on"].choices == config_module.WEEKDAYS
    # what the model says is what the tab shows: it restates nothing
    real = config_module.allowed
    monkeypatch.setattr(settings_module, "allowed", lambda model, name: (
        (1, 52) if name == "heatmap_weeks" else real(model, name)))
    items = {item.label: item for item in settings_module.build_items(state.config, [], "x")}
    assert items["Heatmap weeks"].note == "1–52"


def test_a_sort_or_grouping_change_shows_the_top(small):
    state = loaded(small)
    lst = state.tabs.sessions
    select(lst, BETA)
    lst.set_sort("tokens")
    lst.rows  # noqa: B018 - as a redraw does
    assert lst.cursor.index == 0 and lst.cursor.top == 0
    assert lst.selected_entry().session.id == HOSTILE  # the largest under "tokens ▼"
    select(lst, BETA)
    lst.cycle_grouping()
    lst.rows  # noqa: B018
    assert lst.cursor.index == 0 and isinstance(lst.rows[0], GroupRow)


def test_group_headers_fold_and_unfold(small):
    state = loaded(small)
    lst = state.tabs.sessions
    lst.cycle_grouping()
    before = len(lst.rows)
    header = lst.rows[0]
    lst.enter()  # Enter on a header folds it
    assert len(lst.rows) == before - header.sessions and lst.rows[0] == header
    assert not lst.side_focus
    lst.enter()
    assert len(lst.rows) == before
    lst.move(1)
    lst.enter()  # on a session: into the prompt panel
    assert lst.side_focus


def test_the_filter_sums_what_it_keeps(small):
    from fdash.tui.tabs.sessions.state import Subtotal

    state = loaded(small)
    lst = state.tabs.sessions
    lst.set_filter("alpha")
    lst.rows  # noqa: B018
    assert lst.subtotal == Subtotal(1, 15500, lst.rows[0].cost.usd or 0.0, 0, 0.0, 1)


def test_the_filter_sums_factory_credits_and_counts_sessions_without_apart(tmp_path):
    from fdash.tui.tabs.sessions.state import Subtotal

    root = tmp_path / "credits"
    write_session(root, "11111111-1111-4111-8111-111111111111", "fix one", credits=12.5)
    write_session(root, "22222222-2222-4222-8222-222222222222", "fix two", credits=30)
    write_session(root, "33333333-3333-4333-8333-333333333333", "fix three")  # none recorded
    write_session(root, "44444444-4444-4444-8444-444444444444", "other", credits=1000)
    lst = loaded(root).tabs.sessions
    lst.set_filter("fix")
    lst.rows  # noqa: B018
    sub = lst.subtotal
    assert (sub.sessions, sub.credits, sub.no_credits) == (3, 42.5, 1)
    assert sub == Subtotal.of(lst.positions, lst.ctx.data.sums)


def test_factory_credits_are_shown_beside_cost(small):
    from fdash import fmt
    from fdash.tui.tabs.groups.view import HEADERS, _cells
    from fdash.tui.tabs.overview.view import summary

    state = loaded(small)
    totals = state.data.totals
    assert f"Credits {fmt.credits(totals.credits)}" in summary(state).plain
    bucket = state.data.by_group[0]
    assert _cells(bucket, (1, 1, 1))[HEADERS.index("Credits")].startswith(fmt.credits(bucket.credits))


def test_activity_periods_keep_their_credits(small):
    """The Activity chart sums its groups' periods: credits are summed too (and shown)."""
    from datetime import date

    from fdash.core.models import ZERO_TOKENS
    from fdash.core.timeline import Period
    from fdash.tui.tabs.activity.state import merged

    d = date(2026, 11, 2)
    a = Period(d, d, "", ZERO_TOKENS, 1.0, 0, 1, 0, credits=2.5, no_credit_sessions=1)
    b = Period(d, d, "", ZERO_TOKENS, 2.0, 0, 2, 0, credits=4.0)
    both = merged([a, b])
    assert (both.credits, both.no_credit_sessions, both.sessions) == (6.5, 1, 3)


def test_unstarring_a_session_kept_in_two_merged_folders_stays_unstarred(small, tmp_path):
    """The same session synced to two machines' folders, starred in both `.favorites`:
    un-starring removes it from both, so a refresh does not bring it back (issue 15)."""
    import shutil

    from fdash.core.config import Config, LoadedConfig
    from fdash.core.source import Source
    from fdash.tui.state import AppState

    laptop = tmp_path / "laptop"
    shutil.copytree(small, laptop)
    for root in (small, laptop):
        (root / ".favorites").write_bytes(orjson.dumps([BETA, "not-a-session"]))
    state = AppState(LoadedConfig(Config(), None), Source(small, more_roots=(laptop,)))
    state.reload()
    assert state.catalog is not None and state.catalog.by_id(BETA).favorite
    state.set_tab("sessions")
    select(state.tabs.sessions, BETA)
    state.toggle_favorite()
    assert not state.catalog.by_id(BETA).favorite
    for root in (small, laptop):  # removed from both files; what else they hold stays
        assert orjson.loads((root / ".favorites").read_bytes()) == ["not-a-session"]
    state.reload()
    assert not state.catalog.by_id(BETA).favorite
    state.toggle_favorite()  # a star goes to the session's own folder only
    assert state.catalog.by_id(BETA).favorite
    home = state.catalog.root_of(state.catalog.by_id(BETA))
    other = laptop.resolve() if home == small.resolve() else small.resolve()
    assert BETA in orjson.loads((home / ".favorites").read_bytes())
    assert orjson.loads((other / ".favorites").read_bytes()) == ["not-a-session"]
