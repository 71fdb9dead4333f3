"""The persistent index: reuse, incremental reads, invalidation, identical numbers."""

from __future__ import annotations

import marshal
import os
import shutil

import orjson
import pytest

from fdash.core import aggregate
from fdash.core.catalog import load_catalog
from fdash.core.config import Config
from fdash.core.export import session_record
from fdash.core.index import Index, index_path
from fdash.core.indexfile import FORMAT_VERSION, decode, encode, load
from fdash.core.scan import scan

NEEDLE = "11080800-d13f-4c9d-b6df-149ea74d7723"


def _records(root, use_index=True):
    catalog = load_catalog(root, Config(), use_index=use_index)
    return sorted((session_record(e) for e in catalog.entries), key=lambda r: r["id"]), catalog.problems


def _run(root):
    """Read through the index once; returns the Index with its counters."""
    result = scan(root)
    index = Index(root)
    problems = []
    sessions = index.read_all(result.sessions, problems)
    index.save()
    return index, sessions, problems


def _needle(root):
    return next(root.rglob(f"{NEEDLE}.jsonl"))


def _doc(root) -> dict:
    """The index file decoded: its header, with its columns and listing."""
    header, columns, listing = decode(index_path(root).read_bytes())
    return dict(header, columns=columns, listing=listing)


def _write(root, doc: dict) -> None:
    header = {k: v for k, v in doc.items() if k not in ("columns", "listing", "offsets")}
    index_path(root).write_bytes(b"".join(encode(header, doc["columns"], doc["listing"])))


def test_second_run_opens_nothing(observer_root):
    first, _, _ = _run(observer_root)
    assert first.reread == 3 and first.reused == 0
    second, _, _ = _run(observer_root)
    assert second.reused == 3 and second.reread == 0 and second.resumed == 0
    assert second.bytes_read == 0


def test_appended_transcript_reads_only_new_bytes(observer_root):
    _run(observer_root)
    path = _needle(observer_root)
    line = orjson.dumps({"type": "message", "id": "new-1", "timestamp": "2026-07-28T19:00:00.000Z",
                         "message": {"role": "user", "content": [{"type": "text", "text": "one more thing"}]}}) + b"\n"
    with open(path, "ab") as handle:
        handle.write(line)
    index, sessions, _ = _run(observer_root)
    assert index.resumed == 1 and index.reread == 0 and index.reused == 2
    first_line = path.read_bytes().split(b"\n", 1)[0] + b"\n"
    # new bytes + the session_start line + the 64-byte seam before the old end (proof it only grew)
    assert index.bytes_read == len(line) + len(first_line) + 64
    needle = next(s for s in sessions if s.id == NEEDLE)
    assert needle.user_prompts == 4 and needle.prompt_previews[-1] == "one more thing"
    assert needle.last_at_ms == 1785265200000


def test_growth_by_a_partial_line_then_its_end(observer_root):
    _run(observer_root)
    path = _needle(observer_root)
    line = orjson.dumps({"type": "message", "id": "n2", "timestamp": "2026-07-28T19:00:00.000Z",
                         "message": {"role": "user", "content": [{"type": "text", "text": "half"}]}}) + b"\n"
    with open(path, "ab") as handle:
        handle.write(line[:20])  # a running droid mid-write
    _, sessions, problems = _run(observer_root)
    assert next(s for s in sessions if s.id == NEEDLE).user_prompts == 3
    assert any("incomplete last line" in p.reason for p in problems)
    with open(path, "ab") as handle:
        handle.write(line[20:])
    index, sessions, problems = _run(observer_root)
    assert index.resumed == 1
    assert next(s for s in sessions if s.id == NEEDLE).user_prompts == 4
    assert not problems


