"""Several sessions folders (histories copied from several machines) read as one."""

from __future__ import annotations

import shutil

import pytest

from fdash.core import aggregate
from fdash.core.catalog import load_catalog
from fdash.core.config import Config
from fdash.core.favorites import load_favorites

NEEDLE = "11080800-d13f-4c9d-b6df-149ea74d7723"


def test_two_machines_each_session_once(observer_root, tmp_path):
    laptop = tmp_path / "laptop"
    laptop.mkdir()
    folder = next(observer_root.glob("linux-*"))
    shutil.copytree(folder, laptop / folder.name)  # the same two sessions synced over
    extra = laptop / "-home-bo-other"
    extra.mkdir()
    for f in folder.glob(f"{NEEDLE}*"):
        shutil.copy(f, extra / f.name.replace("11080800", "22222222"))
    (laptop / ".favorites").write_text('["22222222-d13f-4c9d-b6df-149ea74d7723"]')
    one = load_catalog(observer_root, Config())
    both = load_catalog(observer_root, Config(), more_roots=(laptop,))
    assert len(both.entries) == len(one.entries) + 1
    assert both.duplicates >= 2 and len(both.roots) == 2
    sources = {e.session.id: e.session.source for e in both.entries}
    assert sources["22222222-d13f-4c9d-b6df-149ea74d7723"] == str(laptop.resolve())
    assert set(sources.values()) <= {str(observer_root.resolve()), str(laptop.resolve())}
    new = next(e for e in both.entries if e.session.id.startswith("22222222"))
    assert new.favorite and both.root_of(new) == laptop.resolve()
    assert load_favorites(both.root_of(new)) == {new.session.id}
    totals = aggregate.totals(both.entries)
    assert totals.sessions == 4
    assert totals.tokens.input == 45254 + 26934


@pytest.mark.slow
def test_cli_merges_repeated_sessions_dirs(observer_root, tmp_path):
    import json

    from .conftest import run_cli

    other = tmp_path / "other"
    shutil.copytree(observer_root, other)  # the same history synced to a second machine
    one = json.loads(run_cli("-d", str(observer_root), "stats", "--json").stdout)
    both = run_cli("-d", str(observer_root), "-d", str(other), "stats", "--json")
    assert both.returncode == 0, both.stderr
    assert json.loads(both.stdout) == one  # every session counted once
    config = tmp_path / "c.toml"
    config.write_text(f'[paths]\nsessions_dir = "{observer_root}"\nsessions_dirs = ["{other}"]\n')
    via_config = run_cli("--config", str(config), "export", "--format", "json")
    assert len(json.loads(via_config.stdout)) == 3
    missing = run_cli("-d", str(observer_root), "-d", str(tmp_path / "nope"), "stats")
    assert missing.returncode == 2 and b"does not exist" in missing.stderr
