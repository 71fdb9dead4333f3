"""Usage over time (fdash.core.timeline): zones and DST, periods, apportionment, snapshots."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fdash.core import aggregate, timeline
from fdash.core.catalog import load_catalog
from fdash.core.config import Config, ConfigError, load_config
from fdash.core.models import Cost, Entry, Price, Session, TokenUsage
from fdash.core.timeline import DayRange, PeriodSpec, TimeError, apportion, attribute, zone
from fdash.core.times import QUARTER_MS, encode_activity

from .conftest import load_generator

PRICE = Price(3.0, 15.0, 3.75, 0.3)
ODD_ZONES = ("Europe/Warsaw", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu",
             "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "UTC")


def ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def session(stamps=(), tokens=TokenUsage(1001, 1001, 1001, 1001, 1001), snapshots="", sid="s", **kw) -> Session:
    activity: dict[int, int] = {}
    for stamp in stamps:
        q = ms(stamp) // QUARTER_MS
        activity[q] = activity.get(q, 0) + 1
    times = [ms(s) for s in stamps]
    kw.setdefault("first_at_ms", min(times) if times else None)
    kw.setdefault("last_at_ms", max(times) if times else None)
    return Session(sid, tokens=tokens, activity=encode_activity(activity), token_snapshots=snapshots, **kw)


def entry(s: Session, price: Price | None = PRICE, model: str = "m", group: str = "g") -> Entry:
    cost = Cost(price.cost(s.usage), "config", model, price) if price else Cost(None, "unpriced")
    return Entry(s, group, cost)


def days_of(s: Session, tz: str = "UTC"):
    return attribute(s, zone(tz).day_of_quarter()).days


def snap(at: str, t: TokenUsage) -> str:
    return f"{ms(at)}:{t.input}:{t.output}:{t.cache_write}:{t.cache_read}:{t.thinking}"


# --------------------------------------------------------------------------- zones and DST


@pytest.mark.parametrize("name", ODD_ZONES)
def test_every_quarter_hour_lies_within_one_local_day(name):
    tz = ZoneInfo(name)
    start = ms("2026-01-01T00:00:00Z") // QUARTER_MS
    for q in range(start, start + 366 * 96, 3):  # every third quarter of 2026, DST days included
        first = datetime.fromtimestamp(q * 900, tz).date()
        assert datetime.fromtimestamp(q * 900 + 899.999, tz).date() == first


@pytest.mark.parametrize("name, day, quarters", [
    ("Europe/Warsaw", date(2026, 3, 29), 92),  # spring forward: a 23-hour day
    ("Europe/Warsaw", date(2026, 10, 25), 100),  # fall back: a 25-hour day
    ("America/New_York", date(2026, 3, 8), 92),
    ("America/New_York", date(2026, 11, 1), 100),
    ("Australia/Lord_Howe", date(2026, 4, 5), 98),  # a half-hour DST shift
    ("Asia/Kathmandu", date(2026, 3, 29), 96),
])
def test_dst_days_have_their_real_length(name, day, quarters):
    day_of = zone(name).day_of_quarter()
    start = ms(f"{day - timedelta(days=1)}T00:00:00Z") // QUARTER_MS
    assert sum(day_of(q) == day for q in range(start, start + 3 * 96)) == quarters


def test_a_session_over_the_fall_back_night_is_one_local_day():
    # 00:30 CEST and 23:45 CET on 2026-10-25 in Warsaw: two UTC days, one local day
    s = session(["2026-10-24T22:30:00Z", "2026-10-25T01:30:00Z", "2026-10-25T22:45:00Z"])
    warsaw = days_of(s, "Europe/Warsaw")
    assert list(warsaw) == [date(2026, 10, 25)]
    assert warsaw[date(2026, 10, 25)].tokens == s.tokens and not warsaw[date(2026, 10, 25)].estimated
    utc = days_of(s, "UTC")
    assert list(utc) == [date(2026, 10, 24), date(2026, 10, 25)] and all(v.estimated for v in utc.values())


def test_spring_forward_midnight_in_new_york():
    # 2026-03-09 03:45Z is 23:45 EDT on the 8th; 04:00Z is midnight
    s = session(["2026-03-08T05:00:00Z", "2026-03-09T03:45:00Z"])
    assert list(days_of(s, "America/New_York")) == [date(2026, 3, 8)]
    s = session(["2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"])
    assert list(days_of(s, "America/New_York")) == [date(2026, 3, 8), date(2026, 3, 9)]


def test_zone_names():
    assert zone("UTC").name == "UTC" and zone("utc").tz is timezone.utc
    assert zone("Europe/Warsaw").tz == ZoneInfo("Europe/Warsaw")
    for bad in ("Mars/Olympus", "../etc/passwd", "Europe/", "Europe/Warsaw\x00"):
        with pytest.raises(TimeError, match="unknown time zone"):
            zone(bad)


def test_local_zone_follows_tz(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    assert zone(None).name == "Asia/Kolkata" and zone("local").tz == ZoneInfo("Asia/Kolkata")
    monkeypatch.setenv("TZ", ":Europe/Warsaw")
    assert zone(None).name == "Europe/Warsaw"
    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")  # a POSIX rule: the C library's
    local = zone(None)
    assert local.tz is None and isinstance(local.date_of_ms(0), date)


# --------------------------------------------------------------------------- periods and ranges


def test_period_starts_and_ends():
    fri = date(2026, 11, 20)
    assert PeriodSpec("day").start(fri) == fri == PeriodSpec("day").end(fri)
    assert PeriodSpec("week").start(fri) == date(2026, 11, 16)  # Monday
    assert PeriodSpec("week", week_start=6).start(fri) == date(2026, 11, 15)  # Sunday
    assert PeriodSpec("week", week_start=4).start(fri) == fri
    assert PeriodSpec("week").end(date(2026, 11, 16)) == date(2026, 11, 22)
    month = PeriodSpec("month")
    assert month.start(fri) == date(2026, 11, 1) and month.end(date(2026, 11, 1)) == date(2026, 11, 30)
    assert month.end(date(2028, 2, 1)) == date(2028, 2, 29)
    billing = PeriodSpec("month", month_start_day=15)
    assert billing.start(date(2026, 11, 14)) == date(2026, 10, 15)
    assert billing.start(date(2026, 11, 15)) == date(2026, 11, 15)
    assert billing.start(date(2026, 1, 10)) == date(2025, 12, 15)
    assert billing.end(date(2026, 12, 15)) == date(2027, 1, 14)
    assert PeriodSpec("month", month_start_day=28).end(date(2026, 1, 28)) == date(2026, 2, 27)


def test_parse_day_forms():
    today = date(2026, 11, 20)
    parse = timeline.parse_day
    assert parse("2026-11-01", today) == date(2026, 11, 1)
    assert parse("today", today) == today and parse(" Yesterday ", today) == date(2026, 11, 19)
    assert parse("1d", today) == today and parse("7d", today) == date(2026, 11, 14)
    assert parse("2w", today) == date(2026, 11, 7)
    assert parse("3m", today) == date(2026, 8, 21)
    assert parse("1m", date(2026, 3, 31)) == date(2026, 3, 1)  # Feb 28 + 1 day
    for bad in ("2026-13-01", "20261101", "2026-W45-1", "0d", "7y", "", "last week", "99999m"):
        with pytest.raises(TimeError, match="expected YYYY-MM-DD"):
            parse(bad, today)
    with pytest.raises(TimeError, match="after --until"):
        timeline.day_range("2026-11-02", "2026-11-01", today)
    assert timeline.day_range(None, None, today) == DayRange()


def test_reports_config(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[reports]\nweek_start = "sunday"\nmonth_start_day = 15\ntimezone = "Europe/Warsaw"\nmine = 1\n')
    loaded = load_config(path)
    assert loaded.warnings == (f"{path}: unknown key reports.mine (ignored)",)
    assert PeriodSpec.of("week", loaded.config.reports) == PeriodSpec("week", 6, 15)
    for text, key in (('week_start = "sun"', "reports.week_start"), ("month_start_day = 29", "reports.month_start_day"),
                      ('timezone = "Mars/Base"', "reports.timezone")):
        path.write_text(f"[reports]\n{text}\n")
        with pytest.raises(ConfigError, match=key):
            load_config(path)


# --------------------------------------------------------------------------- apportionment


@given(st.integers(0, 10**12), st.lists(st.integers(1, 500), min_size=1, max_size=40))
def test_apportion_is_exact_and_fair(total, weights):
    parts = apportion(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, w in zip(parts, weights):
        assert total * w // whole <= part <= -(-total * w // whole)  # floor or ceiling of the share


def test_midnight_split_by_messages():
    # three assistant messages before midnight, one after
    s = session(["2026-11-03T23:20:00Z", "2026-11-03T23:40:00Z", "2026-11-03T23:50:00Z", "2026-11-04T00:10:00Z"])
    days = days_of(s)
    assert days[date(2026, 11, 3)].tokens == TokenUsage(751, 751, 751, 751, 751)
    assert days[date(2026, 11, 4)].tokens == TokenUsage(250, 250, 250, 250, 250)
    assert days[date(2026, 11, 3)].messages == 3 and all(v.estimated for v in days.values())
    e = entry(s)
    costs = [timeline.share_cost(e, v.tokens) for v in days.values()]
    assert sum(costs) == pytest.approx(e.cost.usd, rel=1e-12)


def test_one_day_session_is_exact():
    s = session(["2026-11-03T08:00:00Z", "2026-11-03T17:00:00Z"])
    assert days_of(s) == {date(2026, 11, 3): timeline.Share(s.tokens, 2, False)}


def test_session_without_assistant_messages_belongs_to_its_first_day():
    s = session(first_at_ms=ms("2026-11-03T23:00:00Z"), last_at_ms=ms("2026-11-04T01:00:00Z"))
    days = days_of(s)
    assert list(days) == [date(2026, 11, 3)] and days[date(2026, 11, 3)].tokens == s.tokens
    assert days[date(2026, 11, 3)].estimated  # its messages span two days: a guess
    assert not days_of(session(first_at_ms=ms("2026-11-03T10:00:00Z")))[date(2026, 11, 3)].estimated
    # no message at all: the last token snapshot's time, else nowhere
    t = TokenUsage(5, 5, 0, 0, 0)
    assert list(days_of(session(tokens=t, snapshots=snap("2026-11-05T10:00:00Z", t)))) == [date(2026, 11, 5)]
    assert days_of(session(tokens=t)) == {}


@settings(max_examples=60, deadline=None)
@example([(0, 1), (88, 1)], [0, 0, 0, 0, 1], [(0, [0, 0, 0, 0, 0])], "Europe/Warsaw")  # only thinking grew
@given(
    st.lists(st.tuples(st.integers(0, 30 * 96), st.integers(1, 9)), max_size=30),
    st.lists(st.integers(0, 10**9), min_size=5, max_size=5),
    st.lists(st.tuples(st.integers(-96, 31 * 96), st.lists(st.integers(0, 10**6), min_size=5, max_size=5)),
             max_size=4),
    st.sampled_from(ODD_ZONES),
)
def test_split_never_creates_or_loses_tokens(quarters, tokens, cuts, name):
    base = ms("2026-10-20T00:00:00Z") // QUARTER_MS
    activity = {}
    for q, c in quarters:
        activity[base + q] = activity.get(base + q, 0) + c
    final = TokenUsage(*tokens)
    snapshots = ";".join(f"{(base + q) * QUARTER_MS + 7}:{':'.join(map(str, v))}" for q, v in sorted(cuts))
    s = Session("s", tokens=final, activity=encode_activity(activity), token_snapshots=snapshots,
                first_at_ms=base * QUARTER_MS)
    days = days_of(s, name)
    total = TokenUsage()
    for share in days.values():
        assert min(share.tokens.input, share.tokens.output, share.tokens.thinking) >= 0
        total += share.tokens
    assert total == final
    assert sum(v.messages for v in days.values()) == sum(activity.values())


# --------------------------------------------------------------------------- snapshots


DAY1 = ["2026-11-03T09:00:00Z", "2026-11-03T10:00:00Z", "2026-11-03T11:00:00Z"]
DAY2 = ["2026-11-04T09:00:00Z", "2026-11-04T16:00:00Z"]
A = TokenUsage(100, 200, 300, 400, 50)
B = TokenUsage(1000, 700, 900, 4000, 51)


def test_a_snapshot_between_days_makes_both_exact():
    s = session(DAY1 + DAY2, tokens=B, snapshots=";".join([snap("2026-11-03T11:05:00Z", A), snap("2026-11-04T16:01:00Z", B)]))
    days = days_of(s)
    assert days[date(2026, 11, 3)] == timeline.Share(A, 3, False)
    assert days[date(2026, 11, 4)] == timeline.Share(TokenUsage(900, 500, 600, 3600, 1), 2, False)
    # only the first snapshot seen so far: the tokens since belong to day 2
    s = session(DAY1 + DAY2, tokens=B, snapshots=snap("2026-11-03T11:05:00Z", A))
    assert not any(v.estimated for v in days_of(s).values())
    # none (never watched, or --no-cache): split by messages, estimated
    s = session(DAY1 + DAY2, tokens=B)
    assert all(v.estimated for v in days_of(s).values())


def test_the_quarter_holding_a_snapshot_belongs_before_it():
    # settings last written at 09:05 on day 2: the 09:00 quarter's message came before
    s = session(DAY1 + DAY2, tokens=B, snapshots=snap("2026-11-04T09:05:00Z", A))
    days = days_of(s)
    assert days[date(2026, 11, 3)].estimated and days[date(2026, 11, 4)].estimated  # A spans both days
    s = session(DAY1 + ["2026-11-03T23:50:00Z"] + DAY2, tokens=B, snapshots=snap("2026-11-03T23:51:00Z", A))
    assert days_of(s) == {
        date(2026, 11, 3): timeline.Share(A, 4, False),
        date(2026, 11, 4): timeline.Share(TokenUsage(900, 500, 600, 3600, 1), 2, False),
    }


def test_settings_written_before_the_last_messages_are_not_trusted_to_mean_zero():
    # the only snapshot (= the final tokens) predates day 2's messages: no tokens "after" it,
    # which cannot be (every answer costs tokens): day 2 joins the segment, split estimated
    s = session(DAY1 + DAY2, tokens=B, snapshots=snap("2026-11-03T11:05:00Z", B))
    days = days_of(s)
    assert days[date(2026, 11, 4)].tokens.total > 0 and all(v.estimated for v in days.values())


def test_snapshots_that_do_not_grow_are_ignored():
    s = session(DAY1 + DAY2, tokens=A, snapshots=snap("2026-11-03T11:05:00Z", B))  # more than now
    assert all(v.estimated for v in days_of(s).values())
    s = session(DAY1 + DAY2, tokens=B, snapshots=";".join([snap("2026-11-04T12:00:00Z", A), snap("2026-11-03T12:00:00Z", A)]))
    assert all(v.estimated for v in days_of(s).values())
    assert sum((v.tokens for v in days_of(s).values()), TokenUsage()) == B
    assert timeline.parse_snapshots("1:2:3;garbage") == []


def test_tokens_with_no_activity_in_their_segment_join_the_next():
    c = TokenUsage(2000, 800, 900, 4000, 60)
    snaps = ";".join([snap("2026-11-03T11:05:00Z", A), snap("2026-11-03T20:00:00Z", B), snap("2026-11-04T17:00:00Z", c)])
    days = days_of(session(DAY1 + DAY2, tokens=c, snapshots=snaps))
    assert days[date(2026, 11, 3)] == timeline.Share(A, 3, False)
    assert days[date(2026, 11, 4)].tokens == TokenUsage(1900, 600, 600, 3600, 10)


# --------------------------------------------------------------------------- reports


def three_sessions():
    return [
        entry(session(["2026-10-31T22:00:00Z", "2026-11-01T01:00:00Z"], sid="a"), model="m1"),  # over a month end
        entry(session(["2026-11-02T12:00:00Z"], tokens=TokenUsage(10, 20, 0, 0, 0), sid="b"), model="m2"),
        entry(session(["2026-11-09T12:00:00Z"], sid="c"), price=None, model="byok"),
    ]


def test_month_end_split_in_monthly_and_weekly():
    entries = three_sessions()
    months = timeline.timeline(entries, PeriodSpec("month"), zone("UTC")).periods
    assert [(p.start, p.tokens.total, p.sessions, p.estimated) for p in months] == [
        (date(2026, 10, 1), 2004, 1, True), (date(2026, 11, 1), 2000 + 30 + 4004, 3, True)]  # (thinking inside output)
    # in Tokyo both messages fall on Nov 1 (07:00 and 10:00): one month, exact
    months = timeline.timeline(entries, PeriodSpec("month"), zone("Asia/Tokyo")).periods
    assert [(p.start, p.estimated) for p in months] == [(date(2026, 11, 1), False)]
    # the week of Oct 26 holds both days of "a": exact for the week
    weeks = timeline.timeline(entries, PeriodSpec("week"), zone("UTC")).periods
    assert [(p.start, p.sessions, p.estimated) for p in weeks] == [
        (date(2026, 10, 26), 1, False), (date(2026, 11, 2), 1, False), (date(2026, 11, 9), 1, False)]
    assert weeks[2].unpriced_sessions == 1 and weeks[2].cost_usd == 0


def test_range_cuts_periods_and_totals_add_up():
    entries = three_sessions()
    result = timeline.timeline(entries, PeriodSpec("week"), zone("UTC"), DayRange(date(2026, 11, 1), date(2026, 11, 9)),
                               by=lambda e: e.model)
    assert [p.partial for p in result.periods] == [True, False, True]
    assert result.periods[0].tokens.total == 2000 and result.periods[0].estimated  # "a" reaches outside
    assert result.total.tokens.total == 2000 + 30 + 4004 and result.total.sessions == 3
    for p in result.periods:
        assert sum((b.tokens for b in p.breakdown), TokenUsage()) == p.tokens
        assert sum(b.sessions for b in p.breakdown) == p.sessions
    kept, estimated = timeline.within(entries, zone("UTC"), DayRange(date(2026, 11, 1), date(2026, 11, 9)))
    assert estimated and aggregate.totals(kept).tokens == result.total.tokens
    assert aggregate.totals(kept).cost_usd == pytest.approx(result.total.cost_usd)
    assert timeline.within(entries, zone("UTC"), DayRange(date(2026, 11, 2), None)) == (entries[1:], False)


def test_empty_range():
    result = timeline.timeline(three_sessions(), PeriodSpec("day"), zone("UTC"), DayRange(date(2027, 1, 1), None))
    assert result.periods == () and result.total is None
    assert timeline.within(three_sessions(), zone("UTC"), DayRange(None, date(2020, 1, 1))) == ([], False)
    assert timeline.timeline([], PeriodSpec("month"), zone("UTC")).periods == ()


def test_undated_sessions_are_counted_apart():
    t = TokenUsage(5, 0, 0, 0, 0)
    result = timeline.timeline([entry(session(tokens=t)), *three_sessions()], PeriodSpec("day"), zone("UTC"))
    assert result.undated_sessions == 1 and result.undated_tokens == t


def corpus(tmp_path_factory) -> tuple[Path, dict]:
    """Generated sessions with several resumed or past-midnight ones (shared by the time
    tests: made once per test run)."""
    root = tmp_path_factory.getbasetemp() / "time-corpus" / "sessions"
    if not (root / ".generator-manifest.json").exists():
        load_generator().generate(root, sessions=150, seed=5, avg_kb=20)
    return root, json.loads((root / ".generator-manifest.json").read_text())


@pytest.fixture(scope="module")
def generated_entries(tmp_path_factory):
    return load_catalog(corpus(tmp_path_factory)[0], Config()).entries


@pytest.mark.parametrize("name", ["UTC", "Europe/Warsaw", "Pacific/Chatham", "America/St_Johns"])
def test_generated_days_add_up_to_the_totals(generated_entries, name):
    entries = generated_entries
    tz = zone(name)
    day_of = tz.day_of_quarter()
    for e in entries:
        found = attribute(e.session, day_of)
        if found.days:
            assert sum((s.tokens for s in found.days.values()), TokenUsage()) == e.session.usage
    result = timeline.timeline(entries, PeriodSpec("day"), tz)
    totals = aggregate.totals(entries)
    assert result.total.tokens + result.undated_tokens == totals.tokens
    assert sum((p.tokens for p in result.periods), TokenUsage()) == result.total.tokens
    assert sum(p.cost_usd for p in result.periods) == pytest.approx(totals.cost_usd, rel=1e-9)
    assert result.total.sessions + result.undated_sessions == totals.sessions
    assert any(p.estimated for p in result.periods)  # the corpus has split sessions
    weeks = timeline.timeline(entries, PeriodSpec("week", 2), tz)
    months = timeline.timeline(entries, PeriodSpec("month", 0, 9), tz)
    assert weeks.total.tokens == months.total.tokens == result.total.tokens
    # one range, three ways: the days in it, stats over it, a month restricted to it
    days = DayRange(date(2026, 9, 3), date(2026, 10, 17))
    inside = [p for p in result.periods if p.start in days]
    kept, _ = timeline.within(entries, tz, days)
    ranged = timeline.timeline(entries, PeriodSpec("month"), tz, days)
    assert sum((p.tokens for p in inside), TokenUsage()) == aggregate.totals(kept).tokens == ranged.total.tokens
