"""Turn one session's files (from `scan`) into a `Session`, reporting what went wrong."""

from __future__ import annotations

import errno
import os
import stat

from fdash.core.models import SESSION_FACTS, SETTINGS, TRANSCRIPT, Problem, Session
from fdash.core.parse import SettingsFacts, TranscriptReader, encode_activity, parse_settings
from fdash.core.scan import SessionFiles


def read_regular(path: str, offset: int = 0) -> bytes:
    """The bytes of a regular file from `offset`. Opened without blocking, so a FIFO or
    device swapped in under a session's name raises OSError instead of hanging."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if offset:
            os.lseek(fd, offset, os.SEEK_SET)
        # Up to the size seen now (bytes appended meanwhile are for the next read): one
        # system call for most files, no buffered file object.
        want = max(0, st.st_size - offset)
        chunks = []
        while want > 0:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            want -= len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


def read_bytes(path: str, problems: list[Problem], offset: int = 0) -> bytes | None:
    try:
        return read_regular(path, offset)
    except OSError as exc:
        problems.append(Problem(path, f"cannot read: {exc.strerror or exc}"))
        return None


def read_settings(path: str | None, problems: list[Problem]) -> SettingsFacts | None:
    if path is None:
        return None
    data = read_bytes(path, problems)
    if data is None:
        return None
    if not data.strip():
        problems.append(Problem(path, "empty settings file; its tokens are not counted"))
        return None
    return parse_settings(data, path, problems)


def read_transcript(
    path: str, problems: list[Problem], keep_full_prompts: bool = False
) -> TranscriptReader | None:
    data = read_bytes(path, problems)
    if data is None:
        return None
    reader = TranscriptReader(path, keep_full_prompts=keep_full_prompts)
    tail = reader.feed(data)
    return reader.finished(tail)


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
        facts["activity"] = encode_activity(transcript.activity)
        if facts.get("model") is None and transcript.model_hint:
            facts["model"] = facts["resolved_model"] = transcript.model_hint
    return Session(
        id=files.id,
        transcript_path=files.transcript.path if files.transcript else None,
        settings_path=files.settings.path if files.settings else None,
        folder=files.folder,
        source=files.root,
        token_snapshots=token_snapshots,
        **facts,
    )


def read_session(files: SessionFiles, problems: list[Problem]) -> Session:
    """Read both files of a session (no cache)."""
    transcript = None
    if files.transcript is not None:
        transcript = read_transcript(files.transcript.path, problems)
        if transcript is not None:
            problems.extend(transcript.problems())
    elif files.settings is not None:
        problems.append(Problem(files.settings.path, "settings without a transcript"))
    settings = read_settings(files.settings.path if files.settings else None, problems)
    return build_session(files, transcript, settings)
