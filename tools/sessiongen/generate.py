"""The test corpus: a realistic history (`fdash.demo`), plus stray files, the hostile
cases when asked, and the manifest (the ground truth) written beside them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from fdash.demo.history import write_history
from fdash.demo.primitives import DAY_MS, iso_ms

from .hostile import HostileCorpus
from .manifest import MANIFEST_NAME, compute_totals, manifest_entry, project_rows
from .strays import write_strays


def generate(
    output: Path,
    sessions: int,
    seed: int = 0,
    hostile: bool = False,
    avg_kb: float = 30,
    days: int = 120,
    now: datetime | None = None,
    *,
    huge: bool = False,
    unreadable: bool = False,
    hostile_favorites: bool = False,
) -> dict:
    """Write a session tree to `output` and return the manifest (also written there)."""
    entries: dict[str, dict] = {}

    def record(plan, info, settings, files, plans) -> None:
        entries[plan.id] = manifest_entry(plan, info, settings, files, plans)

    history = write_history(output, sessions, seed, avg_kb, days, now, orphans=True, on_session=record)
    writer, plans, now_ms = history.writer, history.plans, history.now_ms
    favorites = history.favorites
    strays = write_strays(writer, history.projects, plans, history.rng, now_ms)

    hostile_entries: list[dict] = []
    if hostile:
        hostile_entries = HostileCorpus(writer, seed, now_ms, huge, unreadable).build()
    if hostile_favorites:
        writer.write(".favorites", '["' + plans[0].id + '", ' if plans else '["', now_ms - DAY_MS)
        hostile_entries.append(
            {
                "case": "favorites_invalid_json",
                "path": ".favorites",
                "session_id": None,
                "counted": False,
                "expect": {"favorites": []},
                "note": "unreadable favorites: no session is a favorite",
            }
        )
        for entry in entries.values():
            entry["favorite"] = False
        favorites = []

    manifest = {
        "generator": "tools/generate_sessions.py",
        "params": {
            "sessions": sessions,
            "seed": seed,
            "avg_kb": avg_kb,
            "days": days,
            "now": iso_ms(now_ms),
            "hostile": hostile,
            "huge": huge,
            "unreadable": unreadable,
            "hostile_favorites": hostile_favorites,
        },
        "sessions": entries,
        "totals": compute_totals(entries),
        "projects": project_rows(history.projects, entries),
        "favorites": favorites,
        "stray_files": strays,
        "hostile": hostile_entries,
    }
    writer.write(MANIFEST_NAME, json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", now_ms)
    return manifest
