"""The generated hostile corpus: every broken file is a warning (path + reason), never a
traceback, and the valid sessions beside them keep their exact numbers.

Runs as root in CI, where chmod 000 does not stop reads: the unreadable cases are then
also simulated in-process (EACCES from os.open / os.scandir), and the CLI is run once
more with the DAC capabilities dropped (`setpriv`), so chmod 000 bites for real.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from fdash.core.catalog import load_catalog
from fdash.core.config import Config
from fdash.core.models import TokenUsage
from fdash.core.read import read_prompts
from fdash.core.times import ms_to_iso
from tools import sessiongen as gen

from .conftest import REPO, run_cli

KINDS = ("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "thinkingTokens")

# case -> the reason a warning about it must give (None: no warning is expected).
WARNS = {
    "truncated_last_line": "incomplete last line",
    "invalid_json_line_middle": "invalid JSON",
    "invalid_utf8_in_text": None,  # inside an assistant answer: never decoded, nothing affected
    "invalid_utf8_in_prompt": "invalid UTF-8 replaced",
    "zero_byte_transcript": "empty transcript",
    "no_session_start": "no session_start",
    "non_object_lines": "not a JSON object",
    "deep_nesting_line": "invalid JSON",
    "crlf_line_endings": None,
    "blank_lines": None,
    "utf8_bom": None,
    "odd_message_shapes": None,
    "odd_timestamps": None,
    "control_chars": None,
    "toplevel_visibility": None,
    "transcript_without_settings": None,  # droid does not always write one: not an error
    "settings_invalid_json": "invalid JSON",
    "settings_token_strings": "not a number",
    "settings_token_negative": "negative",
    "settings_token_null": None,  # null is read as "missing": 0, like an absent key
    "settings_token_float": "not a whole number",
    "settings_token_huge": "absurdly large",
    "settings_is_array": "expected a JSON object",
    "settings_wrong_types": "tokenUsage is not an object",
    "orphan_settings": None,  # a session whose transcript is gone: counted, not unreadable
    "bak_only": None,
    "non_uuid_name": None,
    "directory_named_like_session": "not a regular file",
    "symlink_loop": ("symbolic link to a folder", "cannot stat", None),  # by path, below
    "symlink_outside": "symbolic link to a folder",
    "unreadable_file": "cannot read",
    "unreadable_folder": "cannot list folder",
    "huge_line": None,
    "extreme_timestamps": "out of range (1970 to 2999); ignored",
    "quadratic_lines": None,  # message lines classified by their head, never decoded (see Known gaps)
    "over_long_fields": None,  # bounded silently, as previews are
    "favorites_invalid_json": "favorites ignored",
}
SYMLINK_WARNS = {"loop-to-root": "symbolic link to a folder", "parent-link": None}


# --------------------------------------------------------------------------- corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "sessions"
    manifest = gen.generate(root, sessions=120, seed=23, hostile=True, unreadable=True, avg_kb=4)
    assert manifest["totals"]["kinds"]["orphan_settings"]  # the legitimate warning is exercised
    return root, manifest


def _hostile(manifest, case):
    return [h for h in manifest["hostile"] if h["case"] == case]


@pytest.fixture(scope="module")
def eacces(corpus):
    """As root, make the chmod 000 file and folder fail as they do for anyone else."""
    root, manifest = corpus
    if os.geteuid() != 0:
        yield
        return
    locked_file = str(root / _hostile(manifest, "unreadable_file")[0]["path"])
    locked_dir = str(root / _hostile(manifest, "unreadable_folder")[0]["path"])
    real_open, real_scandir = os.open, os.scandir

    def fake_open(path, *args, **kwargs):
        if os.fspath(path) == locked_file:
            raise PermissionError(13, "Permission denied", locked_file)
        return real_open(path, *args, **kwargs)

    def fake_scandir(path="."):
        if os.fspath(path) == locked_dir:
            raise PermissionError(13, "Permission denied", locked_dir)
        return real_scandir(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "open", fake_open)
        patch.setattr(os, "scandir", fake_scandir)
        yield


@pytest.fixture(scope="module", params=[False, True], ids=["no-index", "index"])
def catalog(corpus, eacces, request, tmp_path_factory):
    root, _ = corpus
    with pytest.MonkeyPatch.context() as patch:  # a cache of our own, outside the test's home
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        load_catalog(root, Config(), use_index=request.param)  # a first run fills the index
        return load_catalog(root, Config(), use_index=request.param)


def _warnings_for(catalog, root, entry) -> list[str]:
    """The reasons of the warnings about one hostile case's files."""
    paths = {str(root / entry["path"])}
    if entry["session_id"]:
        paths |= {str(p) for p in root.rglob(entry["session_id"] + ".*")}
    return [p.reason for p in catalog.problems if p.path in paths]


