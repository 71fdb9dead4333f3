"""Phase 2, one transcript: a session's records from its plan, sized to a byte target.

`TranscriptBuilder` writes the session start, injected context, user prompts and the
turn structure; the assistant side is in assistant_messages.py.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from typing import Any

from .assistant_messages import AssistantMessages
from .model_catalog import EFFORTS
from .phrases import (
    DATE_REMINDER,
    DATE_REMINDER_OLD,
    FOLLOW_UPS,
    MANUAL_TITLES,
    NOTICE_CLEARED,
    NOTICE_NO_SUB,
    OPENERS,
    PROMPTS,
    SKILLS_REMINDER,
    SUBAGENT_TYPES,
    SYSTEM_INFO_REMINDER,
    TODO_NAG,
    TOOLS_REMINDER,
    UNICODE_PROMPTS,
)
from .plans import SessionPlan
from .primitives import ALNUM, MIN_MS, SEC_MS, dumps_compact, iso_ms, new_uuid, rand_str
from .projects import SYSTEMS
from .text_pools import pools
from .vocabulary import FILE_STEMS, fill

SLOT_CAP_BYTES = 512 * 1024  # cap of an ordinary tool result (huge ones excepted)


def clean_title(text: str) -> str:
    """Droid-style automatic title from a prompt: whitespace collapsed, cut at ~150 chars."""
    flat = " ".join(text.split())
    if len(flat) <= 150:
        return flat
    return flat[:146].rsplit(" ", 1)[0] + " ..."


HANDOFF = "# Task Tool Invocation"  # how droid begins a sub-agent's first message


@dataclass
class TranscriptInfo:
    data: bytes
    prompts: list[str]
    title: str
    message_count: int
    first_ms: int | None
    last_ms: int | None
    active_ms: int
    first_context: tuple[dict, int] | None  # (record, epoch ms) a fork of this session copies
    first_assistant_ms: int | None


class TranscriptBuilder(AssistantMessages):
    """Builds one session's records; tool outputs are filled to hit a byte target."""

    def __init__(
        self,
        plan: SessionPlan,
        rng: random.Random,
        now_ms: int,
        fork_source: tuple[dict, int] | None = None,
        start_ms: int | None = None,
        parent_id: str | None = None,
    ):
        self.plan, self.rng, self.now_ms = plan, rng, now_ms
        self.parent_id = parent_id
        self.pools = pools()
        self.proj = plan.project
        self.records: list[dict] = []
        self.slots: list[tuple[dict, str, float]] = []  # (tool_result block, style, weight)
        self.clock = start_ms if start_ms is not None else plan.start_ms
        self.prev_id: str | None = None
        self.compaction_id: str | None = None
        self.prompts: list[str] = []
        self.messages = 0
        self.active_ms = 0
        self.first_context: dict | None = None  # first llm_only context record (a fork copies it)
        self.first_assistant_ms: int | None = None
        self.fork_source = fork_source
        self.first_prompt: str | None = None
        self.summary_title: str | None = None  # short title matching the last generated prompt
        self.effective_title = ""
        self.reasoning_id = ""
        self.todo_items: list[tuple[int, str, str]] = []
        self.model = plan.earlier_model or plan.model
        self.desktop = plan.era == "new" and self.proj.os != "linux" and rng.random() < 0.35
        self.effort = rng.choice(EFFORTS)
        self.children_left = list(plan.children)
        self.compact_before = (
            rng.randint(2, len(plan.turns) - 1)
            if len(plan.turns) > 6 and rng.random() < 0.3
            else None
        )

    # -- primitives -------------------------------------------------------

    def uuid(self) -> str:
        return new_uuid(self.rng)

    def tick(self, lo_ms: int, hi_ms: int) -> None:
        self.clock += self.rng.randint(lo_ms, hi_ms)

    def idle(self, median_ms: int, cap_ms: int) -> None:
        self.clock += min(cap_ms, int(self.rng.lognormvariate(math.log(median_ms), 1.0)))

    def path(self, rel: str) -> str:
        return self.proj.cwd + self.proj.sep + rel.replace("/", self.proj.sep)

    def message(
        self,
        role: str,
        content: list,
        *,
        msg_id: str | None = None,
        visibility: str | None = None,
        extra: dict | None = None,
    ) -> dict:
        msg_id = msg_id or self.uuid()
        body: dict[str, Any] = {"role": role, "content": content}
        if visibility:
            body["visibility"] = visibility
        if extra:
            body.update(extra)
        rec: dict[str, Any] = {"type": "message", "id": msg_id}
        if self.desktop:  # desktop files put parentId before timestamp
            if self.prev_id:
                rec["parentId"] = self.prev_id
            rec["timestamp"] = self.clock
            rec["message"] = body
        else:
            rec["timestamp"] = self.clock
            rec["message"] = body
            if self.prev_id:
                rec["parentId"] = self.prev_id
        if self.compaction_id:
            rec["compactionSummaryId"] = self.compaction_id
        self.records.append(rec)
        self.prev_id = msg_id
        self.messages += 1
        return rec

    # -- session_start ----------------------------------------------------

    def session_start(self, first_prompt: str | None) -> dict:
        plan, rng = self.plan, self.rng
        rec: dict[str, Any] = {"type": "session_start", "id": plan.id}
        manual = False
        if first_prompt is None:
            title = "New Session"
        elif plan.kind == "subagent":
            title = clean_title(first_prompt)
        else:
            r = rng.random()
            if r < 0.10:
                title, manual = rng.choice(MANUAL_TITLES), True
            elif r < 0.13:
                title = "New Session"
            elif r < 0.55:
                title = self.summary_title or clean_title(first_prompt)
            else:
                title = clean_title(first_prompt)
        rec["title"] = title
        session_title = None
        if first_prompt is not None and rng.random() < 0.10:
            session_title = "" if rng.random() < 0.3 else rng.choice(MANUAL_TITLES)
            rec["sessionTitle"] = session_title
        rec["owner"] = self.proj.owner
        if self.desktop or rng.random() < 0.2:
            rec["organizationId"] = rand_str(random.Random(self.proj.host_id), ALNUM, 20)
        rec["version"] = 2
        rec["cwd"] = self.proj.cwd
        rec["hostId"] = self.proj.host_id
        if first_prompt is not None:
            rec["isSessionTitleManuallySet"] = manual
        if self.fork_source is not None:
            rec["parent"] = self.parent_id
            rec["forkedAtMessageId"] = self.fork_source[0]["id"]
        if first_prompt is not None and not manual and rng.random() < 0.5:
            rec["sessionTitleAutoStage"] = "first_message"
        # what droid's own list shows: title, unless empty or a handoff and sessionTitle says more
        better = session_title and session_title != "New Session" and (not title.strip() or title.startswith(HANDOFF))
        self.effective_title = session_title if better else title
        return rec

    # -- context / reminders ----------------------------------------------

    def reminder_blocks(self, first: bool) -> list[str]:
        """Texts of injected <system-reminder> blocks (bigger for the first turn)."""
        rng, plan = self.rng, self.plan
        date = time.strftime("%Y-%m-%d", time.gmtime(self.clock // 1000))
        scale = min(1.0, plan.target_bytes / 60000) if first else 0.15
        tools = "\n".join(rng.sample(self.pools.tool_lines, max(3, int(40 * scale))))
        blocks = [TOOLS_REMINDER.format(tools=tools)]
        blocks.append((DATE_REMINDER_OLD if plan.era == "old" else DATE_REMINDER).format(date=date))
        if first:
            skills = "\n".join(rng.sample(self.pools.skill_lines, max(2, int(20 * scale))))
            blocks.append(SKILLS_REMINDER.format(skills=skills))
            blocks.append(self.system_info(date))
            if rng.random() < 0.5:
                blocks.append(TODO_NAG)
        return blocks

    def system_info(self, date: str) -> str:
        os_line, shell = SYSTEMS[self.proj.os]
        listing = "\n".join(
            sorted({fill("{a}.{w}", self.rng) for _ in range(6)} | {"README.md", ".git"})
        )
        return SYSTEM_INFO_REMINDER.format(
            os_line=os_line,
            shell=shell,
            model=self.model.display,
            date=date,
            cwd=self.proj.cwd,
            listing=listing,
        )

    def context_message(self, prompt_id: str, first: bool) -> None:
        blocks = [{"type": "text", "text": t} for t in self.reminder_blocks(first)]
        rec = self.message("user", blocks, msg_id="context-" + prompt_id, visibility="llm_only")
        if self.first_context is None:
            self.first_context = rec
        self.tick(2, 30)

    def reminder_only_message(self) -> None:
        """Old-style user message made only of reminders: not a prompt."""
        text = self.rng.choice(
            (
                TODO_NAG,
                TODO_NAG + "\n",
                f"<system-reminder>Opened {self.rng.choice(FILE_STEMS)}.py</system-reminder>\n  ",
                "<system-reminder>a</system-reminder>\n<system-reminder>b</system-reminder>",
            )
        )
        self.message("user", [{"type": "text", "text": text}])
        self.tick(5, 200)

    # -- prompts ----------------------------------------------------------

    def next_prompt(self, first: bool) -> str:
        rng, plan = self.rng, self.plan
        self.summary_title = None
        if plan.kind == "subagent" and first:
            task = fill(rng.choice(PROMPTS)[0], rng)
            return (
                f"{HANDOFF}\n\nSubagent type: {rng.choice(SUBAGENT_TYPES)}\n\n"
                f"## Task\n{task}\n\n## Context\nWorking directory: {self.proj.cwd}\n"
                "Return a concise report of what you found."
            )
        if not first and rng.random() < 0.45:
            return rng.choice(FOLLOW_UPS)
        r = rng.random()
        if first and r < 0.04:
            return rng.choice(OPENERS)
        if r < 0.10:
            template, title = rng.choice(UNICODE_PROMPTS)
        else:
            template, title = rng.choice(PROMPTS)
        memo: dict[str, str] = {}
        text = fill(template, rng, memo)
        self.summary_title = fill(title, rng, memo)
        if rng.random() < 0.07:  # pasted stack trace: a long prompt
            trace = self.pools.text("log", rng.randint(200, 1500), rng)
            text += f"\n\n```\nTraceback (most recent call last):\n{trace}\n```"
        if self.desktop and "\n" in text:
            text = text.replace("\n", "\r\n")
        elif self.desktop and rng.random() < 0.3:
            text += " \r\n\r\nAlso keep the diff small."
        return text

    def prompt_message(self, prompt_id: str, text: str, first: bool) -> None:
        """A real user prompt, possibly wrapped in system-reminder spans."""
        rng = self.rng
        content: list[dict]
        if self.plan.context_style == "embedded" and (first or rng.random() < 0.3):
            reminders = "\n".join(self.reminder_blocks(first))
            if rng.random() < 0.5:
                content = [{"type": "text", "text": reminders + "\n\n" + text}]
            elif rng.random() < 0.5:
                content = [{"type": "text", "text": reminders + "\n" + text + "\n\n" + TODO_NAG}]
            else:
                content = [{"type": "text", "text": reminders}, {"type": "text", "text": text}]
        elif rng.random() < 0.04:
            content = [
                {
                    "type": "text",
                    "text": text + "\n\n<system-reminder>Current date changed.</system-reminder>",
                }
            ]
        else:
            content = [{"type": "text", "text": text}]
        extra = (
            {"userMessageSource": "desktop", "interactionMode": "auto"} if self.desktop else None
        )
        self.message("user", content, msg_id=prompt_id, extra=extra)
        self.prompts.append(text.strip())

    # -- turn outcome, compaction ---------------------------------------

    def outcome(self, turn_id: str, reason: str) -> None:
        self.records.append(
            {
                "type": "agent_turn_outcome",
                "turnId": turn_id,
                "reason": reason,
                "resultKind": "text",
            }
        )

    def compaction(self) -> None:
        rng = self.rng
        self.tick(500, 4000)
        summary = (
            "USER: "
            + "\nUSER: ".join(self.prompts[-5:])
            + "\nASSISTANT: "
            + self.pools.text("log", min(12000, max(300, self.plan.target_bytes // 20)), rng)
        )
        rec_id = self.uuid()
        self.records.append(
            {
                "type": "compaction_state",
                "id": rec_id,
                "timestamp": self.clock,
                "summaryText": summary,
                "summaryTokens": len(summary) // 4,
                "summaryKind": "provider_switch_serialization",
                "anchorMessage": {"id": self.prev_id, "index": self.messages - 1},
                "removedCount": max(1, self.messages - rng.randint(1, 4)),
                "systemInfo": {
                    "osName": SYSTEMS[self.proj.os][0],
                    "directoryInfo": [{"cmd": "pwd", "out": self.proj.cwd}],
                    "gitInfo": [{"cmd": "git status -b --porcelain | head -n1", "out": "main"}],
                    "guidelinesInfo": [],
                    "designGuidelinesInfo": [],
                },
            }
        )
        self.compaction_id = rec_id

    # -- turns ------------------------------------------------------------

    def turn(self, t: int, steps: int) -> None:
        rng, plan = self.rng, self.plan
        first = t == 0
        if not first:
            if plan.resume_turn == t:
                self.clock += plan.resume_gap_ms
            else:
                self.idle(70 * SEC_MS, 50 * MIN_MS)
            if plan.earlier_model is not None and t == plan.switch_turn:
                self.model = plan.model
            if self.compact_before == t:
                self.compaction()
        prompt_id = self.uuid()
        text = self.first_prompt if first else self.next_prompt(False)
        if plan.context_style == "context" and (first or rng.random() < 0.35):
            self.context_message(prompt_id, first)
        elif plan.context_style == "embedded" and not first and rng.random() < 0.2:
            self.reminder_only_message()
        self.prompt_message(prompt_id, text, first)
        turn_start = self.clock
        if steps == 0:
            self.tick(800, 3000)
            self.message("user", [{"type": "text", "text": NOTICE_NO_SUB}], visibility="user_only")
            self.outcome(prompt_id, "error" if rng.random() < 0.7 else "model_usage_exhausted")
            return
        for _ in range(steps - 1):
            self.tool_step()
        self.final_answer()
        self.active_ms += self.clock - turn_start
        if rng.random() < 0.02:
            self.tick(2, 20)
            self.message("user", [{"type": "text", "text": NOTICE_CLEARED}], visibility="user_only")
        if plan.era == "new" or rng.random() < 0.9:
            self.outcome(prompt_id, "completed")

    def build_records(self) -> dict:
        plan = self.plan
        start_rec: dict
        if plan.kind == "empty":
            start_rec = self.session_start(None)
            variant = self.rng.random()
            if variant < 0.25:
                self.context_message(self.uuid(), True)
            elif variant < 0.40:
                self.reminder_only_message()
            return start_rec
        self.first_prompt = self.next_prompt(True)
        start_rec = self.session_start(self.first_prompt)
        if self.fork_source is not None:
            copied = self.fork_source[0]
            self.records.append(copied)  # the parent's record, same id and timestamp (not its own)
            self.prev_id = copied["id"]
        for t, steps in enumerate(plan.turns):
            self.turn(t, steps)
        return start_rec

    # -- output -----------------------------------------------------------

    def build(self, target_bytes: int) -> TranscriptInfo:
        start_rec = self.build_records()
        own = [r for r in self.records if isinstance(r.get("timestamp"), int)]  # not a fork's copy
        self.keep_in_past(own)
        stamps = [r["timestamp"] for r in own]
        first_context = None
        if self.fork_source is not None:
            first_context = self.fork_source
        elif self.first_context is not None:
            first_context = (self.first_context, self.first_context["timestamp"])
        for r in own:
            r["timestamp"] = iso_ms(r["timestamp"])
        records = [start_rec] + self.records
        self.fill_slots(records, target_bytes)
        data = ("\n".join(map(dumps_compact, records)) + "\n").encode("utf-8")
        return TranscriptInfo(
            data=data,
            prompts=[p for p in self.prompts if not p.startswith(HANDOFF)],  # a handoff is droid's
            title=self.effective_title,
            message_count=self.messages,
            first_ms=min(stamps) if stamps else None,
            last_ms=max(stamps) if stamps else None,
            active_ms=self.active_ms,
            first_context=first_context,
            first_assistant_ms=self.first_assistant_ms,
        )

    def keep_in_past(self, own: list[dict]) -> None:
        """Shift a session ending after "now" back in time (never before a fork's copied record)."""
        if not own or own[-1]["timestamp"] <= self.now_ms - MIN_MS:
            return
        shift = own[-1]["timestamp"] - (self.now_ms - MIN_MS)
        if self.fork_source is not None:
            shift = min(shift, own[0]["timestamp"] - self.fork_source[1] - SEC_MS)
        for r in own:
            r["timestamp"] -= shift
        if self.first_assistant_ms is not None:
            self.first_assistant_ms -= shift

    def fill_slots(self, records: list[dict], target_bytes: int) -> None:
        """Give tool outputs heavy-tailed sizes so the file is ~target_bytes long."""
        if not self.slots:
            return
        rng = self.rng
        minimum = [rng.randint(20, 300) for _ in self.slots]
        skeleton = sum(len(dumps_compact(r).encode("utf-8")) + 1 for r in records)
        huge_index = 0 if self.plan.huge_bytes else -1
        spare = target_bytes - skeleton - self.plan.huge_bytes - sum(minimum) * 1.1
        total_weight = sum(w for i, (_, _, w) in enumerate(self.slots) if i != huge_index) or 1.0
        for i, (block, style, weight) in enumerate(self.slots):
            ratio = self.pools.ratio[style]
            if i == huge_index:
                nbytes = self.plan.huge_bytes
            else:
                nbytes = min(SLOT_CAP_BYTES, max(0.0, spare) * weight / total_weight)
            nchars = minimum[i] + int(nbytes / ratio)
            text = self.pools.text(style, nchars, rng)
            if block["is_error"]:
                text += "\n\n[Process exited with code 1]"
            elif style == "log" and rng.random() < 0.5:
                text += "\n\n[Process exited with code 0]"
            block["content"] = text
