#!/usr/bin/env python3
"""The naive reference: what `fdash stats --json` computes, done the obvious way.

Every transcript line is decoded with the standard library's `json`, every settings
file too; no index, no shortcuts. It is the benchmark's baseline and, being written
independently of fdash's parser, a cross-check of its numbers (tests compare them).

    python tools/naive_stats.py SESSIONS_DIR
"""

from __future__ import annotations

import json
import os
import re
import sys

SESSION = re.compile(r"^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(jsonl|settings\.json)$", re.I)
REMINDER = re.compile(r"<system-reminder>.*?(?:</system-reminder>|\Z)", re.S)
KINDS = ("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "thinkingTokens")


def find_sessions(root: str) -> dict[str, dict[str, str]]:
    """id -> {"jsonl": path, "settings.json": path}; a project folder beats the flat root."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        depth = os.path.relpath(dirpath, root).count(os.sep) + (dirpath != root)
        if depth >= 1:
            dirnames[:] = []
        for name in filenames:
            m = SESSION.match(name)
            if m and os.path.isfile(os.path.join(dirpath, name)):
                folder = "" if dirpath == root else os.path.basename(dirpath)
                found.setdefault(m.group(1).lower(), {}).setdefault(folder, {})[m.group(2)] = os.path.join(dirpath, name)
    chosen = {}
    for sid, places in found.items():
        best = sorted(places, key=lambda f: ("jsonl" in places[f], f != "",
                                             os.path.getmtime(places[f].get("jsonl") or places[f]["settings.json"])))[-1]
        files = dict(places[best])
        if "settings.json" not in files:
            for other in places.values():
                if "settings.json" in other:
                    files["settings.json"] = other["settings.json"]
        chosen[sid] = files
    return chosen


def count(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0
    if value < 0 or value > 10**13 or value != int(value):
        return 0
    return int(value)


def is_prompt(rec: dict) -> bool:
    msg = rec.get("message")
    if rec.get("type") != "message" or not isinstance(msg, dict) or msg.get("role") != "user":
        return False
    if msg.get("visibility") in ("llm_only", "user_only") or rec.get("visibility") in ("llm_only", "user_only"):
        return False
    if str(rec.get("id", "")).startswith("context-"):
        return False
    content = msg.get("content")
    if isinstance(content, str):
        content = [{"type": "text", "text": content}]
    return any(isinstance(b, dict) and b.get("type") == "text" and isinstance(b.get("text"), str)
               and REMINDER.sub("", b["text"]).strip() for b in (content or []))


def main(root: str) -> dict:
    stats = dict.fromkeys(("sessions", "user_prompts", "empty_sessions", "active_time_ms"), 0)
    tokens = dict.fromkeys(KINDS, 0)
    projects = set()
    for sid, files in find_sessions(root).items():
        stats["sessions"] += 1
        cwd = None
        prompts = 0
        if "jsonl" in files:
            with open(files["jsonl"], "rb") as handle:
                for i, line in enumerate(handle):
                    try:
                        rec = json.loads(line)
                    except ValueError:  # incl. invalid UTF-8
                        try:
                            rec = json.loads(line.decode("utf-8", "replace"))
                        except ValueError:
                            continue
                    if not isinstance(rec, dict):
                        continue
                    if i == 0 and rec.get("type") == "session_start":
                        cwd = rec.get("cwd") or None
                    prompts += is_prompt(rec)
        projects.add(cwd or (os.path.basename(os.path.dirname(files.get("jsonl") or files["settings.json"]))
                             if os.path.dirname(files.get("jsonl") or files["settings.json"]) != root.rstrip("/") else "(unknown)"))
        stats["user_prompts"] += prompts
        stats["empty_sessions"] += prompts == 0
        if "settings.json" in files:
            try:
                with open(files["settings.json"], encoding="utf-8", errors="replace") as handle:
                    doc = json.load(handle)
            except ValueError:
                doc = None
            if isinstance(doc, dict):
                usage = doc.get("tokenUsage") if isinstance(doc.get("tokenUsage"), dict) else {}
                for kind in KINDS:
                    tokens[kind] += count(usage.get(kind))
                stats["active_time_ms"] += count(doc.get("assistantActiveTimeMs"))
    return {
        "sessions": stats["sessions"],
        "projects": len(projects),
        "input_tokens": tokens["inputTokens"],
        "output_tokens": tokens["outputTokens"],
        "cache_creation_tokens": tokens["cacheCreationTokens"],
        "cache_read_tokens": tokens["cacheReadTokens"],
        "thinking_tokens": tokens["thinkingTokens"],
        # droid's outputTokens already hold the thinking tokens (docs/FORMAT.md)
        "total_tokens": sum(tokens.values()) - tokens["thinkingTokens"],
        "active_time_ms": stats["active_time_ms"],
        "user_prompts": stats["user_prompts"],
        "empty_sessions": stats["empty_sessions"],
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), indent=2))
