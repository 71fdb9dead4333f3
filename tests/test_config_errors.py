"""Config values of the wrong type, odd key names and unusable sessions folders
(issue 15, cases 6 and 7): a clear error naming the key, never a guess; nothing from the
file reaches the terminal raw."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from fdash import cli
from fdash.core.catalog import SessionsDirError, check_root, load_catalog
from fdash.core.config import Config, ConfigError, load_config
from fdash.core.text import key_name

from .conftest import REPO
from .test_hostile import _without_dac


def _load(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


@pytest.mark.parametrize("text, message", [
    ('[paths]\nsessions_dirs = "/path"\n', "paths.sessions_dirs: expected a list, got '/path'"),
    ('[paths]\nsessions_dirs = "/"\n', "paths.sessions_dirs: expected a list, got '/'"),
    ('[grouping]\nrules = "x"\n', "grouping.rules: expected a list, got 'x'"),
    ('[pricing]\nmodels = "x"\n', "pricing.models: expected a table, got 'x'"),
    ('[pricing]\nmodels = ["a"]\n', "pricing.models: expected a table, got ['a']"),
    ('[paths]\nsessions_dirs = ["/a", 3]\n', "paths.sessions_dirs[1]: expected a string, got 3"),
])
def test_a_wrong_type_is_an_error_naming_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, text)
    assert str(caught.value).endswith(message)


def test_a_list_of_folders_is_still_a_list(tmp_path):
    assert _load(tmp_path, '[paths]\nsessions_dirs = ["/a", "/b"]\n').config.paths.sessions_dirs == ["/a", "/b"]


def test_key_names_are_shown_neutralised(tmp_path):
    loaded = _load(tmp_path, '[display]\n"k\\u001b]52;c;aGk=\\u0007" = 1\n"\\u202eevil" = 2\n')
    assert loaded.warnings == (
        f'{tmp_path / "config.toml"}: unknown key display."k\\u001b]52;c;aGk=\\u0007" (ignored)',
        f'{tmp_path / "config.toml"}: unknown key display."\\u202eevil" (ignored)',
    )
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, '[pricing.models."a\\u001b[31mb"]\ninput_per_million = "\\u009b2J"\noutput_per_million = 1\n')
    message = str(caught.value)
    assert "\x1b" not in message and "\x9b" not in message
    assert message.endswith('pricing.models."a\\u001b[31mb".input_per_million: expected a number, got \'\\x9b2J\'')


def test_key_name_keeps_plain_keys_and_quotes_the_rest():
    assert key_name("dark_mode") == "dark_mode"
    assert key_name("gpt-5.1") == '"gpt-5.1"'
    assert key_name("modèle") == '"modèle"'
    assert key_name('a"\\\u200b') == '"a\\"\\\\\\u200b"'


def test_invalid_toml_error_is_neutralised(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"[display\x1b]52;c;aGk=\x07\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value)


# --------------------------------------------------------------------------- folders


def test_a_folder_without_session_files_is_a_warning(tmp_path):
    root = tmp_path / "not-sessions"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "passwd").write_text("x")
    catalog = load_catalog(root, Config())
    assert [p.reason for p in catalog.problems] == ["no droid session files (<id>.jsonl) in this folder"]


def test_an_unreadable_sessions_folder_is_like_a_missing_one(tmp_path, monkeypatch, capsys):
    root = tmp_path / "sessions"
    root.mkdir()
    real_scandir = os.scandir

    def denied(path="."):
        if os.fspath(path) == str(root):
            raise PermissionError(13, "Permission denied", str(root))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", denied)
    with pytest.raises(SessionsDirError, match="cannot read sessions folder .*: Permission denied"):
        check_root(root)
    for command in (["stats"], ["stats", "--json"], ["sessions", "--json"], ["export"]):
        assert cli.main([*command, "-d", str(root)]) == 2
        err = capsys.readouterr().err
        assert f"fdash: cannot read sessions folder {root} (--sessions-dir): Permission denied" in err
    assert cli.main(["stats", "-d", str(tmp_path / "missing")]) == 2


@pytest.mark.slow
def test_an_unreadable_sessions_folder_for_real(tmp_path):
    prefix = _without_dac()
    if prefix is None:
        pytest.skip("cannot drop root's file-permission override here")
    root = tmp_path / "sessions"
    root.mkdir()
    for mode in (0o000, 0o300, 0o600):  # unlistable; listable but not enterable
        root.chmod(mode)
        try:
            result = subprocess.run([*prefix, sys.executable, "-m", "fdash", "stats", "-d", str(root)],
                                    capture_output=True, timeout=120, cwd=REPO)
        finally:
            root.chmod(0o755)
        assert result.returncode == 2, (mode, result.stderr)
        assert b"cannot read sessions folder" in result.stderr and b"Permission denied" in result.stderr

