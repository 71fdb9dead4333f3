"""Read one session's files into facts, tolerating anything a file can hold.

Settings: `tokenUsage` (never `inclusiveTokenUsage`, which also counts sub-agent
sessions), the model (`auto` resolved through `effectiveFactoryRouterModel`), active
time, provider lock time, archived flag.

Transcript: the `session_start` line (title, cwd, fork parent), first/last message
timestamps, message count, and user prompts (see `is_prompt`). It is read line by
line with cheap byte tests first, so only user lines that hold a text block are
fully JSON-decoded; assistant and tool-result bodies are never decoded. The reader is
resumable: `TranscriptReader.feed` can continue from where a previous read stopped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timezone

import orjson
from attrs import define, evolve, field

from fdash.core.models import DROID_TOKEN_KEYS, TOKEN_KINDS, Problem, TokenUsage
from fdash.core.scan import UUID
from fdash.core.text import one_line

MAX_TOKENS = 10**13  # more than any session can use; larger values are treated as corrupt
PREVIEW_CHARS = 600  # enough of each prompt to search it and to recognise it
MAX_PREVIEWS = 100
TITLE_CHARS = 10_000  # a longer title is kept shortened (droid's own are a few words)
PATH_CHARS = 4096  # a longer cwd is no usable path: the project comes from the folder
MAX_LINE = 64 * 1024 * 1024  # a longer line is skipped (with a warning), never held whole

HANDOFF = "# Task Tool Invocation"  # how droid begins the first message of a sub-agent
NEW_SESSION = "New Session"  # droid's placeholder title
# user messages droid writes itself: injected context, a background task's completion notice
_INJECTED_IDS = ("context-", "task-completion:")
_OPEN_REMINDER = "<system-reminder>"
_CLOSE_REMINDER = "</system-reminder>"
_TS_HEAD = re.compile(rb'"timestamp":"([^"\\]{10,40})"')
HEAD_BYTES = 600  # a message line's top-level keys and its role sit within this
_BOM = b"\xef\xbb\xbf"  # a UTF-8 byte order mark some editors put at a file's start
_MODEL_ID = re.compile(rb'"modelId":"((?:[^"\\]|\\.){1,200})"')
# a tool call as Droid writes it: {"type":"tool_use","id":…,"name":…,"input":{"file_path":…
_TOOL_USE = b'"type":"tool_use"'
_CALL = re.compile(rb'"type":"tool_use","id":"[^"\\]{0,300}","name":"([^"\\]{1,200})"')
_FILE_PATH = re.compile(rb'"file_path":"([^"\\]*(?:\\.[^"\\]*)*)"')
_PATCHED = re.compile(rb"\*\*\* (?:Update|Add|Delete) File: ((?:[^\\\"]|\\[^n])+)")
# tools that change files; the path is their `file_path` (ApplyPatch: named in the patch)
EDITING_TOOLS = frozenset({"Edit", "MultiEdit", "Create", "Write", "NotebookEdit", "ApplyPatch"})
_EDITING = frozenset(name.encode() for name in EDITING_TOOLS)

_TOKEN_FIELDS = tuple(zip(TOKEN_KINDS, DROID_TOKEN_KEYS))


# --------------------------------------------------------------------------- values


# Times fdash accepts: from 1970 to 3000. Others (`9999-12-31T23:59:59-14:00` is in the
# year 10000 in UTC; year 1 is before the first day of some zones) cannot be shown in
# every time zone; a session holding one is warned about and that time ignored.
MIN_MS = 0
MAX_MS = 32_503_680_000_000  # 3000-01-01T00:00:00Z


def in_range(ms: int) -> bool:
    return MIN_MS <= ms < MAX_MS


def iso_to_ms(value: object) -> int | None:
    """ISO 8601 text → epoch milliseconds (UTC), None when it is not a time or not
    between 1970 and 3000 (`is_out_of_range` tells the two apart)."""
    ms = _iso_to_ms(value)
    return ms if ms is not None and in_range(ms) else None


def is_out_of_range(value: object) -> bool:
    """Whether `value` is a valid ISO 8601 time outside the range fdash can show."""
    ms = _iso_to_ms(value)
    return ms is not None and not in_range(ms)


def _iso_to_ms(value: object) -> int | None:
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return None
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return int(moment.timestamp() * 1000)
    except (OverflowError, OSError, ValueError):
        return None


def ms_to_iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    moment = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


QUARTER_MS = 15 * 60 * 1000  # activity is kept per quarter hour: every time zone's day
# (whole, half and quarter-hour offsets) is a union of quarter hours


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


_HOURS: dict[bytes, int] = {}  # b"2026-07-28T18" → its first quarter hour (memo)


def _quarter(stamp: bytes) -> int | None:
    """The quarter hour of a Droid timestamp (`2026-07-28T18:03:10.939Z`), cheaply: the
    hour is looked up (messages of a session share a few hours), only minutes parsed."""
    if len(stamp) >= 17 and stamp[-1:] == b"Z" and stamp[10:11] == b"T" and stamp[14:16].isdigit():
        hour = stamp[:13]
        base = _HOURS.get(hour)
        if base is None:
            try:
                days = _days_from_civil(int(stamp[0:4]), int(stamp[5:7]), int(stamp[8:10]))
                base = days * 96 + int(stamp[11:13]) * 4
            except ValueError:
                return None
            if not _MIN_QUARTER <= base < _MAX_QUARTER:
                return None
            if len(_HOURS) > 50_000:
                _HOURS.clear()
            _HOURS[hour] = base
        return base + int(stamp[14:16]) // 15
    ms = iso_to_ms(stamp.decode("ascii", "replace"))
    return None if ms is None else ms // QUARTER_MS


_MIN_QUARTER, _MAX_QUARTER = MIN_MS // QUARTER_MS, MAX_MS // QUARTER_MS


def encode_activity(activity: dict[int, int]) -> str:
    """`{quarter: count}` as compact text ("q:c,q:c"), the form sessions keep it in."""
    return ",".join(f"{q}:{c}" for q, c in sorted(activity.items()))


def decode_activity(text: str) -> dict[int, int]:
    if not text:
        return {}
    pairs = (item.split(":") for item in text.split(","))
    return {int(q): int(c) for q, c in pairs}


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


def clean_prompt(text: str) -> str:
    """A user text without `<system-reminder>…</system-reminder>` spans (an unclosed one
    runs to the end), stripped."""
    start = text.find(_OPEN_REMINDER)
    if start == -1:
        return text.strip()
    kept = []
    position = 0
    while start != -1:
        kept.append(text[position:start])
        end = text.find(_CLOSE_REMINDER, start + len(_OPEN_REMINDER))
        if end == -1:
            position = len(text)
            break
        position = end + len(_CLOSE_REMINDER)
        start = text.find(_OPEN_REMINDER, position)
    kept.append(text[position:])
    return "".join(kept).strip()


def _preview(text: str) -> str:
    """A prompt on one line, without terminal escapes or invisible characters, shortened."""
    return one_line(text, PREVIEW_CHARS)


def _count(value: object) -> tuple[int, str | None]:
    """A token count as Droid writes it, or 0 and why it was refused."""
    if isinstance(value, bool) or value is None:
        return 0, f"not a number ({value!r})" if value is not None else None
    if isinstance(value, int):
        if value < 0:
            return 0, f"negative ({value})"
        if value > MAX_TOKENS:
            return 0, f"absurdly large ({value})"
        return value, None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return 0, f"not a number ({value!r})"
        if value < 0:
            return 0, f"negative ({value})"
        if value > MAX_TOKENS:
            return 0, f"absurdly large ({value:g})"
        if not value.is_integer():
            return 0, f"not a whole number ({value})"
        return int(value), None
    return 0, f"not a number ({type(value).__name__})"


# --------------------------------------------------------------------------- settings


@define
class SettingsFacts:
    model: str | None = None
    resolved_model: str | None = None
    tokens: TokenUsage | None = None
    active_time_ms: int = 0
    provider_lock_at_ms: int | None = None
    archived: bool = False
    children: tuple[str, ...] = ()  # sub-agent sessions, from childInclusiveTokenUsageBySessionId
    credits: float | None = None  # tokenUsage.factoryCredits (Factory Standard Credits), None: not recorded
    subagent: bool = False  # tagged `subagent` (droid starts it through a Task tool)
    tagged_parent_id: str | None = None  # that tag's metadata.callingSessionId


def loads_lenient(data: bytes) -> tuple[object, bool]:
    """(decoded JSON, whether invalid UTF-8 had to be replaced); raises JSONDecodeError
    with the error of the original bytes when even the repaired text is not JSON."""
    try:
        return orjson.loads(data), False
    except orjson.JSONDecodeError as exc:
        try:
            return orjson.loads(data.decode("utf-8", "replace")), True
        except orjson.JSONDecodeError:
            raise exc from None


def parse_settings(data: bytes, path: str, problems: list[Problem]) -> SettingsFacts | None:
    """Facts from a `.settings.json`; None (and a problem) when it is not a JSON object."""
    try:
        doc, replaced = loads_lenient(data)
    except orjson.JSONDecodeError as exc:
        problems.append(Problem(path, f"invalid JSON ({_short(exc)}); its tokens are not counted"))
        return None
    if replaced:
        problems.append(Problem(path, "invalid UTF-8 replaced"))
    if not isinstance(doc, dict):
        problems.append(Problem(path, f"expected a JSON object, found {type(doc).__name__}"))
        return None
    facts = SettingsFacts()
    model = doc.get("model")
    if isinstance(model, str) and len(model) > 200:
        problems.append(Problem(path, f"model name of {len(model)} characters; ignored"))
        model = None
    facts.model = _text(model)
    facts.resolved_model = facts.model
    if facts.model == "auto":
        routed = doc.get("effectiveFactoryRouterModel")
        if isinstance(routed, dict):
            routed = routed.get("modelId")
        routed = routed if isinstance(routed, str) and len(routed) <= 200 else None
        facts.resolved_model = _text(routed) or "auto"
    usage = doc.get("tokenUsage")
    if isinstance(usage, dict):
        counts = {}
        for name, key in _TOKEN_FIELDS:
            counts[name], why = _count(usage.get(key))
            if why:
                problems.append(Problem(path, f"tokenUsage.{key} {why}; counted as 0"))
        facts.tokens = TokenUsage(**counts)
        facts.credits, why = _credits(usage.get("factoryCredits"))
        if why:
            problems.append(Problem(path, f"tokenUsage.factoryCredits {why}; not counted"))
    elif usage is not None:
        problems.append(Problem(path, "tokenUsage is not an object; its tokens are not counted"))
    active, why = _count(doc.get("assistantActiveTimeMs"))
    if why:
        problems.append(Problem(path, f"assistantActiveTimeMs {why}; counted as 0"))
    facts.active_time_ms = active
    lock = doc.get("providerLockTimestamp")
    facts.provider_lock_at_ms = iso_to_ms(lock)
    if is_out_of_range(lock):
        problems.append(Problem(path, f"providerLockTimestamp {lock!r} out of range (1970 to 2999); ignored"))
    facts.archived = bool(doc.get("archivedAt"))
    facts.subagent, facts.tagged_parent_id = _subagent_tag(doc.get("tags"))
    children = doc.get("childInclusiveTokenUsageBySessionId")
    if isinstance(children, dict):
        facts.children = tuple(sorted(k.lower() for k in children if isinstance(k, str) and UUID.fullmatch(k)))
    return facts


def _credits(value: object) -> tuple[float | None, str | None]:
    """Factory Standard Credits as droid records them (a count, possibly fractional), or
    None (not recorded, or refused: then why)."""
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, f"not a number ({type(value).__name__})"
    if value != value or value in (float("inf"), float("-inf")) or value < 0 or value > MAX_TOKENS:
        return None, f"out of range ({value!r})"
    return float(value), None


def _subagent_tag(tags: object) -> tuple[bool, str | None]:
    """Whether settings `tags` hold droid's `subagent` tag, and the parent it names."""
    if not isinstance(tags, list):
        return False, None
    for tag in tags:
        if isinstance(tag, dict) and tag.get("name") == "subagent":
            meta = tag.get("metadata")
            parent = meta.get("callingSessionId") if isinstance(meta, dict) else None
            return True, parent.lower() if isinstance(parent, str) and UUID.fullmatch(parent) else None
    return False, None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


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


