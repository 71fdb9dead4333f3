"""The facts fdash works with: small frozen attrs classes, no I/O, no UI.

`Session` is what one session's files say (config-independent, cacheable in the
index); `Entry` is a session seen through the user's config (group, price,
favorite). Aggregates are computed from entries by `fdash.core.aggregate`.
"""

from __future__ import annotations

from attrs import field, fields, frozen

from fdash.core.prices import usd
from fdash.core.problems import Problem  # noqa: F401 (its home before it left attrs)
from fdash.core.scan import DROID_TOKEN_KEYS  # noqa: F401 (a scan needs it without attrs)

# The five kinds of tokens: fdash's names (TokenUsage's fields), Droid's keys in a
# settings file's `tokenUsage`, and what people read.
TOKEN_KINDS = ("input", "output", "cache_write", "cache_read", "thinking")
TOKEN_LABELS = dict(zip(TOKEN_KINDS, ("Input", "Output", "Cache write", "Cache read", "Thinking")))
SEVERAL_MODELS = "several models"
UNKNOWN_PROJECT = "(unknown)"  # a session with neither a cwd nor a project folder: no project


def decode_counts(text: str) -> dict[str, int]:
    """`"Read:30,Edit:5"` → `{"Read": 30, "Edit": 5}` (see fdash.core.tool_calls.encode_counts)."""
    if not text:
        return {}
    pairs = (item.rsplit(":", 1) for item in text.split(","))
    return {name: int(n) for name, n in pairs}


@frozen
class TokenUsage:
    """Token counts of one session (Droid's `tokenUsage`), or a sum of them."""

    input: int = 0
    output: int = 0
    cache_write: int = 0  # Droid's cacheCreationTokens
    cache_read: int = 0
    thinking: int = 0  # a part of `output` (droid records the provider's output count)

    @property
    def total(self) -> int:
        """Every token once: thinking is already inside output (docs/FORMAT.md)."""
        return self.input + self.output + self.cache_write + self.cache_read

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            self.input + other.input,
            self.output + other.output,
            self.cache_write + other.cache_write,
            self.cache_read + other.cache_read,
            self.thinking + other.thinking,
        )

    @property
    def cache_hit_ratio(self) -> float | None:
        """The share of prompt tokens served from the cache: cache read / (cache read +
        input), None without prompt tokens. (`input` is net of cache reads for every
        provider, and it means the same for providers that never write a cache, where
        read / (read + write) would always say 100%.)"""
        denominator = self.cache_read + self.input
        return self.cache_read / denominator if denominator else None


ZERO_TOKENS = TokenUsage()


# Where a Session fact is read from (`fact(origin)`): an attribute of the transcript reader
# (fdash.core.parse.TranscriptReader), of the settings facts (settings_file.SettingsFacts), or what
# the index keeps across reads (the token snapshots).
TRANSCRIPT, SETTINGS, KEPT = "transcript", "settings", "kept"


def fact(default: object, origin: str, attr: str | None = None):
    """A `Session` field read from `origin`'s attribute `attr` (default: the same name)."""
    return field(default=default, metadata={"origin": origin, "attr": attr})