@pytest.mark.parametrize("change", ["retitle", "shrink", "replace", "settings"])
def test_changed_files_are_read_again(observer_root, change):
    _run(observer_root)
    path = _needle(observer_root)
    data = path.read_bytes()
    if change == "retitle":  # same length title, then growth: the head check catches it
        path.write_bytes(data.replace(b'"title":"--update"', b'"title":"--UPDATE"', 1) + b"\n")
    elif change == "shrink":
        lines = data.splitlines(keepends=True)
        path.write_bytes(b"".join(lines[:-2]))  # drop the last message and turn outcome
    elif change == "replace":
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # new inode
    else:
        settings = path.with_name(f"{NEEDLE}.settings.json")
        doc = orjson.loads(settings.read_bytes())
        doc["tokenUsage"]["outputTokens"] = 999
        settings.write_bytes(orjson.dumps(doc))
    index, sessions, _ = _run(observer_root)
    needle = next(s for s in sessions if s.id == NEEDLE)
    assert index.reused == 2
    if change == "retitle":
        assert needle.title == "--UPDATE" and index.reread == 1
    if change == "shrink":
        assert needle.message_count == 11 and index.reread == 1
    if change == "settings":
        assert needle.tokens.output == 999
    records, _ = _records(observer_root)
    assert records == _records(observer_root, use_index=False)[0]


def test_removed_and_renamed_sessions(observer_root):
    _run(observer_root)
    path = _needle(observer_root)
    moved = observer_root / "-moved-here"
    moved.mkdir()
    for f in path.parent.glob(f"{NEEDLE}*"):
        shutil.move(f, moved / f.name)
    index, sessions, _ = _run(observer_root)
    assert len(sessions) == 3 and index.reread == 1
    assert next(s for s in sessions if s.id == NEEDLE).folder == "-moved-here"
    for f in moved.glob(f"{NEEDLE}*"):
        f.unlink()
    index, sessions, _ = _run(observer_root)
    assert len(sessions) == 2
    assert NEEDLE not in _doc(observer_root)["columns"]["id"]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "version", "column", "empty", "wrong-shape", "fifo",
                                    "device"])
def test_damaged_index_is_rebuilt_silently(observer_root, damage):
    _run(observer_root)
    path = index_path(observer_root)
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"\x00\xff not an index")
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "version":
        doc = _doc(observer_root)
        doc["version"] = FORMAT_VERSION + 1
        _write(observer_root, doc)
    elif damage == "column":  # one column's data is not a list of the right length
        doc = _doc(observer_root)
        doc["columns"]["title"] = marshal.dumps(["only one"])
        doc["columns"]["cwd"] = b"\x00garbage"
        _write(observer_root, doc)
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "fifo":  # would block a plain open() forever
        path.unlink()
        os.mkfifo(path)
    elif damage == "device":  # would be read until memory runs out
        path.unlink()
        path.symlink_to("/dev/zero")
    else:
        doc = _doc(observer_root)
        columns = doc["columns"]
        columns["title"][0] = 5
        columns["tokens"][1] = (1, 2)  # tokens of the wrong length
        columns["problems"][2] = (("only a path",),)
        _write(observer_root, doc)
        records, problems = _records(observer_root)
        assert records == _records(observer_root, use_index=False)[0]
        # and a stored reader of the wrong shape on a transcript that then grew
        doc = _doc(observer_root)
        doc["columns"]["detail"] = [marshal.dumps((("not", "a", "reader"), "x", 1, 2))] * 3
        doc["columns"]["detail"][0] = b"{not marshal"
        _write(observer_root, doc)
        with open(_needle(observer_root), "ab") as handle:
            handle.write(b'{"type":"agent_turn_outcome"}\n')
    records, problems = _records(observer_root)
    assert records == _records(observer_root, use_index=False)[0]
    assert problems == ()
    assert load(observer_root) is not None  # rewritten as a regular file


def _ints(value, size, signed=False) -> bool:
    return (type(value) is tuple and len(value) == size
            and all(type(v) is int and (signed or v >= 0) for v in value))


