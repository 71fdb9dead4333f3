"""The demo data a new user sees: realistic sessions only, made by the product itself."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import REPO


@pytest.mark.slow
def test_demo_data_for_a_new_user_is_real_sessions_only(isolated_home):
    """No sessions folder: fdash writes its demo history into the cache without the test
    corpus (no hostile case, no manifest, no stray file) and reads it without a warning."""
    code = ("import sys\nfrom fdash.cli import main\nrc = main(['stats', '--json'])\n"
            "print(' '.join(sys.modules), file=sys.stderr)\nraise SystemExit(rc)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    modules = result.stderr.split()
    assert not [m for m in modules if m.startswith("tools") or "hostile" in m or "manifest" in m]
    assert "fdash.demo" in modules
    assert json.loads(result.stdout)["warnings"] == 0
    demo = next((isolated_home / ".cache" / "fdash").glob("demo-v*"))
    names = {p.name for p in demo.rglob("*") if p.is_file()}
    assert names and all(n.endswith((".jsonl", ".settings.json", ".settings.json.bak")) for n in
                         names - {".favorites", ".complete"}), sorted(names)


@pytest.mark.slow
def test_demo_data_never_passes_as_real(isolated_home, observer_root):
    """Scripts see `"demo": true` in every --json output and export; people see DEMO on
    the first line of a report; real data carries no such mark (issue 12)."""
    from .conftest import run_cli

    def out(*args) -> bytes:
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr.decode()
        return result.stdout

    assert json.loads(out("stats", "--json"))["demo"] is True
    for command in ("sessions", "tokens", "projects", "groups", "daily", "export"):
        rows = json.loads(out(command, "--json"))
        assert rows and all(row["demo"] is True for row in rows), command
    assert json.loads(out("search", "the", "--json"))[0]["demo"] is True
    header, first = out("export", "--format", "csv").decode().splitlines()[:2]
    assert header.endswith(",demo") and first.endswith(",true")
    sid = json.loads(out("sessions", "--json", "--limit", "1"))[0]["id"]
    assert json.loads(out("show", sid, "--json"))["demo"] is True
    for args in (("--print",), ("sessions",), ("daily",), ("projects",), ("show", sid)):
        assert out(*args).decode().splitlines()[0].startswith("DEMO DATA"), args
    real = out("-d", str(observer_root), "stats", "--json") + out("-d", str(observer_root), "sessions", "--json")
    assert b'"demo"' not in real
    assert not out("-d", str(observer_root), "--print").decode().startswith("DEMO")


@pytest.mark.slow
def test_demo_ends_today_and_is_made_again_on_a_later_day(isolated_home, monkeypatch):
    """The demo history ends at the real now (sessions today, this week, this month), not
    at a fixed date; the cached copy made for an older day is made again, the same day's
    copy is reused, and a day's copy is the same bytes for the same seed."""
    import time

    from fdash.core import source
    from fdash.core.catalog import load_catalog
    from fdash.core.config import Config

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    day1 = time.mktime((2027, 3, 10, 18, 30, 0, 0, 0, -1))
    root = source.ensure_demo(now=day1)
    assert (root / ".complete").read_text().split()[-1] == "2027-03-10"

    def last_day(root):
        entries = load_catalog(root, Config(), demo=True, use_index=False).entries
        ends = [e.session.last_at_ms for e in entries if e.session.last_at_ms]
        stamps = sorted(time.strftime("%Y-%m-%d", time.gmtime(ms / 1000)) for ms in ends)
        return stamps[-1], sum(s == stamps[-1] for s in stamps)

    last, today = last_day(root)
    assert last == "2027-03-10" and today >= 1
    files = sorted(p.name for p in root.rglob("*.jsonl"))
    mtime = (root / ".complete").stat().st_mtime_ns
    assert source.ensure_demo(now=day1 + 3600) == root  # the same day: reused
    assert (root / ".complete").stat().st_mtime_ns == mtime
    day2 = day1 + 86400 * 40
    source.ensure_demo(now=day2)
    assert (root / ".complete").read_text().split()[-1] == "2027-04-19"
    assert last_day(root)[0] == "2027-04-19"
    assert sorted(p.name for p in root.rglob("*.jsonl")) == files  # same seed, same sessions
    assert not [p for p in root.parent.iterdir() if ".old" in p.name or ".tmp" in p.name]


@pytest.mark.slow
def test_a_demo_copy_made_meanwhile_by_another_fdash_is_kept(isolated_home, monkeypatch):
    """Two new fdash processes at once: the one that finishes second keeps the first's
    copy of the same day (which the other may be reading) and removes its own."""
    import time

    from fdash.core import source

    now = time.time()
    root = source.ensure_demo(now=now - 86400 * 2)  # an older day's copy
    made = source._write_demo

    def racing(where, when):
        made(where, when)
        (root / ".complete").write_text(f"made by another fdash for {source.demo_day(when)}\n")

    monkeypatch.setattr(source, "_write_demo", racing)
    assert source.ensure_demo(now=now) == root
    assert (root / ".complete").read_text().startswith("made by another fdash")
    assert [p.name for p in root.parent.iterdir()] == [root.name]
