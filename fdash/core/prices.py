"""Prices as plain numbers: the built-in table, model id normalisation, lookup, and the
dollars of some tokens. No attrs (a warm `stats`, fdash.core.quick, prices sessions
without the models); fdash.core.pricing builds the `Price` objects and `PriceBook` on it.

A price is (input, output, cache write, cache read) in USD per million tokens; a missing
cache price (None) is billed at the input rate. Thinking is not billed on top: it is
already part of the output droid records (docs/FORMAT.md).
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache

_DATE_SUFFIX = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2})$")
_BEDROCK = re.compile(r"^(?:(?:us|eu|apac|global)\.)?(?:anthropic|openai|google|meta|zai)\.")
_BEDROCK_VERSION = re.compile(r"-v\d+(?::\d+)?$")


@lru_cache(maxsize=1)
def builtin() -> tuple[dict[str, tuple], str, str]:
    """(model id → price, where the prices come from, when they were retrieved)."""
    with open(os.path.join(os.path.dirname(__file__), "prices.json"), encoding="utf-8") as handle:
        raw = json.load(handle)
    prices = {
        model.lower(): (p["input"], p["output"], p["cache_write"], p["cache_read"])
        for model, p in raw["models"].items()
        if p.get("input") is not None and p.get("output") is not None
    }
    return prices, raw["source"], raw["retrieved"]


@lru_cache(maxsize=1)
def origins() -> dict[str, str]:
    """Table key → the LiteLLM key its price was read from, where they differ (a
    first-party provider's prefix: zai/, moonshot/, xai/; tools/update_prices.py)."""
    with open(os.path.join(os.path.dirname(__file__), "prices.json"), encoding="utf-8") as handle:
        raw = json.load(handle)
    return {model.lower(): p["from"] for model, p in raw["models"].items() if p.get("from")}


def usd(price, tokens) -> float:
    """Dollars of `tokens` (input, output, cache write, cache read, thinking) at `price`."""
    p_in, p_out, p_write, p_read = price
    t_in, t_out, t_write, t_read, _thinking = tokens
    cache_write = p_in if p_write is None else p_write
    cache_read = p_in if p_read is None else p_read
    return (t_in * p_in + t_out * p_out + t_write * cache_write + t_read * cache_read) / 1_000_000


def normalise(model: str) -> str:
    """Spellings of one model id reduced to one (never to another model)."""
    name = model.strip().lower()
    if "/" in name:
        name = name.rsplit("/", 1)[1]
    name = _BEDROCK.sub("", name)
    name = _BEDROCK_VERSION.sub("", name)
    return name.replace("@", "-")


def find(model: str, table: dict):
    """(table key, price) of `model` in `table`, or None."""
    if not table:
        return None
    for key in (model, model.lower(), normalise(model)):
        if key in table:
            return key, table[key]
    name = normalise(model)
    undated = _DATE_SUFFIX.sub("", name)
    if undated != name and undated in table:
        return undated, table[undated]
    # an undated id: accept the dated entries only if they all agree on the price
    dated = {table[k] for k in table if _DATE_SUFFIX.sub("", k) == name and k != name}
    if len(dated) == 1:
        key = min(k for k in table if _DATE_SUFFIX.sub("", k) == name and k != name)
        return key, table[key]
    return None


def builtin_price(model: str | None):
    """(price, table key) of a model in the built-in table alone, or None: what a session
    costs with no config. Custom (BYOK) models are never in it."""
    if not model or model.lower().startswith("custom:"):
        return None
    found = find(model, builtin()[0])
    return None if found is None else (found[1], found[0])
