"""Turn one session's files (from `scan`) into a `Session`, reporting what went wrong."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

from fdash.core.models import SESSION_FACTS, SETTINGS, TRANSCRIPT, Problem, Session
from fdash.core.parse import TranscriptReader
from fdash.core.regular import read_chunks, read_regular
from fdash.core.scan import SessionFiles
from fdash.core.settings_file import SettingsFacts, parse_settings
from fdash.core.times import encode_activity
from fdash.core.tool_calls import encode_counts

SETTINGS_LIMIT = 16 * 1024 * 1024  # droid's are a few KB; a bigger one is not read


def read_bytes(path: str, problems: list[Problem], offset: int = 0, limit: int | None = None) -> bytes | None:
    try:
        return read_regular(path, offset, limit)
    except OSError as exc:
        problems.append(Problem(path, f"cannot read: {exc.strerror or exc}"))
        return None


def read_settings(path: str | None, problems: list[Problem]) -> SettingsFacts | None:
    if path is None:
        return None
    data = read_bytes(path, problems, limit=SETTINGS_LIMIT)
    if data is None:
        return None
    if not data.strip():
        problems.append(Problem(path, "empty settings file; its tokens are not counted"))
        return None
    return parse_settings(data, path, problems)


def read_transcript(
    path: str, problems: list[Problem], keep_full_prompts: bool = False
) -> TranscriptReader | None:
    reader = TranscriptReader(path, keep_full_prompts=keep_full_prompts)
    try:
        tail = reader.feed_chunks(read_chunks(path))
    except OSError as exc:
        problems.append(Problem(path, f"cannot read: {exc.strerror or exc}"))
        return None
    return reader.finished(tail)


class FirstLine:
    """Watches a file's chunks go by (`watch`): the length and CRC-32 of its first line,
    newline included (0 and 0 when no line is complete), without keeping the line."""

    def __init__(self) -> None:
        self.length = 0
        self.crc = 0
        self.complete = False

    def watch(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            if not self.complete:
                end = chunk.find(b"\n")
                part = chunk if end == -1 else chunk[: end + 1]
                self.crc = zlib.crc32(part, self.crc)
                self.length += len(part)
                self.complete = end != -1
            yield chunk
        if not self.complete:
            self.length = self.crc = 0


def read_prompts(path: str) -> list[str]:
    """Every user prompt of a transcript, in full (for the prompt panel)."""
    reader = read_transcript(path, [], keep_full_prompts=True)
    return reader.full_prompts if reader else []


def build_session(
    files: SessionFiles,
    transcript: TranscriptReader | None,
    settings: SettingsFacts | None,
    token_snapshots: str = "",
) -> Session:
    """Combine what the two files say: each fact of `Session` from the attribute its
    declaration names. Settings name the model; the transcript's last assistant `modelId`
    stands in when there is no settings file."""
    origins = {TRANSCRIPT: transcript, SETTINGS: settings}
    facts = {}
    for f in SESSION_FACTS:
        origin = origins.get(f.metadata["origin"])
        if origin is not None:
            value = getattr(origin, f.metadata["attr"] or f.name)
            facts[f.name] = tuple(value) if isinstance(value, list) else value
    if transcript is not None:
        facts["activity"] = encode_activity(transcript.activity)  # kept as text: cheap to load
        facts["tool_calls"] = encode_counts(transcript.tool_counts)
        facts["files_edited"] = len(transcript.edited)
        fallback = transcript.model_hint or transcript.model_reminder
        if facts.get("model") is None and fallback:
            facts["model"] = facts["resolved_model"] = fallback
    facts["dated_by"] = "messages" if transcript is not None and transcript.first_at_ms is not None else ""
    if transcript is None:
        facts.update(_undated(files, facts))
    return Session(
        id=files.id,
        transcript_path=files.transcript.path if files.transcript else None,
        settings_path=files.settings.path if files.settings else None,
        folder=files.folder,
        source=files.root,
        token_snapshots=token_snapshots,
        **facts,
    )


def _undated(files: SessionFiles, facts: dict) -> dict:
    """What dates a session without a transcript (`Session.dated_by`): the settings'
    providerLockTimestamp (written when the session took its provider, kept
    across copies); else the settings file's mtime, an estimate (a copied history has
    the copy's day)."""
    lock = facts.get("provider_lock_at_ms")
    if lock is not None:
        return {"dated_by": "providerLockTimestamp"}
    return {"dated_by": "file time" if files.settings is not None else ""}

