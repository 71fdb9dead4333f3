"""Scanner: both layouts, one count per id, ignored names, no symlinked folders."""

from __future__ import annotations

import os
import shutil

from fdash.core.catalog import load_catalog
from fdash.core.config import Config
from fdash.core.scan import scan

SID = "11080800-d13f-4c9d-b6df-149ea74d7723"


def test_same_id_in_flat_and_project_layout_counts_once(observer_root):
    folder = next(observer_root.glob("linux-*"))
    for suffix in (".jsonl", ".settings.json"):
        shutil.copy(folder / f"{SID}{suffix}", observer_root / f"{SID}{suffix}")
    os.utime(observer_root / f"{SID}.jsonl", (2_000_000_000, 2_000_000_000))  # newer, but flat
    result = scan(observer_root)
    assert [s.id for s in result.sessions].count(SID) == 1
    chosen = next(s for s in result.sessions if s.id == SID)
    assert chosen.folder == folder.name  # the project-folder copy wins
    assert result.duplicates == 1
    catalog = load_catalog(observer_root, Config(), use_index=False)
    assert len(catalog.entries) == 3


def test_flat_layout_alone(observer_root, tmp_path):
    flat = tmp_path / "flat"
    flat.mkdir()
    for f in next(observer_root.glob("linux-*")).iterdir():
        shutil.copy(f, flat / f.name)
    result = scan(flat)
    assert {s.folder for s in result.sessions} == {""}
    assert len(result.sessions) == 2


def test_ignores_what_is_not_a_session_file(observer_root):
    (observer_root / "notes.txt").write_text("x")
    (observer_root / "sessions-index.json").write_text("{}")
    (observer_root / "not-a-uuid.jsonl").write_text("{}")
    (observer_root / "nested").mkdir()
    (observer_root / "nested" / "deeper").mkdir()
    (observer_root / "nested" / "deeper" / "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa.jsonl").write_text("{}")
    result = scan(observer_root)
    assert len(result.sessions) == 3
    assert result.problems == ()


def test_directory_named_like_a_session_is_a_warning(observer_root):
    (observer_root / "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb.jsonl").mkdir()
    result = scan(observer_root)
    assert len(result.sessions) == 3
    assert len(result.problems) == 1 and "not a regular file" in result.problems[0].reason


def test_symlinked_folders_are_not_followed(observer_root, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(next(observer_root.rglob(f"{SID}.jsonl")), outside / "cccccccc-cccc-cccc-cccc-cccccccccccc.jsonl")
    (observer_root / "link-out").symlink_to(outside, target_is_directory=True)
    (observer_root / "loop").symlink_to(observer_root, target_is_directory=True)
    result = scan(observer_root)
    assert len(result.sessions) == 3


def test_unreadable_folder_and_file_are_warnings(observer_root, monkeypatch):
    real_scandir = os.scandir
    folder = next(observer_root.glob("windows-*"))

    def scandir(path):
        if os.fspath(path) == str(folder):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = scan(observer_root)
    assert len(result.sessions) == 2
    assert any("Permission denied" in p.reason for p in result.problems)