# what a value of each declared column type may be (written here independently of the checks)
_PLAUSIBLE = {
    "str": lambda v: type(v) is str,
    "str | None": lambda v: v is None or type(v) is str,
    "int": lambda v: type(v) is int and v >= 0,
    "int | None": lambda v: v is None or type(v) is int,
    "bool": lambda v: type(v) is bool,
    "float | None": lambda v: v is None or type(v) in (float, int),
    "tuple[str, ...]": lambda v: type(v) is tuple and all(type(x) is str for x in v),
    "TokenUsage | None": lambda v: v is None or _ints(v, 5),
    "id": lambda v: type(v) is str,
    "key": lambda v: v is None or _ints(v, 3),
    "problems": lambda v: type(v) is tuple and all(type(p) is tuple and len(p) == 2 and
                                                   all(type(x) is str for x in p) for p in v),
    "bytes": lambda v: type(v) is bytes,
}


_MUTATIONS = (None, "x", -1, 3, 1.5, True, (), ("a",), (1, 2, 3), (-1, 2, 3), (1, 2, 3, 4, -5), (("p",),),
              ((1, 2),), b"x", [1])


@pytest.mark.slow
def test_every_single_field_mutation_of_the_index_is_survived(observer_root):
    """One value of one row changed to something of the wrong type (or a negative count):
    that row is read again from its files — the numbers and warnings are those of a fresh
    read, never a crash, never a session counted twice. (An adversarial run found 51 of
    166 such mutations crashing every later run.)"""
    _run(observer_root)
    fresh, fresh_problems = _records(observer_root, use_index=False)
    original = _doc(observer_root)
    tried = 0
    for name, kind in original["layout"]:
        column = original["columns"][name]
        for row in range(len(column)):
            for value in _MUTATIONS:
                if _PLAUSIBLE[kind](value):
                    continue  # a plausible value of the right type: the index is believed
                doc = marshal.loads(marshal.dumps(original))
                doc["columns"][name][row] = value
                _write(observer_root, doc)
                records, problems = _records(observer_root)
                assert (records, problems) == (fresh, fresh_problems), (name, row, value)
                tried += 1
    assert tried > 300


def test_no_cache_reads_every_file_and_rewrites_a_damaged_index(observer_root):
    _run(observer_root)
    doc = _doc(observer_root)
    doc["columns"]["user_prompts"][0] = -7
    _write(observer_root, doc)
    assert len(load(observer_root).rows) == 2  # the damaged row is not trusted
    _records(observer_root, use_index=False)
    assert len(load(observer_root).rows) == 3  # rewritten
    again, _, _ = _run(observer_root)
    assert again.reused == 3 and again.reread == 0


def test_index_gives_identical_numbers_on_generated_data(generated):
    root, _manifest = generated
    cold, cold_problems = _records(root)
    warm, warm_problems = _records(root)
    direct, direct_problems = _records(root, use_index=False)
    assert cold == warm == direct
    assert cold_problems == warm_problems == direct_problems
    totals = aggregate.totals(load_catalog(root, Config()).entries)
    assert totals.sessions == len(direct)


def test_problems_are_remembered_for_unchanged_files(observer_root):
    (observer_root / "eeeeeeee-eeee-eeee-eeee-eeeeeeeeeeee.jsonl").write_bytes(b"{broken\n")
    _, first = _records(observer_root)
    _, second = _records(observer_root)
    assert first == second and len(first) >= 1


def test_parallel_cold_read_equals_serial(generated, monkeypatch):
    import fdash.core.index as index_module

    root, _ = generated
    serial, serial_problems = _records(root, use_index=False)
    monkeypatch.setattr(index_module, "PARALLEL_MIN_BYTES", 0)
    parallel, parallel_problems = _records(root, use_index=False)
    assert parallel == serial and parallel_problems == serial_problems


