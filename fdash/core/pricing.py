"""Prices: the built-in table, the user's overrides, and what a session cost.

Lookup order for a session's model: the config's `[pricing.models."<id>"]`, then the
built-in table (made from published prices, see `prices.json`), then, for a BYOK
`custom:` model, the priced model `[pricing.custom]` says it is (an "estimate"), then
the config's `[pricing.default]`; otherwise the session is *unpriced* and shown as such — a model is
never priced as another one. Ids are only normalised in ways that cannot change the
model: case, provider prefixes (`anthropic/`, `us.anthropic.`), a Vertex `@date`, a
Bedrock `-v1:0` suffix, and a release date suffix when the undated id (or every dated
id of that model) has the same price.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

from attrs import frozen

from fdash.core.models import Cost, Price, Session
from fdash.core.prices import builtin, builtin_price, normalise, origins
from fdash.core.prices import find as _find
from fdash.core.regular import read_regular

__all__ = ["BuiltinTable", "PriceBook", "builtin_table", "custom_model_suggestions", "normalise"]


@frozen
class BuiltinTable:
    prices: dict[str, Price]
    source: str
    retrieved: str

    def origin(self, key: str | None) -> str | None:
        """Where the built-in price of `key` comes from, e.g. "LiteLLM zai/glm-4.7"."""
        if key is None or key not in self.prices:
            return None
        return f"LiteLLM {origins().get(key, key)}"


@lru_cache(maxsize=1)
def builtin_table() -> BuiltinTable:
    prices, source, retrieved = builtin()
    return BuiltinTable({model: Price(*p) for model, p in prices.items()}, source, retrieved)


class PriceBook:
    """Prices a session from the config's overrides, the built-in table, the default."""

    def __init__(
        self,
        overrides: dict[str, Price] | None = None,
        default: Price | None = None,
        estimates: dict[str, str] | None = None,
    ):
        self.builtin = builtin_table()
        self.estimates = {k.lower(): v for k, v in (estimates or {}).items()}  # custom id → priced model
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
        target = self.estimates.get(model.lower()) if model else None
        if target and not target.lower().startswith("custom:"):  # a BYOK model the user says is this one
            price, source, key = self._lookup(target)
            if price is not None and source != "default":
                return price, "estimate", key
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


def custom_model_suggestions(settings_path: str | os.PathLike[str]) -> dict[str, str]:
    """`custom:` id → the model droid's settings.json says it calls (`customModels[].model`),
    to suggest a [pricing.custom] estimate. Only a suggestion: today's settings say
    nothing certain about an old session. Droid's id for a custom model is
    `custom:<displayName, runs of spaces as "-">-<n>`, n counting earlier ones of that name."""
    try:  # a regular file only (a FIFO there cannot hang the Settings tab), at most 4 MB
        doc = json.loads(read_regular(settings_path, limit=4 * 1024 * 1024))
    except (OSError, ValueError):
        return {}
    models = doc.get("customModels") if isinstance(doc, dict) else None
    found: dict[str, str] = {}
    seen: dict[str, int] = {}
    for item in models if isinstance(models, list) else []:
        if not isinstance(item, dict):
            continue
        name, model = item.get("displayName"), item.get("model")
        slug = "-".join(name.split()) if isinstance(name, str) else ""
        index = seen.get(slug, 0)
        seen[slug] = index + 1
        given = item.get("id")
        custom_id = given if isinstance(given, str) and given else f"custom:{slug}-{index}"
        if isinstance(model, str) and model and slug:
            found[custom_id] = model
    return found
