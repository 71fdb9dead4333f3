"""What the tabs show at 80 columns: nothing cut mid-word or mid-number, a label never
apart from its value, every part of a tab given some room."""

from __future__ import annotations

from rich.text import Text

from .conftest import make_state, write_session

ALPHA = "11111111-1111-4111-8111-111111111111"


def test_flow_breaks_lines_only_between_items():
    from fdash.tui.widgets import flow

    items = [Text("Sessions 400"), Text("Active time 19h 40m"), Text("Est. cost $110.14")]
    lines = flow(items, 36).plain.splitlines()
    assert lines == ["Sessions 400   Active time 19h 40m", "Est. cost $110.14"]
    assert flow(items, 200).plain.count("\n") == 0


def test_the_overview_summary_keeps_each_label_with_its_value(small, headless):
    h = headless(make_state(small), columns=80, rows=30)
    h.press("1")
    lines = h.lines()
    credits = next(line for line in lines if "Credits" in line)
    assert "Credits –" in credits or "Credits 0" in credits, h.text()
    assert not any(line.rstrip().endswith(("Credits", "Est. cost", "peak")) for line in lines)


def test_one_warning_is_one_warning(tmp_path, headless):
    root = tmp_path / "one"
    transcript = write_session(root, ALPHA, "alpha")
    transcript.with_suffix(".settings.json").write_text("{nope")  # one unreadable file
    h = headless(make_state(root), columns=120, rows=30)
    assert "⚠ 1 warning (w)" in h.lines()[0]
    assert "⚠ 1 warning about unreadable data" in h.text()


def test_settings_says_where_it_saves_within_80_columns(small, tmp_path, headless):
    deep = tmp_path / "a-rather-long-folder-name" / "and-another-one" / "factory-dashboard.toml"
    deep.parent.mkdir(parents=True)
    deep.write_text("[display]\ndark_mode = true\n")
    h = headless(make_state(small, config_path=deep), columns=80, rows=24)
    h.press("6")
    line = h.lines()[1].rstrip()
    assert line.endswith("factory-dashboard.toml") and "saved on change to" in line, line


def test_activity_fits_80_columns_and_shows_the_days_sessions(small, headless):
    h = headless(make_state(small), columns=80, rows=24)
    h.press("7")
    assert h.wait_for("Sessions of the day") and h.wait_for("▶")
    lines = h.lines()
    assert lines[1].rstrip().endswith("Etc/UTC") or "·" in lines[1] and "…" not in lines[1]
    selected = next(line for line in lines if "▶" in line)
    assert selected.rstrip().endswith(("session", "sessions", "~ estimated", " ~")), selected
    below = lines[lines.index(next(x for x in lines if "Sessions of the day" in x)) + 1]
    assert below.strip(), h.text()  # at least one of the day's sessions, above the heatmap


def test_the_arrows_move_the_projects_selection_and_enter_opens_that_one(small, headless):
    h = headless(make_state(small), columns=80, rows=24)
    h.press("3", "down")
    second = h.state.tabs.projects.rows[1].key
    assert h.state.tabs.projects.cursor.index == 1
    h.press("enter")
    assert h.state.tab == "sessions" and h.state.tabs.sessions.scope == ("project", second)


def test_the_groups_legend_says_how_the_cache_hit_is_computed(small, headless):
    from fdash.core.models import TokenUsage

    usage = TokenUsage(input=300, output=0, cache_write=900, cache_read=100, thinking=0)
    assert usage.cache_hit_ratio == 100 / (100 + 300)  # read / (read + input)
    h = headless(make_state(small), columns=120, rows=24)
    h.press("2")
    assert "Cache hit = cache read / (cache read + input)" in h.text()


def test_a_group_header_never_cuts_its_money(tmp_path, headless):
    from fdash import fmt

    root = tmp_path / "groups"
    for n in range(9):
        write_session(root, f"{n}1111111-1111-4111-8111-111111111111", f"s{n}", tokens=4_000_000,
                      cwd="/home/someone/a/very/long/path/to/the/project-with-a-long-name",
                      credits=12.25 * n if n else None)
    h = headless(make_state(root), columns=80, rows=24)
    h.press("4", "g")
    header = h.state.tabs.sessions.rows[0]
    line = next(x for x in h.lines() if x.lstrip().startswith("▾"))
    assert fmt.money(header.cost_usd) in line and fmt.credits(header.credits) in line, line
    assert "project-with-a-long-name" in line or "…" in line.split("  ")[0]


def test_the_sort_column_stays_on_a_narrow_screen(small, headless):
    h = headless(make_state(small), columns=80, rows=24)
    h.press("4", "s", "s", "s")  # tools
    assert h.state.tabs.sessions.sort == "tools"
    header = next(x for x in h.lines() if "Title" in x)
    assert "Tools ▼" in header, header
    h.press("g", "a")  # more to say in the header: the sort is in the column header
    assert "Tools ▼" in next(x for x in h.lines() if "Title" in x)


def test_a_sort_by_a_column_switched_off_is_said_in_the_header(small, headless):
    h = headless(make_state(small, "[columns.sessions]\nshow_tools = false\n"), columns=80, rows=24)
    h.press("4", "s", "s", "s", "g", "a")
    assert "tools ▼" in h.lines()[1], h.lines()[1]


def test_the_rename_dialog_footer_says_what_enter_does(small, headless):
    h = headless(make_state(small), columns=120, rows=24)
    h.press("4", "e")
    footer = h.lines()[-1]
    assert "save the title" in footer and "filter" not in footer, footer


def test_settings_show_a_whole_number_of_seconds_as_written(small, headless):
    h = headless(make_state(small, "[display]\nrefresh_seconds = 5\n"), columns=100, rows=24)
    h.press("6")
    line = next(x for x in h.lines() if "Live view refresh" in x)
    assert " 5 " in line and "5.0" not in line, line


def test_the_tab_bar_at_80_columns_names_every_tab(tmp_path, headless):
    root = tmp_path / "one"
    transcript = write_session(root, ALPHA, "alpha")
    transcript.with_suffix(".settings.json").write_text("{nope")  # a warnings marker too
    h = headless(make_state(root), columns=80, rows=24)
    for key in "1234567":
        h.press(key)
        bar = h.lines()[0]
        assert len(bar.rstrip()) <= 80 and "⚠ 1 (w)" in bar, bar
        from fdash.tui.tabs import TABS

        for tab in TABS:
            assert f" {tab.short} " in bar or f" {tab.title} " in bar, bar
    h.press("4", "g", "a")
    assert "date ▼ · by project · nested" in h.lines()[1], h.lines()[1]


def test_the_status_line_shortens_the_folder_not_the_time(tmp_path, headless):
    root = tmp_path / "a-very-long-folder-name-for-sessions" / "and-deeper-still" / "sessions"
    write_session(root, ALPHA, "alpha")
    h = headless(make_state(root), columns=80, rows=24)
    status = h.lines()[-2]
    assert " 1 session from " in status, status
    assert "/…/" in status and "/sessions in " in status, status


def test_projects_say_which_columns_do_not_fit(small, headless):
    h = headless(make_state(small), columns=80, rows=24)
    h.press("3")
    assert "columns hidden: widen" in h.lines()[1], h.lines()[1]
    assert "Active time" in h.text() and "Est. cost" in h.text()
    wide = headless(make_state(small), columns=160, rows=24)
    wide.press("3")
    assert "hidden" not in wide.lines()[1]
