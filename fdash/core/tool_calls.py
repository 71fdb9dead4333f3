"""Tool calls in a transcript: which tools ran, which files they edited, which results
failed — from a message line's bytes (Droid's own shape) or from a decoded message."""

from __future__ import annotations

import re

import orjson

from fdash.core.text import one_line

TOOL_USE = b'"type":"tool_use"'
CALL = re.compile(rb'"type":"tool_use","id":"[^"\\]{0,300}","name":"([^"\\]{1,200})"')
_FILE_PATH = re.compile(rb'"file_path":"([^"\\]*(?:\\.[^"\\]*)*)"')
_PATCHED = re.compile(rb"\*\*\* (?:Update|Add|Delete) File: ((?:[^\\\"]|\\[^n])+)")

EDITING_TOOLS = frozenset({"Edit", "MultiEdit", "Create", "Write", "NotebookEdit", "ApplyPatch"})
EDITING = frozenset(name.encode() for name in EDITING_TOOLS)


def encode_counts(counts: dict[str, int]) -> str:
    """`{tool: calls}` as compact text, most used first ("Read:30,Edit:5"); a name is
    shown cleaned, without the separators."""
    items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ",".join(f"{one_line(name, 80).replace(',', ' ').replace(':', ' ') or '?'}:{n}" for name, n in items)


def _unescape(raw: bytes) -> str:
    """A JSON string's content (between its quotes) as text."""
    if b"\\" not in raw:
        return raw.decode("utf-8", "replace")
    try:
        value = orjson.loads(b'"' + raw + b'"')
    except orjson.JSONDecodeError:
        return raw.decode("utf-8", "replace")
    return value if isinstance(value, str) else ""


def edited_in(data: bytes, name: bytes, start: int, stop: int) -> list[str]:
    """The files an editing call named `name` changes (its input runs from `start` to `stop`)."""
    if name == b"ApplyPatch":
        return [_unescape(m.group(1)).strip() for m in _PATCHED.finditer(data, start, stop)]
    found = _FILE_PATH.search(data, start, stop)
    return [_unescape(found.group(1))] if found else []


def decoded_calls(message: dict) -> list[tuple[str, list[str]]]:
    """(tool name, files it edits) of each tool call of a decoded assistant message."""
    calls = []
    content = message.get("content")
    for block in content if isinstance(content, list) else ():
        if not (isinstance(block, dict) and block.get("type") == "tool_use"):
            continue
        name = block.get("name") if isinstance(block.get("name"), str) else "?"
        paths: list[str] = []
        if name in EDITING_TOOLS:
            inputs = block.get("input") if isinstance(block.get("input"), dict) else {}
            if name == "ApplyPatch":
                paths = [_unescape(m.group(1)).strip() for m in _PATCHED.finditer(orjson.dumps(inputs))]
            elif isinstance(inputs.get("file_path"), str):
                paths = [inputs["file_path"]]
        calls.append((name, paths))
    return calls


def failed_results(message: dict) -> int:
    """Failed tool results of a decoded user message."""
    content = message.get("content")
    return sum(1 for block in (content if isinstance(content, list) else ())
               if isinstance(block, dict) and block.get("type") == "tool_result" and block.get("is_error") is True)
