"""Only regular files are read, never blocking, and never more than a bound (issue 15, 4a/4b).

Every test that could hang without the fix runs the read in a daemon thread and fails
when it is still blocked after a few seconds (then unblocks it)."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import threading
import tracemalloc

import attrs
import orjson
import pytest

from fdash.core import parse, regular
from fdash.core.config import ConfigError, load_config
from fdash.core.index import DETAIL, PROBLEMS, Index, index_path, read_entry
from fdash.core.read import read_transcript
from fdash.core.regular import TooLarge, read_chunks, read_regular
from fdash.core.scan import scan
from fdash.core.titles import TitleEditError, rename_session

from .conftest import REPO

NEEDLE = "11080800-d13f-4c9d-b6df-149ea74d7723"
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def _finishes(fn, fifo: str | None = None, seconds: float = 5.0):
    """fn()'s result, failing when it does not return in time (a blocked open of `fifo`
    is then released by opening the other end, so the test run goes on)."""
    result: dict = {}

    def run():
        try:
            result["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if fifo is not None:
            try:
                fd = os.open(fifo, os.O_RDWR)  # unblocks a reader waiting for a writer
                os.write(fd, b"x\n")
                os.close(fd)
            except OSError:
                pass
        pytest.fail(f"{getattr(fn, '__name__', fn)} blocked for {seconds}s")
    if "error" in result:
        raise result["error"]
    return result.get("value")


def test_read_regular_refuses_a_fifo_and_a_device(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        _finishes(lambda: read_regular(fifo), str(fifo))
    with pytest.raises(OSError, match="not a regular file"):
        read_regular("/dev/zero")
    with pytest.raises(OSError, match="not a regular file"):
        list(read_chunks("/dev/zero"))


def test_read_regular_bounds_the_size(tmp_path):
    path = tmp_path / "big"
    path.write_bytes(b"x" * 1000)
    assert read_regular(path, limit=1000) == b"x" * 1000
    with pytest.raises(TooLarge, match="too large"):
        read_regular(path, limit=999)
    assert read_regular(path, offset=10, limit=990) == b"x" * 990


def test_index_file_that_is_a_fifo_is_ignored(observer_root):
    path = index_path(observer_root)
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    index = _finishes(lambda: Index(observer_root), str(path))
    assert index.stored is None


def test_index_file_linked_to_dev_zero_is_ignored(observer_root, tmp_path):
    """In a child process with 1 GB of address space: reading /dev/zero would exhaust it."""
    path = index_path(observer_root)
    path.parent.mkdir(parents=True)
    path.symlink_to("/dev/zero")
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from fdash.core.index import Index\n"
        f"index = Index(__import__('pathlib').Path({str(observer_root)!r}))\n"
        "print(index.stored)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=REPO, env=dict(os.environ)
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "None"


def test_grown_transcript_swapped_for_a_fifo_does_not_hang(observer_root):
    """The index's resume path (a transcript that only grew) opens only regular files."""
    files = {f.id: f for f in scan(observer_root).sessions}
    stored = read_entry(files[NEEDLE], None)
    path = files[NEEDLE].transcript.path
    with open(path, "ab") as handle:
        handle.write(orjson.dumps({"type": "message", "id": "m", "timestamp": "2026-07-28T19:00:00.000Z",
                                   "message": {"role": "user", "content": "more"}}) + b"\n")
    grown = {f.id: f for f in scan(observer_root).sessions}[NEEDLE]
    os.replace(path, path + ".moved")
    os.mkfifo(path)
    entry = _finishes(lambda: read_entry(grown, stored), path)
    assert any("not a regular file" in reason for _p, reason in entry[PROBLEMS])


def test_unchanged_transcript_with_a_fifo_in_its_place_does_not_hang(observer_root):
    files = {f.id: f for f in scan(observer_root).sessions}
    stored = read_entry(files[NEEDLE], None)
    detail = marshal.loads(stored[DETAIL])
    detail[0][0] -= 10  # as if the last line had been incomplete: it is read again
    stored[DETAIL] = marshal.dumps(detail)
    path = files[NEEDLE].transcript.path
    os.replace(path, path + ".moved")
    os.mkfifo(path)
    _finishes(lambda: read_entry(files[NEEDLE], stored), path)


def test_title_edit_of_a_fifo_does_not_hang(tmp_path):
    path = tmp_path / "11111111-1111-1111-1111-111111111111.jsonl"
    os.mkfifo(path)
    with pytest.raises(TitleEditError, match="not a regular file"):
        _finishes(lambda: rename_session(str(path), "new", check_live=False), str(path))


def test_config_that_is_a_fifo_is_an_error_not_a_hang(tmp_path):
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    with pytest.raises(ConfigError, match="not a regular file"):
        _finishes(lambda: load_config(path), str(path))


