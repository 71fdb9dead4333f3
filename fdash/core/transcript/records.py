"""One transcript line → the records a reader of the session sees.

A `message` becomes the user's prompt, the assistant's reply text, its thinking, one
record per tool call (the tool and its main argument: the file read or edited, the
command run) and one per tool result (size, first lines, error); injected context
(`visibility: llm_only`, `context-` ids, `<system-reminder>` spans) becomes `context`
records and host notices (`user_only`) `notice` records. Bookkeeping lines become
`compaction`, `outcome` (a turn that did not complete) and `todo` records. Every text is
passed through `fdash.core.text.clean`: escapes and invisible characters removed.
"""

from __future__ import annotations

import orjson
from attrs import frozen

from fdash.core.json_values import loads_lenient
from fdash.core.text import clean, one_line
from fdash.core.times import iso_to_ms, ms_to_iso

MAX_TEXT = 256 * 1024  # characters of one body kept; a longer tool output is cut (its size told)
ARG_CHARS = 400
_OPEN, _CLOSE = "<system-reminder>", "</system-reminder>"
# the input keys that best tell what a tool call did, in order of preference
MAIN_ARGUMENT = ("file_path", "command", "pattern", "patterns", "query", "url", "path",
                 "directory_path", "folder", "description", "subagent_type", "prompt", "todos")

KINDS = ("prompt", "reply", "thinking", "tool", "result", "context", "notice", "compaction",
         "outcome", "todo", "bad")


@frozen
class Record:
    """One thing shown in a transcript. `head` is a one-line label, `text` the body
    (cleaned, line breaks kept; cut at MAX_TEXT characters, `size` the full length)."""

    kind: str
    line: int  # 0-based line of the transcript file
    head: str = ""
    text: str = ""
    at_ms: int | None = None
    tool: str | None = None  # tool name (tool calls and their results)
    error: bool = False  # a failed tool result, a turn that ended in an error
    size: int = 0  # characters of the body before it was cut

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "line": self.line + 1, "timestamp": ms_to_iso(self.at_ms), "tool": self.tool,
            "head": self.head, "text": self.text, "error": self.error, "size": self.size,
        }


def _body(text: str) -> tuple[str, int]:
    size = len(text)
    if size > MAX_TEXT:
        text = text[:MAX_TEXT]
    return clean(text), size


def decode(raw: bytes, line: int, tool_names: dict[str, str]) -> list[Record]:
    """The records of one line. `tool_names` (tool_use id → name) is filled by assistant
    lines and read by the tool-result lines after them."""
    if line == 0 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        return []
    try:
        record, _ = loads_lenient(raw)
    except orjson.JSONDecodeError:
        return [Record("bad", line, "an unreadable line (not JSON)", size=len(raw))]
    if not isinstance(record, dict):
        return [Record("bad", line, "a line that is not a JSON object", size=len(raw))]
    kind = record.get("type")
    if kind == "message":
        return _message(record, line, tool_names)
    if kind == "compaction_state":
        return [_compaction(record, line)]
    if kind == "agent_turn_outcome":
        reason = record.get("reason")
        if reason == "completed" or not isinstance(reason, str):
            return []
        return [Record("outcome", line, f"turn ended: {one_line(reason, 80)}", error=True)]
    if kind == "todo_state":
        return _todos(record, line)
    return []  # session_start (shown in the header), and record types yet unknown


def _message(record: dict, line: int, tool_names: dict[str, str]) -> list[Record]:
    message = record.get("message")
    if not isinstance(message, dict):
        return []
    at = iso_to_ms(record.get("timestamp"))
    content = message.get("content")
    if isinstance(content, str):
        content = [{"type": "text", "text": content}]
    if not isinstance(content, list):
        return []
    blocks = [b for b in content if isinstance(b, dict)]
    if message.get("role") == "assistant":
        return _assistant(blocks, line, at, tool_names)
    visibility = message.get("visibility") or record.get("visibility")
    record_id = record.get("id")
    injected = visibility == "llm_only" or (isinstance(record_id, str) and record_id.startswith("context-"))
    out: list[Record] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "tool_result":
            out.append(_result(block, line, at, tool_names))
        elif kind == "text" and isinstance(block.get("text"), str):
            text = block["text"]
            if injected:
                out.append(_context(text, line, at))
            elif visibility == "user_only":
                body, size = _body(text.strip())
                out.append(Record("notice", line, one_line(text, 120), body, at, size=size))
            else:
                out.extend(_user_text(text, line, at))
        elif kind == "image":
            out.append(Record("context" if injected else "prompt", line, "[an image]", "[an image]", at))
    return out


def _user_text(text: str, line: int, at: int | None) -> list[Record]:
    """A user text block: the prompt, and its `<system-reminder>` spans as context."""
    out = []
    kept = []
    position = 0
    start = text.find(_OPEN)
    while start != -1:
        kept.append(text[position:start])
        end = text.find(_CLOSE, start + len(_OPEN))
        stop = len(text) if end == -1 else end + len(_CLOSE)
        out.append(_context(text[start:stop], line, at))
        position = stop
        start = text.find(_OPEN, position)
    kept.append(text[position:])
    prompt = "".join(kept).strip()
    if prompt:
        body, size = _body(prompt)
        out.insert(0, Record("prompt", line, "", body, at, size=size))
    return out