@frozen
class Session:
    """What one session's `.jsonl` and `.settings.json` say. No message bodies.

    This class is the one list of a session's facts. Adding a fact is a one-place change:
    declare it below with `fact(default, origin)`. The reader (`fdash.core.read.
    build_session`) copies it from the transcript reader's or the settings facts'
    attribute of that name, and the index (`fdash.core.index`) stores it in this order;
    its file format follows, an older index is rebuilt. Only the parse rule that finds the
    value (in `fdash.core.parse` or `fdash.core.settings_file`) is written elsewhere. A
    value of a new type needs its stored form in `index._CODECS` (tests/test_index.py checks every fact round-trips).
    """

    # where the files are (scan's SessionFiles)
    id: str
    transcript_path: str | None = None  # the chosen copy, after de-duplication
    settings_path: str | None = None
    folder: str = ""  # the project folder name it sits in ("" for the flat layout)
    source: str = ""  # the sessions folder it was read from, when several are read together
    # what the files say, in the index's order
    title: str = fact("", TRANSCRIPT)
    cwd: str | None = fact(None, TRANSCRIPT)
    parent_id: str | None = fact(None, TRANSCRIPT)  # fork parent (session_start "parent")
    # as written in settings ("auto", "custom:...", vendor id); without a settings file the
    # transcript's last assistant modelId (see build_session)
    model: str | None = fact(None, SETTINGS)
    resolved_model: str | None = fact(None, SETTINGS)  # "auto" resolved through effectiveFactoryRouterModel
    tokens: TokenUsage | None = fact(None, SETTINGS)  # None: no (usable) settings file
    active_time_ms: int = fact(0, SETTINGS)
    provider_lock_at_ms: int | None = fact(None, SETTINGS)
    archived: bool = fact(False, SETTINGS)
    first_at_ms: int | None = fact(None, TRANSCRIPT)  # first message timestamp, epoch ms UTC
    last_at_ms: int | None = fact(None, TRANSCRIPT)  # last message timestamp, epoch ms UTC
    message_count: int = fact(0, TRANSCRIPT)
    user_prompts: int = fact(0, TRANSCRIPT)
    prompt_previews: tuple[str, ...] = fact((), TRANSCRIPT, "previews")  # cleaned, shortened prompt texts
    # assistant messages per quarter hour, "q:c,q:c" (see fdash.core.times.decode_activity);
    # text, so that loading thousands of sessions from the index stays cheap
    activity: str = fact("", TRANSCRIPT)
    # token totals seen at each settings change fdash observed: "ms:in:out:cw:cr:th;…"
    token_snapshots: str = fact("", KEPT)
    # its sub-agent sessions (settings' childInclusiveTokenUsageBySessionId)
    child_ids: tuple[str, ...] = fact((), SETTINGS, "children")
    # what the agent did, counted from the transcript's bytes (fdash.core.parse)
    tool_calls: str = fact("", TRANSCRIPT, "tool_counts")  # calls per tool, most used first: "Read:30,Edit:5"
    tool_errors: int = fact(0, TRANSCRIPT)  # tool results marked is_error
    turn_errors: int = fact(0, TRANSCRIPT)  # agent turns that ended other than "completed"
    files_edited: int = fact(0, TRANSCRIPT, "edited")  # distinct files changed by Edit, Create, ApplyPatch…
    last_cwd: str | None = fact(None, TRANSCRIPT)  # where it is now, when it moved (/cwd, --worktree)
    calling_session_id: str | None = fact(None, TRANSCRIPT)  # a sub-agent's parent, from its first line
    subagent: bool = fact(False, SETTINGS)  # its settings carry droid's `subagent` tag
    tagged_parent_id: str | None = fact(None, SETTINGS)  # that tag's callingSessionId
    models: tuple[str, ...] = fact((), TRANSCRIPT)  # every assistant modelId, in order of first use
    # started by /compress: droid began its tokenUsage at its parent's totals (catalog
    # subtracts them: see fdash.core.catalog.subtract_inherited)
    inherits_tokens: bool = fact(False, TRANSCRIPT)
    handoff: bool = fact(False, TRANSCRIPT)  # it begins with droid's Task handoff: a sub-agent
    credits: float | None = fact(None, SETTINGS)  # tokenUsage.factoryCredits; None: not recorded
    # what dates it: "messages", "providerLockTimestamp" (no transcript) or "file time"
    # (no transcript, no lock time: the settings file's mtime, an estimate)
    dated_by: str = fact("", KEPT)
    # not a fact of its files: the cwd its folder's other sessions carry, for a settings
    # file without a transcript (see catalog.adopt_orphans)
    folder_cwd: str | None = None

    @property
    def project(self) -> str:
        """The session's real working directory; the folder name only as a fallback."""
        return self.cwd or self.folder_cwd or self.folder or UNKNOWN_PROJECT

    @property
    def usage(self) -> TokenUsage:
        return self.tokens or ZERO_TOKENS

    @property
    def empty(self) -> bool:
        """No prompt was ever typed (a "New Session" that was opened and left); a
        sub-agent, which droid starts with a handoff, is not empty."""
        return self.user_prompts == 0 and not self.looks_like_subagent

    @property
    def looks_like_subagent(self) -> bool:
        """Started by another session's Task tool: it names its parent, droid tagged it,
        it begins with droid's handoff, or (older droids) its title is the handoff."""
        return bool(self.calling_session_id or self.subagent or self.handoff
                    or self.title.startswith("# Task Tool Invocation"))

    @property
    def moved_to(self) -> str | None:
        """Where the session is now when it moved from where it started (`lastCwd`)."""
        return self.last_cwd if self.last_cwd and self.last_cwd != self.cwd else None

    @property
    def switched_models(self) -> bool:
        """Its assistant messages name more than one model (`-s … -m other`)."""
        return len(self.models) > 1

    @property
    def date_estimated(self) -> bool:
        return self.dated_by == "file time"

    @property
    def tool_call_counts(self) -> dict[str, int]:
        return decode_counts(self.tool_calls)

    @property
    def tool_call_total(self) -> int:
        text = self.tool_calls
        return sum(int(item.rpartition(":")[2]) for item in text.split(",")) if text else 0

    @property
    def duration_ms(self) -> int:
        if self.first_at_ms is None or self.last_at_ms is None:
            return 0
        return max(0, self.last_at_ms - self.first_at_ms)


LOCATION = ("id", "transcript_path", "settings_path", "folder", "source")
SESSION_FACTS = tuple(f for f in fields(Session) if "origin" in f.metadata)  # attrs.Attribute, in order


@frozen
class Price:
    """USD per million tokens. A missing cache price is billed at the input rate."""

    input: float
    output: float
    cache_write: float | None = None
    cache_read: float | None = None

    def cost(self, tokens: TokenUsage) -> float:
        """Dollars for these tokens. Thinking is not billed on top: it is already part
        of the output droid records (docs/FORMAT.md)."""
        return usd((self.input, self.output, self.cache_write, self.cache_read),
                   (tokens.input, tokens.output, tokens.cache_write, tokens.cache_read, tokens.thinking))


@frozen
class Cost:
    """A session's cost and where its price came from."""

    usd: float | None  # None: unpriced
    # "builtin" | "config" | "estimate" (a custom model priced as the model [pricing.custom]
    # names) | "default" | "unpriced" | "none" (no tokens)
    source: str
    price_key: str | None = None  # the price-table entry used
    price: Price | None = None  # the price itself (to cost part of a session, e.g. one day)


@frozen
class Entry:
    """A session seen through the user's config: its group, cost and favorite mark, and
    the session that started it when it is a sub-agent (see fdash.core.catalog)."""

    session: Session
    group: str
    cost: Cost
    favorite: bool = False
    parent_id: str | None = None  # the session whose Task tool started this one

    @property
    def model(self) -> str:
        """The session's model; "several models" when it switched (its tokens cannot be
        put on any one of them)."""
        if self.session.switched_models:
            return SEVERAL_MODELS
        return self.session.resolved_model or self.session.model or "(unknown)"


# What sessions can be grouped by (lists) or broken down by (reports): name → an entry's key.
GROUP_KEYS = {
    "project": lambda e: e.session.project,
    "group": lambda e: e.group,
    "model": lambda e: e.model,
}
