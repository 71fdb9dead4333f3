"""The one-shot CLI: output shapes, exit codes, warnings, demo data."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .conftest import run_cli

STATS_KEYS = {
    "sessions", "projects", "groups", "input_tokens", "output_tokens", "cache_creation_tokens",
    "cache_read_tokens", "thinking_tokens", "total_tokens", "cost_usd", "unpriced_sessions",
    "unpriced_models", "active_time_ms", "user_prompts", "empty_sessions", "warnings",
    "factory_credits", "sessions_without_credits",
}
EXPORT_KEYS = {
    "id", "title", "cwd", "project", "group", "model", "started_at", "last_activity_at",
    "input_tokens", "output_tokens", "cache_creation_tokens", "cache_read_tokens",
    "thinking_tokens", "total_tokens", "cost_usd", "price_source", "active_time_ms",
    "user_prompts", "favorite", "empty",
}


def _json(*args):
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def test_stats_json_exact(observer_root):
    stats = _json("-d", str(observer_root), "stats", "--json")
    assert set(stats) == STATS_KEYS
    assert stats == {
        "sessions": 3, "projects": 2, "groups": 2, "input_tokens": 45254, "output_tokens": 530,
        "cache_creation_tokens": 0, "cache_read_tokens": 112128, "thinking_tokens": 172,
        "total_tokens": 157912, "cost_usd": 0.0, "unpriced_sessions": 2,
        "unpriced_models": ["custom:GPT-5.4-Mini-[OpenAI-BYOK]-0"], "active_time_ms": 27823,
        "user_prompts": 5, "empty_sessions": 1, "warnings": 0,
        "factory_credits": 0.0, "sessions_without_credits": 0,  # BYOK: droid records 0 credits
    }


@pytest.mark.slow
def test_print_stats_is_stats(observer_root):
    a = run_cli("-d", str(observer_root), "--print", "stats", "--json")
    b = run_cli("-d", str(observer_root), "stats", "--json")
    c = run_cli("--print", "-d", str(observer_root), "--json")
    assert a.stdout == b.stdout == c.stdout and a.returncode == 0


@pytest.mark.slow
def test_stats_filters(observer_root):
    assert _json("-d", str(observer_root), "stats", "--group", "auzy_", "--json")["sessions"] == 1
    assert _json("-d", str(observer_root), "stats", "--project", "needlehaystack", "--json")["sessions"] == 2
    assert _json("-d", str(observer_root), "stats", "--project", "/home/marmutapp/needlehaystack",
                 "--json")["user_prompts"] == 3


@pytest.mark.slow
def test_export_json_and_csv_have_the_same_rows(observer_root, tmp_path):
    rows = _json("-d", str(observer_root), "export", "--format", "json")
    assert len(rows) == 3 and EXPORT_KEYS <= set(rows[0])
    needle = next(r for r in rows if r["id"].startswith("11080800"))
    assert needle["started_at"] == "2026-07-28T18:03:10.939Z"
    assert needle["cost_usd"] is None and needle["price_source"] == "unpriced"
    out = tmp_path / "out.csv"
    result = run_cli("-d", str(observer_root), "export", "--format", "csv", "--output", str(out))
    assert result.returncode == 0
    table = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["id"] for r in table] == [r["id"] for r in rows]
    assert table[0].keys() >= EXPORT_KEYS
    # "--update" would run as a formula in a spreadsheet: neutralised
    assert next(r for r in table if r["id"] == needle["id"])["title"] == "'--update"


@pytest.mark.slow
def test_reports_render_for_people(observer_root):
    for command in ("stats", "tokens", "groups", "projects", "sessions"):
        result = run_cli("-d", str(observer_root), command, env_extra={"COLUMNS": "200"})
        assert result.returncode == 0, (command, result.stderr)
        assert b"\x1b[" not in result.stdout  # not a terminal: no colour codes
    out = run_cli("-d", str(observer_root), "sessions", env_extra={"COLUMNS": "200"}).stdout.decode()
    assert "QUick" not in out and "Start new chat" in out and "7df5bcf0" in out
    stats = run_cli("-d", str(observer_root), "stats").stdout.decode()
    assert "157,912" in stats and "unpriced" in stats  # every token once (thinking is inside output)


@pytest.mark.slow
def test_json_lists(observer_root):
    assert [g["group"] for g in _json("-d", str(observer_root), "groups", "--json")] == ["auzy_", "marmutapp"]
    projects = _json("-d", str(observer_root), "projects", "--json")
    assert {p["project"]: p["sessions"] for p in projects} == {
        "C:\\Users\\auzy_\\copilot-smoke": 1, "/home/marmutapp/needlehaystack": 2}
    tokens = _json("-d", str(observer_root), "tokens", "--json", "--limit", "1")
    assert len(tokens) == 1 and tokens[0]["price_source"] == "unpriced"
    sessions = _json("-d", str(observer_root), "sessions", "--json", "--limit", "2")
    assert [s["id"][:8] for s in sessions] == ["11080800", "7df5bcf0"]  # newest first


@pytest.mark.slow
def test_exit_codes(observer_root, tmp_path):
    missing = run_cli("-d", str(tmp_path / "nope"), "stats")
    assert missing.returncode == 2 and b"does not exist" in missing.stderr and b"Traceback" not in missing.stderr
    a_file = tmp_path / "f"
    a_file.write_text("x")
    assert run_cli("-d", str(a_file), "stats").returncode == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("[display]\nheatmap_weeks = 'many'\n")
    result = run_cli("--config", str(bad), "-d", str(observer_root), "stats")
    assert result.returncode == 2
    assert str(bad).encode() in result.stderr and b"display.heatmap_weeks" in result.stderr
    assert bad.read_text() == "[display]\nheatmap_weeks = 'many'\n"
    flag = run_cli("stats", "--bogus")
    assert flag.returncode == 2 and b"--bogus" in flag.stderr and b"Traceback" not in flag.stderr
    assert run_cli("nonsense").returncode == 2


def test_warnings_count_and_verbose(observer_root):
    (observer_root / "dddddddd-dddd-dddd-dddd-dddddddddddd.settings.json").write_text("{broken")
    quiet = run_cli("-d", str(observer_root), "stats", "--json")
    assert json.loads(quiet.stdout)["warnings"] == 1  # invalid JSON (a settings file alone is no warning)
    assert b"1 warning " in quiet.stderr
    loud = run_cli("-d", str(observer_root), "stats", "--json", "--verbose")
    assert b"invalid JSON" in loud.stderr and b"dddddddd" in loud.stderr


@pytest.mark.slow
def test_demo_data_when_there_is_no_sessions_folder(isolated_home):
    result = run_cli("stats", "--json")
    assert result.returncode == 0, result.stderr.decode()
    assert b"DEMO DATA" in result.stderr
    assert json.loads(result.stdout)["sessions"] > 100
    people = run_cli("stats")
    assert b"DEMO DATA" in people.stdout


def test_every_command_is_one_function_with_its_own_flags():
    import argparse

    from fdash.cli.parser import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert {"stats", "sessions", "export", "daily", "search", "budget", "watch"} <= set(commands)
    for name, command in commands.items():
        run = command.get_default("run")
        assert callable(run) and run.__module__.startswith("fdash.cli."), name
    flags = {name: {o for a in c._actions for o in a.option_strings} for name, c in commands.items()}
    assert "--group" in flags["stats"] and "--group" not in flags["tokens"]
    assert "--format" in flags["export"] and "--interval" in flags["watch"] and "--since" not in flags["search"]


def test_a_bad_limit_is_a_usage_error(observer_root):
    result = run_cli("-d", str(observer_root), "sessions", "--limit", "-1")
    assert result.returncode == 2 and b"--limit" in result.stderr and b"Traceback" not in result.stderr


def test_the_dashboard_without_a_terminal_says_so(observer_root):
    """`fdash < /dev/null` (in a terminal) and `fdash | cat` need a terminal: a message
    that suggests --print and exit 2, never an internal error (issue 12)."""
    import os
    import pty
    import subprocess
    import sys

    from .conftest import REPO

    piped = run_cli("-d", str(observer_root), input_bytes=b"")
    assert piped.returncode == 2, piped.stderr
    assert b"needs a terminal" in piped.stderr and b"--print" in piped.stderr
    main, tty = pty.openpty()
    try:
        with open(os.devnull, "rb") as nothing:
            result = subprocess.run([sys.executable, "-m", "fdash", "-d", str(observer_root)], stdin=nothing,
                                    stdout=tty, stderr=subprocess.PIPE, cwd=REPO, timeout=60)
    finally:
        os.close(main)
        os.close(tty)
    assert result.returncode == 2 and b"needs a terminal" in result.stderr
    assert b"internal error" not in piped.stderr + result.stderr


@pytest.mark.slow
def test_sessions_and_search_print_whole_ids_dates_and_money_at_any_width(generated):
    """Ids are copied into `droid --resume`: never cut; dates and money neither; titles and
    paths shrink first, then columns go, then a session takes two lines (issue 12)."""
    from fdash import fmt

    root, _ = generated
    rows = _json("-d", str(root), "sessions", "--json", "--limit", "15")
    hits = _json("-d", str(root), "search", "the", "--json", "--limit", "8")
    for width in (50, 60, 80, 100, 120, 140, 200):
        env = {"COLUMNS": str(width)}
        listing = run_cli("-d", str(root), "sessions", "--limit", "15", env_extra=env).stdout.decode()
        found = run_cli("-d", str(root), "search", "the", "--limit", "8", env_extra=env).stdout.decode()
        for text, records in ((listing, rows), (found, hits)):
            lines = text.splitlines()
            assert max(len(line.rstrip()) for line in lines) <= width, width
            for r in records:
                assert sum(r["id"] in line for line in lines) == 1, (width, r["id"])
                when = fmt.when(int(_ms(r["last_activity_at"])))
                assert when in text, (width, when)
        for r in rows:
            assert fmt.money(r["cost_usd"]) in listing, (width, r["cost_usd"])
        assert "$…" not in listing and "…$" not in listing


@pytest.mark.slow
def test_tokens_groups_projects_fit_the_width_with_whole_money_and_names(generated):
    """At 80 columns the tables of `tokens`, `groups` and `projects` keep every row on one
    line of the width with its cost, credits and total whole; names shorten and the least
    useful columns go instead."""
    from fdash import fmt

    root, _ = generated
    for command, key in (("tokens", "model"), ("groups", "group"), ("projects", "project")):
        records = _json("-d", str(root), command, "--json")
        for width in (60, 80, 120):
            text = run_cli("-d", str(root), command, env_extra={"COLUMNS": str(width)}).stdout.decode()
            lines = [line for line in text.splitlines() if line.strip()]
            assert max(len(line.rstrip()) for line in lines) <= width, (command, width)
            assert len(lines) == len(records) + 3, (command, width)  # title, header, rule: a row a line
            for r in records:
                assert fmt.money(r["cost_usd"]) in text, (command, width, r[key])
                assert fmt.tokens(r["total_tokens"]) in text, (command, width, r[key])
            assert "$…" not in text and "…$" not in text


def _ms(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000


@pytest.mark.slow
def test_stats_of_a_name_that_matches_nothing_says_so(observer_root):
    """--group / --project naming nothing: 0 sessions as before (same JSON, same exit
    code), and stderr says the name is unknown with the known groups / closest projects."""
    result = run_cli("-d", str(observer_root), "stats", "--group", "nope", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["sessions"] == 0
    assert b"no group named 'nope'; known groups: " in result.stderr and b"auzy_" in result.stderr
    result = run_cli("-d", str(observer_root), "stats", "--project", "needlehay")
    assert result.returncode == 0
    assert b"no project named 'needlehay'; closest: needlehaystack" in result.stderr
    result = run_cli("-d", str(observer_root), "stats", "--group", "auzy_", "--json")
    assert b"no group" not in result.stderr  # a known name: nothing said


@pytest.mark.slow
def test_a_settings_file_without_its_transcript_is_no_warning(observer_root):
    """Droid writes both files; one left alone (transcript deleted or not copied) is read
    and counted with its tokens: not "unreadable data" (no warning), an info line with
    --verbose."""
    settings = next(observer_root.rglob("11080800-*.settings.json"))
    settings.with_name(settings.name.replace(".settings.json", ".jsonl")).unlink()
    result = run_cli("-d", str(observer_root), "stats", "--json", "--verbose")
    stats = json.loads(result.stdout)
    assert stats["sessions"] == 3 and stats["warnings"] == 0
    assert b"warning" not in result.stderr
    assert b"info: 1 session is a settings file without a transcript" in result.stderr
    quiet = run_cli("-d", str(observer_root), "stats")
    assert quiet.returncode == 0 and quiet.stderr == b""


@pytest.mark.slow
def test_sessions_show_where_a_moved_session_is_now(tmp_path):
    """A session moved with /cwd or --worktree (`lastCwd`): its row says where it is now
    after the project (the last component when long), and ids, dates and money stay whole
    at every width; at the narrowest the project alone is kept."""
    sid = "aaaaaaaa-1111-4111-8111-111111111111"
    folder = tmp_path / "sessions" / "-home-u-work-auth-app"
    folder.mkdir(parents=True)
    first = {"type": "session_start", "id": sid, "title": "Fix the login flow", "cwd": "/home/u/work/auth-app",
             "lastCwd": "/home/u/work/worktrees/auth-app-wt"}
    message = {"type": "message", "id": "m1", "timestamp": "2026-11-03T10:00:00.000Z",
               "message": {"role": "user", "content": [{"type": "text", "text": "hi"}]}}
    (folder / f"{sid}.jsonl").write_text(json.dumps(first) + "\n" + json.dumps(message) + "\n")
    seen = {}
    for width in (200, 140, 100, 80, 60):
        out = run_cli("-d", str(tmp_path / "sessions"), "sessions",
                      env_extra={"COLUMNS": str(width), "HOME": "/home/u", "TZ": "UTC"}).stdout.decode()
        assert sid in out and "2026-11-03" in out and "$0.00" in out, (width, out)
        assert all(len(line) <= width for line in out.splitlines()), (width, out)
        seen[width] = out
    assert "~/work/auth-app → …/auth-app-wt" in seen[200]
    assert "→ …/auth-app-wt" in seen[140]
    row = next(line for line in seen[60].splitlines() if "auth-app" in line)
    assert "→" not in row and "auth-app" in row
