"""Droid's user messages: which are prompts a person typed (not injected context, host
notices or a sub-agent's handoff), their text without system reminders, and the
title droid's own session list shows."""

from __future__ import annotations

HANDOFF = "# Task Tool Invocation"  # how droid begins the first message of a sub-agent
NEW_SESSION = "New Session"  # droid's placeholder title
# user messages droid writes itself: injected context, a background task's completion notice
_INJECTED_IDS = ("context-", "task-completion:")
_OPEN_REMINDER = "<system-reminder>"
_CLOSE_REMINDER = "</system-reminder>"


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
