"""Resume: the id, the folder and droid are checked, then this process becomes
`droid --resume <id>` in the session's folder, from an argv list (no shell).

A fake `droid` on PATH records the argv and folder it was started with; a subprocess
calls `exec_resume` (it replaces that process, never pytest's)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fdash.core.models import Session
from fdash.core.resume import ResumeCommand, ResumeError, exec_resume, resume_command

from .conftest import REPO

SID = "11080800-d13f-4c9d-b6df-149ea74d7723"

RUN = """
import sys
from fdash.core.models import Session
from fdash.core.resume import ResumeError, exec_resume, resume_command
try:
    exec_resume(resume_command(Session(id=sys.argv[1], cwd=sys.argv[2] or None)))
except ResumeError as exc:
    print(f"ResumeError: {exc}")
    sys.exit(3)
"""


def _fake_droid(folder: Path, record: Path, name: str = "droid") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        f"with open({str(record)!r}, 'a') as out:\n"
        "    out.write(json.dumps({'argv': sys.argv, 'cwd': os.getcwd()}) + '\\n')\n"
        "sys.exit(7)\n"
    )
    script.chmod(0o755)
    return script


def _resume(session_id: str, cwd: str, path: str, run_in: Path = REPO):
    env = dict(os.environ, PATH=path, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", RUN, session_id, cwd], capture_output=True, env=env,
                          cwd=run_in, timeout=60)


def _records(record: Path) -> list[dict]:
    return [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []


def test_execs_droid_resume_in_the_session_folder(tmp_path):
    record = tmp_path / "record.jsonl"
    droid = _fake_droid(tmp_path / "bin", record)
    project = tmp_path / "my project; $(touch pwned) `id` 'q'"  # a shell would run these
    project.mkdir()
    result = _resume(SID, str(project), f"{tmp_path / 'bin'}{os.pathsep}/usr/bin:/bin")
    assert result.returncode == 7, result  # the process *became* droid: droid's exit code
    assert b"Traceback" not in result.stderr
    assert _records(record) == [{"argv": [str(droid), "--resume", SID], "cwd": str(project)}]
    assert not (project / "pwned").exists() and not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "--help", f"{SID}\n", f"{SID} --yolo", f"-{SID}",
                                    f"{SID}/../x", "", "\x1b[2J" + SID])
def test_an_invalid_id_is_refused(tmp_path, bad_id):
    with pytest.raises(ResumeError, match="not a valid session id") as err:
        resume_command(Session(id=bad_id, cwd=str(tmp_path)))
    assert "\x1b" not in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("cwd, message", [
    (None, "does not record its working folder"),
    ("", "does not record its working folder"),
    ("relative/folder", "not a usable path"),
    ("/tmp/a\0b", "not a usable path"),
    ("/no/such/folder/anywhere", "no longer exists"),
    ("C:\\Users\\ana\\proj", "not a usable path"),
])
def test_a_bad_folder_is_refused(cwd, message):
    with pytest.raises(ResumeError, match=message):
        resume_command(Session(id=SID, cwd=cwd))


def test_a_file_is_not_a_folder(tmp_path):
    a_file = tmp_path / "f"
    a_file.write_text("x")
    with pytest.raises(ResumeError, match="no longer exists"):
        resume_command(Session(id=SID, cwd=str(a_file)))


def test_droid_missing_from_path_is_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ResumeError, match="not on your PATH"):
        resume_command(Session(id=SID, cwd=str(tmp_path)))
    result = _resume(SID, str(tmp_path), str(tmp_path))
    assert result.returncode == 3 and b"droid is not on your PATH" in result.stdout
    assert b"Traceback" not in result.stderr


def test_droid_is_found_before_entering_the_session_folder(tmp_path):
    """With `.` on PATH, the droid found is the one in *our* folder, made absolute — never
    a `droid` planted in the session's folder."""
    record = tmp_path / "record.jsonl"
    here = tmp_path / "here"
    ours = _fake_droid(here, record)
    project = tmp_path / "project"
    _fake_droid(project, tmp_path / "planted.jsonl")
    result = _resume(SID, str(project), f".{os.pathsep}/usr/bin:/bin", run_in=here)
    assert result.returncode == 7, result
    assert _records(record)[0]["argv"][0] == str(ours)
    assert not (tmp_path / "planted.jsonl").exists()


def test_exec_failures_are_messages_and_leave_the_process_as_it_was(tmp_path):
    """Run in a subprocess: if exec succeeded, it must not replace pytest."""
    not_executable = tmp_path / "droid"
    not_executable.write_text("#!/bin/sh\nexit 0\n")  # mode 644: execv refuses it, even for root
    code = (
        "import os, sys\nfrom fdash.core.resume import ResumeCommand, ResumeError, exec_resume\n"
        "here = os.getcwd()\n"
        "for cwd in (sys.argv[2], sys.argv[3]):\n"
        "    try:\n"
        "        exec_resume(ResumeCommand(cwd, (sys.argv[1], '--resume', 'x'), 'x'))\n"
        "    except ResumeError as exc:\n"
        "        print(exc, os.getcwd() == here)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(not_executable), str(tmp_path),
                             str(tmp_path / "gone")], capture_output=True, cwd=REPO, text=True, timeout=60)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    first, second = result.stdout.splitlines()
    assert first.startswith(f"cannot start {not_executable}: Permission denied") and first.endswith("True")
    assert second.startswith("cannot enter") and "No such file" in second and second.endswith("True")


def test_resume_command_is_an_argv_list():
    command = resume_command(Session(id=SID.upper(), cwd="/"), droid=sys.executable)
    assert command == ResumeCommand("/", (os.path.abspath(sys.executable), "--resume", SID.upper()), SID.upper())
    assert callable(exec_resume)
