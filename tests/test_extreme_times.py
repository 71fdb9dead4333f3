"""Timestamps at the edge of what a datetime holds (issue 15, case 2).

`9999-12-31T23:59:59-14:00` is a valid ISO time whose UTC instant lies in the year
10000; `0001-01-01T00:00:00+14:00` lies before year 1. Such a time is a warning and is
ignored (a session with no other time is undated); every report and the watch screen
work, in every time zone."""

from __future__ import annotations

from datetime import datetime, timezone

import orjson
import pytest

from fdash import cli
from fdash.core.catalog import load_catalog
from fdash.core.config import Config
from fdash.core.export import session_record
from fdash.core.parse import TranscriptReader
from fdash.core.settings_file import parse_settings
from fdash.core.times import is_out_of_range, iso_to_ms, ms_to_iso

EXTREME = "aaaaaaaa-0000-4000-8000-000000000001"
MIXED = "aaaaaaaa-0000-4000-8000-000000000002"
NORMAL = "aaaaaaaa-0000-4000-8000-000000000003"
EDGES = ("9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59.999Z", "0001-01-01T00:00:00+14:00",
         "0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "3000-01-01T00:00:00Z")


def _message(role: str, stamp: str, text: str = "find the needle") -> dict:
    content = [{"type": "text", "text": text}]
    body = {"role": role, "content": content, **({"modelId": "gpt-5"} if role == "assistant" else {})}
    return {"type": "message", "id": f"{role}-{stamp}", "timestamp": stamp, "message": body}


def _write(root, sid: str, stamps: list[str]) -> None:
    folder = root / "-w-edge"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [{"type": "session_start", "id": sid, "title": f"edge {sid[-1]}", "cwd": "/w/edge"}]
    for i, stamp in enumerate(stamps):
        lines.append(_message("user" if i % 2 == 0 else "assistant", stamp))
    (folder / f"{sid}.jsonl").write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    settings = {"model": "gpt-5", "providerLockTimestamp": "9999-12-31T23:59:59-14:00",
                "tokenUsage": {"inputTokens": 100, "outputTokens": 10}}
    (folder / f"{sid}.settings.json").write_bytes(orjson.dumps(settings))


@pytest.fixture
def edge_root(tmp_path):
    root = tmp_path / "sessions"
    _write(root, EXTREME, list(EDGES))
    _write(root, MIXED, ["2026-03-01T10:00:00Z", EDGES[0], EDGES[1], "2026-03-01T11:00:00Z"])
    _write(root, NORMAL, ["2026-03-02T10:00:00Z", "2026-03-02T10:05:00Z"])
    return root


def test_times_out_of_range_are_refused_not_guessed():
    for stamp in EDGES:
        assert iso_to_ms(stamp) is None and is_out_of_range(stamp), stamp
    assert not is_out_of_range("not a time") and iso_to_ms("2026-01-01T00:00:00Z") == 1767225600000


def test_a_session_with_only_extreme_times_is_undated_with_a_warning():
    data = b"".join(orjson.dumps(r) + b"\n" for r in [
        {"type": "session_start", "title": "t", "cwd": "/w"}, *(_message("assistant", s) for s in EDGES)])
    reader = TranscriptReader("t.jsonl")
    reader = reader.finished(reader.feed(data))
    assert (reader.first_at_ms, reader.last_at_ms, reader.activity) == (None, None, {})
    assert reader.message_count == len(EDGES)
    reasons = [p.reason for p in reader.problems()]
    assert reasons == ["timestamp '9999-12-31T23:59:59-14:00' out of range (1970 to 2999); ignored; "
                       "the session is undated"]


def test_settings_lock_time_out_of_range_is_a_warning():
    problems: list = []
    facts = parse_settings(b'{"providerLockTimestamp":"0001-01-01T00:00:00+14:00"}', "s.json", problems)
    assert facts.provider_lock_at_ms is None
    assert [p.reason for p in problems] == [
        "providerLockTimestamp '0001-01-01T00:00:00+14:00' out of range (1970 to 2999); ignored"]


def test_catalog_keeps_the_good_times(edge_root):
    catalog = load_catalog(edge_root, Config())
    sessions = {e.session.id: e.session for e in catalog.entries}
    assert sessions[EXTREME].first_at_ms is None and sessions[EXTREME].last_at_ms is None
    assert ms_to_iso(sessions[MIXED].first_at_ms) == "2026-03-01T10:00:00.000Z"
    assert ms_to_iso(sessions[MIXED].last_at_ms) == "2026-03-01T11:00:00.000Z"
    assert sessions[MIXED].activity  # the valid assistant time still counts
    # two transcripts, three settings files (each with an extreme providerLockTimestamp)
    assert sum("out of range" in p.reason for p in catalog.problems) == 5
    for entry in catalog.entries:
        session_record(entry)


@pytest.mark.slow
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_every_report_works(edge_root, capsys, zone):
    commands = [
        ["sessions"], ["export"], ["export", "--format", "csv"], ["search", "needle"], ["daily"], ["weekly"],
        ["monthly"], ["stats"], ["tokens"], ["projects"], ["groups"], ["daily", "--by", "project"],
    ]
    for command in commands:
        for extra in ([], ["--json"]):
            code = cli.main([*command, *extra, "-d", str(edge_root), "--tz", zone] if command[0] in (
                "daily", "weekly", "monthly") else [*command, *extra, "-d", str(edge_root)])
            out, err = capsys.readouterr()
            assert code == 0 and "internal error" not in err, (command, extra, err)


def test_watch_screen_works(edge_root):
    from fdash.cli.views.today import today_view  # noqa: PLC0415
    from fdash.core.timeline import zone  # noqa: PLC0415

    catalog = load_catalog(edge_root, Config())
    for name in ("UTC", "Pacific/Kiritimati", "Etc/GMT+12"):
        today_view(catalog.entries, Config(), zone(name), datetime(2026, 3, 2, 12, tzinfo=timezone.utc))
