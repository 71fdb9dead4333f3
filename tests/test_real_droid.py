"""fdash on sessions the real droid binary wrote (tests/fixtures/real-droid, made by
tools/droid_lab): every session equals the lab's ground truth."""

from __future__ import annotations

import json

import pytest

from fdash.core import aggregate
from fdash.core.catalog import load_catalog
from fdash.core.config import Config
from fdash.core.models import SEVERAL_MODELS, TokenUsage
from fdash.core.times import iso_to_ms

from .conftest import REPO

LAB = REPO / "tests" / "fixtures" / "real-droid"
TRUTH = json.loads((LAB / "ground-truth.json").read_text())
BY_CASE = {s["case"]: s for s in TRUTH["sessions"]}


@pytest.fixture(scope="module")
def entries():
    catalog = load_catalog(LAB / "sessions", Config(), use_index=False)
    assert catalog.problems == ()
    return {e.session.id: e for e in catalog.entries}


def test_every_lab_session_is_read(entries):
    assert set(entries) == {s["id"] for s in TRUTH["sessions"]}
    assert TRUTH["droid_version"]  # which droid wrote them


@pytest.mark.parametrize("truth", TRUTH["sessions"], ids=[s["case"] for s in TRUTH["sessions"]])
def test_each_session_equals_the_ground_truth(entries, truth):
    entry = entries[truth["id"]]
    s = entry.session
    want = truth["expected_tokens"]  # what the mock billed, summed over the successful calls
    assert (s.usage.input, s.usage.output, s.usage.cache_write, s.usage.cache_read) == (
        want["inputTokens"], want["outputTokens"], want["cacheCreationTokens"], want["cacheReadTokens"])
    assert s.usage.total == sum(want.values())  # thinking is a part of output: not added again
    assert s.user_prompts == truth["prompts"]
    assert s.project == truth["project"] and s.folder == truth["folder"]
    assert entry.model == (truth["models"][0] if len(truth["models"]) == 1 else SEVERAL_MODELS)
    assert s.models == tuple(truth["models"])
    assert s.title == truth["title"]
    assert s.first_at_ms >= iso_to_ms(truth["started_after"])  # its own start, not a parent's
    assert s.parent_id == truth.get("fork_of")
    assert entry.parent_id == truth.get("subagent_of")
    assert set(s.child_ids) == set(truth.get("children", []))
    assert s.credits == 0.0  # droid records 0 credits for a BYOK model


def test_thinking_is_shown_as_part_of_output_and_never_billed_on_top(entries):
    s = entries[BY_CASE["one-turn-anthropic"]["id"]].session
    assert 0 < s.usage.thinking < s.usage.output
    from fdash.core.models import Price

    price = Price(1, 10, 2, 0.1)
    assert price.cost(s.usage) == pytest.approx(
        (s.usage.input * 1 + s.usage.output * 10 + s.usage.cache_write * 2 + s.usage.cache_read * 0.1) / 1e6)


def test_a_fork_counts_only_its_own_prompts_and_time(entries):
    fork = entries[BY_CASE["fork"]["id"]].session
    parent = entries[BY_CASE["multi-turn"]["id"]].session
    assert fork.user_prompts == 1 and fork.prompt_previews == ("forked question",)
    assert fork.first_at_ms > parent.last_at_ms  # the copied messages keep the parent's times
    assert fork.message_count == 2  # its prompt and the reply (not the parent's 5 copied ones)


def test_a_subagent_is_linked_from_its_own_side_and_has_no_typed_prompt(entries):
    child = entries[BY_CASE["subagent"]["id"]]
    parent_id = BY_CASE["subagent-parent"]["id"]
    assert child.session.calling_session_id == parent_id and child.session.subagent
    assert child.session.tagged_parent_id == parent_id
    assert child.session.user_prompts == 0 and not child.session.empty
    assert child.session.title == "Lab-worker: count lab files"
    parent = entries[parent_id].session
    assert parent.user_prompts == 1  # droid's "Background task completed" notice is not a prompt


def test_one_folder_spelled_two_ways_is_one_project(entries):
    plain = {e.session.project for e in entries.values() if e.session.folder == "-tmp-droid-lab-w-plain"}
    assert plain == {BY_CASE["one-turn-anthropic"]["cwd"]}
    totals = aggregate.totals(entries.values())
    assert totals.projects == 3


def test_a_cut_stream_counts_what_droid_recorded(entries):
    cut = entries[BY_CASE["cut-stream"]["id"]].session
    assert cut.usage == TokenUsage(777, 0, 0, 0, 0)  # the input of message_start; no retry


def test_credits_and_models_in_every_record(entries):
    from fdash.core import export

    records = [export.session_record(e) for e in entries.values()]
    assert all(r["factory_credits"] == 0.0 for r in records)
    switched = next(r for r in records if r["id"] == BY_CASE["model-switch"]["id"])
    assert switched["models"] == BY_CASE["model-switch"]["models"] and switched["model"] == switched["models"][-1]
    csv_text = export.to_csv(records)
    assert "factory_credits" in csv_text.split("\r\n", 1)[0]
    stats = export.stats_record(aggregate.totals(entries.values()), [])
    assert stats["factory_credits"] == 0.0 and stats["sessions_without_credits"] == 0


COMPACTION = REPO / "tests" / "fixtures" / "real-droid-compaction"


def test_compress_starts_a_session_that_inherits_its_parents_tokens_counted_once():
    """droid's /compress (its app) starts a session whose tokenUsage begins at the
    parent's totals: each token is counted once, in the session whose call made it."""
    truth = json.loads((COMPACTION / "ground-truth.json").read_text())
    catalog = load_catalog(COMPACTION / "sessions", Config(), use_index=False)
    assert catalog.problems == ()
    entries = {e.session.id: e for e in catalog.entries}
    for case in truth["sessions"]:
        own = case["own_tokens"]
        s = entries[case["id"]].session
        assert (s.usage.input, s.usage.output, s.usage.cache_write, s.usage.cache_read) == (
            own["inputTokens"], own["outputTokens"], own["cacheCreationTokens"], own["cacheReadTokens"])
        assert s.inherits_tokens == (case["case"] == "compaction-child")
    child = next(c for c in truth["sessions"] if c["case"] == "compaction-child")
    assert child["droid_token_usage"]["inputTokens"] > child["own_tokens"]["inputTokens"]  # what droid wrote
    billed = sum(c["own_tokens"]["inputTokens"] for c in truth["sessions"])
    assert aggregate.totals(entries.values()).tokens.input == billed


def test_the_quick_stats_counts_compaction_once_too(capfd):
    from .test_quick import _both

    quick, full = _both(capfd, COMPACTION / "sessions", "stats", "--json")
    assert quick == full
    truth = json.loads((COMPACTION / "ground-truth.json").read_text())
    assert json.loads(quick.out)["input_tokens"] == sum(c["own_tokens"]["inputTokens"] for c in truth["sessions"])
