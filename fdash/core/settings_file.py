"""Facts of a session's `.settings.json`: `tokenUsage` (never `inclusiveTokenUsage`,
which also counts sub-agent sessions), the model (`auto` resolved through
`effectiveFactoryRouterModel`), active time, provider lock time, archived flag,
credits, the sub-agent tag and the sub-agent sessions it lists."""

from __future__ import annotations

import orjson
from attrs import define

from fdash.core.json_values import error_summary, loads_lenient, text_or_none
from fdash.core.models import DROID_TOKEN_KEYS, TOKEN_KINDS, Problem, TokenUsage
from fdash.core.scan import UUID
from fdash.core.times import is_out_of_range, iso_to_ms

MAX_TOKENS = 10**13  # more than any session can use; larger values are treated as corrupt
_TOKEN_FIELDS = tuple(zip(TOKEN_KINDS, DROID_TOKEN_KEYS))


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


def parse_settings(data: bytes, path: str, problems: list[Problem]) -> SettingsFacts | None:
    """Facts from a `.settings.json`; None (and a problem) when it is not a JSON object."""
    try:
        doc, replaced = loads_lenient(data)
    except orjson.JSONDecodeError as exc:
        problems.append(Problem(path, f"invalid JSON ({error_summary(exc)}); its tokens are not counted"))
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
    facts.model = text_or_none(model)
    facts.resolved_model = facts.model
    if facts.model == "auto":
        routed = doc.get("effectiveFactoryRouterModel")
        if isinstance(routed, dict):
            routed = routed.get("modelId")
        routed = routed if isinstance(routed, str) and len(routed) <= 200 else None
        facts.resolved_model = text_or_none(routed) or "auto"
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
