"""Prices: built-in table, id normalisation, overrides, unpriced models."""

from __future__ import annotations

import json

import pytest

from fdash.core.models import Price, Session, TokenUsage
from fdash.core.pricing import PriceBook, builtin_table, normalise

from .conftest import PRICING_FACTS

TOKENS = TokenUsage(input=1_000_000, output=1_000_000, cache_write=1_000_000, cache_read=1_000_000, thinking=1_000_000)


def cost(model, book=None):
    book = book or PriceBook()
    return book.cost(Session(id="x", model=model, resolved_model=model, tokens=TOKENS))


def test_builtin_table_matches_published_facts():
    facts = json.loads(PRICING_FACTS.read_text())
    table = builtin_table()
    assert table.source == facts["source"] and table.retrieved == facts["retrieved"]
    for model, p in facts["models"].items():
        assert table.prices[model.lower()] == Price(p["input"], p["output"], p["cache_write"], p["cache_read"])


def test_opus_cost_by_hand():
    # claude-opus-4-5-20251101: 5 in, 25 out, 6.25 cache write, 0.5 cache read; thinking is
    # part of output (docs/FORMAT.md), never billed on top
    c = cost("claude-opus-4-5-20251101")
    assert c.source == "builtin" and c.price_key == "claude-opus-4-5-20251101"
    assert c.usd == pytest.approx(5 + 25 + 6.25 + 0.5)


@pytest.mark.parametrize("model, key", [
    ("anthropic/claude-opus-4-5-20251101", "claude-opus-4-5-20251101"),
    ("Claude-Opus-4-5-20251101", "claude-opus-4-5-20251101"),
    ("claude-opus-4-5@20251101", "claude-opus-4-5-20251101"),
    ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929"),
    ("claude-opus-4-1", "claude-opus-4-1"),
    ("gpt-5.1-codex", "gpt-5.1-codex"),
    ("gemini-3-pro-preview", "gemini-3-pro-preview"),
    ("glm-4.6", "glm-4.6"),
])
def test_normalised_ids_find_the_same_model(model, key):
    assert cost(model).price_key == key


@pytest.mark.parametrize("model", [
    "custom:GPT-5.4-Mini-[OpenAI-BYOK]-0", "acme-coder-9", "gpt-5.1-codex-maxi", "claude-opus-9", "auto", None,
])
def test_unknown_models_are_unpriced_never_guessed(model):
    c = cost(model)
    assert c.usd is None and c.source == "unpriced"


def test_missing_cache_price_is_billed_at_input_rate():
    # gpt-5.1-codex: cache_write not published → input rate (1.25)
    price = builtin_table().prices["gpt-5.1-codex"]
    assert price.cache_write is None
    assert cost("gpt-5.1-codex").usd == pytest.approx(1.25 + 10 + 1.25 + 0.125)


def test_config_override_and_default():
    book = PriceBook({"claude-opus-4-5-20251101": Price(1, 2, 3, 4)}, default=Price(10, 20, 30, 40))
    assert cost("claude-opus-4-5-20251101", book).usd == pytest.approx(1 + 2 + 3 + 4)
    assert cost("claude-opus-4-5-20251101", book).source == "config"
    d = cost("acme-coder-9", book)
    assert d.source == "default" and d.usd == pytest.approx(10 + 20 + 30 + 40)
    assert cost("custom:mine", PriceBook({"custom:mine": Price(1, 1)})).source == "config"


def test_no_tokens_costs_nothing_and_is_not_unpriced():
    c = PriceBook().cost(Session(id="x", model="acme", tokens=None))
    assert c.usd == 0.0 and c.source == "none"


def test_normalise_keeps_distinct_models_distinct():
    assert normalise("gpt-5.1-codex-max") != normalise("gpt-5.1-codex")


@pytest.mark.parametrize("model, key, origin", [
    ("glm-4.7", "glm-4.7", "LiteLLM zai/glm-4.7"),
    ("glm-5.2", "glm-5.2", "LiteLLM zai/glm-5.2"),
    ("kimi-k2.7-code", "kimi-k2.7-code", "LiteLLM moonshot/kimi-k2.7-code"),
    ("grok-4.6", "grok-4.6", "LiteLLM xai/grok-4.6"),
    ("claude-fable-5", "claude-fable-5", "LiteLLM claude-fable-5"),
    ("deepseek-v4-pro", "deepseek-v4-pro", "LiteLLM deepseek-v4-pro"),
])
def test_droid_core_models_priced_from_their_first_party_provider(model, key, origin):
    facts = json.loads(PRICING_FACTS.read_text())
    c = cost(model)
    assert c.source == "builtin" and c.price_key == key
    assert builtin_table().origin(key) == origin  # the source is shown
    want = facts["models"][key]
    assert c.price == Price(want["input"], want["output"], want["cache_write"], want["cache_read"])


@pytest.mark.parametrize("model", ["claude-opus-4-6-fast", "gpt-5.5-fast", "minimax-m3"])
def test_fast_ids_and_models_without_a_first_party_price_stay_unpriced(model):
    assert cost(model).source == "unpriced"  # never the base model's (or a reseller's) price


def test_a_custom_model_is_priced_only_as_a_labelled_estimate_the_user_asked_for():
    assert cost("custom:Opus-via-proxy-0").source == "unpriced"
    book = PriceBook(estimates={"custom:Opus-via-proxy-0": "claude-opus-4-5-20251101"})
    c = cost("custom:Opus-via-proxy-0", book)
    assert c.source == "estimate" and c.price_key == "claude-opus-4-5-20251101"
    assert c.usd == pytest.approx(cost("claude-opus-4-5-20251101").usd)
    assert cost("custom:Other-0", book).source == "unpriced"
    # an estimate pointing at an unknown model prices nothing (not even with the default)
    book = PriceBook(default=Price(1, 1), estimates={"custom:x-0": "acme-9"})
    assert cost("custom:x-0", book).source == "default"


def test_custom_model_suggestions_follow_droids_ids(tmp_path):
    from fdash.core.pricing import custom_model_suggestions

    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"customModels": [
        {"model": "claude-opus-4-5", "displayName": "Opus  via proxy", "provider": "anthropic"},
        {"model": "gpt-5.1", "displayName": "Opus via proxy", "provider": "openai"},
        {"model": "glm-4.7", "displayName": "GLM", "id": "custom:my-glm"},
        {"displayName": "no model"}, "junk",
    ]}))
    assert custom_model_suggestions(settings) == {
        "custom:Opus-via-proxy-0": "claude-opus-4-5", "custom:Opus-via-proxy-1": "gpt-5.1", "custom:my-glm": "glm-4.7"}
    assert custom_model_suggestions(tmp_path / "missing.json") == {}


def test_pricing_custom_in_the_config_file_makes_the_estimate():
    from fdash.core.config import parse_text, price_book

    _doc, config, warnings = parse_text('[pricing.custom]\n"custom:Opus-via-proxy-0" = "claude-opus-4-5-20251101"\n', "t")
    assert warnings == []
    session = Session("s", model="custom:Opus-via-proxy-0", tokens=TokenUsage(1_000_000, 0, 0, 0, 0))
    c = price_book(config).cost(session)
    assert c.source == "estimate" and c.usd == pytest.approx(5.0)
