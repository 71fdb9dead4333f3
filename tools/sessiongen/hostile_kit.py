"""Shared helpers of the hostile cases: a small valid session to damage, writing into
the hostile folder, and recording what a scanner should make of each file."""

from __future__ import annotations

import json
import random
from typing import Any

from fdash.demo.layout import TreeWriter, rel_path
from fdash.demo.model_catalog import MODELS
from fdash.demo.plans import SessionPlan, plan_tokens
from fdash.demo.primitives import DAY_MS, HOUR_MS, dumps_compact, new_uuid
from fdash.demo.projects import Project
from fdash.demo.settings import build_settings, settings_text
from fdash.demo.transcript import TranscriptBuilder, TranscriptInfo

from .manifest import prompt_texts, token_counts


class HostileKit:
    """State and helpers shared by the hostile cases (see `HostileCorpus`)."""

    FOLDER = "-home-mallory-hostile"
    CWD = "/home/mallory/hostile"

    def __init__(
        self, writer: TreeWriter, seed: int, now_ms: int, huge: bool, unreadable: bool = False
    ):
        self.w, self.now_ms, self.huge, self.unreadable = writer, now_ms, huge, unreadable
        self.rng = random.Random(f"{seed}/hostile")
        self.entries: list[dict] = []
        self.project = Project(self.CWD, "mallory", new_uuid(self.rng), "linux")
        self.clock = now_ms - 10 * DAY_MS

    def session(self) -> tuple[SessionPlan, list[dict], TranscriptInfo]:
        """A small valid 3-turn session; returns its records (timestamps as strings)."""
        self.clock += HOUR_MS
        model = MODELS[1]
        plan = SessionPlan(
            0,
            new_uuid(self.rng),
            "normal",
            self.project,
            self.clock,
            "new",
            "project",
            model,
            model.id,
            turns=[2, 2, 2],
            target_bytes=5000,
        )
        plan.tokens, plan.credits, plan.last_call = plan_tokens(self.rng, model, sum(plan.turns))
        info = TranscriptBuilder(plan, random.Random(self.rng.getrandbits(64)), self.now_ms).build(
            5000
        )
        records = [json.loads(line) for line in info.data.decode("utf-8").splitlines()]
        return plan, records, info

    def settings(self, plan: SessionPlan, info: TranscriptInfo | None) -> dict:
        return build_settings(
            plan, [plan], info, random.Random(self.rng.getrandbits(64)), self.now_ms
        )

    def write(self, name: str, data: bytes | str, folder: str | None = None) -> str:
        rel = rel_path(self.FOLDER if folder is None else folder, name)
        self.w.write(rel, data, self.clock)
        return rel

    def write_session_files(
        self, plan: SessionPlan, transcript: bytes | str, settings: str, folder: str | None = None
    ) -> tuple[str, str]:
        """A transcript and its settings side by side; returns both relative paths."""
        path = self.write(plan.id + ".jsonl", transcript, folder)
        return path, self.write(plan.id + ".settings.json", settings, folder)

    def add(
        self,
        case: str,
        path: str,
        session_id: str | None,
        counted: bool | None,
        note: str,
        **expect: Any,
    ) -> None:
        self.entries.append(
            {
                "case": case,
                "path": path,
                "session_id": session_id,
                "counted": counted,
                "expect": expect,
                "note": note,
            }
        )

    @staticmethod
    def text(records: list[dict], sep: str = "\n") -> str:
        return sep.join(dumps_compact(r) for r in records) + sep

    def user_message(self, content: Any, timestamp: Any, **top: Any) -> dict:
        return {
            "type": "message",
            "id": new_uuid(self.rng),
            "timestamp": timestamp,
            **top,
            "message": {"role": "user", "content": content},
        }

    @classmethod
    def expected(cls, info: TranscriptInfo, settings: dict | None = None, **over: Any) -> dict:
        exp = {
            "user_prompts": len(info.prompts),
            "prompt_texts": prompt_texts(info.prompts),
            "cwd": cls.CWD,
            "title": info.title,
        }
        if settings is not None:
            exp["tokens"] = token_counts(settings["tokenUsage"])
        exp.update(over)
        return exp

    def damaged_transcript(
        self, case: str, damage, note: str, drop: tuple[str, ...] = (), **over: Any
    ) -> None:
        """A session whose transcript is `damage(records)` (str or bytes), with valid settings."""
        plan, records, info = self.session()
        settings = self.settings(plan, info)
        path, _ = self.write_session_files(plan, damage(records), settings_text(settings))
        expect = self.expected(info, settings, **over)
        for key in drop:
            expect.pop(key)
        self.add(case, path, plan.id, True, note, **expect)
