"""`droid --resume <id>` from the session's own folder, without a shell.

Everything comes from files, so it is checked: the id must be a UUID (it cannot pass
for an option), the folder must be an existing absolute path, and droid is looked up
on PATH *before* changing folder (a `droid` inside the session's folder is never run
by accident). Every failure is a `ResumeError` with a message for the user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys

from attrs import frozen

from fdash.core.models import Session
from fdash.core.scan import UUID
from fdash.core.text import one_line


class ResumeError(Exception):
    """The session cannot be resumed; the message says why, for the user."""


@frozen
class ResumeCommand:
    cwd: str
    argv: tuple[str, ...]  # argv[0] is the absolute path of droid
    session_id: str


def resume_command(session: Session, droid: str = "droid") -> ResumeCommand:
    """Validate everything needed to resume; raise ResumeError with a clear message."""
    if not isinstance(session.id, str) or not UUID.fullmatch(session.id):
        raise ResumeError(f"not a valid session id: {one_line(repr(session.id), 80)}")
    # where droid itself resumes: where the session moved to (lastCwd), if that still exists
    moved = session.last_cwd
    cwd = moved if moved and "\0" not in moved and os.path.isabs(moved) and os.path.isdir(moved) else session.cwd
    if not cwd:
        raise ResumeError("this session does not record its working folder")
    shown = one_line(cwd, 200)
    if "\0" in cwd or not os.path.isabs(cwd):
        raise ResumeError(f"the session's folder {shown} is not a usable path")
    if not os.path.isdir(cwd):
        raise ResumeError(f"the session's folder {shown} no longer exists")
    executable = shutil.which(droid)
    if executable is None:
        raise ResumeError("droid is not on your PATH; install Factory's droid CLI first")
    argv = (os.path.abspath(executable), "--resume", session.id)
    return ResumeCommand(cwd, argv, session.id)


def exec_resume(command: ResumeCommand) -> None:
    """Replace this process with droid. Call it after the terminal is restored (the
    full-screen app has left its alternate screen and raw mode). Returns only by
    raising ResumeError, with this process unchanged (back in its own folder)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    try:
        here = os.getcwd()
    except OSError:  # our own folder was removed
        here = None
    try:
        os.chdir(command.cwd)
    except OSError as exc:
        raise ResumeError(f"cannot enter {one_line(command.cwd, 200)}: {exc.strerror or exc}") from None
    try:
        os.execv(command.argv[0], list(command.argv))
    except OSError as exc:
        if here is not None:
            with contextlib.suppress(OSError):
                os.chdir(here)
        raise ResumeError(f"cannot start {command.argv[0]}: {exc.strerror or exc}") from None
