"""Four fdash processes changing `.favorites` and the config at once lose nothing
(issue 15, case 1): every change a writer was told is saved is in the file at the end."""

from __future__ import annotations

import multiprocessing
import os
import uuid

import orjson
import pytest

from fdash.core.config import load_config, update
from fdash.core.favorites import load_favorites, set_favorite
from fdash.core.lock import lock_path, locked

WRITERS = 4
ROUNDS = 40


def _ids(writer: int) -> list[str]:
    return [str(uuid.UUID(int=writer << 64 | i)) for i in range(ROUNDS)]


def _star(root: str, writer: int, start, results) -> None:
    start.wait()
    saved, failed = [], 0
    for i, sid in enumerate(_ids(writer)):
        try:
            set_favorite(root, sid, True)
            if i % 2:  # every other one is un-starred again: a removal must not be undone either
                set_favorite(root, sid, False)
            else:
                saved.append(sid)
        except Exception:  # noqa: BLE001 - an error is a change not acknowledged; counted
            failed += 1
    results.put((saved, failed))


def _configure(path: str, writer: int, start, results) -> None:
    start.wait()
    saved, failed = [], 0
    for i in range(ROUNDS // 2):
        name = f"model-{writer}-{i}"
        try:
            update(path, [(("pricing", "models", name, "input_per_million"), 1.0),
                          (("pricing", "models", name, "output_per_million"), 2.0)])
            saved.append(name)
        except Exception:  # noqa: BLE001
            failed += 1
    results.put((saved, failed))


def _race(target, path: str) -> tuple[list[str], int]:
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(WRITERS), context.Queue()
    workers = [context.Process(target=target, args=(path, w, start, results)) for w in range(WRITERS)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(30)
    return [s for saved, _ in outcomes for s in saved], sum(failed for _, failed in outcomes)


@pytest.mark.slow
def test_four_processes_starring_at_once_lose_no_star(tmp_path):
    root = tmp_path / "sessions"
    root.mkdir()
    (root / ".favorites").write_bytes(orjson.dumps(["keep-me-1"]))
    saved, failed = _race(_star, str(root))
    assert failed == 0
    assert len(saved) == WRITERS * ROUNDS // 2
    on_disk = orjson.loads((root / ".favorites").read_bytes())
    assert set(on_disk) == {*saved, "keep-me-1"} and len(on_disk) == len(saved) + 1
    assert load_favorites(root) == set(saved) | {"keep-me-1"}


@pytest.mark.slow
def test_four_processes_editing_the_config_at_once_lose_no_change(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("# my prices\n[display]\ndark_mode = true\n", encoding="utf-8")
    saved, failed = _race(_configure, str(path))
    assert failed == 0 and len(saved) == WRITERS * ROUNDS // 2
    config = load_config(path).config
    assert set(config.pricing.models) == set(saved)
    assert path.read_text(encoding="utf-8").startswith("# my prices\n")


def test_a_stuck_holder_makes_a_clear_error_not_a_hang(tmp_path, monkeypatch):
    from fdash.core import lock  # noqa: PLC0415
    from fdash.core.favorites import FavoritesError  # noqa: PLC0415

    monkeypatch.setattr(lock, "WAIT_S", 0.2)
    root = tmp_path / "sessions"
    root.mkdir()
    context = multiprocessing.get_context("fork")
    holding, release = context.Event(), context.Event()

    def hold():
        with locked(str(root / ".favorites")):
            holding.set()
            release.wait(30)

    holder = context.Process(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        with pytest.raises(FavoritesError, match="another fdash has been saving it"):
            set_favorite(root, str(uuid.uuid4()), True)
    finally:
        release.set()
        holder.join(10)
    assert set_favorite(root, "11111111-1111-1111-1111-111111111111", True)
    assert os.path.basename(lock_path(root / ".favorites")) == ".favorites.lock"
