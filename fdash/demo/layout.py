"""Writing the tree: session files in both layouts with deterministic mtimes, .favorites."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from .plans import SessionPlan
from .primitives import DAY_MS, HOUR_MS, MIN_MS, SEC_MS, new_uuid
from .settings import settings_text
from .transcript import TranscriptInfo


class TreeWriter:
    """Writes files under the root; one write call per file, deterministic mtimes."""

    def __init__(self, root: Path):
        self.root = root
        self.made: set[Path] = set()

    def write(self, rel: str, data: bytes | str, mtime_ms: int | None = None) -> Path:
        path = self.root / rel
        if path.parent not in self.made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(path.parent)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if mtime_ms is not None:
            ns = mtime_ms * 1_000_000
            os.utime(path, ns=(ns, ns))
        return path


def session_locations(plan: SessionPlan) -> list[tuple[str, str]]:
    """(layout, relative directory) pairs where the session's files live."""
    folder = plan.project.folder
    if plan.layout == "both":
        return [("project", folder), ("flat", "")]
    return [("flat", "")] if plan.layout == "flat" else [("project", folder)]


def rel_path(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name


def write_session(
    writer: TreeWriter,
    plan: SessionPlan,
    info: TranscriptInfo | None,
    settings: dict | None,
    bak: dict | None,
    rng: random.Random,
    now_ms: int,
) -> list[str]:
    """Write the session's files (twice for layout "both"); mtimes follow its last timestamp."""
    files = []
    last = info.last_ms if info and info.last_ms else plan.start_ms
    flat_mtime = last + rng.randint(1, 5) * SEC_MS
    for layout, directory in session_locations(plan):
        mtime = flat_mtime
        if (
            plan.layout == "both" and layout == "project"
        ):  # migrated later: newer than the flat copy
            mtime = max(
                flat_mtime + SEC_MS, min(now_ms - HOUR_MS, last + rng.randint(1, 30) * DAY_MS)
            )
        if info is not None:
            files.append(rel_path(directory, plan.id + ".jsonl"))
            writer.write(files[-1], info.data, mtime)
        if settings is not None:
            files.append(rel_path(directory, plan.id + ".settings.json"))
            writer.write(files[-1], settings_text(settings), mtime + 800)
            if bak is not None:
                files.append(files[-1] + ".bak")
                writer.write(files[-1], settings_text(bak), mtime - rng.randint(MIN_MS, DAY_MS))
    return files


def write_favorites(
    writer: TreeWriter, plans: list[SessionPlan], rng: random.Random, now_ms: int
) -> list[str]:
    ids = [p.id for p in plans if p.favorite]
    ids.insert(rng.randint(0, len(ids)), new_uuid(rng))  # a deleted session
    writer.write(".favorites", json.dumps(ids), now_ms - DAY_MS)
    return ids
