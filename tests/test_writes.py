"""Writes respect a read-only file and leave no temp files behind (issue 15, case 7)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import orjson
import pytest

from fdash.core.atomic import TEMP_TAG, atomic_write
from fdash.core.config import ConfigError, set_value
from fdash.core.favorites import FavoritesError, set_favorite

from .conftest import REPO

A = "11111111-1111-1111-1111-111111111111"


def test_read_only_config_is_refused_never_overwritten(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("# mine\n[display]\ndark_mode = true\n", encoding="utf-8")
    path.chmod(0o444)
    with pytest.raises(ConfigError, match=r"read-only file \(mode 0444\); left untouched"):
        set_value(path, ("display", "dark_mode"), False)
    assert path.read_text(encoding="utf-8") == "# mine\n[display]\ndark_mode = true\n"
    assert (path.stat().st_mode & 0o777) == 0o444


def test_read_only_favorites_are_refused_never_overwritten(tmp_path):
    path = tmp_path / ".favorites"
    path.write_bytes(b"[]")
    path.chmod(0o444)
    with pytest.raises(FavoritesError, match=r"read-only file \(mode 0444\); left untouched"):
        set_favorite(tmp_path, A, True)
    assert path.read_bytes() == b"[]"


def test_a_killed_write_leaves_a_recognisable_temp_file_swept_by_the_next(tmp_path):
    target = tmp_path / "data.json"
    target.write_bytes(b"old")
    script = (
        "import sys, time\n"
        "from fdash.core.atomic import atomic_write\n"
        "def stall(tmp):\n"
        "    print(tmp, flush=True)\n"
        "    time.sleep(60)\n"
        f"atomic_write({str(target)!r}, b'x' * 100000, before_replace=stall)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        tmp = child.stdout.readline().strip()
        assert tmp, "the writer did not get to its rename"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    name = os.path.basename(tmp)
    assert name.startswith(".data.json" + TEMP_TAG + str(child.pid) + "-") and name.endswith(".tmp")
    assert os.path.exists(tmp) and target.read_bytes() == b"old"
    # a fresh temp file of a live process (ours) and files that are not ours stay
    mine = tmp_path / f".other{TEMP_TAG}{os.getpid()}-abcd1234.tmp"
    mine.write_bytes(b"being written")
    foreign = tmp_path / ".data.json.abcd1234.tmp"
    foreign.write_bytes(b"not ours")
    past = time.time() - 60
    os.utime(tmp, (past, past))
    atomic_write(target, b"new")
    assert not os.path.exists(tmp)
    assert mine.exists() and foreign.exists() and target.read_bytes() == b"new"


def test_a_day_old_temp_file_is_stale_whatever_its_pid(tmp_path):
    old = tmp_path / f".x{TEMP_TAG}{os.getpid()}-zzzz.tmp"
    old.write_bytes(b"left by a crash long ago")
    past = time.time() - 2 * 24 * 3600
    os.utime(old, (past, past))
    set_favorite(tmp_path, A, True)
    assert not old.exists()
    assert orjson.loads((tmp_path / ".favorites").read_bytes()) == [A]
