"""Sub-agent sessions are linked to the session whose Task tool started them."""

from __future__ import annotations

import orjson

from fdash.core import aggregate
from fdash.core.catalog import load_catalog
from fdash.core.config import Config

NEEDLE = "11080800-d13f-4c9d-b6df-149ea74d7723"
WINDOWS = "7df5bcf0-6cd9-4c89-8925-1bf8b3fb061d"


def test_links_match_the_generator(generated):
    root, manifest = generated
    catalog = load_catalog(root, Config())
    by_id = {e.session.id: e for e in catalog.entries}
    expected = {child: sid for sid, s in manifest["sessions"].items() for child in (s.get("children") or [])}
    assert expected, "the generated corpus should hold sub-agent sessions"
    linked = {e.session.id: e.parent_id for e in catalog.entries if e.parent_id}
    assert linked == {c: p for c, p in expected.items() if c in by_id}
    assert {manifest["sessions"][child]["kind"] for child in linked} == {"subagent"}
    # totals count every session once: a parent's own tokens never include its children's
    totals = aggregate.totals(catalog.entries)
    assert totals.tokens.total == sum(e.session.usage.total for e in catalog.entries)


def test_link_from_settings_map(observer_root):
    settings = next(observer_root.rglob(f"{NEEDLE}.settings.json"))
    doc = orjson.loads(settings.read_bytes())
    doc["childInclusiveTokenUsageBySessionId"] = {WINDOWS: doc["tokenUsage"], "not-an-id": {}}
    settings.write_bytes(orjson.dumps(doc))
    catalog = load_catalog(observer_root, Config())
    by_id = {e.session.id: e for e in catalog.entries}
    assert by_id[WINDOWS].parent_id == NEEDLE
    assert by_id[NEEDLE].session.child_ids == (WINDOWS,)
    assert by_id[NEEDLE].parent_id is None
