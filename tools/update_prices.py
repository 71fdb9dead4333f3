"""Rebuild fdash/core/prices.json (the built-in price table) from a pricing-facts file.

    python tools/update_prices.py tests/fixtures/pricing-facts.json

Keeps the source and retrieval date, and the four base-tier prices of each model
(USD per million tokens: input, output, cache_write, cache_read; null = not published,
billed at the input rate). Long-context tiers are not used: Droid records session
totals, not per-request sizes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "fdash" / "core" / "prices.json"
FIELDS = ("input", "output", "cache_write", "cache_read")


def main(argv: list[str]) -> int:
    source = Path(argv[0] if argv else "tests/fixtures/pricing-facts.json")
    facts = json.loads(source.read_text(encoding="utf-8"))
    renamed = facts.get("provenance", {}).get("renamed_from_litellm_key", {})
    table = {
        "source": facts["source"],
        "retrieved": facts["retrieved"],
        "units": "USD per 1,000,000 tokens",
        "note": "Generated from tests/fixtures/pricing-facts.json by tools/update_prices.py; "
        "only the base (<=200k) tier is used.",
        "models": {
            # "from": the LiteLLM key it was read from, when that is not the model id itself
            # (a first-party provider's prefix: zai/, moonshot/, xai/)
            model: {**{field: prices[field] for field in FIELDS}, **({"from": renamed[model]} if model in renamed else {})}
            for model, prices in facts["models"].items()
        },
    }
    TARGET.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(table['models'])} models to {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
