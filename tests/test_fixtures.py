"""Exact numbers on real droid-written files (values computed by hand from the files)."""

from __future__ import annotations

from fdash.core import aggregate
from fdash.core.catalog import load_catalog
from fdash.core.config import Config
from fdash.core.models import TokenUsage
from fdash.core.parse import TranscriptReader
from fdash.core.read import read_prompts

from .conftest import ZIRV

NEEDLE = "11080800-d13f-4c9d-b6df-149ea74d7723"
WINDOWS = "7df5bcf0-6cd9-4c89-8925-1bf8b3fb061d"
EMPTY = "774f4bf6-8025-4790-95b6-e8f854f09891"


def _catalog(root):
    return load_catalog(root, Config(), use_index=False)


def test_each_fixture_session_exactly(observer_root):
    catalog = _catalog(observer_root)
    assert catalog.problems == ()
    sessions = {e.session.id: e for e in catalog.entries}
    assert set(sessions) == {NEEDLE, WINDOWS, EMPTY}  # .settings.json.bak files are not sessions

    needle = sessions[NEEDLE].session
    assert needle.tokens == TokenUsage(26934, 203, 0, 45056, 80)  # tokenUsage, not lastCall
    assert needle.title == "--update"
    assert needle.cwd == "/home/marmutapp/needlehaystack"
    assert needle.model == "custom:GPT-5.4-Mini-[OpenAI-BYOK]-0"
    assert needle.active_time_ms == 13849
    # "--update", "hi", "QUick summary of the project"; not the llm_only context,
    # not the user_only "No active subscription" / "credit limit" notices, not the tool_result
    assert needle.user_prompts == 3
    assert needle.prompt_previews == ("--update", "hi", "QUick summary of the project")
    assert needle.message_count == 12
    assert needle.first_at_ms == 1785261790939  # 2026-07-28T18:03:10.939Z
    assert needle.last_at_ms == 1785261858993  # 2026-07-28T18:04:18.993Z
    assert needle.provider_lock_at_ms == 1785261827591

    windows = sessions[WINDOWS]
    assert windows.session.cwd == "C:\\Users\\auzy_\\copilot-smoke"
    assert windows.session.title == "Start new chat"
    assert windows.session.tokens == TokenUsage(18320, 327, 0, 67072, 92)
    assert windows.session.user_prompts == 2
    assert windows.group == "auzy_"

    empty = sessions[EMPTY].session
    assert empty.title == "New Session" and empty.empty and empty.user_prompts == 0
    assert empty.tokens == TokenUsage()  # the .bak says claude-opus-5 with other numbers: ignored
    assert empty.first_at_ms is None


def test_fixture_totals_and_pricing(observer_root):
    catalog = _catalog(observer_root)
    totals = aggregate.totals(catalog.entries)
    assert totals.sessions == 3
    assert totals.projects == 2
    assert totals.groups == 2
    assert totals.tokens == TokenUsage(45254, 530, 0, 112128, 172)
    assert totals.tokens.total == 157912  # thinking (172) is inside output, counted once
    assert totals.user_prompts == 5
    assert totals.empty_sessions == 1
    assert totals.active_time_ms == 27823
    # BYOK custom models are unpriced, never priced as gpt-5.4-mini
    assert totals.unpriced_sessions == 2
    assert totals.unpriced_models == ("custom:GPT-5.4-Mini-[OpenAI-BYOK]-0",)
    assert totals.cost_usd == 0.0
    groups = {b.key: b for b in aggregate.by_group(catalog.entries)}
    assert set(groups) == {"marmutapp", "auzy_"}
    assert groups["marmutapp"].sessions == 2 and groups["marmutapp"].projects == 1


def test_config_price_for_custom_model(observer_root):
    from fdash.core.config import ModelPrice, PricingConfig

    config = Config(pricing=PricingConfig(models={
        "custom:GPT-5.4-Mini-[OpenAI-BYOK]-0": ModelPrice(0.75, 4.5, None, 0.075)
    }))
    catalog = load_catalog(observer_root, config, use_index=False)
    needle = next(e for e in catalog.entries if e.session.id == NEEDLE)
    # 26934*0.75 + 203*4.5 + 0*0.75 + 45056*0.075 per million (the 80 thinking tokens are
    # inside the 203 output tokens: not billed again)
    expected = (26934 * 0.75 + 203 * 4.5 + 45056 * 0.075) / 1e6
    assert needle.cost.source == "config"
    assert abs(needle.cost.usd - expected) < 1e-12
    assert aggregate.totals(catalog.entries).unpriced_sessions == 0


def test_zirv_bare_transcript():
    reader = TranscriptReader(str(ZIRV))
    reader = reader.finished(reader.feed(ZIRV.read_bytes()))
    assert reader.title == "please fix the bug"
    assert reader.cwd == "D:/GitHub/zirv-w2-droid/target/droid-home/work repo"
    assert reader.user_prompts == 1  # the llm_only context- message is not a prompt
    assert reader.previews == ["please fix the bug"]
    assert reader.message_count == 5
    assert reader.model_hint == "custom:Mock-Model-1"  # the last assistant message's modelId
    assert reader.problems() == []


def test_full_prompts_are_cleaned(observer_root):
    path = next(observer_root.rglob(f"{NEEDLE}.jsonl"))
    assert read_prompts(str(path)) == ["--update", "hi", "QUick summary of the project"]


def test_assistant_activity_by_quarter_hour(observer_root):
    from datetime import datetime, timezone

    from fdash.core.times import QUARTER_MS, decode_activity

    catalog = _catalog(observer_root)
    needle = next(e.session for e in catalog.entries if e.session.id == NEEDLE)
    # three assistant messages: 18:03:54, 18:04:15, 18:04:18 UTC on 2026-07-28
    quarter = int(datetime(2026, 7, 28, 18, 0, tzinfo=timezone.utc).timestamp() * 1000) // QUARTER_MS
    assert decode_activity(needle.activity) == {quarter: 3}
    windows = next(e.session for e in catalog.entries if e.session.id == WINDOWS)
    assert sum(decode_activity(windows.activity).values()) == 5  # 17:17:35 … 17:21:24