def _expected_reason(entry):
    if entry["case"] == "symlink_loop":
        name = entry["path"].rsplit("/", 1)[-1]
        return SYMLINK_WARNS.get(name, "cannot stat")
    return WARNS[entry["case"]]


# --------------------------------------------------------------------------- in-process


def test_valid_sessions_stay_exact(corpus, catalog):
    _, manifest = corpus
    sessions = {e.session.id: e for e in catalog.entries}
    for sid, want in manifest["sessions"].items():
        entry = sessions[sid]
        s = entry.session
        tokens = TokenUsage(*(want["tokens"][k] for k in KINDS)) if want["tokens"] else None
        assert s.tokens == tokens, sid
        assert s.user_prompts == want["user_prompts"], sid
        assert s.message_count == want["message_count"], sid
        assert (s.title if want["has_transcript"] else None) == want["title"], sid
        assert s.cwd == want["cwd"], sid
        assert ms_to_iso(s.first_at_ms) == want["first_ts"] and ms_to_iso(s.last_at_ms) == want["last_ts"], sid
        assert (s.model, s.resolved_model) == (want["model"], want["resolved_model"]) or not want["has_settings"]
        assert s.active_time_ms == (want["assistant_active_time_ms"] or 0), sid
        assert entry.favorite == want["favorite"], sid
    totals = manifest["totals"]["tokens"]
    normal = [sessions[sid].session.usage for sid in manifest["sessions"]]
    # every token once: thinking is a part of output
    assert sum(t.total for t in normal) == sum(v for k, v in totals.items() if k != "thinkingTokens")


def test_no_warning_about_a_valid_session(corpus, catalog):
    """A valid session raises no warning, a settings file whose transcript is gone neither
    (it is read and counted: nothing in it is unreadable)."""
    root, manifest = corpus
    for sid, want in manifest["sessions"].items():
        paths = {str(root / f) for f in want["files"]}
        reasons = [p.reason for p in catalog.problems if p.path in paths]
        assert reasons == [], sid


def test_each_hostile_case_reads_as_expected(corpus, catalog):
    root, manifest = corpus
    sessions = {e.session.id: e.session for e in catalog.entries}
    for h in manifest["hostile"]:
        listed = h["session_id"] in sessions
        if h["counted"] is not None:
            assert listed == h["counted"], h["case"]
        if not listed:
            continue
        s = sessions[h["session_id"]]
        _check_expect(s, h["expect"], h["case"])


