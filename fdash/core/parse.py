"""Read one session's transcript into facts, tolerating anything a file can hold
(its `.settings.json` is read by `fdash.core.settings_file`).

Transcript: the `session_start` line (title, cwd, fork parent), first/last message
timestamps, message count, and user prompts (see `fdash.core.prompts.is_prompt`). It is read line by
line with cheap byte tests first, so only user lines that hold a text block are
fully JSON-decoded; assistant and tool-result bodies are never decoded. The reader is
resumable: `TranscriptReader.feed` can continue from where a previous read stopped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import orjson
from attrs import define, evolve, field

from fdash.core.json_values import error_summary, loads_lenient, text_or_none
from fdash.core.models import Problem
from fdash.core.prompts import is_handoff, pick_title, user_texts
from fdash.core.scan import UUID
from fdash.core.text import one_line
from fdash.core.times import QUARTER_MS, is_out_of_range, iso_to_ms, quarter_of
from fdash.core.tool_calls import CALL, EDITING, TOOL_USE, decoded_calls, edited_in, failed_results

PREVIEW_CHARS = 600  # enough of each prompt to search it and to recognise it
MAX_PREVIEWS = 100
TITLE_CHARS = 10_000  # a longer title is kept shortened (droid's own are a few words)
PATH_CHARS = 4096  # a longer cwd is no usable path: the project comes from the folder
MAX_LINE = 64 * 1024 * 1024  # a longer line is skipped (with a warning), never held whole

_TS_HEAD = re.compile(rb'"timestamp":"([^"\\]{10,40})"')
HEAD_BYTES = 600  # a message line's top-level keys and its role sit within this
_BOM = b"\xef\xbb\xbf"  # a UTF-8 byte order mark some editors put at a file's start
_MODEL_ID = re.compile(rb'"modelId":"((?:[^"\\]|\\.){1,200})"')
# a tool call as Droid writes it: {"type":"tool_use","id":…,"name":…,"input":{"file_path":…
# tools that change files; the path is their `file_path` (ApplyPatch: named in the patch)




def _preview(text: str) -> str:
    """A prompt on one line, without terminal escapes or invisible characters, shortened."""
    return one_line(text, PREVIEW_CHARS)

def _last_model(data: bytes, end: int) -> str | None:
    """The `modelId` of the last assistant message line before `end`."""
    idx = data.rfind(b'"modelId":"', 0, end)
    for _ in range(8):
        if idx == -1:
            return None
        start = data.rfind(b"\n", 0, idx) + 1
        head = data[start : start + HEAD_BYTES]
        if head.startswith(b'{"type":"message"') and b'"role":"assistant"' in head:
            match = _MODEL_ID.match(data, idx)
            return match.group(1).decode("utf-8", "replace") if match else None
        idx = data.rfind(b'"modelId":"', 0, start)
    return None


def _loads(line: bytes):
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return None

# --------------------------------------------------------------------------- transcript


_SEPARATORS = re.compile(r"/{2,}|\\{2,}")


def clean_path(path: str) -> str:
    """A cwd as droid got it (`--cwd` is written as given) in one spelling per folder:
    runs of separators as one, no trailing separator (`/a//b/` is `/a/b`). Nothing is
    resolved (`..`, links): the folder may be on another machine."""
    path = path[:1] + _SEPARATORS.sub(lambda m: m.group(0)[0], path[1:])  # (keeps a UNC `\\\\host`)
    stripped = path.rstrip("/\\")
    if not stripped or (len(stripped) == 2 and stripped[1] == ":"):
        return path[: len(stripped) + 1] if len(path) > len(stripped) else path  # "/", "C:\\"
    return stripped


@define
class TranscriptReader:
    """Accumulates a transcript's facts line by line; can resume at `offset`."""

    path: str
    keep_full_prompts: bool = False
    offset: int = 0  # bytes consumed (always at a line end)
    lines: int = 0
    started: bool = False  # saw the first non-empty line
    has_start: bool = False  # saw a session_start record
    title: str = ""
    cwd: str | None = None
    last_cwd: str | None = None  # where the session moved (/cwd, --cwd, --worktree), if it did
    parent_id: str | None = None
    fork_at: str | None = None  # a fork's forkedAtMessageId, until that message has passed
    forked: bool = False  # its session_start names a fork point
    inherits_tokens: bool = False  # started by /compress: its tokenUsage includes its parent's
    handoff: bool = False  # a user message is droid's handoff: a sub-agent (whatever its title)
    calling_session_id: str | None = None  # a sub-agent's parent (session_start.callingSessionId)
    first_at_ms: int | None = None
    last_at_ms: int | None = None
    message_count: int = 0
    user_prompts: int = 0
    previews: list[str] = field(factory=list)
    full_prompts: list[str] = field(factory=list)
    model_hint: str | None = None
    model_reminder: str | None = None  # "Model: …" of droid's injected system info
    models: list[str] = field(factory=list)  # every assistant modelId, in order of first use
    activity: dict = field(factory=dict)  # quarter-hour (epoch ms // 900000) → assistant messages
    bad_lines: int = 0
    first_bad_line: int = 0
    first_bad_reason: str = ""
    replaced_utf8: int = 0
    bad_time: str = ""  # the first timestamp out of the range fdash can show
    # what the agent did: calls per tool, failed tool results, turns that did not complete
    # (agent_turn_outcome reason other than "completed"), files changed (path → edits)
    tool_counts: dict = field(factory=dict)
    tool_errors: int = 0
    turn_errors: int = 0
    edited: dict = field(factory=dict)
    partial_tail: bool = False
    long_tail: bool = False  # the data ends in a line longer than MAX_LINE (skipped)

    def feed(self, data: bytes) -> bytes:
        """Consume the complete lines of `data` (the file's bytes from `offset`) and
        return what follows the last newline: a line a running droid may still be
        writing. `offset` only ever moves past complete lines.

        The hot loop works on byte offsets with C-speed `find`/`startswith`: a message
        line is classified by its first few hundred bytes and JSON-decoded only when it
        is a user message holding text (a possible prompt); assistant messages, tool
        results and bookkeeping records are never decoded."""
        find = data.find
        starts = data.startswith
        ends = data.endswith
        pos = 3 if self.offset == 0 and starts(_BOM) else 0
        first_message = last_message = -1
        messages = 0
        base = self.lines
        lines = 0
        started = self.started
        activity = self.activity
        calls: dict[bytes, int] = {}  # raw tool name → calls, merged below
        match_call = CALL.match
        while True:
            end = find(b"\n", pos)
            if end == -1:
                break
            lines += 1
            if started and self.fork_at is not None and starts(b'{"type":"message"', pos):
                self.lines = base + lines
                self._copied_line(data[pos:end])  # a fork's copy of its parent's messages
            elif started and starts(b'{"type":"message"', pos):
                messages += 1
                last_message = pos
                if first_message == -1:
                    first_message = pos
                role = find(b'"role":"', pos, pos + HEAD_BYTES)
                if role == -1 or role > end:
                    messages -= 1
                    self.lines = base + lines
                    self._decode_line(data[pos:end])
                elif data[role + 8] == 97:  # "a"ssistant: when it worked, for reports by day
                    model = data.rfind(b'"modelId":"', role, end)  # (near the line's end)
                    if model != -1:
                        self._model_used(data, model + 11, end)
                    stamp = find(b'"timestamp":"', pos, role)
                    close = find(b'"', stamp + 13, role) if stamp != -1 else -1
                    if close != -1:  # (a slice to -1 would copy the rest of the data: quadratic)
                        quarter = quarter_of(data[stamp + 13 : close])
                        if quarter is not None:
                            activity[quarter] = activity.get(quarter, 0) + 1
                        elif close - stamp < 60:
                            self._check_range(data[stamp + 13 : close].decode("ascii", "replace"))
                    use = find(TOOL_USE, role, end)
                    while use != -1:  # its tool calls, from Droid's {"type":"tool_use","id":…,"name":…
                        call = match_call(data, use)
                        if call is None:
                            self._decoded_tools(data, pos, end, calls)
                            break
                        name = call.group(1)
                        calls[name] = calls.get(name, 0) + 1
                        use = find(TOOL_USE, call.end(), end)
                        if name in EDITING:
                            self._edited(edited_in(data, name, call.end(), end if use == -1 else use))
                elif data[role + 8] == 117:  # "u"ser
                    self.tool_errors += data.count(b'"is_error":true', role, end)
                    holds_text = find(b'"type":"text"', role, end) != -1 or starts(b'"role":"user","content":"', role)
                    if holds_text and starts(b"context-", pos + 24):  # {"type":"message","id":"context-
                        if self.model_reminder is None:
                            self._reminder_model(data, pos, end)
                    elif holds_text and not (  # a possible prompt
                        starts(b"task-completion:", pos + 24)
                        or ends(b'"visibility":"llm_only"}}', pos, end)
                        or ends(b'"visibility":"user_only"}}', pos, end)
                    ):
                        self.lines = base + lines
                        self._prompt_line(data[pos:end])
            elif started and starts(b'{"type":"', pos) and not starts(b'{"type":"session_start"', pos):
                if starts(b'{"type":"agent_turn_outcome"', pos):  # todo_state, compaction_state, …: skipped
                    reason = find(b'"reason":"', pos, end)
                    if reason != -1 and not starts(b'completed"', reason + 10):
                        self.turn_errors += 1
                elif not (messages or self.message_count) and starts(b'{"type":"compaction_state"', pos):
                    self._compaction_start()
            else:
                self.lines = base + lines
                self._decode_line(data[pos:end])
                started = self.started
            pos = end + 1
        self.lines = base + lines
        for raw, n in calls.items():
            if n:
                name = raw.decode("utf-8", "replace")
                self.tool_counts[name] = self.tool_counts.get(name, 0) + n
        if messages:
            self.message_count += messages
            last = self._edge_time(data, first_message, last_message, from_end=True)
            if self.first_at_ms is None:
                same = last_message == first_message  # (one line is looked at once)
                self.first_at_ms = last if same else self._edge_time(data, first_message, last_message)
            if last is not None:
                self.last_at_ms = last
            model = _last_model(data, pos)
            if model:
                self.model_hint = model
        self.offset += pos
        return data[pos:]

    def _model_used(self, data: bytes, start: int, end: int) -> None:
        close = data.find(b'"', start, min(end, start + 201))
        if close > start:
            model = data[start:close].decode("utf-8", "replace")
            if model not in self.models:
                self.models.append(model)

    def _reminder_model(self, data: bytes, pos: int, end: int) -> None:
        """The model named in droid's injected system info ("\nModel: Droid Core (GLM-4.6)\n"),
        which older sessions without a `model` in their settings still carry."""
        at = data.find(b"\\nModel: ", pos, end)
        if at == -1:
            return
        start = at + 9
        close = data.find(b"\\n", start, min(end, start + 200))
        if close > start:
            try:
                name = orjson.loads(b'"' + data[start:close] + b'"')
            except orjson.JSONDecodeError:
                return
            self.model_reminder = name.strip() or None

    def _compaction_start(self) -> None:
        """A session whose first record is a compaction summary and that names a `parent`
        (no fork point) was started by droid's /compress: its `tokenUsage` began at the
        parent's totals (docs/FORMAT.md)."""
        if self.parent_id and self.fork_at is None and not self.forked:
            self.inherits_tokens = True

    def _copied_line(self, line: bytes) -> None:
        """A message line of a fork before (and at) `forkedAtMessageId`: the parent's,
        copied with its ids and times; it counts for neither prompts nor dates."""
        head = b'{"type":"message","id":"' + self.fork_at.encode() + b'"'
        if line.startswith(head):
            self.fork_at = None
        elif not line.startswith(b'{"type":"message","id":"'):  # another key order: decode it
            record = self._decode(line, tail=False)
            if record is not None and record.get("id") == self.fork_at:
                self.fork_at = None

    def _edge_time(self, data: bytes, first: int, last: int, from_end: bool = False) -> int | None:
        """The time of the first (or last) dated message line from `first` to `last` (line
        starts): the line at the edge, unless it has no usable time (rare), so that reading a
        transcript in two goes dates it as one pass does."""
        pos = last if from_end else first
        while True:
            if data.startswith(b'{"type":"message"', pos):
                ms = self._line_time(data, pos)
                if ms is not None:
                    return ms
            if from_end:
                if pos <= first:
                    return None
                pos = max(first, data.rfind(b"\n", first, pos - 1) + 1)
            else:
                if pos >= last:
                    return None
                pos = data.find(b"\n", pos, last) + 1

    def _line_time(self, data: bytes, pos: int) -> int | None:
        """The timestamp of the message line starting at `pos`."""
        end = data.find(b"\n", pos)
        match = _TS_HEAD.search(data, pos, min(end, pos + HEAD_BYTES))
        if match:
            return self._time(match.group(1).decode("ascii", "replace"))
        record = _loads(data[pos:end])
        return self._time(record.get("timestamp")) if isinstance(record, dict) else None

    def _time(self, value: object) -> int | None:
        """A timestamp in epoch ms; None (noting it when it is out of range) otherwise."""
        ms = iso_to_ms(value)
        if ms is None:
            self._check_range(value)
        return ms

    def _check_range(self, value: object) -> None:
        if not self.bad_time and is_out_of_range(value):
            self.bad_time = str(value)

    def _decoded_tools(self, data: bytes, pos: int, end: int, calls: dict) -> None:
        """A line whose tool calls are not in Droid's shape: the calls of it counted from
        its bytes so far are taken back, and it is decoded."""
        use = data.find(TOOL_USE, pos, end)
        while use != -1 and (call := CALL.match(data, use)) is not None:
            calls[call.group(1)] -= 1
            use = data.find(TOOL_USE, call.end(), end)
            if call.group(1) in EDITING:
                self._edited(edited_in(data, call.group(1), call.end(), end if use == -1 else use), -1)
        record = _loads(data[pos:end])
        message = record.get("message") if isinstance(record, dict) else None
        if isinstance(message, dict):
            self._count_tools(message)

    def _count_tools(self, message: dict) -> None:
        """The same counts from a decoded assistant message."""
        for name, paths in decoded_calls(message):
            self.tool_counts[name] = self.tool_counts.get(name, 0) + 1
            self._edited(paths)

    def _edited(self, paths: list[str], sign: int = 1) -> None:
        for path in paths:
            if path:
                edits = self.edited.get(path, 0) + sign
                if edits > 0:
                    self.edited[path] = edits
                else:
                    self.edited.pop(path, None)

    def _prompt_line(self, line: bytes) -> None:
        record = self._decode(line, tail=False)
        if record is not None:
            self._prompt(record)

    def _decode_line(self, line: bytes) -> None:
        """A line outside the fast path: decoded and handled whole."""
        if not line.strip():
            return
        if not self.started:
            self.started = True
            record = self._decode(line, tail=False)
            if record is None:
                return
            if record.get("type") == "session_start":
                self._session_start(record)
                return
            self._record(record)
            return
        record = self._decode(line, tail=False)
        if record is not None:
            self._record(record)

    def feed_chunks(self, chunks: Iterable[bytes]) -> bytes:
        """`feed` over a file read a chunk at a time (see `fdash.core.regular.read_chunks`):
        memory stays near one chunk plus one line. A line longer than MAX_LINE is skipped
        as it streams by, never held whole (a warning says so); returns the unterminated
        tail, or b"" with `long_tail` set when that tail is itself longer than MAX_LINE."""
        pending: list[bytes] = []  # the start of a line that continues in the next chunk
        size = 0  # bytes in `pending`
        skipping = 0  # bytes of an over-long line passed so far (0: not in one)
        self.long_tail = False
        for chunk in chunks:
            start = 0
            if skipping or pending:
                end = chunk.find(b"\n")
                if end == -1:
                    if skipping:
                        skipping += len(chunk)
                    else:
                        pending.append(chunk)
                        size += len(chunk)
                        if size > MAX_LINE:
                            skipping, pending, size = size, [], 0
                    continue
                if skipping:
                    self._skip_line(skipping + end + 1)
                    skipping = 0
                else:
                    pending.append(chunk[: end + 1])
                    self.feed(b"".join(pending))
                    pending, size = [], 0
                start = end + 1
            tail = self.feed(chunk[start:] if start else chunk)
            if len(tail) > MAX_LINE:
                skipping = len(tail)
            elif tail:
                pending, size = [tail], len(tail)
        if skipping:
            self.long_tail = True
            return b""
        return b"".join(pending)

    def _skip_line(self, length: int) -> None:
        """An over-long complete line (with its newline) passes unread."""
        self.lines += 1
        self.offset += length
        self.started = True
        self._bad(f"longer than {MAX_LINE // (1024 * 1024)} MB", tail=False)

    def finished(self, tail: bytes) -> TranscriptReader:
        """The facts including an unterminated last line, on a copy (the reader itself
        stays resumable at `offset`); the reader itself when there is none."""
        if not tail.strip() and not self.long_tail:
            return self
        done = evolve(
            self, previews=list(self.previews), full_prompts=list(self.full_prompts), activity=dict(self.activity),
            tool_counts=dict(self.tool_counts), edited=dict(self.edited),
        )
        done.lines += 1
        if self.long_tail:
            done.started = True
            done._bad(f"longer than {MAX_LINE // (1024 * 1024)} MB", tail=False)
        else:
            done._tail_line(tail)
        return done

    def _tail_line(self, line: bytes) -> None:
        """An unterminated last line: used if it is complete JSON, else a warning."""
        line = line.strip()
        if not line:
            return
        record = self._decode(line, tail=True)
        if record is None:
            return
        if not self.started:
            self.started = True
            if record.get("type") == "session_start":
                self._session_start(record)
                return
        self._record(record)

    def _decode(self, line: bytes, tail: bool) -> dict | None:
        try:
            record, replaced = loads_lenient(line)
        except orjson.JSONDecodeError as exc:
            if tail:
                self._bad("incomplete last line (is droid still writing this session?)", tail)
            else:
                self._bad(f"invalid JSON ({error_summary(exc)})", tail)
            return None
        self.replaced_utf8 += replaced
        if not isinstance(record, dict):
            self._bad("a line that is not a JSON object", tail)
            return None
        return record

    def _bad(self, reason: str, tail: bool) -> None:
        if tail:
            self.partial_tail = True
            return
        self.bad_lines += 1
        if self.bad_lines == 1:
            self.first_bad_line = self.lines
            self.first_bad_reason = reason

    def _session_start(self, record: dict) -> None:
        self.has_start = True
        title = pick_title(record.get("title"), record.get("sessionTitle"))
        self.title = title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"
        cwd = text_or_none(record.get("cwd"))
        self.cwd = clean_path(cwd) if cwd is not None and len(cwd) <= PATH_CHARS else None
        last_cwd = text_or_none(record.get("lastCwd"))
        self.last_cwd = clean_path(last_cwd) if last_cwd is not None and len(last_cwd) <= PATH_CHARS else None
        parent = text_or_none(record.get("parent"))
        self.parent_id = parent if parent is None or len(parent) <= 200 else None
        fork_at = text_or_none(record.get("forkedAtMessageId"))
        if self.parent_id and fork_at and len(fork_at) <= 200 and self.message_count == 0 and self.fork_at is None:
            self.fork_at = fork_at  # (a session_start rewritten later never re-opens the copy)
        self.forked = self.forked or bool(fork_at)
        calling = text_or_none(record.get("callingSessionId"))
        self.calling_session_id = calling.lower() if calling and UUID.fullmatch(calling) else None

    def _record(self, record: dict) -> None:
        kind = record.get("type")
        if kind == "session_start":
            self._session_start(record)  # a rewritten session_start later in a file
            return
        if kind == "agent_turn_outcome":
            reason = record.get("reason")
            if isinstance(reason, str) and reason != "completed":
                self.turn_errors += 1
            return
        if kind == "compaction_state" and not self.message_count:
            self._compaction_start()
            return
        if kind != "message":
            return
        if self.fork_at is not None:
            if record.get("id") == self.fork_at:
                self.fork_at = None
            return
        self.message_count += 1
        ms = self._time(record.get("timestamp"))
        self._timestamp(ms)
        message = record.get("message")
        if isinstance(message, dict) and message.get("role") != "assistant":
            self.tool_errors += failed_results(message)
        if isinstance(message, dict) and message.get("role") == "assistant":
            self._count_tools(message)
            model = message.get("modelId")
            if isinstance(model, str) and 0 < len(model) <= 200:
                self.model_hint = model
                if model not in self.models:
                    self.models.append(model)
            if ms is not None:
                quarter = ms // QUARTER_MS
                self.activity[quarter] = self.activity.get(quarter, 0) + 1
            return
        self._prompt(record)

    def _prompt(self, record: dict) -> None:
        texts = user_texts(record)
        if is_handoff(texts):  # a sub-agent's task, written by droid
            self.handoff = True
        elif texts:
            self.user_prompts += 1
            text = "\n\n".join(texts)
            if self.keep_full_prompts:
                self.full_prompts.append(text)
            if len(self.previews) < MAX_PREVIEWS:
                self.previews.append(_preview(text))

    def _timestamp(self, ms: int | None) -> None:
        if ms is None:
            return
        if self.first_at_ms is None or ms < self.first_at_ms:
            self.first_at_ms = ms
        if self.last_at_ms is None or ms > self.last_at_ms:
            self.last_at_ms = ms

    def problems(self) -> list[Problem]:
        found = []
        if not self.started:
            found.append(Problem(self.path, "empty transcript (no lines)"))
        elif not self.has_start:
            found.append(Problem(self.path, "no session_start record; project taken from the folder"))
        if self.bad_lines:
            more = f" and {self.bad_lines - 1} more" if self.bad_lines > 1 else ""
            found.append(
                Problem(
                    self.path,
                    f"line {self.first_bad_line}: {self.first_bad_reason}{more}; those lines skipped",
                )
            )
        if self.replaced_utf8:
            found.append(Problem(self.path, f"invalid UTF-8 replaced in {self.replaced_utf8} line(s)"))
        if self.partial_tail:
            found.append(
                Problem(self.path, "incomplete last line (is droid still writing this session?); skipped")
            )
        if self.bad_time:
            undated = "; the session is undated" if self.first_at_ms is None and self.last_at_ms is None else ""
            found.append(
                Problem(self.path, f"timestamp {self.bad_time!r} out of range (1970 to 2999); ignored{undated}")
            )
        return found
