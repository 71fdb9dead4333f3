"""A whole history: plan the sessions, build and write them, add favorites, strays and
hostile files, then write the manifest. `generate` is the package's entry point."""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path

from .hostile import HostileCorpus
from .layout import TreeWriter, write_favorites, write_session, write_strays
from .manifest import MANIFEST_NAME, compute_totals, manifest_entry, project_rows
from .plans import SessionPlan, plan_sessions
from .primitives import DAY_MS, iso_ms, parse_now
from .settings import build_settings, older_snapshot
from .transcript import TranscriptBuilder


def write_sessions(
    writer: TreeWriter, plans: list[SessionPlan], seed: int, avg_kb: float, now_ms: int
) -> dict[str, dict]:
    """Phase 2: build and write every planned session; returns the manifest entries."""
    entries: dict[str, dict] = {}
    first_contexts: dict[int, tuple[dict, int]] = {}  # what a fork of that session copies
    first_ms: dict[int, int] = {}  # sub-agents start shortly after their caller
    planned_left = sum(p.target_bytes for p in plans if p.has_transcript)
    budget_left = sum(1 for p in plans if p.has_transcript) * avg_kb * 1024
    for plan in plans:
        rng = random.Random(f"{seed}/session/{plan.index}")
        info = None
        if plan.has_transcript:
            start = fork_source = parent_id = None
            if plan.parent is not None:
                fork_source = first_contexts[plan.parent]
                start = fork_source[1] + plan.offset_ms
                parent_id = plans[plan.parent].id
            elif plan.task_parent is not None and plan.task_parent in first_ms:
                start = first_ms[plan.task_parent] + plan.offset_ms
            # steer sizes so that the running total tracks the budget
            factor = min(4.0, max(0.25, budget_left / planned_left)) if planned_left > 0 else 1.0
            target = plan.huge_bytes + int((plan.target_bytes - plan.huge_bytes) * factor)
            info = TranscriptBuilder(plan, rng, now_ms, fork_source, start, parent_id).build(target)
            planned_left -= plan.target_bytes
            budget_left -= len(info.data)
            if info.first_context is not None:
                first_contexts[plan.index] = info.first_context
            if info.first_ms is not None:
                first_ms[plan.index] = info.first_ms
        settings = bak = None
        if plan.has_settings:
            settings = build_settings(plan, plans, info, rng, now_ms)
            bak = older_snapshot(settings, plan, rng) if plan.has_bak else None
        files = write_session(writer, plan, info, settings, bak, rng, now_ms)
        entries[plan.id] = manifest_entry(plan, info, settings, files, plans)
    return entries


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
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise FileExistsError(f"output directory is not empty: {output}")
    output.mkdir(parents=True, exist_ok=True)
    now_ms = int((now or parse_now(None)).timestamp() * 1000)

    projects, plans = plan_sessions(sessions, seed, avg_kb, days, now_ms)
    writer = TreeWriter(output)
    entries = write_sessions(writer, plans, seed, avg_kb, now_ms)
    extras_rng = random.Random(f"{seed}/extras")
    favorites = write_favorites(writer, plans, extras_rng, now_ms)
    strays = write_strays(writer, projects, plans, extras_rng, now_ms)

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
        "projects": project_rows(projects, entries),
        "favorites": favorites,
        "stray_files": strays,
        "hostile": hostile_entries,
    }
    writer.write(MANIFEST_NAME, json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", now_ms)
    return manifest
