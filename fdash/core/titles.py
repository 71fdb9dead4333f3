"""Renaming a session: rewrite only its `session_start` line, safely.

- Only the first line changes (`title`, and `sessionTitle` / `isSessionTitleManuallySet`
  where droid wrote them); every other byte is kept. The line is re-encoded the way
  droid writes it (compact JSON, UTF-8, numbers exact), with its BOM and CR kept.
- Refused while the session looks live: its transcript changed in the last two
  minutes, or (on Linux) another process has it open.
- The new file is written beside the old one, fsynced and renamed over it, with the
  old permission bits. Just before the rename the old file is checked again: lines
  appended since our read are copied into the new file first (in order); a file that
  was replaced, shrank or had its first line rewritten makes us start over (a few
  times, then give up with a message).
- Lines a writer appended to the old file in the instant around the rename are copied
  over too, so a running droid cannot lose a line to us.
"""

from __future__ import annotations

import json
import os
import time

from fdash.core.atomic import ChangedUnderneath, atomic_write
from fdash.core.regular import open_binary
from fdash.core.text import one_line

LIVE_WINDOW_S = 120
MAX_TITLE = 500
POLL_S = 0.001  # how often a file being appended to is looked at around the rename
SETTLE_POLLS = 20  # polls without growth before the old file counts as quiet
MAX_WAIT_S = 2.0  # a file that never stops growing: give up (before) / stop copying (after)


class TitleEditError(Exception):
    """The title was not changed; the message says why, for the user."""


def _open_elsewhere(path: str) -> bool:
    """Whether another process holds `path` open (Linux /proc; False where unknown)."""
    try:
        target = os.stat(path)
    except OSError:
        return False
    me = str(os.getpid())
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit() and p != me]
    except OSError:
        return False
    for pid in pids:
        fd_dir = f"/proc/{pid}/fd"
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in fds:
            try:
                st = os.stat(f"{fd_dir}/{fd}")
            except OSError:
                continue
            if st.st_ino == target.st_ino and st.st_dev == target.st_dev:
                return True
    return False


def check_not_live(path: str, now: float | None = None, window_s: int = LIVE_WINDOW_S) -> None:
    try:
        st = os.stat(path)
    except OSError as exc:
        raise TitleEditError(f"cannot read {path}: {exc.strerror or exc}") from None
    age = (time.time() if now is None else now) - st.st_mtime
    if age < window_s:
        raise TitleEditError(
            f"this session changed {max(0, int(age))}s ago and may be running in droid; "
            f"try again when it has been idle for {window_s // 60} minutes"
        )
    if _open_elsewhere(path):
        raise TitleEditError("another program (droid?) has this session open; close it first")


_BOM = b"\xef\xbb\xbf"


def new_first_line(first_line: bytes, title: str) -> bytes:
    """`first_line` (without its newline) with the new title; BOM and trailing CR kept."""
    lead = _BOM if first_line.startswith(_BOM) else b""
    body = first_line[len(lead) :].rstrip()
    trail = first_line[len(lead) + len(body) :]
    try:
        record = json.loads(body)  # the standard library keeps big integers exact
    except (ValueError, RecursionError):
        raise TitleEditError("the transcript's first line is not valid JSON; left untouched") from None
    if not isinstance(record, dict) or record.get("type") != "session_start":
        raise TitleEditError("the transcript has no session_start line; left untouched")
    record["title"] = title
    if "sessionTitle" in record:
        record["sessionTitle"] = title
    if "isSessionTitleManuallySet" in record:
        record["isSessionTitleManuallySet"] = True
    try:
        encoded = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (ValueError, RecursionError):  # a lone surrogate escape cannot be written as UTF-8
        raise TitleEditError("the session_start line cannot be rewritten safely; left untouched") from None
    return lead + encoded + trail


