"""Files a scanner must ignore beside the sessions: an index, notes, a README, an
exported copy, .DS_Store, a lone .bak, an empty folder."""

from __future__ import annotations

import json
import random

from fdash.demo.layout import TreeWriter
from fdash.demo.plans import SessionPlan
from fdash.demo.primitives import DAY_MS, dumps_compact, new_uuid
from fdash.demo.projects import Project


def write_strays(
    writer: TreeWriter,
    projects: list[Project],
    plans: list[SessionPlan],
    rng: random.Random,
    now_ms: int,
) -> list[str]:
    t = now_ms - 2 * DAY_MS
    sample = [p for p in plans if p.has_transcript][:5]
    index = {"version": 1, "sessions": [{"id": p.id, "cwd": p.project.cwd} for p in sample]}
    strays = {
        "sessions-index.json": json.dumps(index, indent=2),
        "notes.txt": "todo: clean up old sessions\n",
        "README": "Droid sessions live here. Do not edit by hand.\n",
    }
    if sample:
        # a non-uuid .jsonl holding a copy of a real session's first line: must be ignored
        src = sample[0]
        strays["export-2026-10-01.jsonl"] = (
            dumps_compact(
                {
                    "type": "session_start",
                    "id": src.id,
                    "title": "exported copy",
                    "owner": src.project.owner,
                    "version": 2,
                    "cwd": src.project.cwd,
                }
            )
            + "\n"
        )
    folder = projects[0].folder
    strays[f"{folder}/.DS_Store"] = bytes(rng.getrandbits(8) for _ in range(64))
    strays[f"{folder}/scratch.md"] = "# scratch\n"
    strays["-home-ana-projects-deleted-project/" + new_uuid(rng) + ".settings.json.bak"] = "{}"
    for rel, data in strays.items():
        writer.write(rel, data, t)
    (writer.root / "-home-ana-projects-empty-folder").mkdir(exist_ok=True)
    return sorted(strays) + ["-home-ana-projects-empty-folder/"]
