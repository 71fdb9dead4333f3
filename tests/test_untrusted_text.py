"""Text from session files (titles, prompts, cwds, model names, file names) can hold
terminal escapes, Rich markup, bidi and zero-width characters: tables show it inert and
literal, --json keeps it exactly (valid JSON), CSV keeps it but defuses formulas."""

from __future__ import annotations

import csv
import io
import json
import unicodedata

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fdash.core.catalog import load_catalog
from fdash.core.config import Config
from fdash.core.export import to_csv
from fdash.core.parse import PREVIEW_CHARS
from fdash.core.text import clean, one_line

from .conftest import run_cli
from .test_properties import SCALE

ESCAPES = "\x1b[2J\x1b[31mRED\x1b[0m\x07\x1b]0;pwned\x07\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\\x9b31m\x1bP1$r\x1b\\"
BIDI = "\u202eevil\u202c \u2067rtl\u2069 zero\u200bwidth\ufeff \u061c"
TITLES = {
    "aaaaaaaa-0000-4000-8000-000000000001": "[bold]markup[/bold] [link=http://x]x[/link] " + ESCAPES,
    "aaaaaaaa-0000-4000-8000-000000000002": "line one\nline two\r\nline three\ttab " + BIDI,
    "aaaaaaaa-0000-4000-8000-000000000003": "=HYPERLINK(\"http://evil\",\"click\")",
    "aaaaaaaa-0000-4000-8000-000000000004": "+1+1",
    "aaaaaaaa-0000-4000-8000-000000000005": "-2+3",
    "aaaaaaaa-0000-4000-8000-000000000006": "@SUM(A1:A2)",
    "aaaaaaaa-0000-4000-8000-000000000007": "\t=1+1",
    "aaaaaaaa-0000-4000-8000-000000000008": "W" * 5000,
    "aaaaaaaa-0000-4000-8000-000000000009": "مرحبا עברית mixed RTL",
}
CWD = "/home/mallory/=cmd|' /C calc'!A0/\x1b[31mred\x1b[0m/[bold]p[/bold]"
MODEL = "custom:[red]model[/red]\x1b]0;t\x07-0"
FORBIDDEN = ["\x1b", "\x07", "\x9b", "\x9d", "\x00", "\u202e", "\u202c", "\u2067", "\u2069", "\u200b",
             "\ufeff", "\u061c", "\r"]


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "sessions"
    folder = root / "-home-mallory-x"
    folder.mkdir(parents=True)
    for n, (sid, title) in enumerate(TITLES.items()):
        start = {"type": "session_start", "id": sid, "title": title, "cwd": CWD, "version": 2}
        prompt = {"type": "message", "id": f"p{n}", "timestamp": f"2026-01-0{1 + n % 9}T00:00:00.000Z",
                  "message": {"role": "user", "content": [{"type": "text", "text": title + " prompt"}]}}
        answer = {"type": "message", "id": f"a{n}", "timestamp": f"2026-01-0{1 + n % 9}T00:00:01.000Z",
                  "message": {"role": "assistant", "modelId": MODEL, "content": [{"type": "text", "text": "ok"}]}}
        (folder / f"{sid}.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in (start, prompt, answer)))
        settings_doc = {"model": MODEL, "tokenUsage": {"inputTokens": 10 + n, "outputTokens": 5}}
        (folder / f"{sid}.settings.json").write_bytes(orjson.dumps(settings_doc))
    evil = root / "-home-\x1b[31mevil\x07"
    evil.mkdir()
    (evil / "bbbbbbbb-0000-4000-8000-000000000001.jsonl").write_bytes(b"{broken\n")
    return root


def _shown(*args, root) -> str:
    result = run_cli("-d", str(root), *args, env_extra={"COLUMNS": "400"})
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    return result.stdout.decode("utf-8") + result.stderr.decode("utf-8")


def _inert(text: str) -> None:
    for char in FORBIDDEN:
        assert char not in text, (char, text[:300])


@pytest.mark.slow
def test_tables_show_file_text_inert_and_literal(root):
    for command in ("sessions", "projects", "tokens", "groups", "stats"):
        _inert(_shown(command, "--verbose", root=root))
    sessions = _shown("sessions", root=root)
    assert "[bold]markup[/bold]" in sessions  # Rich markup is shown, not obeyed
    assert "line one line two line three tab" in sessions  # one line
    assert "W" * 47 + "…" in sessions and "W" * 49 not in sessions  # shortened
    assert "مرحبا עברית" in sessions  # real RTL text stays; only the overrides go
    assert "[red]model[/red]" in _shown("tokens", root=root)


def test_verbose_warning_with_an_escape_in_the_path(root):
    shown = _shown("stats", "--verbose", root=root)
    _inert(shown)
    assert "-home-evil/bbbbbbbb" in shown and "invalid JSON" in shown


@pytest.mark.slow
def test_json_keeps_the_text_exactly(root):
    for args in (("sessions", "--json"), ("export",), ("export", "--format", "json")):
        result = run_cli("-d", str(root), *args)
        rows = json.loads(result.stdout)  # valid JSON
        assert {r["id"]: r["title"] for r in rows if r["id"] in TITLES} == TITLES
        assert {r["cwd"] for r in rows if r["id"] in TITLES} == {CWD}
        assert {r["model"] for r in rows if r["id"] in TITLES} == {MODEL}
        assert b"\x1b" not in result.stdout  # escaped as \u001b, never raw on a terminal
    projects = json.loads(run_cli("-d", str(root), "projects", "--json").stdout)
    assert CWD in {p["project"] for p in projects}


def test_csv_defuses_formulas_and_keeps_the_rest(root):
    result = run_cli("-d", str(root), "export", "--format", "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.stdout.decode("utf-8")))}
    for sid, title in TITLES.items():
        cell = rows[sid]["title"]
        if title[:1] in "=+-@\t":
            assert cell == "'" + title, sid
        else:
            assert cell == title, sid  # multi-line text survives quoting
        assert rows[sid]["cwd"] == CWD  # starts with "/": no prefix
        assert rows[sid]["input_tokens"].isdigit()


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("a=1", "a=1"), (-5, "-5"), (1.5, "1.5"), (True, "true"), (None, ""), ("", ""),
])
def test_csv_cells(value, cell):
    out = to_csv([{"title": value}])
    row = next(csv.DictReader(io.StringIO(out, newline="")))
    assert row["title"] == cell


