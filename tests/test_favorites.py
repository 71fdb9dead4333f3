""".favorites and config writes: tolerant reads, atomic writes that keep what they do
not understand, and never overwrite a file they cannot parse or that changed meanwhile."""

from __future__ import annotations

import os

import orjson
import pytest

from fdash.core import atomic, favorites
from fdash.core.atomic import ChangedUnderneath, atomic_write, unchanged
from fdash.core.config import ConfigError, load_config, set_value
from fdash.core.favorites import FavoritesError, load_favorites, set_favorite

A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
GONE = "cccccccc-cccc-4ccc-8ccc-cccccccccccc"


def _root(tmp_path, content: bytes | None):
    if content is not None:
        (tmp_path / ".favorites").write_bytes(content)
    return tmp_path


def test_add_and_remove_keep_everything_else_in_order(tmp_path):
    root = _root(tmp_path, orjson.dumps([GONE, 42, {"droid": "future"}, A.upper()]))
    assert set_favorite(root, B, True) == {GONE, A, B}
    assert orjson.loads((root / ".favorites").read_bytes()) == [GONE, 42, {"droid": "future"}, A.upper(), B]
    assert set_favorite(root, A, False) == {GONE, B}  # case-insensitive
    assert orjson.loads((root / ".favorites").read_bytes()) == [GONE, 42, {"droid": "future"}, B]
    before = (root / ".favorites").stat()
    assert set_favorite(root, B, True) == {GONE, B}  # no change: not even rewritten
    assert (root / ".favorites").stat().st_ino == before.st_ino


def test_first_favorite_creates_the_file(tmp_path):
    assert set_favorite(tmp_path, A, True) == {A}
    assert orjson.loads((tmp_path / ".favorites").read_bytes()) == [A]


@pytest.mark.parametrize("content, reason", [
    (b'["' + A.encode() + b'", ', "favorites ignored"),
    (b'{"ids": []}', "expected a JSON array, found dict"),
    (b'"' + A.encode() + b'"', "expected a JSON array, found str"),
    (b"\xff\xfe[]", "favorites ignored"),
])
def test_broken_favorites_warn_and_are_never_overwritten(tmp_path, content, reason):
    root = _root(tmp_path, content)
    problems = []
    assert load_favorites(root, problems) == set()
    assert len(problems) == 1 and reason in problems[0].reason
    inode = (root / ".favorites").stat().st_ino
    with pytest.raises(FavoritesError, match="left untouched"):
        set_favorite(root, A, True)
    assert (root / ".favorites").read_bytes() == content and (root / ".favorites").stat().st_ino == inode


def test_favorites_that_are_a_folder(tmp_path):
    (tmp_path / ".favorites").mkdir()
    problems = []
    assert load_favorites(tmp_path, problems) == set() and "favorites ignored" in problems[0].reason
    with pytest.raises(FavoritesError, match="cannot read"):
        set_favorite(tmp_path, A, True)


