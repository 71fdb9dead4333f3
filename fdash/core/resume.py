"""`droid --resume <id>` from the session's own folder, without a shell."""

from __future__ import annotations

import os
import shutil

from attrs import frozen

from fdash.core.models import Session
from fdash.core.scan import UUID


class ResumeError(Exception):
    """The session cannot be resumed; the message says why, for the user."""


@frozen
class ResumeCommand:
    cwd: str
    argv: tuple[str, ...]  # argv[0] is the full path of droid
    session_id: str


def resume_command(session: Session, droid: str = "droid") -> ResumeCommand:
    """Validate everything needed to resume; raise ResumeError with a clear message."""
    if not UUID.match(session.id or ""):
        raise ResumeError(f"not a valid session id: {session.id!r}")
    if not session.cwd:
        raise ResumeError("this session does not record its working folder")
    if not os.path.isdir(session.cwd):
        raise ResumeError(f"the session's folder {session.cwd} no longer exists")
    executable = shutil.which(droid)
    if executable is None:
        raise ResumeError("droid is not on your PATH; install Factory's droid CLI first")
    return ResumeCommand(session.cwd, (executable, "--resume", session.id), session.id)


def exec_resume(command: ResumeCommand) -> None:
    """Replace this process with droid (call after the terminal is restored)."""
    os.chdir(command.cwd)
    os.execv(command.argv[0], list(command.argv))