def _check_expect(s, expect, case):
    if "tokens" in expect:
        want = expect["tokens"]
        assert s.tokens == (TokenUsage(*(want[k] for k in KINDS)) if want else None), case
    if "tokens_acceptable" in expect:
        readings = [None if t is None else TokenUsage(*(t[k] for k in KINDS)) for t in expect["tokens_acceptable"]]
        assert s.tokens in readings, case
    if "user_prompts" in expect:
        assert s.user_prompts == expect["user_prompts"], case
    if "user_prompts_range" in expect:
        low, high = expect["user_prompts_range"]
        assert low <= s.user_prompts <= high, case
    if "cwd" in expect:
        assert s.cwd == expect["cwd"], case
    if "cwd_acceptable" in expect:
        assert s.cwd in expect["cwd_acceptable"], case
    if "title" in expect:
        assert s.title == (expect["title"] or ""), case
    if "model" in expect:
        assert s.model == expect["model"], case
    if "model_acceptable" in expect:
        assert s.model in expect["model_acceptable"], case
    if expect.get("undated"):
        assert s.first_at_ms is None and s.last_at_ms is None and not s.activity, case
    if "folder" in expect:
        assert s.folder == expect["folder"] and s.project == expect["folder"], case
    if "prompt_texts" in expect and s.transcript_path:
        texts = [p[:200] for p in read_prompts(s.transcript_path)]
        if "user_prompts_range" in expect:  # an optional prompt may sit among them
            texts = [t for t in texts if t in expect["prompt_texts"]]
        assert texts == expect["prompt_texts"], case


def test_every_bad_file_is_a_warning_with_its_reason(corpus, catalog):
    root, manifest = corpus
    for h in manifest["hostile"]:
        reasons = _warnings_for(catalog, root, h)
        expected = _expected_reason(h)
        if expected is None:
            assert reasons == [], (h["case"], h["path"], reasons)
        else:
            assert any(expected in r for r in reasons), (h["case"], h["path"], reasons)


def test_the_bom_line_is_read(corpus, catalog):
    _, manifest = corpus
    h = _hostile(manifest, "utf8_bom")[0]
    s = catalog.by_id(h["session_id"]).session
    assert s.cwd == gen.HostileCorpus.CWD and s.title  # the BOM is not a reason to lose the line


# --------------------------------------------------------------------------- the CLI


def _cli(*args, root, prefix=()):
    env = dict(os.environ)
    result = subprocess.run([*prefix, sys.executable, "-m", "fdash", "-d", str(root), *args],
                            capture_output=True, env=env, cwd=REPO, timeout=120)
    assert b"Traceback" not in result.stderr and b"internal error" not in result.stderr, result.stderr
    return result


def _main(capfd, *args):
    """The CLI in-process (fast); returns (exit code, stdout bytes, stderr text)."""
    from fdash.cli import main

    code = main(list(args))
    out, err = capfd.readouterr()
    err = err.decode("utf-8", "replace")
    assert "Traceback" not in err and "internal error" not in err, err
    return code, out, err


@pytest.mark.slow
def test_cli_commands_never_trace_back(corpus, tmp_path, capfdbinary, monkeypatch):
    root, manifest = corpus
    monkeypatch.setenv("COLUMNS", "200")
    for command in ("stats", "tokens", "groups", "projects", "sessions"):
        for extra in ((), ("--json",)):
            code, out, err = _main(capfdbinary, "-d", str(root), command, *extra, "--verbose")
            assert code == 0, (command, err)
            if extra:
                json.loads(out)
    out_file = tmp_path / "x.csv"
    assert _main(capfdbinary, "-d", str(root), "export", "--format", "csv", "-o", str(out_file))[0] == 0
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    exported = json.loads(_main(capfdbinary, "-d", str(root), "export")[1])
    assert [r["id"] for r in rows] == [r["id"] for r in exported]
    assert set(manifest["sessions"]) <= {r["id"] for r in rows}