def test_config_too_large_is_refused(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    with pytest.raises(ConfigError, match="too large"):
        load_config(path)


# --------------------------------------------------------------------------- memory bound


def test_huge_file_without_newline_is_read_in_bounded_memory(tmp_path, monkeypatch):
    """Scaled down: 64 MB with no newline, lines limited to 4 MB, 1 MB chunks. Memory
    stays near a chunk plus the line limit, and the line is skipped with a warning (the
    real limits: 1 GB file, 64 MB lines, 16 MB chunks)."""
    monkeypatch.setattr(parse, "MAX_LINE", 4 * 1024 * 1024)
    monkeypatch.setattr(regular, "CHUNK", 1024 * 1024)
    path = tmp_path / "huge.jsonl"
    with open(path, "wb") as out:
        out.write(b'{"type":"session_start","title":"t","cwd":"/w"}\n')
        block = b"y" * (1024 * 1024)
        for _ in range(64):
            out.write(block)
    tracemalloc.start()
    try:
        problems: list = []
        reader = read_transcript(str(path), problems)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert reader.title == "t" and reader.cwd == "/w"
    reasons = [p.reason for p in reader.problems()]
    assert any("line 2: longer than 4 MB" in r for r in reasons), reasons


def test_over_long_line_in_the_middle_is_skipped_and_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(parse, "MAX_LINE", 1000)
    monkeypatch.setattr(regular, "CHUNK", 64)
    start = b'{"type":"session_start","title":"t","cwd":"/w"}\n'
    prompt = b'{"type":"message","id":"a","timestamp":"2026-01-01T00:00:00Z","message":{"role":"user","content":"hi"}}\n'
    long_line = b'{"type":"message","x":"' + b"z" * 5000 + b'"}\n'
    data = start + prompt + long_line + prompt + long_line[:-1]
    path = tmp_path / "t.jsonl"
    path.write_bytes(data)
    reader = read_transcript(str(path), [])
    assert reader.user_prompts == 2 and reader.lines == 5
    reasons = [p.reason for p in reader.problems()]
    assert "line 3: longer than 0 MB and 1 more; those lines skipped" in reasons, reasons
    # read whole, the same facts come out (the limit is what differs)
    whole = parse.TranscriptReader(str(path))
    whole.feed(data)
    assert whole.user_prompts == reader.user_prompts and whole.first_at_ms == reader.first_at_ms


def test_chunked_reading_equals_one_pass(observer_root, monkeypatch):
    """Any chunk size gives the facts one read of the whole file gives."""
    path = next(observer_root.rglob(f"{NEEDLE}.jsonl"))
    data = path.read_bytes()
    one = parse.TranscriptReader(str(path))
    one = one.finished(one.feed(data))
    for chunk in (1, 7, 100, 4096):
        monkeypatch.setattr(regular, "CHUNK", chunk)
        chunked = read_transcript(str(path), [])
        for field in attrs.fields(parse.TranscriptReader):
            assert getattr(chunked, field.name) == getattr(one, field.name), (chunk, field.name)


def test_settings_file_too_large_is_a_warning(observer_root):
    from fdash.core.read import SETTINGS_LIMIT, read_settings  # noqa: PLC0415

    path = next(observer_root.rglob("*.settings.json"))
    with open(path, "ab") as out:
        out.truncate(SETTINGS_LIMIT + 1)
    problems: list = []
    assert read_settings(str(path), problems) is None
    assert any("too large" in p.reason for p in problems)


@pytest.mark.slow
def test_a_huge_title_does_not_make_a_huge_index(tmp_path):
    """What is kept per session is bounded: a 20 MB title is shortened, a 20 MB cwd (no
    usable path) dropped, a 20 MB parent id and model name, a 1 MB model name in settings ignored."""
    from fdash.core.catalog import load_catalog  # noqa: PLC0415
    from fdash.core.config import Config  # noqa: PLC0415

    root = tmp_path / "sessions"
    folder = root / "-w"
    folder.mkdir(parents=True)
    sid = "bbbbbbbb-0000-4000-8000-000000000001"
    huge = "T" * (20 * 1024 * 1024)
    start = {"type": "session_start", "title": huge, "cwd": "/" + huge, "parent": huge}
    message = {"type": "message", "id": "a", "timestamp": "2026-01-01T00:00:00Z",
               "message": {"role": "assistant", "content": [], "modelId": huge}}
    (folder / f"{sid}.jsonl").write_bytes(orjson.dumps(start) + b"\n" + orjson.dumps(message) + b"\n")
    (folder / f"{sid}.settings.json").write_bytes(orjson.dumps({"model": "M" * 1024 * 1024}))
    catalog = load_catalog(root, Config())
    session = catalog.entries[0].session
    assert len(session.title) == parse.TITLE_CHARS and session.title.endswith("…")
    assert session.cwd is None and session.parent_id is None and session.model is None
    assert any("model name of" in p.reason for p in catalog.problems)
    assert index_path(root).stat().st_size < 100_000


def test_droids_settings_json_as_a_fifo_gives_no_suggestions_and_no_hang(tmp_path):
    from fdash.core.pricing import custom_model_suggestions  # noqa: PLC0415

    path = tmp_path / "settings.json"
    os.mkfifo(path)
    assert _finishes(lambda: custom_model_suggestions(path), str(path)) == {}
