"""Every `fdash: …` message that names a path, a title or an error goes through the same
neutralisation (`fdash.core.text.notice`) before it reaches the terminal (issue 15,
case 5), and `watch --interval` takes only what a refresh can wait (case 7)."""

from __future__ import annotations

import pytest

from fdash import cli
from fdash.core.config import Config, LoadedConfig
from fdash.core.resume import ResumeCommand, ResumeError
from fdash.core.source import Source
from fdash.core.text import notice

SESSION = "77777777-7777-4777-8777-777777777777"
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # sets the clipboard on many terminals
PAYLOADS = (OSC52, "\x1b[2J", "\x9b31m", "\u202eevil", "a\nb\rc")


def _inert(text: str) -> None:
    for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\r"):
        assert bad not in text, repr(text)
    assert text.count("\n") <= text.count("fdash:"), repr(text)


def test_notice_is_one_inert_line():
    for payload in PAYLOADS:
        _inert(notice(f"resuming session x in /home/{payload}/p") + "\n")


def test_resume_message_names_the_folder_inertly(tmp_path, monkeypatch, capsys):
    import fdash.tui.app as app_module

    folder = f"/home/u/{OSC52}proj"
    command = ResumeCommand(folder, ("/usr/bin/droid", "--resume", SESSION), SESSION)

    class FakeApp:
        def run(self, pre_run=None):
            return command

    def fail(_command):
        raise ResumeError(f"cannot enter {folder}: No such file or directory")

    monkeypatch.setattr(app_module, "build_app", lambda state: FakeApp())
    monkeypatch.setattr(app_module, "exec_resume", fail)
    code = app_module.run(LoadedConfig(Config(), None), Source(tmp_path), use_index=False)
    err = capsys.readouterr().err
    assert code == 1
    assert f"fdash: resuming session {SESSION} in /home/u/proj" in err
    _inert(err)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_cli_messages_naming_paths_are_inert(tmp_path, capsys, payload):
    missing = tmp_path / f"gone{payload}"
    assert cli.main(["stats", "-d", str(missing)]) == 2
    assert cli.main(["export", "-o", str(tmp_path / f"no-such{payload}" / "x.json"), "-d", str(tmp_path)]) == 1
    _inert(capsys.readouterr().err)


def test_an_internal_error_is_inert(tmp_path, monkeypatch, capsys):
    from fdash.cli import context  # noqa: PLC0415

    def broken(self):
        raise RuntimeError(f"boom {OSC52}")

    monkeypatch.setattr(context.Context, "catalog", broken)
    assert cli.main(["stats", "-d", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in err
    _inert(err)


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "-1", "0", "1e400", "x"])
def test_watch_interval_out_of_range_is_a_usage_error(tmp_path, capsys, value):
    assert cli.main(["watch", f"--interval={value}", "-d", str(tmp_path)]) == 2
    assert "--interval: expected seconds from 0.5 to 86400" in capsys.readouterr().err
