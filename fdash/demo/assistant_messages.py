"""The assistant's side of a transcript: thinking, tool calls and their results, todos,
final answers. Mixed into `TranscriptBuilder` (transcript.py), whose state it uses."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from .model_catalog import ModelSpec
from .phrases import ANSWERS, SENTENCES, SUBAGENT_TYPES, THINK_HEADS, TODO_ITEMS, TODO_SUGGEST
from .plans import SessionPlan
from .primitives import ALNUM, HEX, dumps_compact, rand_str, weighted
from .projects import Project
from .text_pools import TextPools
from .vocabulary import EXTS, fill

TOOL_WEIGHTS = (
    ("Read", 30),
    ("Execute", 25),
    ("Grep", 12),
    ("Edit", 12),
    ("LS", 5),
    ("Create", 4),
    ("Glob", 4),
    ("TodoWrite", 5),
    ("WebSearch", 1),
    ("FetchUrl", 1),
)
# tool -> (filler style, weight of its share of the transcript budget)
FILLABLE = {
    "Read": ("code", 1.0),
    "Execute": ("log", 1.0),
    "Grep": ("log", 0.4),
    "FetchUrl": ("code", 0.8),
    "WebSearch": ("log", 0.3),
    "Task": ("log", 0.3),
    "Glob": ("log", 0.1),
    "LS": ("log", 0.1),
}


def todo_text(items: list[tuple[int, str, str]]) -> str:
    """A todo list as one string: "1. [completed] Inspect repository contents" lines."""
    return "\n".join(f"{n}. [{status}] {item}" for n, item, status in items)


class AssistantMessages:
    """Assistant messages and tool round trips of one session (part of TranscriptBuilder).

    Uses the builder's state annotated below and its record primitives (`uuid`, `tick`,
    `path`, `message`); `tool_result` registers the tool outputs that `fill_slots` sizes.
    """

    plan: SessionPlan
    proj: Project
    rng: random.Random
    pools: TextPools
    model: ModelSpec
    desktop: bool
    effort: str
    reasoning_id: str
    records: list[dict]
    slots: list[tuple[dict, str, float]]
    prompts: list[str]
    todo_items: list[tuple[int, str, str]]
    children_left: list[int]
    clock: int
    first_assistant_ms: int | None

    if TYPE_CHECKING:  # defined by TranscriptBuilder

        def uuid(self) -> str: ...

        def tick(self, lo_ms: int, hi_ms: int) -> None: ...

        def path(self, rel: str) -> str: ...

        def message(self, role: str, content: list, **kw: Any) -> dict: ...

    def assistant_extra(self, thinking: dict | None, final: bool) -> dict:
        rng, prov = self.rng, self.model.provider
        extra: dict[str, Any] = {"userMessageSource": "desktop"} if self.desktop else {}
        if prov == "openai":
            if final:
                extra["openaiMessageId"] = "msg_" + rand_str(rng, HEX, 50)
                extra["openaiPhase"] = "final_answer"
            if thinking is not None:
                extra["openaiEncryptedContent"] = "gAAAAAB" + self.pools.base64(
                    rng, rng.randint(600, 1400)
                )
                extra["openaiReasoningId"] = self.reasoning_id
                extra["openaiReasoningSummary"] = thinking["thinking"]
        elif prov == "generic":
            extra["openaiMessageId"] = (
                f"gen-{rng.randint(10**9, 10**10 - 1)}-{rand_str(rng, ALNUM, 20)}"
            )
            if thinking is not None:
                extra["chatCompletionReasoningField"] = "reasoning"
                extra["chatCompletionReasoningContent"] = thinking["thinking"]
        extra["modelId"] = self.model.id
        extra["reasoningEffort"] = self.effort
        return extra

    def thinking_block(self) -> dict:
        rng, prov = self.rng, self.model.provider
        sentences = " ".join(fill(rng.choice(SENTENCES), rng) for _ in range(rng.randint(2, 6)))
        text = f"**{rng.choice(THINK_HEADS)}**\n\n{sentences}"
        dur = rng.randint(300, 9000)
        if prov == "openai":
            self.reasoning_id = "rs_" + rand_str(rng, HEX, 50)
            sig = dumps_compact(
                {
                    "id": self.reasoning_id,
                    "type": "reasoning",
                    "content": [],
                    "encrypted_content": "gAAAAAB" + self.pools.base64(rng, rng.randint(900, 1700)),
                    "summary": [{"type": "summary_text", "text": text}],
                }
            )
            provider = "openai"
        elif prov == "generic":
            sig, provider = "reasoning", "generic-chat-completion-api"
        else:
            sig, provider = self.pools.base64(rng, rng.randint(200, 900)), prov
        return {
            "type": "thinking",
            "signature": sig,
            "signatureProvider": provider,
            "durationMs": dur,
            "thinking": text,
        }

    def tool_input(self, name: str) -> dict:
        rng = self.rng
        rel = fill("{file}", rng)
        if name == "Read":
            inp: dict[str, Any] = {"file_path": self.path(rel)}
            if rng.random() < 0.3:
                inp.update(offset=rng.randint(0, 400), limit=rng.choice((100, 200, 220, 500)))
            return inp
        if name == "Execute":
            inp = {
                "command": fill("{cmd}", rng),
                "riskLevel": rng.choice(("low", "low", "medium")),
                "riskLevelReason": "Runs the project's own test/build tooling; no system changes.",
            }
            if rng.random() < 0.4:
                inp = {"summary": fill("Run {cmd}", rng), **inp}
            return inp
        if name == "Grep":
            return {"pattern": fill("{fn}", rng), "path": self.proj.cwd, "output_mode": "content"}
        if name == "LS":
            return {"directory_path": self.proj.cwd, "ignorePatterns": [".git/**"]}
        if name == "Glob":
            return {"patterns": [f"**/*.{rng.choice(EXTS[:6])}"], "folder": self.proj.cwd}
        if name == "Edit":
            return {
                "file_path": self.path(rel),
                "old_str": self.pools.text("code", rng.randint(30, 400), rng),
                "new_str": self.pools.text("code", rng.randint(30, 500), rng),
            }
        if name == "Create":
            return {
                "file_path": self.path(rel),
                "content": self.pools.text("code", rng.randint(100, 2500), rng),
            }
        if name == "TodoWrite":
            return {"todos": self.todo_string()}
        if name == "WebSearch":
            return {"query": fill("{lib} {error}", rng)}
        if name == "FetchUrl":
            return {"url": fill("https://docs.example.com/{lib}/{a}", rng)}
        return {
            "subagent_type": rng.choice(SUBAGENT_TYPES),
            "description": fill("Investigate {a} in {mod}", rng),
            "prompt": fill(
                "Find where {fn} is defined and report how {b} flows through {mod}.", rng
            ),
        }

    def todo_string(self) -> str:
        rng = self.rng
        items = rng.sample(TODO_ITEMS, rng.randint(2, 6))
        done = rng.randint(0, len(items))
        self.todo_items = [
            (i + 1, item, "completed" if i < done else "in_progress" if i == done else "pending")
            for i, item in enumerate(items)
        ]
        return todo_text(self.todo_items)

    def todo_state(self) -> None:
        self.tick(5, 60)
        if self.plan.era == "old" or self.desktop:
            todos: Any = [
                {
                    "id": str(n),
                    "status": s,
                    "content": item,
                    "priority": self.rng.choice(("high", "medium")),
                }
                for n, item, s in self.todo_items
            ]
        else:
            todos = todo_text(self.todo_items)
        self.records.append(
            {
                "type": "todo_state",
                "id": self.uuid(),
                "timestamp": self.clock,
                "todos": {"todos": todos},
                "messageIndex": len(self.prompts),
            }
        )

    def tool_result(self, use_id: str, name: str, inp: dict) -> dict:
        rng = self.rng
        block: dict[str, Any] = {
            "type": "tool_result",
            "tool_use_id": use_id,
            "is_error": False,
            "content": "",
        }
        if name in FILLABLE:
            style, weight = FILLABLE[name]
            if name == "Execute" and rng.random() < 0.05:
                block["is_error"] = True
            self.slots.append((block, style, weight * rng.lognormvariate(0, 1.3)))
        elif name == "TodoWrite":
            block["content"] = "TODO List Updated"
        elif name == "Edit":
            block["content"] = dumps_compact(
                {
                    "success": True,
                    "file_path": inp["file_path"],
                    "linesAdded": rng.randint(1, 30),
                    "linesRemoved": rng.randint(0, 20),
                }
            )
        else:
            block["content"] = dumps_compact({"success": True, "file_path": inp["file_path"]})
        return block

    def tool_step(self) -> None:
        rng = self.rng
        self.tick(800, 12000)
        n_tools = weighted(rng, [(1, 70), (2, 22), (3, 8)])
        names = [weighted(rng, list(TOOL_WEIGHTS)) for _ in range(n_tools)]
        if self.children_left and rng.random() < 0.5:
            names[0] = "Task"
            self.children_left.pop()
        if self.plan.huge_bytes and not self.slots:
            names.insert(0, "Execute")  # slot 0 receives the huge output
        blocks: list[dict] = []
        thinking = self.thinking_block() if rng.random() < self.model.thinking else None
        if thinking:
            blocks.append(thinking)
        if rng.random() < 0.35:
            blocks.append({"type": "text", "text": fill(rng.choice(SENTENCES), rng)})
        uses = []
        for name in names:
            if self.model.provider == "anthropic":
                use_id = "toolu_01" + rand_str(rng, ALNUM, 22)
            else:
                use_id = "call_" + rand_str(rng, ALNUM, 24)
            inp = self.tool_input(name)
            blocks.append({"type": "tool_use", "id": use_id, "name": name, "input": inp})
            uses.append((use_id, name, inp))
        self.message("assistant", blocks, extra=self.assistant_extra(thinking, final=False))
        self.note_assistant()
        if "TodoWrite" in names:
            self.todo_state()
        self.tick(20, 4000 if "Execute" not in names else 90000)
        self.message("user", [self.tool_result(*u) for u in uses])
        if self.plan.era == "new" and rng.random() < 0.04:
            self.tick(5, 40)
            self.message(
                "user",
                [{"type": "text", "text": TODO_SUGGEST}],
                msg_id="todo-suggest-" + self.uuid(),
                visibility="llm_only",
            )

    def final_answer(self) -> None:
        rng = self.rng
        self.tick(900, 15000)
        thinking = self.thinking_block() if rng.random() < self.model.thinking * 0.6 else None
        text = fill(rng.choice(ANSWERS), rng)
        if rng.random() < 0.3:
            text += "\n\n" + " ".join(
                fill(rng.choice(SENTENCES), rng) for _ in range(rng.randint(2, 8))
            )
        blocks = ([thinking] if thinking else []) + [{"type": "text", "text": text}]
        self.message("assistant", blocks, extra=self.assistant_extra(thinking, final=True))
        self.note_assistant()

    def note_assistant(self) -> None:
        if self.first_assistant_ms is None:
            self.first_assistant_ms = self.clock
