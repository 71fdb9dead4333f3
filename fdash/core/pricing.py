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

from functools import lru_cache

from attrs import frozen

from fdash.core.models import Cost, Price, Session
from fdash.core.prices import builtin, builtin_price, normalise
from fdash.core.prices import find as _find

__all__ = ["BuiltinTable", "PriceBook", "builtin_table", "normalise"]


@frozen
class BuiltinTable:
    prices: dict[str, Price]
    source: str
    retrieved: str


@lru_cache(maxsize=1)
def builtin_table() -> BuiltinTable:
    prices, source, retrieved = builtin()
    return BuiltinTable({model: Price(*p) for model, p in prices.items()}, source, retrieved)


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
        found = builtin_price(model)
        if found:
            return self.builtin.prices[found[1]], "builtin", found[1]
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