def test_a_closed_pipe_is_not_an_error(corpus):
    root, _ = corpus
    proc = subprocess.Popen([sys.executable, "-m", "fdash", "-d", str(root), "export"], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(100)
    proc.stdout.close()  # like `fdash export | head -c 100`
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert b"Traceback" not in err and b"Exception ignored" not in err and b"internal error" not in err


@pytest.mark.slow
def test_verbose_lists_each_warning_with_path_and_reason(corpus):
    root, _ = corpus
    result = _cli("stats", "--json", "--verbose", root=root)
    count = json.loads(result.stdout)["warnings"]
    lines = result.stderr.decode().splitlines()
    warnings = [line for line in lines if line.startswith("fdash: warning: ")]
    assert count > 20 and len(warnings) == count
    for line in warnings:
        path, _, reason = line.removeprefix("fdash: warning: ").partition(": ")
        assert path.startswith(str(root)) and reason
    quiet = _cli("stats", "--json", root=root)
    assert f"{count} warnings".encode() in quiet.stderr and b"fdash: warning: " not in quiet.stderr


def _without_dac():
    """A command prefix that makes root obey file permissions, or None."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    drop = "-dac_override,-dac_read_search"
    prefix = (setpriv, f"--bounding-set={drop}", f"--inh-caps={drop}")
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


@pytest.mark.slow
def test_cli_with_real_permission_errors(corpus):
    root, manifest = corpus
    prefix = _without_dac()
    if prefix is None:
        pytest.skip("cannot drop root's file-permission override here")
    result = _cli("stats", "--json", "--verbose", "--no-cache", root=root, prefix=prefix)
    assert result.returncode == 0, result.stderr
    err = result.stderr.decode()
    locked_file = _hostile(manifest, "unreadable_file")[0]
    locked_dir = _hostile(manifest, "unreadable_folder")[0]
    assert f"{root / locked_file['path']}: cannot read: Permission denied" in err
    assert f"{root / locked_dir['path']}: cannot list folder: Permission denied" in err
    valid = sum(1 for _ in manifest["sessions"])
    assert json.loads(result.stdout)["sessions"] >= valid


# --------------------------------------------------------------------------- one-offs


@pytest.mark.slow
def test_sessions_dir_that_is_a_file(tmp_path):
    a_file = tmp_path / "sessions"
    a_file.write_text("not a folder")
    for command in ("stats", "export"):
        result = run_cli("-d", str(a_file), command)
        assert result.returncode == 2 and b"is not a folder" in result.stderr
        assert b"Traceback" not in result.stderr


def test_fifo_named_like_a_session_never_blocks(tmp_path):
    root = tmp_path / "s"
    root.mkdir()
    os.mkfifo(root / "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa.jsonl")
    os.mkfifo(root / ".favorites")
    result = run_cli("-d", str(root), "stats", "--json", "--verbose")
    assert result.returncode == 0
    assert b"not a regular file" in result.stderr and b"favorites ignored" in result.stderr


def test_name_with_a_trailing_newline_is_not_a_session(tmp_path):
    root = tmp_path / "s"
    root.mkdir()
    (root / "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa.jsonl\n").write_text("{}\n")
    assert load_catalog(root, Config(), use_index=False).entries == ()


def test_undecodable_folder_name_in_json_csv_and_tables(tmp_path, capfdbinary, monkeypatch):
    """A folder name that is not UTF-8 reaches paths and the project (no cwd): every
    output still encodes, with U+FFFD for the bad bytes. (--no-cache: the index itself
    cannot store such a path yet, see docs/RELIABILITY.md.)"""
    monkeypatch.setenv("COLUMNS", "200")
    root = tmp_path / "s"
    folder = os.fsencode(root) + b"/-home-\xff\xfe-proj"
    os.makedirs(folder)
    sid = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
    message = {"type": "message", "id": "m", "timestamp": "2026-01-01T00:00:00Z",
               "message": {"role": "user", "content": [{"type": "text", "text": "hi"}]}}
    with open(folder + f"/{sid}.jsonl".encode(), "wb") as handle:
        handle.write(orjson.dumps(message) + b"\n")
    for args in (("export",), ("export", "--format", "csv"), ("projects", "--json"), ("sessions",),
                 ("projects",)):
        code, out, err = _main(capfdbinary, "-d", str(root), *args, "--verbose", "--no-cache")
        assert code == 0 and "\ufffd".encode() in out, (args, err)
    rows = json.loads(_main(capfdbinary, "-d", str(root), "export", "--no-cache")[1])
    assert rows[0]["project"] == "-home-\ufffd\ufffd-proj"


@pytest.mark.slow
def test_export_to_a_device_writes_through_it(corpus):
    root, _ = corpus
    before = os.stat("/dev/null")
    result = _cli("export", "-o", "/dev/null", root=root)
    assert result.returncode == 0
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


@pytest.mark.slow
def test_export_into_a_missing_folder_is_a_message(corpus, tmp_path):
    root, _ = corpus
    result = _cli("export", "-o", str(tmp_path / "no" / "such" / "x.json"), root=root)
    assert result.returncode == 1 and b"cannot write" in result.stderr


# --------------------------------------------------------------------------- 50 MB line


@pytest.mark.slow
def test_50mb_line_is_read_fast_and_counted(tmp_path):
    """One 50 MB tool-result line (a user message holding text blocks, so the parser
    has to decode it): read in well under 10 s, numbers exact, no warning."""
    started = time.monotonic()
    root = tmp_path / "s"
    folder = root / "-home-big"
    folder.mkdir(parents=True)
    sid = "cccccccc-cccc-4ccc-8ccc-cccccccccccc"
    head = {"type": "session_start", "id": sid, "title": "big", "cwd": "/home/big"}
    prompt = {"type": "message", "id": "p1", "timestamp": "2026-01-01T00:00:00.000Z",
              "message": {"role": "user", "content": [{"type": "text", "text": "read the log"}]}}
    big = (b'{"type":"message","id":"t1","timestamp":"2026-01-01T00:00:01.000Z","message":{"role":"user",'
           b'"content":[{"type":"tool_result","tool_use_id":"x","content":[{"type":"text","text":"'
           + b"log line 0123456789 " * (50 * 1024 * 1024 // 20) + b'"}]}]}}\n')
    answer = {"type": "message", "id": "a1", "timestamp": "2026-01-01T00:00:02.000Z",
              "message": {"role": "assistant", "content": [{"type": "text", "text": "done"}]}}
    with open(folder / f"{sid}.jsonl", "wb") as handle:
        handle.write(orjson.dumps(head) + b"\n" + orjson.dumps(prompt) + b"\n" + big + orjson.dumps(answer) + b"\n")
    (folder / f"{sid}.settings.json").write_text('{"tokenUsage": {"inputTokens": 5, "outputTokens": 7}}')
    assert len(big) > 50 * 1024 * 1024
    del big
    catalog = load_catalog(root, Config(), use_index=False)
    s = catalog.entries[0].session
    assert (s.user_prompts, s.message_count, s.title, s.usage.total) == (1, 3, "big", 12)
    assert catalog.problems == ()
    code = ("import resource, sys\nfrom fdash.cli import main\nrc = main(sys.argv[1:])\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(rc)")
    result = subprocess.run([sys.executable, "-c", code, "-d", str(root), "stats", "--json", "--no-cache"],
                            capture_output=True, cwd=REPO, timeout=60)
    assert result.returncode == 0 and json.loads(result.stdout)["user_prompts"] == 1
    peak_mb = int(result.stderr.split()[-1]) / (1024 * 1024 if sys.platform == "darwin" else 1024)
    print(f"50 MB line: peak memory {peak_mb:.0f} MB")
    assert peak_mb < 400, f"peak memory {peak_mb:.0f} MB for a 50 MB line"
    assert time.monotonic() - started < 10


# --------------------------------------------------------------------------- favorites


def test_invalid_favorites_in_a_generated_corpus(tmp_path):
    root = tmp_path / "s"
    manifest = gen.generate(root, sessions=12, seed=5, avg_kb=4, hostile=True, hostile_favorites=True)
    catalog = load_catalog(root, Config(), use_index=False)
    assert not any(e.favorite for e in catalog.entries)
    assert [p.reason for p in catalog.problems if p.path == str(root / ".favorites")][0].startswith(
        "favorites ignored")
    assert len(catalog.entries) >= len(manifest["sessions"])
    Path(root / ".favorites").write_text('{"not": "a list"}')
    catalog = load_catalog(root, Config(), use_index=False)
    assert any("expected a JSON array" in p.reason for p in catalog.problems)
