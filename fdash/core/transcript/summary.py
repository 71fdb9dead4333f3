"""A session's outcome facts in words, for the head of its transcript (CLI and app)."""

from __future__ import annotations

from fdash.core.models import Session
from fdash.core.text import one_line

TOOLS_SHOWN = 6


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def tools_line(session: Session, shown: int = TOOLS_SHOWN) -> str:
    """"42 tool calls: Read 20 · Execute 12 · Edit 6 · 2 more tools"."""
    counts = session.tool_call_counts
    if not counts:
        return "no tool calls"
    total = sum(counts.values())
    items = [f"{one_line(name, 40)} {n:,}" for name, n in list(counts.items())[:shown]]
    if len(counts) > shown:
        items.append(_plural(len(counts) - shown, "more tool", "more tools"))
    return f"{_plural(total, 'tool call', 'tool calls')}: " + " · ".join(items)


def outcome_line(session: Session) -> str:
    """"2 failed tool results · 1 turn ended early · 4 files edited"."""
    return " · ".join((
        _plural(session.tool_errors, "failed tool result", "failed tool results"),
        _plural(session.turn_errors, "turn ended early", "turns ended early"),
        _plural(session.files_edited, "file edited", "files edited"),
    ))
