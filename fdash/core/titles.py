"""Renaming a session: rewrite only its `session_start` line, safely.

- Only the first line changes (`title`, and `sessionTitle` / `isSessionTitleManuallySet`
  where droid wrote them); every other byte is kept.
- Refused while the session looks live: its transcript changed in the last two
  minutes, or (on Linux) another process has it open.
- The new file is written beside the old one, fsynced and renamed over it, with the
  old permission bits; if the file changed between our read and the rename we retry.
- Lines a writer appended to the old file in the instant around the rename are copied
  over, so a running droid cannot lose a line to us.
"""

from __future__ import annotations

import os
import time

import orjson

from fdash.core.atomic import ChangedUnderneath, atomic_write

LIVE_WINDOW_S = 120
MAX_TITLE = 500


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


def new_first_line(first_line: bytes, title: str) -> bytes:
    try:
        record = orjson.loads(first_line)
    except orjson.JSONDecodeError:
        raise TitleEditError("the transcript's first line is not valid JSON; left untouched") from None
    if not isinstance(record, dict) or record.get("type") != "session_start":
        raise TitleEditError("the transcript has no session_start line; left untouched")
    record["title"] = title
    if "sessionTitle" in record:
        record["sessionTitle"] = title
    if "isSessionTitleManuallySet" in record:
        record["isSessionTitleManuallySet"] = True
    return orjson.dumps(record)


def rename_session(path: str, title: str, *, check_live: bool = True, attempts: int = 5) -> None:
    """Set the session's title. Raises TitleEditError (file untouched) when it cannot."""
    title = " ".join(title.split())
    if not title:
        raise TitleEditError("a title cannot be empty")
    if len(title) > MAX_TITLE:
        raise TitleEditError(f"a title can have at most {MAX_TITLE} characters")
    if check_live:
        check_not_live(path)
    for _ in range(attempts):
        try:
            _rewrite(path, title)
            return
        except ChangedUnderneath:
            time.sleep(0.02)
        except OSError as exc:
            raise TitleEditError(f"cannot rewrite {path}: {exc.strerror or exc}") from None
    raise TitleEditError("the session kept changing while renaming it; try again later")


def _rewrite(path: str, title: str) -> None:
    with open(path, "rb") as old:
        st = os.fstat(old.fileno())
        data = old.read()
        newline = data.find(b"\n")
        first = data if newline == -1 else data[:newline]
        rest = b"" if newline == -1 else data[newline:]

        def only_grew() -> None:  # appends are carried over below; anything else: retry
            now = os.stat(path)
            if now.st_ino != st.st_ino or now.st_size < len(data):
                raise ChangedUnderneath(path)

        atomic_write(path, new_first_line(first, title) + rest, before_replace=only_grew)
        # Lines appended to the old file after our read (a writer that had it open, or
        # wrote in the instant before the rename) are carried over, in order.
        copied = len(data)
        quiet = 0
        while quiet < 3:
            size = os.fstat(old.fileno()).st_size
            if size > copied:
                old.seek(copied)
                extra = old.read(size - copied)
                with open(path, "ab") as new:
                    new.write(extra)
                    new.flush()
                    os.fsync(new.fileno())
                copied += len(extra)
                quiet = 0
            else:
                quiet += 1
                time.sleep(0.002)