def test_previews_are_inert(root):
    catalog = load_catalog(root, Config(), use_index=False)
    for entry in catalog.entries:
        for preview in entry.session.prompt_previews:
            _inert(preview)
            assert "\n" not in preview and len(preview) <= PREVIEW_CHARS


# --------------------------------------------------------------------------- text.py


@pytest.mark.parametrize("text, shown", [
    ("\x1b[2J\x1b[31mRED\x1b[0m", "RED"),
    ("\x1b]0;title\x07after", "after"),
    ("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"),
    ("a\x9b31mb", "ab"),
    ("\x1bP1$r\x1b\\x", "x"),
    ("unterminated \x1b]0;title", "unterminated"),
    ("[bold]x[/bold]", "[bold]x[/bold]"),
    ("a\u202eb\u200bc\u2066d\u061ce", "abcde"),
    ("one\ntwo\r\nthree\rfour\u2028five", "one two three four five"),
    ("bad \udcff byte", "bad \ufffd byte"),
    (None, ""),
])
def test_one_line(text, shown):
    assert one_line(text) == shown


def test_clean_keeps_line_breaks():
    assert clean("a\r\nb\rc\n\x1b[1md") == "a\nb\nc\nd"


BIDI_AND_ZERO_WIDTH = set("\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff")
ANY_CHAR = st.characters(exclude_categories=())  # surrogates and controls included


@settings(max_examples=300 * SCALE, deadline=None)
@given(st.text(alphabet=ANY_CHAR, max_size=200), st.integers(min_value=1, max_value=80))
def test_one_line_never_lets_a_control_through(text, limit):
    line = one_line(text, limit)
    assert len(line) <= limit
    line.encode("utf-8")  # always encodable, whatever the file name held
    for char in line:
        assert unicodedata.category(char) not in ("Cc", "Cs"), repr(char)
        assert char not in BIDI_AND_ZERO_WIDTH and char not in "\u2028\u2029", repr(char)


@settings(max_examples=200 * SCALE, deadline=None)
@given(st.text(alphabet=ANY_CHAR, max_size=100))
def test_json_export_keeps_any_title(title):
    """Titles come from JSON (never surrogates); paths may hold surrogate escapes."""
    from fdash.core.export import session_record
    from fdash.core.models import Cost, Entry, Session

    session = Session(id="x", title=title, transcript_path="/s/" + title)
    record = json.loads(orjson.dumps(session_record(Entry(session, "g", Cost(None, "none")))))
    expected = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in title)
    assert record["title"] == expected and record["transcript_path"] == "/s/" + expected


def test_csv_on_a_terminal_is_inert(root):
    """CSV cannot escape a control character: printed on a terminal, the cells lose
    their escapes (as tables do); piped or in a file they stay as the files hold them."""
    import os
    import pty
    import subprocess
    import sys
    import threading

    from .conftest import REPO

    main, tty = pty.openpty()
    chunks: list[bytes] = []

    def drain():
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        result = subprocess.run([sys.executable, "-m", "fdash", "-d", str(root), "export", "--format", "csv"],
                                stdout=tty, stderr=subprocess.PIPE, cwd=REPO, timeout=60)
    finally:
        os.close(tty)
        reader.join(10)
        os.close(main)
    shown = b"".join(chunks).decode("utf-8")
    assert result.returncode == 0, result.stderr
    assert "aaaaaaaa-0000-4000-8000-000000000001" in shown and "RED" in shown
    _inert(shown.replace("\r", ""))  # the terminal's own line ends
    piped = run_cli("-d", str(root), "export", "--format", "csv").stdout
    assert b"\x1b[2J" in piped  # kept as the file holds it