def rename_session(path: str, title: str, *, check_live: bool = True, attempts: int = 5) -> str:
    """Set the session's title; returns it as written (on one line, without control
    characters). Raises TitleEditError (file untouched) when it cannot."""
    title = one_line(title)
    if not title:
        raise TitleEditError("a title cannot be empty")
    if len(title) > MAX_TITLE:
        raise TitleEditError(f"a title can have at most {MAX_TITLE} characters")
    if check_live:
        check_not_live(path)
    for _ in range(attempts):
        try:
            _rewrite(path, title)
            return title
        except ChangedUnderneath:
            time.sleep(0.02)
        except OSError as exc:
            raise TitleEditError(f"cannot rewrite {path}: {exc.strerror or exc}") from None
    raise TitleEditError("the session kept changing while renaming it; try again later")


def _rewrite(path: str, title: str) -> None:
    with open_binary(path) as old:  # a FIFO under the session's name cannot hang us
        st = os.fstat(old.fileno())
        data = old.read()
        newline = data.find(b"\n")
        first = data if newline == -1 else data[:newline]
        rest = b"" if newline == -1 else data[newline:]
        copied = len(data)

        def catch_up(tmp: str) -> None:
            nonlocal copied
            copied = _copy_growth(old, path, st, first, copied, tmp)

        atomic_write(path, new_first_line(first, title) + rest, before_replace=catch_up)
        _carry_over(old, path, copied)


def _copy_growth(old, path: str, st: os.stat_result, first: bytes, copied: int, tmp: str) -> int:
    """Append to `tmp` what was appended to the old file since our read, until a fresh
    look shows no growth and the file ending on a line end (a line being written is
    waited for, briefly); returns the old file's size. Raises ChangedUnderneath if the
    file was replaced, shrank, had its first line changed, or never stopped growing
    within MAX_WAIT_S (then we must read it again)."""
    deadline = time.monotonic() + MAX_WAIT_S
    with open(tmp, "ab") as out:
        quiet = 0
        while True:
            if time.monotonic() > deadline:
                raise ChangedUnderneath(path)
            size = _size_if_only_grown(old, path, st, first, copied)
            if size > copied:
                copied += _copy_range(old, copied, size, out)
                quiet = 0
            elif _at_line_end(old, copied) or quiet >= SETTLE_POLLS:
                return copied
            else:
                quiet += 1
                time.sleep(POLL_S)


def _size_if_only_grown(old, path: str, st: os.stat_result, first: bytes, copied: int) -> int:
    now = os.stat(path)
    if (now.st_ino, now.st_dev) != (st.st_ino, st.st_dev) or now.st_size < copied:
        raise ChangedUnderneath(path)
    old.seek(0)
    if old.read(len(first)) != first:
        raise ChangedUnderneath(path)
    return now.st_size


def _at_line_end(old, offset: int) -> bool:
    if offset == 0:
        return True
    old.seek(offset - 1)
    return old.read(1) == b"\n"


def _copy_range(old, start: int, end: int, out, whole_lines: bool = False) -> int:
    """Copy old[start:end] to `out` (only up to its last newline if `whole_lines`),
    fsynced; returns the number of bytes copied."""
    old.seek(start)
    chunk = old.read(end - start)
    if whole_lines:
        chunk = chunk[: chunk.rfind(b"\n") + 1]
    if chunk:
        out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return len(chunk)


def _carry_over(old, path: str, copied: int) -> None:
    """Bytes appended to the old file in the instant between our last look and the
    rename (a writer that opened it just before) are copied to the new one, in order,
    whole lines at a time, until the old file has been quiet for a while (at most
    MAX_WAIT_S: a writer that keeps the old file open is what `check_not_live` is for)."""
    deadline = time.monotonic() + MAX_WAIT_S
    last, quiet = -1, 0
    while quiet < SETTLE_POLLS:
        size = os.fstat(old.fileno()).st_size
        quiet = quiet + 1 if size == last else 0
        last = size
        if time.monotonic() > deadline:
            quiet = SETTLE_POLLS  # copy what is there, partial line included, and stop
        if size > copied:
            with open(path, "ab") as new:
                copied += _copy_range(old, copied, size, new, whole_lines=quiet < SETTLE_POLLS)
        time.sleep(POLL_S)