def test_write_is_atomic_keeps_mode_and_leaves_no_temp_file(tmp_path, monkeypatch):
    root = _root(tmp_path, orjson.dumps([A]))
    (root / ".favorites").chmod(0o600)
    set_favorite(root, B, True)
    assert ((root / ".favorites").stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in root.iterdir()) == [".favorites", ".favorites.lock"]

    def crash(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(FavoritesError, match="No space left"):
        set_favorite(root, GONE, True)
    assert orjson.loads((root / ".favorites").read_bytes()) == [A, B]  # the old file, whole
    assert sorted(p.name for p in root.iterdir()) == [".favorites", ".favorites.lock"]


def test_a_change_by_droid_meanwhile_is_read_again_not_clobbered(tmp_path, monkeypatch):
    root = _root(tmp_path, orjson.dumps([A]))
    real = favorites.unchanged
    raced = []

    def racing_unchanged(path, old):
        check = real(path, old)

        def droid_writes_first(tmp):
            if not raced:
                raced.append(True)
                (root / ".favorites").write_bytes(orjson.dumps([A, GONE]))
            check(tmp)

        return droid_writes_first

    monkeypatch.setattr(favorites, "unchanged", racing_unchanged)
    assert set_favorite(root, B, True) == {A, GONE, B}
    assert orjson.loads((root / ".favorites").read_bytes()) == [A, GONE, B]


def test_a_file_that_keeps_changing_is_refused(tmp_path, monkeypatch):
    root = _root(tmp_path, orjson.dumps([A]))

    def always_changed(path, old):
        def check(_tmp):
            raise ChangedUnderneath(path)

        return check

    monkeypatch.setattr(favorites, "unchanged", always_changed)
    with pytest.raises(FavoritesError, match="kept changing"):
        set_favorite(root, B, True)
    assert orjson.loads((root / ".favorites").read_bytes()) == [A]


def test_a_symlinked_favorites_file_stays_a_symlink(tmp_path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "favorites.json").write_bytes(orjson.dumps([A]))
    root = tmp_path / "sessions"
    root.mkdir()
    (root / ".favorites").symlink_to(dotfiles / "favorites.json")
    set_favorite(root, B, True)
    assert (root / ".favorites").is_symlink()
    assert orjson.loads((dotfiles / "favorites.json").read_bytes()) == [A, B]


# --------------------------------------------------------------------------- atomic_write


def test_atomic_write_refuses_what_is_not_a_regular_file(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        atomic_write(fifo, b"x")
    folder = tmp_path / "dir"
    folder.mkdir()
    with pytest.raises(OSError, match="not a regular file"):
        atomic_write(folder, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir", "pipe"]


def test_unchanged_check(tmp_path):
    path = tmp_path / "f"
    check = unchanged(path, None)
    check("tmp")  # still absent: fine
    path.write_bytes(b"new")
    with pytest.raises(ChangedUnderneath):
        check("tmp")
    unchanged(path, b"new")("tmp")


# --------------------------------------------------------------------------- config


NASTY = """\
# fdash — my settings ✓
   # indented comment

[display]   # table comment
dark_mode = true   # easier on the eyes
heatmap_weeks = 12
my_own_key = "kept"   # a key fdash does not know
nested_unknown = { a = 1, b = [1, 2, 3] }

[future_section]  # a table fdash does not know
x = 'literal \\ string'
list = [
  "a",  # inline
  "b",
]

# prices I negotiated
[pricing.models."claude-opus-4-5-20251101"]
input_per_million = 4.0   # discount
output_per_million = 20.0

[[grouping.rules]]
pattern = "/home/ana/work/*"   # work stuff
group = "work"
"""


def test_config_round_trip_keeps_every_other_byte(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(NASTY, encoding="utf-8")
    path.chmod(0o640)
    set_value(path, ("display", "heatmap_weeks"), 30)
    assert path.read_text(encoding="utf-8") == NASTY.replace("heatmap_weeks = 12", "heatmap_weeks = 30")
    set_value(path, ("display", "heatmap_weeks"), 12)
    assert path.read_text(encoding="utf-8") == NASTY
    assert (path.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == [".config.toml.lock", "config.toml"]


def test_config_that_fails_to_parse_is_never_overwritten(tmp_path):
    path = tmp_path / "config.toml"
    broken = NASTY.replace("[display]", "[display", 1)
    path.write_text(broken, encoding="utf-8")
    inode = path.stat().st_ino
    with pytest.raises(ConfigError):
        set_value(path, ("display", "dark_mode"), False)
    with pytest.raises(ConfigError):
        load_config(path)
    assert path.read_text(encoding="utf-8") == broken and path.stat().st_ino == inode


def test_a_symlinked_config_stays_a_symlink(tmp_path):
    real = tmp_path / "dotfiles" / "fdash.toml"
    real.parent.mkdir()
    real.write_text(NASTY, encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    set_value(link, ("display", "dark_mode"), False)
    assert link.is_symlink() and "dark_mode = false   # easier" in real.read_text(encoding="utf-8")
