"""`fdash daily|weekly|monthly` and --since/--until/--tz, checked against an independent
computation from the generated files (json + zoneinfo, no fdash parsing)."""

from __future__ import annotations

import io
import json
import os
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from fdash.cli import main
from fdash.core.models import TokenUsage
from fdash.core.pricing import PriceBook

from .conftest import run_cli
from .test_layering import _modules_after
from .test_timeline import corpus


@pytest.fixture
def generated(tmp_path_factory):
    """Generated sessions with resumed and past-midnight ones (see test_timeline.corpus)."""
    return corpus(tmp_path_factory)

KINDS = ("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "thinkingTokens")
FIELDS = ("input_tokens", "output_tokens", "cache_creation_tokens", "cache_read_tokens", "thinking_tokens")
PERIOD_KEYS = {"period", "period_end", *FIELDS, "total_tokens", "cost_usd", "unpriced_sessions", "sessions",
               "estimated", "estimated_sessions", "partial", "factory_credits", "sessions_without_credits"}


class _Stdout:
    def __init__(self):
        self.buffer = io.BytesIO()

    def write(self, text: str) -> None:
        self.buffer.write(text.encode())

    def flush(self) -> None:
        pass


def cli_json(*args, env_extra=None):
    """`fdash ARGS` as parsed JSON: in this process (fast), or a subprocess when the
    environment matters."""
    if env_extra:
        result = run_cli(*args, env_extra=env_extra)
        assert result.returncode == 0, result.stderr.decode()
        return json.loads(result.stdout)
    out, saved = _Stdout(), sys.stdout
    sys.stdout = out
    try:
        assert main(list(args)) == 0
    finally:
        sys.stdout = saved
    return json.loads(out.buffer.getvalue())


# --------------------------------------------------------------------------- the independent reading


def _local_day(stamp: str, tz) -> date:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(tz).date()


def _largest_remainder(total: int, weights: list[int]) -> list[int]:
    whole = sum(weights)
    exact = [Fraction(total * w, whole) for w in weights]
    parts = [int(x) for x in exact]  # floors: totals are >= 0
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def independent_shares(root: Path, manifest: dict, tz_name: str) -> dict[str, tuple[dict, bool, object, list]]:
    """Per session: ({local day: five token counts}, split?, price, tokens), from the
    transcripts' assistant message timestamps and the manifest's tokens."""
    tz = ZoneInfo(tz_name)
    book = PriceBook()
    found = {}
    for sid, s in manifest["sessions"].items():
        tokens = [s["tokens"][k] for k in KINDS] if s["tokens"] else [0] * 5
        counts: Counter = Counter()
        models: set[str] = set()
        transcript = next((f for f in s["files"] if f.endswith(".jsonl")), None)
        if transcript:
            for line in (root / transcript).read_text(encoding="utf-8").splitlines():
                record = json.loads(line) if line.strip() else None
                if (isinstance(record, dict) and record.get("type") == "message"
                        and record["message"].get("role") == "assistant"):
                    counts[_local_day(record["timestamp"], tz)] += 1
                    models.add(record["message"].get("modelId"))
        if counts:
            order = sorted(counts)
            columns = [_largest_remainder(t, [counts[d] for d in order]) for t in tokens]
            shares = {d: [col[i] for col in columns] for i, d in enumerate(order)}
            split = len(order) > 1 and sum(tokens) > 0
        else:  # no assistant message: the day of the first message, else the settings' mtime
            stamps = [_local_day(t, tz) for t in (s["first_ts"], s["last_ts"]) if t]
            settings = max((f for f in s["files"] if f.endswith(".settings.json")), key=lambda f: "/" in f,
                           default=None)
            lock = json.loads((root / settings).read_text()).get("providerLockTimestamp") if settings else None
            if not stamps and not transcript and lock:  # no transcript: when it took its provider
                stamps = [_local_day(lock, tz)]
            guessed = not stamps and s["has_settings"]
            if guessed:  # the settings file's time: an estimate
                mtime = (root / settings).stat().st_mtime_ns // 1_000_000
                stamps = [datetime.fromtimestamp(mtime // 900_000 * 900, tz).date()]
            if not stamps:
                continue
            shares = {stamps[0]: tokens}
            split = guessed or (len(set(stamps)) > 1 and sum(tokens) > 0)
        price = book.lookup(s["resolved_model"] or s["model"])[0]
        if len(models - {None}) > 1 and any(book.lookup(m)[0] != price for m in models - {None}):
            price = None  # several models at other prices: unpriced
        found[sid] = (shares, split, price, tokens)
    return found


def independent_days(root: Path, manifest: dict, tz_name: str) -> dict[date, dict]:
    """Per local day: the five token kinds, cost, sessions, unpriced sessions, estimated."""
    days: dict[date, dict] = defaultdict(lambda: {"tokens": [0] * 5, "cost": 0.0, "sessions": 0,
                                                  "unpriced": 0, "estimated": False})
    for shares, split, price, tokens in independent_shares(root, manifest, tz_name).values():
        for d, share in shares.items():
            day = days[d]
            day["tokens"] = [a + b for a, b in zip(day["tokens"], share)]
            day["sessions"] += 1
            day["estimated"] |= split
            if sum(tokens) and price is None:
                day["unpriced"] += 1
            elif price is not None:
                day["cost"] += price.cost(TokenUsage(*share))
    return dict(days)


def _active_ids(root, manifest, tz: str, first: date, last: date) -> set[str]:
    return {sid for sid, (shares, *_) in independent_shares(root, manifest, tz).items()
            if any(first <= d <= last for d in shares)}


def _check_day(row: dict, expected: dict) -> None:
    assert [row[f] for f in FIELDS] == expected["tokens"], row["period"]
    assert row["total_tokens"] == sum(expected["tokens"][:4])  # thinking is a part of output
    assert row["sessions"] == expected["sessions"] and row["unpriced_sessions"] == expected["unpriced"]
    assert row["estimated"] == expected["estimated"], row["period"]
    assert row["cost_usd"] == pytest.approx(expected["cost"], abs=1e-6)


# --------------------------------------------------------------------------- daily / weekly / monthly


@pytest.mark.parametrize("tz", ["Europe/Warsaw", "America/Los_Angeles", "Asia/Kolkata"])
def test_daily_matches_an_independent_computation(generated, tz):
    root, manifest = generated
    expected = independent_days(root, manifest, tz)
    rows = cli_json("-d", str(root), "daily", "--json", "--tz", tz)
    assert all(set(r) == PERIOD_KEYS for r in rows)
    assert [r["period"] for r in rows] == [d.isoformat() for d in sorted(expected)]
    for row in rows:
        _check_day(row, expected[date.fromisoformat(row["period"])])
    assert any(r["estimated"] for r in rows) and not all(r["estimated"] for r in rows)
    # no token created or lost: the days add up to stats, to the token
    stats = cli_json("-d", str(root), "stats", "--json")
    for f in (*FIELDS, "total_tokens"):
        assert sum(r[f] for r in rows) == stats[f]
    assert sum(r["cost_usd"] for r in rows) == pytest.approx(stats["cost_usd"], abs=1e-6 * len(rows))
    # credits too (a session's split like its tokens), and the manifest's recorded credits
    assert sum(r["factory_credits"] for r in rows) == pytest.approx(stats["factory_credits"], abs=1e-6 * len(rows))
    recorded = [s["factory_credits"] for s in manifest["sessions"].values()]
    assert stats["factory_credits"] == pytest.approx(sum(c for c in recorded if c is not None), abs=1e-6)
    assert stats["sessions_without_credits"] == sum(c is None for c in recorded)


def test_weekly_and_monthly_add_up_to_the_days_of_a_range(generated, tmp_path):
    root, manifest = generated
    config = tmp_path / "c.toml"
    config.write_text('[reports]\nweek_start = "sunday"\nmonth_start_day = 15\ntimezone = "Asia/Kolkata"\n')
    span = ("--since", "2026-08-20", "--until", "2026-10-31")
    days = cli_json("-d", str(root), "--config", str(config), "daily", "--json", *span)
    weeks = cli_json("-d", str(root), "--config", str(config), "weekly", "--json", *span)
    months = cli_json("-d", str(root), "--config", str(config), "monthly", "--json", *span)
    stats = cli_json("-d", str(root), "--config", str(config), "stats", "--json", *span)
    expected = independent_days(root, manifest, "Asia/Kolkata")
    inside = sorted(d for d in expected if date(2026, 8, 20) <= d <= date(2026, 10, 31))
    assert [r["period"] for r in days] == [d.isoformat() for d in inside]
    for row in days:
        _check_day(row, expected[date.fromisoformat(row["period"])])
    assert all(date.fromisoformat(w["period"]).weekday() == 6 for w in weeks)  # Sundays
    assert [m["period"] for m in months] == ["2026-08-15", "2026-09-15", "2026-10-15"]
    assert months[0]["partial"] and not months[1]["partial"] and months[-1]["period_end"] == "2026-11-14"
    for f in (*FIELDS, "total_tokens"):
        assert sum(r[f] for r in days) == sum(r[f] for r in weeks) == sum(r[f] for r in months) == stats[f]
    assert stats["since"] == "2026-08-20" and stats["tz"] == "Asia/Kolkata"
    assert stats["sessions"] == len(_active_ids(root, manifest, "Asia/Kolkata", date(2026, 8, 20), date(2026, 10, 31)))
    # a week's figure is exact when its sessions' days all lie in the week
    assert sum(w["estimated"] for w in weeks) <= sum(d["estimated"] for d in days)


def test_breakdown_by_model_project_group(generated):
    root, _ = generated
    for by in ("model", "project", "group"):
        rows = cli_json("-d", str(root), "weekly", "--json", "--tz", "UTC", "--by", by)
        for row in rows:
            parts = row["breakdown"]
            assert parts and all(by in p for p in parts)
            for f in (*FIELDS, "total_tokens", "sessions", "estimated_sessions", "unpriced_sessions"):
                assert sum(p[f] for p in parts) == row[f]


def test_sessions_and_export_keep_whole_sessions_active_in_the_range(generated):
    root, manifest = generated
    span = ("--since", "2026-10-01", "--until", "2026-10-15", "--tz", "UTC")
    listed = cli_json("-d", str(root), "sessions", "--json", *span)
    exported = cli_json("-d", str(root), "export", *span)
    expected = _active_ids(root, manifest, "UTC", date(2026, 10, 1), date(2026, 10, 15))
    assert {r["id"] for r in listed} == {r["id"] for r in exported} == expected
    by_id = manifest["sessions"]
    assert all(r["input_tokens"] == (by_id[r["id"]]["tokens"] or {}).get("inputTokens", 0) for r in exported)
    projects = cli_json("-d", str(root), "projects", "--json", *span)
    stats = cli_json("-d", str(root), "stats", "--json", *span)
    assert sum(p["total_tokens"] for p in projects) == stats["total_tokens"]
    assert sum(p["sessions"] for p in projects) == stats["sessions"] == len(expected)


def test_relative_days_and_the_local_zone(generated):
    root, _ = generated
    today = datetime.now(timezone.utc).date()
    seven = cli_json("-d", str(root), "daily", "--json", "--tz", "UTC", "--since", "400d")
    assert seven == cli_json("-d", str(root), "daily", "--json", "--tz", "UTC",
                             "--since", str(today - timedelta(days=399)), "--until", "today")
    local = cli_json("-d", str(root), "daily", "--json", env_extra={"TZ": "America/New_York"})
    assert local == cli_json("-d", str(root), "daily", "--json", "--tz", "America/New_York")


def test_empty_range(generated):
    root, _ = generated
    assert cli_json("-d", str(root), "daily", "--json", "--since", "2030-01-01") == []
    result = run_cli("-d", str(root), "monthly", "--until", "2001-01-01")
    assert result.returncode == 0 and b"No activity" in result.stdout
    stats = cli_json("-d", str(root), "stats", "--json", "--since", "2030-01-01")
    assert stats["sessions"] == 0 and stats["total_tokens"] == 0 and stats["estimated"] is False


@pytest.mark.parametrize("args, message", [
    (("daily", "--tz", "Mars/Olympus"), b"unknown time zone"),
    (("stats", "--since", "last tuesday"), b"--since: expected YYYY-MM-DD"),
    (("weekly", "--until", "2026-02-30"), b"--until: expected YYYY-MM-DD"),
    (("daily", "--since", "2026-11-02", "--until", "2026-11-01"), b"is after --until"),
    (("monthly", "--month-start-day", "31"), b"expected a day from 1 to 28"),
    (("weekly", "--week-start", "someday"), b"invalid choice"),
    (("daily", "--by", "colour"), b"invalid choice"),
])
def test_bad_values_are_one_line_errors(observer_root, args, message):
    result = run_cli("-d", str(observer_root), *args)
    assert result.returncode == 2 and message in result.stderr
    assert result.stderr.count(b"\n") == 1 and b"Traceback" not in result.stderr and not result.stdout


@pytest.mark.slow
def test_tables_mark_estimates_and_fit(generated):
    root, _ = generated
    for command in ("daily", "weekly", "monthly"):
        out = run_cli("-d", str(root), "--print", command, "--tz", "UTC", "--by", "group",
                      env_extra={"COLUMNS": "80"}).stdout.decode()
        assert "~ estimated" in out and "Total" in out
        assert max(len(line) for line in out.splitlines()) <= 80
    wide = run_cli("-d", str(root), "daily", "--since", "2026-11-01", env_extra={"COLUMNS": "130"}).stdout.decode()
    assert "Cache r" in wide and "Think" in wide
    out = run_cli("-d", str(root), "projects", "--since", "30d", env_extra={"COLUMNS": "200"}).stdout.decode()
    assert "sessions active in the range" in out


@pytest.mark.slow
def test_period_tables_never_cut_numbers_or_money(generated):
    """Narrower, the token kinds give way (each, then cache as one, then the total only);
    a period's sessions, total, cost and credits stay whole at any width."""
    import json
    import re

    from fdash import fmt

    root, _ = generated
    for command in ("daily", "weekly", "monthly"):
        args = ("-d", str(root), command, "--tz", "UTC", "--since", "2026-10-01", "--until", "2026-11-20")
        periods = json.loads(run_cli(*args, "--json").stdout)
        for width in (60, 80, 100, 130):
            out = run_cli(*args, env_extra={"COLUMNS": str(width)}).stdout.decode()
            assert max(len(line) for line in out.splitlines()) <= width, (command, width)
            for p in periods:
                row = re.escape(fmt.tokens(p["total_tokens"])) + r" +" + re.escape(fmt.money(p["cost_usd"]))
                assert re.search(row, out), (command, width, p["period"], row)


def test_period_json_imports_no_ui(observer_root):
    code = (
        "import sys\nfrom fdash.cli import main\nsys.stdout = open('/dev/null', 'w')\n"
        f"main(['-d', {str(observer_root)!r}, 'daily', '--json', '--tz', 'UTC', '--since', '30d', '--by', 'model'])\n"
        "sys.stdout = sys.__stdout__"
    )
    modules = _modules_after(code)
    assert not {m for m in modules if m.split(".")[0] in ("rich", "prompt_toolkit", "cattrs", "tomlkit")}


# --------------------------------------------------------------------------- exactness over time


def _line(record: dict) -> str:
    return json.dumps(record, separators=(",", ":")) + "\n"


def _message(i: int, role: str, stamp: str) -> dict:
    content = [{"type": "text", "text": f"step {i}"}]
    return {"type": "message", "id": f"m{i}", "timestamp": stamp, "message": {"role": role, "content": content}}


def _settings(path: Path, tokens: list[int], at: str) -> None:
    usage = dict(zip(KINDS, tokens))
    path.write_text(json.dumps({"model": "claude-sonnet-4-5-20250929", "tokenUsage": usage}))
    ns = int(datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp()) * 1_000_000_000
    os.utime(path, ns=(ns, ns))


def test_days_watched_by_fdash_become_exact(tmp_path):
    """Day 1 is seen, then the session is resumed on day 2: with the snapshot fdash kept
    from its first run, both days are exact; read afresh (--no-cache) they are estimated."""
    sid = "0b6c1f9e-5d0e-4f5a-9a57-0c2b8d6a1f01"
    folder = tmp_path / "sessions" / "-home-ana-app"
    folder.mkdir(parents=True)
    transcript, settings = folder / f"{sid}.jsonl", folder / f"{sid}.settings.json"
    start = {"type": "session_start", "id": sid, "title": "t", "cwd": "/home/ana/app"}
    lines = [start, _message(0, "user", "2026-11-03T21:00:00.000Z"),
             _message(1, "assistant", "2026-11-03T21:01:00.000Z"), _message(2, "assistant", "2026-11-03T22:40:00.000Z")]
    transcript.write_text("".join(map(_line, lines)))
    _settings(settings, [100, 200, 300, 400, 50], "2026-11-03T22:40:05Z")
    root = str(tmp_path / "sessions")
    # Warsaw: 22:01 and 23:40 on Nov 3
    first = cli_json("-d", root, "daily", "--json", "--tz", "Europe/Warsaw")
    assert [(r["period"], r["total_tokens"], r["estimated"]) for r in first] == [("2026-11-03", 1000, False)]
    more = [_message(3, "user", "2026-11-04T08:00:00.000Z"), _message(4, "assistant", "2026-11-04T08:00:30.000Z")]
    with transcript.open("a") as out:
        out.write("".join(map(_line, more)))
    _settings(settings, [1000, 700, 900, 4000, 51], "2026-11-04T08:00:35Z")
    watched = cli_json("-d", root, "daily", "--json", "--tz", "Europe/Warsaw")
    assert [(r["period"], [r[f] for f in FIELDS], r["estimated"]) for r in watched] == [
        ("2026-11-03", [100, 200, 300, 400, 50], False), ("2026-11-04", [900, 500, 600, 3600, 1], False)]
    fresh = cli_json("-d", root, "--no-cache", "daily", "--json", "--tz", "Europe/Warsaw")
    assert [r["estimated"] for r in fresh] == [True, True]
    assert sum(r["total_tokens"] for r in fresh) == sum(r["total_tokens"] for r in watched) == 6600
    # the session spans midnight in Tokyo (+9): two days either way, and the month end is not crossed
    tokyo = cli_json("-d", root, "monthly", "--json", "--tz", "Asia/Tokyo")
    assert [(m["period"], m["total_tokens"], m["estimated"]) for m in tokyo] == [("2026-11-01", 6600, False)]