def _context(text: str, line: int, at: int | None) -> Record:
    body, size = _body(text.strip())
    inner = body.removeprefix(_OPEN).removesuffix(_CLOSE)
    return Record("context", line, f"injected context ({_size(size)})", inner.strip(), at, size=size)


def _assistant(blocks: list[dict], line: int, at: int | None, tool_names: dict[str, str]) -> list[Record]:
    out = []
    for block in blocks:
        kind = block.get("type")
        if kind == "text" and isinstance(block.get("text"), str) and block["text"].strip():
            body, size = _body(block["text"].strip())
            out.append(Record("reply", line, "", body, at, size=size))
        elif kind == "thinking" and isinstance(block.get("thinking"), str) and block["thinking"].strip():
            body, size = _body(block["thinking"].strip())
            out.append(Record("thinking", line, f"thinking ({_size(size)})", body, at, size=size))
        elif kind == "tool_use":
            name = one_line(block["name"], 60) if isinstance(block.get("name"), str) else "?"
            if isinstance(block.get("id"), str):
                tool_names[block["id"]] = name
            inputs = block.get("input")
            argument = main_argument(inputs)
            full = orjson.dumps(_cleaned(inputs), option=orjson.OPT_INDENT_2).decode() if inputs is not None else ""
            body, size = _body(full)
            out.append(Record("tool", line, f"{name} {argument}".rstrip(), body, at, tool=name, size=size))
    return out


def _cleaned(value: object, depth: int = 0) -> object:
    """A tool's input with every text cleaned (keys too), nested at most 40 deep."""
    if isinstance(value, str):
        return clean(value)
    if depth > 40:
        return "…"
    if isinstance(value, dict):
        return {clean(str(k)): _cleaned(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v, depth + 1) for v in value]
    return value


def main_argument(inputs: object) -> str:
    """What a tool call worked on, on one line: the file, command, pattern, query…"""
    if not isinstance(inputs, dict):
        return ""
    for key in MAIN_ARGUMENT:
        value = inputs.get(key)
        if isinstance(value, list):
            value = " ".join(v for v in value if isinstance(v, str))
        if isinstance(value, str) and value.strip():
            return one_line(value, ARG_CHARS)
    for value in inputs.values():
        if isinstance(value, str) and value.strip():
            return one_line(value, ARG_CHARS)
    return ""


def _result(block: dict, line: int, at: int | None, tool_names: dict[str, str]) -> Record:
    content = block.get("content")
    if isinstance(content, list):
        parts = []
        for item in content:
            if isinstance(item, dict) and isinstance(item.get("text"), str):
                parts.append(item["text"])
            elif isinstance(item, dict) and item.get("type") == "image":
                parts.append("[an image]")
        content = "\n".join(parts)
    elif not isinstance(content, str):
        content = "" if content is None else orjson.dumps(content).decode()
    use_id = block.get("tool_use_id")
    name = tool_names.get(use_id) if isinstance(use_id, str) else None
    error = block.get("is_error") is True
    body, size = _body(content.rstrip())
    lines = body.count("\n") + 1 if body else 0
    head = f"{'error, ' if error else ''}{lines} line{'s' if lines != 1 else ''}, {_size(size)}"
    return Record("result", line, head, body, at, tool=name, error=error, size=size)


def _compaction(record: dict, line: int) -> Record:
    summary = record.get("summaryText") if isinstance(record.get("summaryText"), str) else ""
    removed = record.get("removedCount")
    tokens = record.get("summaryTokens")
    parts = ["context compacted"]
    if isinstance(removed, int) and not isinstance(removed, bool):
        parts.append(f"{removed} messages summarised")
    if isinstance(tokens, int) and not isinstance(tokens, bool):
        parts.append(f"summary {tokens:,} tokens")
    body, size = _body(summary.strip())
    return Record("compaction", line, ", ".join(parts), body, iso_to_ms(record.get("timestamp")), size=size)


def _todos(record: dict, line: int) -> list[Record]:
    todos = record.get("todos")
    if isinstance(todos, dict):
        todos = todos.get("todos")
    if isinstance(todos, list):
        rows = []
        for item in todos:
            if isinstance(item, dict):
                rows.append(f"[{item.get('status', '?')}] {item.get('content', '')}")
        todos = "\n".join(rows)
    if not isinstance(todos, str) or not todos.strip():
        return []
    body, size = _body(todos.strip())
    counts: dict[str, int] = {}
    for status in ("completed", "in_progress", "pending"):
        counts[status] = body.count(f"[{status}]")
    head = f"todos: {counts['completed']} done, {counts['in_progress']} in progress, {counts['pending']} pending"
    return [Record("todo", line, head, body, iso_to_ms(record.get("timestamp")), size=size)]


def _size(chars: int) -> str:
    if chars < 1000:
        return f"{chars} chars"
    if chars < 1_000_000:
        return f"{chars / 1000:.1f}k chars"
    return f"{chars / 1_000_000:.1f}M chars"
