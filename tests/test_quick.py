"""`fdash stats --json` answered from the index's columns (fdash.core.quick) gives the
same bytes as the full command line, cold, warm and after changes, on every kind of data;
and a warm one imports neither attrs nor argparse."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import orjson
import pytest

from .conftest import REPO, load_generator
from .test_index import _PLAUSIBLE


def _both(capfd, root, *flags):
    """(stdout, stderr) of the quick way and of the full way, each run twice (cold, warm)."""
    from fdash import cli

    runs = []
    for way in (cli.main, cli._main):
        for _ in range(2):
            assert way(["-d", str(root), *flags]) == 0
            runs.append(capfd.readouterr())
    quick, quick_warm, full, full_warm = runs
    assert quick == quick_warm and full == full_warm
    return quick, full


@pytest.mark.parametrize("flags", [("--print", "stats", "--json"), ("stats", "--json"), ("--json", "--print")])
def test_same_bytes_as_the_full_way(observer_root, capfd, flags):
    quick, full = _both(capfd, observer_root, *flags)
    assert quick == full
    assert json.loads(quick.out)["sessions"] == 3


@pytest.mark.slow
def test_same_bytes_on_generated_and_hostile_histories(tmp_path, capfd, generated):
    root, _ = generated
    copy = tmp_path / "generated"
    shutil.copytree(root, copy)
    quick, full = _both(capfd, copy, "stats", "--json")
    assert quick == full
    hostile = tmp_path / "hostile"
    load_generator().generate(hostile, sessions=60, seed=5, hostile=True, avg_kb=4)
    quick, full = _both(capfd, hostile, "stats", "--json")
    assert quick == full and "warnings" in quick.err


def test_same_bytes_after_changes(observer_root, capfd):
    from fdash import cli

    assert cli.main(["-d", str(observer_root), "stats", "--json"]) == 0
    before = json.loads(capfd.readouterr().out)
    transcript = next(observer_root.rglob("11080800-*.jsonl"))
    with open(transcript, "ab") as handle:
        handle.write(orjson.dumps({"type": "message", "id": "q1", "timestamp": "2026-07-28T19:00:00.000Z",
                                   "message": {"role": "user", "content": "one more"}}) + b"\n")
    settings = next(observer_root.rglob("*.settings.json"))
    doc = orjson.loads(settings.read_bytes())
    doc["tokenUsage"]["outputTokens"] = 12345
    settings.write_bytes(orjson.dumps(doc))
    assert cli.main(["-d", str(observer_root), "stats", "--json"]) == 0
    quick = capfd.readouterr()
    assert cli._main(["-d", str(observer_root), "stats", "--json", "--no-cache"]) == 0
    assert quick == capfd.readouterr()
    after = json.loads(quick.out)
    assert after["user_prompts"] == before["user_prompts"] + 1
    assert after["output_tokens"] != before["output_tokens"]


def test_a_config_file_or_other_flags_take_the_full_way(observer_root, capfd, isolated_home, monkeypatch):
    import fdash.core.quick as quick
    from fdash import cli

    monkeypatch.setattr(quick, "stats", None)  # would fail if used
    config = isolated_home / ".config" / "factory-dashboard" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[pricing.models."custom:GPT-5.4-Mini-[OpenAI-BYOK]-0"]\ninput_per_million = 1\n'
                      'output_per_million = 2\n')
    assert cli.main(["-d", str(observer_root), "stats", "--json"]) == 0
    priced = json.loads(capfd.readouterr().out)
    assert priced["unpriced_sessions"] == 0
    config.unlink()
    for flags in (["stats", "--json", "--verbose"], ["stats", "--json", "--group", "x"], ["stats"]):
        assert cli.main(["-d", str(observer_root), *flags]) == 0
        capfd.readouterr()


def test_a_warm_stats_imports_neither_attrs_nor_argparse(observer_root):
    code = (
        "import sys\n"
        "from fdash.cli import main\n"
        f"main(['-d', {str(observer_root)!r}, 'stats', '--json'])\n"
        "print(sorted(m for m in ('attrs', 'argparse', 'cattrs', 'fdash.core.models') if m in sys.modules),"
        " file=sys.stderr)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
            for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout and json.loads(runs[1].stdout)["sessions"] == 3
    assert runs[1].stderr.strip().splitlines()[-1] == "[]"


def test_a_damaged_value_in_a_column_it_uses_is_read_again(observer_root, capfd):
    """Only the columns the quick way reads are checked by it, and those are checked: a
    wrong-typed or negative value there means that session is read from its files."""

    from fdash import cli
    from fdash.core.indexfile import decode, encode, index_path
    from fdash.core.quick import USED

    assert cli._main(["-d", str(observer_root), "stats", "--json", "--no-cache"]) == 0
    fresh = capfd.readouterr()
    header, columns, listing = decode(index_path(observer_root).read_bytes())
    kinds = dict(header["layout"])
    tried = 0
    for name in (*USED, "id", "folder", "transcript", "settings", "problems"):
        for value in ("x", -1, 2.5, (1, 2), None, ((1,),)):
            if _PLAUSIBLE[kinds[name]](value):
                continue  # a value of the right type: believed
            tried += 1
            damaged = dict(columns, **{name: [value, *columns[name][1:]]})
            index_path(observer_root).write_bytes(b"".join(encode(header, damaged, listing)))
            assert cli.main(["-d", str(observer_root), "stats", "--json"]) == 0
            assert capfd.readouterr() == fresh, (name, value)
    assert tried > 40


@pytest.mark.parametrize("favorites", [b'[NaN]', b'["\\ud800"]', b'\xef\xbb\xbf[]', b'{"a": 1}', b'[1, "x"]',
                                       b"not json", b"\xff\xfe[\x00]\x00", b"[" * 5000, b"  ", b'["A"]'])
def test_odd_favorites_files_give_the_same_warnings(observer_root, capfd, favorites):
    (observer_root / ".favorites").write_bytes(favorites)
    quick, full = _both(capfd, observer_root, "stats", "--json")
    assert quick == full


def test_the_json_is_orjsons():
    from fdash.core.quick import dumps

    for cost in (0.0, 1e-05, 0.000123, 10147.430839, 1e16, 123456789012.3457):
        record = {"sessions": 3, "cost_usd": cost, "unpriced_models": ["a\x01b", "é\u2028", '"\\'], "x": []}
        assert dumps(record) == orjson.dumps(record, option=orjson.OPT_INDENT_2)


def test_the_names_it_shares_with_the_models_are_theirs():
    from fdash.core import catalog, models, quick

    assert (quick.UNKNOWN, quick.SEVERAL_MODELS) == (models.UNKNOWN_PROJECT, models.SEVERAL_MODELS)
    assert models.Session("x", title=quick.HANDOFF + " y").looks_like_subagent
    assert quick.NO_SESSIONS in open(catalog.__file__, encoding="utf-8").read()


def _age(root, seconds=3600):
    """Every file and folder under `root` last changed `seconds` ago."""
    import os
    import time

    then = time.time_ns() - seconds * 1_000_000_000
    for path in [*root.rglob("*"), root]:
        os.utime(path, ns=(then, then), follow_symlinks=False)


def test_nothing_changed_means_no_scan_and_any_change_is_seen(observer_root, capfd, monkeypatch):
    import fdash.core.quick as quick
    from fdash import cli

    _age(observer_root)
    assert cli.main(["-d", str(observer_root), "stats", "--json"]) == 0  # writes what it listed
    first = capfd.readouterr()
    with monkeypatch.context() as patch:
        patch.setattr(quick, "scan", None)  # a scan now would fail: the quick way would give up,
        patch.setattr(cli, "_main", None)  # and the full way is not there to take over
        assert cli.main(["-d", str(observer_root), "stats", "--json"]) == 0
        assert capfd.readouterr() == first
    transcript = next(observer_root.rglob("11080800-*.jsonl"))
    changes = [
        lambda: transcript.open("ab").write(b'{"type":"message","id":"z","timestamp":"2026-07-28T19:00:00.000Z",'
                                            b'"message":{"role":"user","content":"again"}}\n'),
        lambda: shutil.copy(transcript, transcript.with_name("eeeeeeee-eeee-eeee-eeee-eeeeeeeeeeee.jsonl")),
        lambda: transcript.with_name("eeeeeeee-eeee-eeee-eeee-eeeeeeeeeeee.jsonl").unlink(),
    ]
    for change in changes:
        change()
        assert cli.main(["-d", str(observer_root), "stats", "--json"]) == 0
        quick_out = capfd.readouterr()
        assert cli._main(["-d", str(observer_root), "stats", "--json", "--no-cache"]) == 0
        assert quick_out == capfd.readouterr()
        _age(observer_root)
        assert cli.main(["-d", str(observer_root), "stats", "--json"]) == 0
        assert capfd.readouterr() == quick_out
