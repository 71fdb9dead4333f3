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
