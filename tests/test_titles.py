"""Renaming a session never loses data: only the session_start line changes, through a
temp file + fsync + atomic replace, with the file's mode kept, and lines a running
droid appends meanwhile all survive (the concurrent tests count lines lost: 0)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import orjson
import pytest

from fdash.core import titles
from fdash.core.titles import TitleEditError, check_not_live, rename_session

# written the way droid writes it (JSON.stringify: compact, UTF-8, `\u001b` escapes)
START = ('{"type":"session_start","id":"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa","title":"Old",'
         '"sessionTitle":"Old","isSessionTitleManuallySet":false,"owner":"ana","version":2,'
         '"cwd":"/home/ana/caf\u00e9 \\"q\\"","hostId":"h","big":123456789012345678901234567890,'
         '"ratio":1e+30,"esc":"\\u001b[31m","nested":{"a":[1,2,{"b":null}]},"empty":{}}')
BODY = b"".join(
    orjson.dumps({"type": "message", "id": f"m{i}", "timestamp": "2026-01-01T00:00:00.000Z",
                  "message": {"role": "user", "content": [{"type": "text", "text": f"line {i} \u00e9"}]}}) + b"\n"
    for i in range(50)
) + b'{"partial": tr'  # a running droid's unfinished last line is kept as is


def _session(tmp_path, start: str = START, body: bytes = BODY, mode: int = 0o640):
    path = tmp_path / "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa.jsonl"
    path.write_bytes(start.encode("utf-8") + b"\n" + body)
    path.chmod(mode)
    return path


def _expected_first(title: str) -> bytes:
    t = json.dumps(title, ensure_ascii=False)
    return (START.replace('"title":"Old"', f'"title":{t}').replace('"sessionTitle":"Old"', f'"sessionTitle":{t}')
            .replace('"isSessionTitleManuallySet":false', '"isSessionTitleManuallySet":true').encode("utf-8"))


def test_only_the_title_fields_change(tmp_path):
    path = _session(tmp_path)
    before = os.stat(path)
    assert rename_session(str(path), "New  name\n[bold]x[/bold] \x1b[31mred", check_live=False) == \
        "New name [bold]x[/bold] red"
    data = path.read_bytes()
    first, rest = data.split(b"\n", 1)
    assert first == _expected_first("New name [bold]x[/bold] red")  # numbers, escapes, order kept
    assert rest == BODY  # every other byte, including the unfinished last line
    after = os.stat(path)
    assert after.st_ino != before.st_ino  # replaced, not rewritten in place
    assert (after.st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temp file left


def test_bom_and_crlf_of_the_first_line_are_kept(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + START.encode() + b"\r\n" + BODY.replace(b"\n", b"\r\n"))
    rename_session(str(path), "New", check_live=False)
    data = path.read_bytes()
    assert data == b"\xef\xbb\xbf" + _expected_first("New") + b"\r\n" + BODY.replace(b"\n", b"\r\n")


def test_a_symlinked_transcript_stays_a_symlink(tmp_path):
    real = _session(tmp_path)
    link = tmp_path / "link.jsonl"
    link.symlink_to(real.name)
    rename_session(str(link), "Via link", check_live=False)
    assert link.is_symlink() and real.read_bytes().startswith(_expected_first("Via link"))


@pytest.mark.parametrize("start, message", [
    ("{not json", "not valid JSON"),
    ('{"type":"message","id":"x"}', "no session_start"),
    ('["session_start"]', "no session_start"),
    ('{"type":"session_start","title":"t","cwd":"\\ud800"}', "cannot be rewritten safely"),
])
def test_a_first_line_it_cannot_rewrite_is_left_untouched(tmp_path, start, message):
    path = _session(tmp_path, start)
    before = path.read_bytes()
    with pytest.raises(TitleEditError, match=message):
        rename_session(str(path), "x", check_live=False)
    assert path.read_bytes() == before


@pytest.mark.parametrize("title, message", [("  \n\t ", "cannot be empty"), ("\x1b[2J\x07", "cannot be empty"),
                                            ("x" * 501, "at most 500")])
def test_bad_titles_are_refused(tmp_path, title, message):
    path = _session(tmp_path)
    with pytest.raises(TitleEditError, match=message):
        rename_session(str(path), title, check_live=False)
    assert path.read_bytes().startswith(START.encode())


def test_missing_or_unwritable_transcript_is_a_message(tmp_path):
    with pytest.raises(TitleEditError, match="cannot"):
        rename_session(str(tmp_path / "gone.jsonl"), "x", check_live=False)
    with pytest.raises(TitleEditError, match="cannot read"):
        check_not_live(str(tmp_path / "gone.jsonl"))


def test_a_session_changed_recently_is_refused(tmp_path):
    path = _session(tmp_path)
    with pytest.raises(TitleEditError, match="may be running in droid"):
        rename_session(str(path), "x")
    old = time.time() - 3600
    os.utime(path, (old, old))
    rename_session(str(path), "x")  # idle for an hour: fine


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_a_session_another_process_holds_open_is_refused(tmp_path):
    path = _session(tmp_path)
    old = time.time() - 3600
    os.utime(path, (old, old))
    holder = subprocess.Popen([sys.executable, "-c", "import sys; f = open(sys.argv[1], 'ab'); sys.stdin.read()",
                               str(path)], stdin=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while not titles._open_elsewhere(str(path)) and time.monotonic() < deadline:
            time.sleep(0.02)
        with pytest.raises(TitleEditError, match="has this session open"):
            rename_session(str(path), "x")
    finally:
        holder.communicate(b"")
    rename_session(str(path), "x")


def test_first_line_rewritten_underneath_means_read_again(tmp_path, monkeypatch):
    """droid renames the session between our read and our replace: we start over and
    keep its other changes (here: a line it appended)."""
    path = _session(tmp_path)
    real = titles.new_first_line
    calls = []

    def racing(first, title):
        if not calls:
            path.write_bytes(START.replace('"Old"', '"By droid"').encode() + b"\n" + BODY + b"ue}\n")
        calls.append(title)
        return real(first, title)

    monkeypatch.setattr(titles, "new_first_line", racing)
    rename_session(str(path), "Mine", check_live=False)
    assert len(calls) == 2
    data = path.read_bytes()
    assert data.endswith(BODY + b"ue}\n") and b'"title":"Mine"' in data.split(b"\n", 1)[0]


def test_a_file_that_keeps_changing_is_refused_not_clobbered(tmp_path, monkeypatch):
    path = _session(tmp_path)
    real = titles.new_first_line
    counter = iter(range(100))

    def always_racing(first, title):
        path.write_bytes(START.replace('"Old"', f'"droid {next(counter)}"').encode() + b"\n" + BODY)
        return real(first, title)

    monkeypatch.setattr(titles, "new_first_line", always_racing)
    with pytest.raises(TitleEditError, match="kept changing"):
        rename_session(str(path), "Mine", check_live=False)
    assert path.read_bytes().startswith(START.replace('"Old"', '"droid 4"').encode())
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


# --------------------------------------------------------------------------- concurrency

APPENDED = 1500


def _line(i: int) -> bytes:
    return orjson.dumps({"type": "message", "id": f"append-{i}", "timestamp": "2026-01-01T00:00:00.000Z",
                         "message": {"role": "assistant", "content": [{"type": "text", "text": "x" * (i % 300)}]}}) + b"\n"


def _check_no_line_lost(path, last_title: str) -> tuple[int, int]:
    """(lines lost, lines out of order); every line must be intact JSON."""
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""  # ends on a complete line
    first = orjson.loads(lines[0])
    assert first["type"] == "session_start" and first["title"] == last_title
    assert lines[1 : 1 + 50] == BODY.split(b"\n")[:50]
    rest = lines[51:-1]
    assert rest[0].startswith(b'{"partial": tr') and rest[0].endswith(b"}")  # completed by the writer
    seen = [orjson.loads(line)["id"] for line in rest[1:]]  # every line parses: none torn
    ids = [int(i.removeprefix("append-")) for i in seen]
    assert len(ids) == len(set(ids))  # none doubled
    lost = APPENDED - len(ids)
    out_of_order = sum(1 for a, b in zip(ids, ids[1:]) if b < a)
    return lost, out_of_order


def _renames(path, stop, count: int) -> tuple[str, int]:
    """Rename up to `count` times, until `stop()`; returns (last title, renames done)."""
    title = ""
    for n in range(1, count + 1):
        title = f"Title {n}"
        rename_session(str(path), title, check_live=False)
        if stop():
            break
    return title, n


@pytest.mark.slow
def test_thread_appending_while_renaming_loses_no_line(tmp_path):
    path = _session(tmp_path)
    done = threading.Event()

    def appender():
        with open(path, "ab") as handle:  # complete droid's unfinished last line first
            handle.write(b"ue}\n")
        for i in range(APPENDED):
            with open(path, "ab") as handle:  # like appendFile: opened by name each time
                handle.write(_line(i))
            time.sleep(0.0005)
        done.set()

    thread = threading.Thread(target=appender)
    thread.start()
    _, renames = _renames(path, done.is_set, 200)
    thread.join()
    title, _ = _renames(path, lambda: True, 1)
    lost, out_of_order = _check_no_line_lost(path, title)
    print(f"thread appender: {APPENDED} lines, {renames} renames meanwhile, lost={lost}, "
          f"out of order={out_of_order}")
    assert lost == 0 and renames >= 3


@pytest.mark.slow
def test_other_process_appending_while_renaming_loses_no_line(tmp_path):
    path = _session(tmp_path)
    code = ("import sys, time, orjson\nfrom tests.test_titles import _line, APPENDED\n"
            "open(sys.argv[1], 'ab').write(b'ue}\\n')\n"
            "for i in range(APPENDED):\n"
            "    with open(sys.argv[1], 'ab') as h: h.write(_line(i))\n"
            "    time.sleep(0.0005)\n")
    writer = subprocess.Popen([sys.executable, "-c", code, str(path)],
                              cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    _, renames = _renames(path, lambda: writer.poll() is not None, 400)
    assert writer.wait(timeout=60) == 0
    title, _ = _renames(path, lambda: True, 1)
    lost, out_of_order = _check_no_line_lost(path, title)
    print(f"process appender: {APPENDED} lines, {renames} renames meanwhile, lost={lost}, "
          f"out of order={out_of_order}")
    assert lost == 0 and renames >= 3