def test_token_snapshots_grow_when_settings_change(observer_root):
    _, sessions, _ = _run(observer_root)
    needle = next(s for s in sessions if s.id == NEEDLE)
    first = needle.token_snapshots
    assert first.endswith(":26934:203:0:45056:80") and ";" not in first
    _, sessions, _ = _run(observer_root)
    assert next(s for s in sessions if s.id == NEEDLE).token_snapshots == first  # nothing changed
    settings = next(observer_root.rglob(f"{NEEDLE}.settings.json"))
    doc = orjson.loads(settings.read_bytes())
    doc["tokenUsage"]["outputTokens"] = 500
    settings.write_bytes(orjson.dumps(doc))
    os.utime(settings, ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    _, sessions, _ = _run(observer_root)
    snapshots = next(s for s in sessions if s.id == NEEDLE).token_snapshots.split(";")
    assert snapshots[0] == first and snapshots[1] == "2000000000000:26934:500:0:45056:80"


def test_folder_name_that_is_not_utf8(observer_root):
    import os

    folder = next(observer_root.glob("linux-*"))
    odd = os.path.join(os.fsencode(observer_root), b"-home-caf\xe9")
    os.rename(folder, odd)
    first, _ = _records(observer_root)
    second, _ = _records(observer_root)  # the index was written (without those sessions)
    assert first == second and len(first) == 3
    assert index_path(observer_root).exists()


def test_cancelling_a_cold_read_is_prompt_and_writes_nothing(generated, monkeypatch):
    import time

    import fdash.core.index as index_module
    from fdash.core.catalog import Cancelled

    root, _ = generated
    monkeypatch.setattr(index_module, "PARALLEL_MIN_FILES", 1)

    def progress(done, total):
        if done:
            raise Cancelled()

    started = time.perf_counter()
    with pytest.raises(Cancelled):
        load_catalog(root, Config(), progress=progress)
    assert time.perf_counter() - started < 5
    assert not index_path(root).exists()


# ---------------------------------------------------------------- one list of a session's facts

_SAMPLES = {"str": "x\u00e9", "str | None": "y", "int": 7, "int | None": 8, "bool": True,
            "TokenUsage | None": None, "tuple[str, ...]": ("a b", "c"), "float | None": 2.5}


def _every_fact_set():
    """A Session whose every fact differs from its default (a new fact of an unknown type
    fails here: give it a stored form in index._CODECS, a check in indexfile.CHECKS and a sample above)."""
    from attrs import fields

    from fdash.core.models import SESSION_FACTS, Session, TokenUsage

    values = {}
    for f in SESSION_FACTS:
        assert f.type in _SAMPLES, f"Session.{f.name}: no sample of type {f.type}"
        values[f.name] = TokenUsage(1, 2, 3, 4, 5) if f.type == "TokenUsage | None" else _SAMPLES[f.type]
        assert values[f.name] != f.default, f.name
    assert [f.name for f in fields(Session)][:5] == ["id", "transcript_path", "settings_path", "folder", "source"]
    return Session("s", "/r/p/s.jsonl", "/r/p/s.settings.json", "p", "/r", **values)


def test_every_session_fact_survives_the_index():
    from fdash.core.index import _FACTS, NAMES, Table
    from fdash.core.indexfile import CHECKS, bad_rows
    from fdash.core.scan import FileStat, SessionFiles

    session = _every_fact_set()
    files = SessionFiles("s", "p", FileStat("/r/p/s.jsonl", 1, 1, 1), FileStat("/r/p/s.settings.json", 1, 1, 1),
                         "/r")
    row = ["s" * 36, "p", (1, 1, 1), (1, 1, 1), *_FACTS.dump(session), (), b""]
    columns = {name: [value] for name, value in zip(NAMES, marshal.loads(marshal.dumps(row)))}
    from fdash.core.index import LAYOUT

    assert all(not bad_rows(columns[name], kind) for name, kind in LAYOUT if kind in CHECKS)
    columns["id"] = ["s"]
    assert Table([files], columns).sessions()[0] == session


def test_every_session_fact_is_read_from_where_it_says():
    """build_session takes each fact from the attribute its declaration names."""
    from attrs import evolve

    from fdash.core.models import KEPT, SESSION_FACTS, SETTINGS, TRANSCRIPT
    from fdash.core.parse import TranscriptReader
    from fdash.core.read import build_session
    from fdash.core.scan import FileStat, SessionFiles
    from fdash.core.settings_file import SettingsFacts

    expected = _every_fact_set()
    reader, settings = TranscriptReader("/r/p/s.jsonl"), SettingsFacts()
    derived = {"activity": ({5: 2, 9: 1}, "5:2,9:1"), "tool_calls": ({"Edit": 1, "Read": 2}, "Read:2,Edit:1"),
               "files_edited": ({"/a": 1, "/b": 3}, 2)}
    for f in SESSION_FACTS:
        target = {TRANSCRIPT: reader, SETTINGS: settings}.get(f.metadata["origin"])
        value = getattr(expected, f.name)
        if f.name in derived:  # kept in a form cheaper to store than the reader's
            state, fact = derived[f.name]
            setattr(reader, f.metadata["attr"] or f.name, state)
            expected = evolve(expected, **{f.name: fact})
        elif f.name == "dated_by":  # worked out from the others: the session has message times
            expected = evolve(expected, dated_by="messages")
        elif target is not None:
            setattr(target, f.metadata["attr"] or f.name, list(value) if isinstance(value, tuple) else value)
        else:
            assert f.metadata["origin"] == KEPT, f.name
    files = SessionFiles("s", "p", FileStat("/r/p/s.jsonl", 1, 1, 1), FileStat("/r/p/s.settings.json", 1, 1, 1),
                         "/r")
    assert build_session(files, reader, settings, expected.token_snapshots) == expected


def test_an_index_of_another_layout_is_rebuilt(observer_root):
    _run(observer_root)
    doc = _doc(observer_root)
    doc["layout"] += (("new_fact", "str"),)
    doc["columns"]["new_fact"] = [""] * len(doc["columns"]["id"])
    _write(observer_root, doc)
    again, _, _ = _run(observer_root)
    assert again.reused == 0 and again.reread == 3


def test_a_file_changed_within_its_mtimes_grain_is_not_served_from_the_index(observer_root, capfd):
    """A settings file rewritten in place to the same size within the same mtime tick as
    the last scan (a coarse clock: FAT, some network file systems) has the same key: since
    it had changed so close to that scan, it is read again, not taken from the index."""
    from fdash import cli

    settings = next(observer_root.rglob(f"{NEEDLE}.settings.json"))
    os.utime(settings)  # changed just now, as droid does while a session runs
    _run(observer_root)
    before = settings.stat()
    text = settings.read_bytes()
    changed = text.replace(b'"outputTokens": 203', b'"outputTokens": 204', 1)
    assert changed != text and len(changed) == len(text)
    settings.write_bytes(changed)
    os.utime(settings, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same tick
    now = settings.stat()
    assert (now.st_size, now.st_mtime_ns, now.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    _index, sessions, _ = _run(observer_root)
    assert next(s for s in sessions if s.id == NEEDLE).tokens.output == 204
    assert cli.main(["-d", str(observer_root), "stats", "--json"]) == 0  # the quick way too
    quick = capfd.readouterr()
    assert cli._main(["-d", str(observer_root), "stats", "--json", "--no-cache"]) == 0
    assert quick == capfd.readouterr()


def test_nothing_changed_means_the_catalog_is_read_without_a_scan(tmp_path, generated, monkeypatch):
    """When every folder and file is as the index's listing says (scan.still), the catalog
    takes its sessions and their paths from the index: the same records, warnings and
    duplicate count as after a scan."""
    import fdash.core.catalog as catalog_module

    root = tmp_path / "sessions"
    shutil.copytree(generated[0], root)
    then = 1_700_000_000_000_000_000
    for path in [*root.rglob("*"), root]:
        os.utime(path, ns=(then, then), follow_symlinks=False)
    scanned = load_catalog(root, Config())
    expected = _records(root, use_index=False)
    monkeypatch.setattr(catalog_module, "scan", None)  # a scan now would fail
    again = load_catalog(root, Config())
    assert (again.duplicates, again.problems) == (scanned.duplicates, scanned.problems)
    assert sorted((session_record(e) for e in again.entries), key=lambda r: r["id"]) == expected[0]
    assert again.duplicates > 0  # the generated history holds copies in both layouts