def _short(exc: Exception) -> str:
    return str(exc).split("\n")[0][:120]


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


def pick_title(title: object, session_title: object) -> str:
    """The title droid's own session list shows: `title` (droid 0.225.2 drops
    `sessionTitle` when it rewrites a session), unless it is empty or a sub-agent's
    handoff and an older `sessionTitle` says more; droid's placeholder "New Session"
    never hides a real title."""
    title = title if isinstance(title, str) else ""
    other = session_title.strip() if isinstance(session_title, str) else ""
    if other and other != NEW_SESSION and (not title.strip() or title.startswith(HANDOFF)):
        return other
    return title or other


def is_prompt(record: dict) -> list[str]:
    """The cleaned texts of a user prompt, or [] when the record is not one.

    A prompt is a `message` with role user, no `visibility` of llm_only/user_only
    (injected context, host notices), an id not starting `context-` or
    `task-completion:`, and at least one text block that is non-empty once
    system-reminder spans are removed, the first not droid's sub-agent handoff.
    """
    texts = user_texts(record)
    return [] if is_handoff(texts) else texts


def is_handoff(texts: list[str]) -> bool:
    """Whether a user message's texts are droid's handoff to a sub-agent."""
    return bool(texts) and texts[0].startswith(HANDOFF)


def user_texts(record: dict) -> list[str]:
    """The cleaned texts of a user message that could be a prompt (see `is_prompt`)."""
    message = record.get("message")
    if not isinstance(message, dict) or message.get("role") != "user":
        return []
    hidden = ("llm_only", "user_only")
    if message.get("visibility") in hidden or record.get("visibility") in hidden:
        return []
    record_id = record.get("id")
    if isinstance(record_id, str) and record_id.startswith(_INJECTED_IDS):
        return []
    content = message.get("content")
    if isinstance(content, str):
        content = [{"type": "text", "text": content}]
    if not isinstance(content, list):
        return []
    texts = []
    for block in content:
        if isinstance(block, dict) and block.get("type") == "text":
            text = block.get("text")
            if isinstance(text, str):
                cleaned = clean_prompt(text)
                if cleaned:
                    texts.append(cleaned)
    return texts


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
        match_call = _CALL.match
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
                        quarter = _quarter(data[stamp + 13 : close])
                        if quarter is not None:
                            activity[quarter] = activity.get(quarter, 0) + 1
                        elif close - stamp < 60:
                            self._check_range(data[stamp + 13 : close].decode("ascii", "replace"))
                    use = find(_TOOL_USE, role, end)
                    while use != -1:  # its tool calls, from Droid's {"type":"tool_use","id":…,"name":…
                        call = match_call(data, use)
                        if call is None:
                            self._decoded_tools(data, pos, end, calls)
                            break
                        name = call.group(1)
                        calls[name] = calls.get(name, 0) + 1
                        use = find(_TOOL_USE, call.end(), end)
                        if name in _EDITING:
                            self._edited_paths(data, name, call.end(), end if use == -1 else use)
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

    def _edited_paths(self, data: bytes, name: bytes, start: int, stop: int, sign: int = 1) -> None:
        """The files an editing call at `start` changes (its input runs to `stop`)."""
        if name == b"ApplyPatch":
            self._edited([_unescape(m.group(1)).strip() for m in _PATCHED.finditer(data, start, stop)], sign)
        else:
            found = _FILE_PATH.search(data, start, stop)
            if found:
                self._edited([_unescape(found.group(1))], sign)

    def _decoded_tools(self, data: bytes, pos: int, end: int, calls: dict) -> None:
        """A line whose tool calls are not in Droid's shape: the calls of it counted from
        its bytes so far are taken back, and it is decoded."""
        use = data.find(_TOOL_USE, pos, end)
        while use != -1 and (call := _CALL.match(data, use)) is not None:
            calls[call.group(1)] -= 1
            use = data.find(_TOOL_USE, call.end(), end)
            if call.group(1) in _EDITING:
                self._edited_paths(data, call.group(1), call.end(), end if use == -1 else use, -1)
        record = _loads(data[pos:end])
        message = record.get("message") if isinstance(record, dict) else None
        if isinstance(message, dict):
            self._count_tools(message)

    def _count_tools(self, message: dict) -> None:
        """The same counts from a decoded assistant message."""
        content = message.get("content")
        for block in content if isinstance(content, list) else ():
            if not (isinstance(block, dict) and block.get("type") == "tool_use"):
                continue
            name = block.get("name") if isinstance(block.get("name"), str) else "?"
            self.tool_counts[name] = self.tool_counts.get(name, 0) + 1
            if name in EDITING_TOOLS:
                inputs = block.get("input") if isinstance(block.get("input"), dict) else {}
                if name == "ApplyPatch":
                    patch = orjson.dumps(inputs)
                    self._edited([_unescape(m.group(1)).strip() for m in _PATCHED.finditer(patch)])
                elif isinstance(inputs.get("file_path"), str):
                    self._edited([inputs["file_path"]])

    def _edited(self, paths: list[str], sign: int = 1) -> None:
        for path in paths:
            if path:
                edits = self.edited.get(path, 0) + sign
                if edits > 0:
                    self.edited[path] = edits
                else:
                    self.edited.pop(path, None)

    def _count_errors(self, message: dict) -> None:
        """Failed tool results of a decoded user message."""
        content = message.get("content")
        for block in content if isinstance(content, list) else ():
            if isinstance(block, dict) and block.get("type") == "tool_result" and block.get("is_error") is True:
                self.tool_errors += 1

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
                self._bad(f"invalid JSON ({_short(exc)})", tail)
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
        cwd = _text(record.get("cwd"))
        self.cwd = clean_path(cwd) if cwd is not None and len(cwd) <= PATH_CHARS else None
        last_cwd = _text(record.get("lastCwd"))
        self.last_cwd = clean_path(last_cwd) if last_cwd is not None and len(last_cwd) <= PATH_CHARS else None
        parent = _text(record.get("parent"))
        self.parent_id = parent if parent is None or len(parent) <= 200 else None
        fork_at = _text(record.get("forkedAtMessageId"))
        if self.parent_id and fork_at and len(fork_at) <= 200 and self.message_count == 0 and self.fork_at is None:
            self.fork_at = fork_at  # (a session_start rewritten later never re-opens the copy)
        self.forked = self.forked or bool(fork_at)
        calling = _text(record.get("callingSessionId"))
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
            self._count_errors(message)
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
