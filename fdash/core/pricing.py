"""Prices: the built-in table, the user's overrides, and what a session cost.

Lookup order for a session's model: the config's `[pricing.models."<id>"]`, then the
built-in table (made from published prices, see `prices.json`), then the config's
`[pricing.default]`; otherwise the session is *unpriced* and shown as such — a model is
never priced as another one. Ids are only normalised in ways that cannot change the
model: case, provider prefixes (`anthropic/`, `us.anthropic.`), a Vertex `@date`, a
Bedrock `-v1:0` suffix, and a release date suffix when the undated id (or every dated
id of that model) has the same price.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache

from attrs import frozen

from fdash.core.models import Cost, Price, Session

_DATE_SUFFIX = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2})$")
_BEDROCK = re.compile(r"^(?:(?:us|eu|apac|global)\.)?(?:anthropic|openai|google|meta|zai)\.")
_BEDROCK_VERSION = re.compile(r"-v\d+(?::\d+)?$")


@frozen
class BuiltinTable:
    prices: dict[str, Price]
    source: str
    retrieved: str


@lru_cache(maxsize=1)
def builtin_table() -> BuiltinTable:
    with open(os.path.join(os.path.dirname(__file__), "prices.json"), encoding="utf-8") as handle:
        raw = json.load(handle)
    prices = {
        model.lower(): Price(p["input"], p["output"], p["cache_write"], p["cache_read"])
        for model, p in raw["models"].items()
        if p.get("input") is not None and p.get("output") is not None
    }
    return BuiltinTable(prices, raw["source"], raw["retrieved"])


def normalise(model: str) -> str:
    """Spellings of one model id reduced to one (never to another model)."""
    name = model.strip().lower()
    if "/" in name:
        name = name.rsplit("/", 1)[1]
    name = _BEDROCK.sub("", name)
    name = _BEDROCK_VERSION.sub("", name)
    return name.replace("@", "-")


def _find(model: str, table: dict[str, Price]) -> tuple[str, Price] | None:
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


class PriceBook:
    """Prices a session from the config's overrides, the built-in table, the default."""

    def __init__(self, overrides: dict[str, Price] | None = None, default: Price | None = None):
        self.builtin = builtin_table()
        self.overrides = {normalise(k): v for k, v in (overrides or {}).items()}
        self.overrides.update({k: v for k, v in (overrides or {}).items()})
        self.default = default
        self._cache: dict[str | None, tuple[Price | None, str, str | None]] = {}

    def lookup(self, model: str | None) -> tuple[Price | None, str, str | None]:
        """(price, source, table key). Custom (BYOK) models are never in the built-in table."""
        found = self._cache.get(model)
        if found is None:
            found = self._cache[model] = self._lookup(model)
        return found

    def _lookup(self, model: str | None) -> tuple[Price | None, str, str | None]:
        if model:
            found = _find(model, self.overrides)
            if found:
                return found[1], "config", found[0]
            if not model.lower().startswith("custom:"):
                found = _find(model, self.builtin.prices)
                if found:
                    return found[1], "builtin", found[0]
        if self.default is not None:
            return self.default, "default", None
        return None, "unpriced", None

    def cost(self, session: Session) -> Cost:
        tokens = session.tokens
        if tokens is None or tokens.total == 0:
            return Cost(0.0, "none")
        price, source, key = self.lookup(session.resolved_model or session.model)
        if session.switched_models and any(self.lookup(m)[0] != price for m in session.models):
            return Cost(None, "unpriced")  # several models at other prices: never all at one's price
        if price is None:
            return Cost(None, "unpriced")
        return Cost(price.cost(tokens), source, key, price)
