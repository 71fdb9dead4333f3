"""Budgets, `fdash budget`, `fdash search` and the `watch` summary."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from fdash.core import timeline
from fdash.core.budget import budget_status
from fdash.core.catalog import load_catalog
from fdash.core.config import BudgetConfig, Config, ReportsConfig

from .conftest import run_cli

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)  # the generator's "now"
UTC = timeline.zone("UTC")


@pytest.fixture(scope="module")
def entries(generated):
    root, _ = generated
    return load_catalog(root, Config()).entries


@pytest.mark.slow
def test_spent_matches_the_daily_report(entries):
    budget = BudgetConfig(daily_usd=1.0, monthly_tokens=10**12)
    day, month = budget_status(entries, budget, ReportsConfig(), UTC, NOW)
    today = timeline.timeline(entries, timeline.PeriodSpec("day"), UTC,
                              timeline.DayRange(NOW.date(), NOW.date())).total
    assert day.period == "day" and day.unit == "usd"
    assert day.spent == pytest.approx(today.cost_usd)
    assert day.elapsed_hours == pytest.approx(12) and day.period_hours == pytest.approx(24)
    assert day.burn_per_hour == pytest.approx(today.cost_usd / 12)
    assert day.forecast == pytest.approx(today.cost_usd * 2)
    assert month.start.isoformat() == "2026-11-01" and month.end.isoformat() == "2026-11-30"
    assert month.unit == "tokens" and not month.over and month.runs_out_at is None


def test_a_monthly_credits_budget_counts_recorded_credits(entries):
    """[budget] monthly_credits: Factory Standard Credits as recorded, over the billing
    month; sessions that recorded none are counted apart, never guessed."""
    (month,) = budget_status(entries, BudgetConfig(monthly_credits=50.0), ReportsConfig(month_start_day=5), UTC, NOW)
    usage = timeline.timeline(entries, timeline.PeriodSpec("month", month_start_day=5), UTC,
                              timeline.DayRange(month.start, NOW.date())).total
    assert month.unit == "credits" and month.start.isoformat() == "2026-11-05"
    assert month.spent == pytest.approx(usage.credits) and month.spent > 0
    assert month.unpriced_sessions == usage.no_credit_sessions
    from fdash import fmt

    assert fmt.amount(1234.0, "credits") == "1,234 credits"


def test_over_budget_and_running_out(entries):
    tiny = BudgetConfig(daily_usd=1e-6)
    (status,) = budget_status(entries, tiny, ReportsConfig(), UTC, NOW)
    assert status.over and status.runs_out_at == NOW
    day_spent = budget_status(entries, BudgetConfig(daily_usd=1.0), ReportsConfig(), UTC, NOW)[0].spent
    # a limit 1.5× today's spending so far is reached at 18:00 at the same rate
    (status,) = budget_status(entries, BudgetConfig(daily_usd=day_spent * 1.5), ReportsConfig(), UTC, NOW)
    assert not status.over
    assert status.runs_out_at == datetime(2026, 11, 20, 18, 0, tzinfo=timezone.utc)
    # 3× is not reached today: "not this period"
    (status,) = budget_status(entries, BudgetConfig(daily_usd=day_spent * 3), ReportsConfig(), UTC, NOW)
    assert status.runs_out_at is None


def test_billing_month(entries):
    reports = ReportsConfig(month_start_day=15)
    (status,) = budget_status(entries, BudgetConfig(monthly_usd=50.0), reports, UTC, NOW)
    assert (status.start.isoformat(), status.end.isoformat()) == ("2026-11-15", "2026-12-14")


@pytest.mark.slow
def test_budget_cli(observer_root, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[budget]\ndaily_usd = 5\nweekly_tokens = 1000000\n")
    result = run_cli("--config", str(config), "-d", str(observer_root), "budget", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["period"], r["unit"]) for r in rows] == [("day", "usd"), ("week", "tokens")]
    people = run_cli("--config", str(config), "-d", str(observer_root), "stats")
    assert b"Budget" in people.stdout and b"Today" in people.stdout
    assert json.loads(run_cli("--config", str(config), "-d", str(observer_root), "stats", "--json").stdout)[
        "sessions"] == 3  # stats --json keeps exactly its keys
    none = run_cli("-d", str(observer_root), "budget")
    assert none.returncode == 2 and b"[budget]" in none.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("[budget]\ndaily_usd = -3\n")
    assert run_cli("--config", str(bad), "-d", str(observer_root), "budget").returncode == 2


@pytest.mark.slow
def test_budget_fits_80_columns(observer_root, tmp_path):
    """At 80 columns a budget is one line per period with its spent, limit and use whole;
    the dates, forecast and burn rate give way first."""
    config = tmp_path / "c.toml"
    config.write_text("[budget]\ndaily_usd = 5\nweekly_tokens = 1000000\nmonthly_usd = 300\nmonthly_credits = 2000\n")
    rows = json.loads(run_cli("--config", str(config), "-d", str(observer_root), "budget", "--json").stdout)
    for width, wide in ((80, False), (130, True)):
        text = run_cli("--config", str(config), "-d", str(observer_root), "budget",
                       env_extra={"COLUMNS": str(width)}).stdout.decode()
        lines = text.splitlines()
        assert max(len(line.rstrip()) for line in lines) <= width, text
        rule = next(n for n, line in enumerate(lines) if "━" in line)
        body = lines[rule + 1:lines.index(next(line for line in lines[rule:] if not line.strip()), rule)]
        assert len(body) == len(rows), text  # a period a line
        assert "1.0M tokens" in text and "$300.00" in text and "2,000 credits" in text
        assert ("…" in text) == wide  # the dates ("2026-12-01 … 2026-12-31"); nothing is cut
        assert ("Burn / hour" in text) == wide


@pytest.mark.slow
def test_search_cli(observer_root):
    result = run_cli("-d", str(observer_root), "search", "summary", "FOLDER", "--json")
    assert result.returncode == 0
    (hit,) = json.loads(result.stdout)
    assert hit["id"].startswith("7df5bcf0") and hit["where"] == "prompt"
    assert [hit["excerpt"][a:b] for a, b in hit["spans"]] == ["summary", "folder"]
    people = run_cli("-d", str(observer_root), "search", "hi").stdout.decode()
    assert "matching 'hi': 2" in people


def test_watch_summary(entries):
    from rich.console import Console

    from fdash.cli.views.today import today_view

    console = Console(width=160, record=True, file=open("/dev/null", "w"))
    console.print(today_view(entries, Config(budget=BudgetConfig(daily_usd=3.0)), UTC, NOW))
    text = console.export_text()
    today = timeline.timeline(entries, timeline.PeriodSpec("day"), UTC,
                              timeline.DayRange(NOW.date(), NOW.date())).total
    assert "Today 2026-11-20 (UTC)" in text
    assert f"{today.sessions} sessions today" in text
    assert "Budget" in text and "Active in the last 15 minutes" in text
