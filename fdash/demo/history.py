"""A whole history: plan the sessions, build and write them, then the favorites."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from attrs import frozen

from .layout import TreeWriter, write_favorites, write_session
from .plans import SessionPlan, plan_sessions
from .primitives import parse_now
from .projects import Project
from .settings import build_settings, older_snapshot
from .transcript import TranscriptBuilder, TranscriptInfo

# Called once per session written: (plan, transcript or None, settings or None, the
# relative paths written, every plan). The test corpus builds its ground truth with it.
OnSession = Callable[[SessionPlan, "TranscriptInfo | None", "dict | None", list, list], None]


@frozen
class History:
    """What `write_history` wrote, for a caller that adds more files."""

    writer: TreeWriter
    projects: list[Project]
    plans: list[SessionPlan]
    favorites: list[str]  # the ids in .favorites, in file order
    now_ms: int
    rng: random.Random  # the extras' generator, to continue with (same seed, same bytes)


def write_sessions(
    writer: TreeWriter,
    plans: list[SessionPlan],
    seed: int,
    avg_kb: float,
    now_ms: int,
    orphans: bool,
    on_session: OnSession | None,
) -> None:
    """Phase 2: build and write every planned session."""
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
        elif not orphans:
            continue
        settings = bak = None
        if plan.has_settings:
            settings = build_settings(plan, plans, info, rng, now_ms)
            bak = older_snapshot(settings, plan, rng) if plan.has_bak else None
        files = write_session(writer, plan, info, settings, bak, rng, now_ms)
        if on_session is not None:
            on_session(plan, info, settings, files, plans)


def write_history(
    output: Path,
    sessions: int,
    seed: int = 0,
    avg_kb: float = 30,
    days: int = 120,
    now: datetime | None = None,
    *,
    orphans: bool = False,
    on_session: OnSession | None = None,
) -> History:
    """Write `sessions` realistic sessions and a .favorites under `output` (empty or
    absent). `orphans`: also write the ~1% of settings files planned without their
    transcript (as deleted sessions leave them; the demo data leaves them out: a new
    user's sessions all have something to show)."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise FileExistsError(f"output directory is not empty: {output}")
    output.mkdir(parents=True, exist_ok=True)
    now_ms = int((now or parse_now(None)).timestamp() * 1000)
    projects, plans = plan_sessions(sessions, seed, avg_kb, days, now_ms)
    writer = TreeWriter(output)
    write_sessions(writer, plans, seed, avg_kb, now_ms, orphans, on_session)
    rng = random.Random(f"{seed}/extras")
    favorites = write_favorites(writer, plans, rng, now_ms)
    return History(writer, projects, plans, favorites, now_ms, rng)
