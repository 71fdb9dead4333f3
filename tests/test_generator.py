"""Tests for tools/generate_sessions.py (the deterministic Droid session generator).

The generator's manifest is the ground truth other tests rely on, so besides
determinism these tests re-read the generated files with a small, independent
implementation of the prompt rule from docs/FORMAT.md and compare.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from .conftest import load_generator

TOOL = Path(__file__).resolve().parents[1] / "tools" / "generate_sessions.py"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
REMINDER_RE = re.compile(r"<system-reminder>.*?</system-reminder>", re.DOTALL)
TOKEN_KINDS = (
    "inputTokens",
    "outputTokens",
    "cacheCreationTokens",
    "cacheReadTokens",
    "thinkingTokens",
)


gen = load_generator()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A small hostile corpus: (root, manifest)."""
    root = tmp_path_factory.mktemp("a") / "sessions"
    manifest = gen.generate(root, sessions=120, seed=7, hostile=True, avg_kb=7)
    return root, manifest


@pytest.fixture(scope="module")
def sized(tmp_path_factory):
    """200 sessions: enough for one 1 MB+ line."""
    root = tmp_path_factory.mktemp("sized") / "sessions"
    return root, gen.generate(root, sessions=200, seed=3, avg_kb=20)


def snapshot(root: Path) -> dict[str, object]:
    """Every entry under root: file bytes + mtime, symlink targets, directories."""
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):  # does not follow symlinks
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = ("dir",)
            else:
                out[rel] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


def is_prompt(rec: dict) -> bool:
    """FORMAT.md's user-prompt rule, written independently of the generator."""
    msg = rec.get("message")
    if rec.get("type") != "message" or not isinstance(msg, dict) or msg.get("role") != "user":
        return False
    if msg.get("visibility") in ("llm_only", "user_only") or rec.get("visibility") in (
        "llm_only",
        "user_only",
    ):
        return False
    if str(rec.get("id", "")).startswith(("context-", "task-completion:")):
        return False
    content = msg.get("content")
    texts = [
        REMINDER_RE.sub("", b["text"]).strip()
        for b in (content if isinstance(content, list) else [])
        if isinstance(b, dict) and b.get("type") == "text" and isinstance(b.get("text"), str)
    ]
    texts = [t for t in texts if t]
    return bool(texts) and not texts[0].startswith("# Task Tool Invocation")  # a handoff is droid's


def prompt_text(rec: dict) -> str:
    texts = [
        REMINDER_RE.sub("", b["text"]).strip()
        for b in rec["message"]["content"]
        if isinstance(b, dict) and b.get("type") == "text"
    ]
    return next(t for t in texts if t)


def read_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def normal_files(root: Path, manifest: dict) -> list[Path]:
    return [root / f for e in manifest["sessions"].values() for f in e["files"]]


# ---------------------------------------------------------------------------


def test_same_seed_same_bytes(tmp_path):
    a, b = tmp_path / "one", tmp_path / "two"
    gen.generate(a, sessions=40, seed=11, hostile=True, avg_kb=6)
    gen.generate(b, sessions=40, seed=11, hostile=True, avg_kb=6)
    snap_a, snap_b = snapshot(a), snapshot(b)
    assert snap_a.keys() == snap_b.keys()
    assert snap_a == snap_b


def test_other_seed_differs(tmp_path):
    m1 = gen.generate(tmp_path / "s1", sessions=20, seed=1, avg_kb=5)
    m2 = gen.generate(tmp_path / "s2", sessions=20, seed=2, avg_kb=5)
    assert set(m1["sessions"]).isdisjoint(m2["sessions"])


def test_hostile_does_not_change_normal_sessions(tmp_path, corpus):
    root, manifest = corpus
    plain = tmp_path / "plain"
    plain_manifest = gen.generate(plain, sessions=120, seed=7, hostile=False, avg_kb=7)
    assert plain_manifest["sessions"] == manifest["sessions"]
    for f in normal_files(root, manifest):
        assert (plain / f.relative_to(root)).read_bytes() == f.read_bytes()


def test_layouts_and_duplicates(corpus):
    root, manifest = corpus
    sessions = manifest["sessions"]
    layouts = {e["layout"] for e in sessions.values()}
    assert layouts == {"project", "flat", "both"}
    for sid, e in sessions.items():
        if e["layout"] == "both" and e["has_transcript"]:
            flat, project = root / f"{sid}.jsonl", root / e["folder"] / f"{sid}.jsonl"
            assert flat.read_bytes() == project.read_bytes()
            assert flat.stat().st_mtime < project.stat().st_mtime
        elif e["layout"] == "flat":
            assert all("/" not in f for f in e["files"])
        else:
            assert all(f.startswith(e["folder"] + "/") for f in e["files"])


def test_colliding_folder_holds_two_projects(corpus):
    root, manifest = corpus
    folder = root / "-home-ana-projects-my-app"
    cwds = set()
    for path in folder.glob("*.jsonl"):
        first = read_records(path)[0]
        if first.get("type") == "session_start":
            cwds.add(first["cwd"])
    assert cwds == {"/home/ana/projects/my-app", "/home/ana/projects/my/app"}
    groups = {p["cwd"]: p["group"] for p in manifest["projects"]}
    assert groups["/home/ana/projects/my/app"] == "my"
    assert groups["/home/ana/projects/my-app"] == "projects"


def test_encode_cwd():
    assert gen.encode_cwd("/home/ana/projects/my-app") == "-home-ana-projects-my-app"
    assert gen.encode_cwd("/home/ana/projects/my/app") == "-home-ana-projects-my-app"
    assert gen.encode_cwd("C:\\Users\\auzy_\\copilot-smoke") == "-C-Users-auzy_-copilot-smoke"


def test_manifest_totals_match_entries(corpus):
    _, manifest = corpus
    sessions, totals = manifest["sessions"], manifest["totals"]
    assert totals["sessions"] == len(sessions) == manifest["params"]["sessions"]
    for kind in TOKEN_KINDS:
        assert totals["tokens"][kind] == sum(
            (e["tokens"] or {}).get(kind, 0) for e in sessions.values()
        )
    assert totals["user_prompts"] == sum(e["user_prompts"] for e in sessions.values())
    assert totals["messages"] == sum(e["message_count"] for e in sessions.values())
    assert totals["favorites"] == sum(e["favorite"] for e in sessions.values())
    assert totals["empty"] == sum(e["empty"] for e in sessions.values())
    assert sum(totals["layouts"].values()) == len(sessions)
    assert totals["tokens"]["cacheReadTokens"] > totals["tokens"]["inputTokens"]
    for e in sessions.values():
        assert e["user_prompts"] == len(e["prompt_texts"])
        assert e["empty"] == (e["user_prompts"] == 0 and e["kind"] != "subagent")
        if e["has_transcript"] and e["first_ts"]:
            assert e["first_ts"] <= e["last_ts"]


def test_transcripts_match_manifest(corpus):
    """Re-parse every normal transcript and check the manifest's numbers."""
    root, manifest = corpus
    for sid, e in manifest["sessions"].items():
        jsonl = [f for f in e["files"] if f.endswith(".jsonl")]
        assert bool(jsonl) == e["has_transcript"]
        if not jsonl:
            continue
        records = read_records(root / jsonl[0])  # every line must be valid JSON
        start = records[0]
        assert start["type"] == "session_start" and start["id"] == sid and start["version"] == 2
        assert start["cwd"] == e["cwd"]
        # droid's own list shows title; an older sessionTitle only for an empty title or a
        # sub-agent's handoff, never "New Session"
        better = start.get("sessionTitle") not in (None, "", "New Session") and (
            not start["title"].strip() or start["title"].startswith("# Task Tool Invocation"))
        assert (start["sessionTitle"] if better else start["title"]) == e["title"]
        assert start.get("parent") == e["parent"]
        prompts = [prompt_text(r) for r in records if is_prompt(r)]
        assert [p[:200] for p in prompts] == e["prompt_texts"]
        messages = [r for r in records if r["type"] == "message"]
        if start.get("forkedAtMessageId"):  # a fork's copy of its parent, up to that message, is not its own
            cut = next(i for i, r in enumerate(messages) if r["id"] == start["forkedAtMessageId"])
            messages = messages[cut + 1 :]
        assert len(messages) == e["message_count"]
        own = {id(r) for r in messages}  # (a fork's copied records are not its own time)
        stamps = [r["timestamp"] for r in records if "timestamp" in r and (r["type"] != "message" or id(r) in own)]
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", t) for t in stamps)
        assert stamps == sorted(stamps)
        if stamps:
            assert (stamps[0], stamps[-1]) == (e["first_ts"], e["last_ts"])
        for r in messages:
            if r["id"].startswith("context-"):
                assert r["message"]["visibility"] == "llm_only"
            if r["message"]["role"] == "assistant":
                assert "modelId" in r["message"]


def test_settings_match_manifest(corpus):
    root, manifest = corpus
    by_id = manifest["sessions"]
    for e in by_id.values():
        files = [f for f in e["files"] if f.endswith(".settings.json")]
        assert bool(files) == e["has_settings"]
        for f in files:
            settings = json.loads((root / f).read_text(encoding="utf-8"))
            assert isinstance(settings, dict)
            usage = settings["tokenUsage"]
            assert {k: usage[k] for k in TOKEN_KINDS} == e["tokens"]
            assert usage["factoryCredits"] == e["factory_credits"]
            assert settings["model"] == e["model"]
            inclusive = settings["inclusiveTokenUsage"]
            children = settings["childInclusiveTokenUsageBySessionId"]
            assert sorted(children) == sorted(e["children"])
            for kind in TOKEN_KINDS:
                assert inclusive[kind] == usage[kind] + sum(c[kind] for c in children.values())
            for child in children:  # children are sessions of their own
                assert by_id[child]["kind"] == "subagent"
            if settings["model"] == "auto" and "effectiveFactoryRouterModel" in settings:
                router = settings["effectiveFactoryRouterModel"]
                assert e["resolved_model"] == (
                    router if isinstance(router, str) else router["modelId"]
                )
            bak = root / (f + ".bak")
            if bak.exists():
                old = json.loads(bak.read_text(encoding="utf-8"))["tokenUsage"]
                assert all(old[k] <= usage[k] for k in TOKEN_KINDS)


def test_variety(corpus):
    _, manifest = corpus
    sessions = manifest["sessions"].values()
    kinds = {e["kind"] for e in sessions}
    assert {"normal", "empty", "subagent", "fork"} <= kinds
    assert any(e["title"] and e["title"].startswith("# Task Tool Invocation") for e in sessions)
    assert any(e["resolved_model"] and e["model"] == "auto" for e in sessions)
    assert any(e["model"] and e["model"].startswith("custom:") for e in sessions)
    assert any(e["has_transcript"] and not e["has_settings"] for e in sessions)
    assert any(e["has_bak"] for e in sessions)
    assert any(e["children"] for e in sessions)
    assert any(any(ord(ch) > 0x2000 for ch in (e["title"] or "")) for e in sessions)
    assert manifest["totals"]["projects"] >= 6


def test_favorites_file(corpus):
    root, manifest = corpus
    ids = json.loads((root / ".favorites").read_text())
    assert ids == manifest["favorites"]
    unknown = [i for i in ids if i not in manifest["sessions"]]
    assert len(unknown) == 1
    assert sorted(i for i in ids if i in manifest["sessions"]) == sorted(
        sid for sid, e in manifest["sessions"].items() if e["favorite"]
    )


def test_strays_are_not_session_names(corpus):
    root, manifest = corpus
    for rel in manifest["stray_files"]:
        assert (root / rel).exists()
        name = rel.rstrip("/").rsplit("/", 1)[-1]
        assert not UUID_RE.match(name.split(".")[0]) or name.endswith(".bak")


def test_hostile_cases_present(corpus):
    root, manifest = corpus
    cases = {h["case"] for h in manifest["hostile"]}
    expected = {
        "truncated_last_line",
        "invalid_json_line_middle",
        "invalid_utf8_in_text",
        "zero_byte_transcript",
        "no_session_start",
        "settings_invalid_json",
        "settings_token_strings",
        "settings_token_negative",
        "settings_token_null",
        "settings_token_float",
        "settings_token_huge",
        "settings_is_array",
        "orphan_settings",
        "transcript_without_settings",
        "non_uuid_name",
        "directory_named_like_session",
        "symlink_loop",
        "symlink_outside",
    }
    assert expected <= cases
    assert "huge_line" not in cases and "favorites_invalid_json" not in cases
    for h in manifest["hostile"]:
        path = root / h["path"]
        assert path.exists() or path.is_symlink(), h
        assert h["session_id"] not in manifest["sessions"]


def test_hostile_files_are_broken_as_described(corpus):
    root, manifest = corpus
    by_case: dict[str, list[dict]] = {}
    for h in manifest["hostile"]:
        by_case.setdefault(h["case"], []).append(h)

    def path(case):
        return root / by_case[case][0]["path"]

    truncated = path("truncated_last_line").read_bytes()
    assert not truncated.endswith(b"\n")
    with pytest.raises(json.JSONDecodeError):
        json.loads(truncated.decode().splitlines()[-1])
    good = [json.loads(line) for line in truncated.decode().splitlines()[:-1]]
    assert sum(map(is_prompt, good)) == by_case["truncated_last_line"][0]["expect"]["user_prompts"]

    with pytest.raises(UnicodeDecodeError):
        path("invalid_utf8_in_text").read_bytes().decode("utf-8")
    assert path("zero_byte_transcript").stat().st_size == 0
    assert json.loads(path("no_session_start").read_text().splitlines()[0])["type"] == "message"
    with pytest.raises(json.JSONDecodeError):
        json.loads(path("settings_invalid_json").read_text())
    assert isinstance(json.loads(path("settings_is_array").read_text()), list)
    assert json.loads(path("settings_token_huge").read_text())["tokenUsage"]["inputTokens"] == 1e30
    assert isinstance(
        json.loads(path("settings_token_strings").read_text())["tokenUsage"]["inputTokens"], str
    )
    assert path("directory_named_like_session").is_dir()
    loop = root / "loop-to-root"
    assert loop.is_symlink() and loop.resolve() == root.resolve()
    outside = root / "-mnt-external"
    assert outside.is_symlink() and not outside.resolve().is_relative_to(root.resolve())
    with pytest.raises(RecursionError):
        for line in path("deep_nesting_line").read_text().splitlines():
            json.loads(line)


def test_hostile_extras(tmp_path):
    root = tmp_path / "s"
    manifest = gen.generate(
        root, sessions=8, seed=5, avg_kb=5, hostile=True, hostile_favorites=True
    )
    with pytest.raises(json.JSONDecodeError):
        json.loads((root / ".favorites").read_text())
    assert not any(e["favorite"] for e in manifest["sessions"].values())
    assert "favorites_invalid_json" in {h["case"] for h in manifest["hostile"]}


@pytest.mark.slow
def test_sizes_and_huge_line(sized):
    root, manifest = sized
    totals = manifest["totals"]
    avg_kb = totals["transcript_bytes"] / 1024 / totals["with_transcript"]
    assert 0.75 * 20 <= avg_kb <= 1.25 * 20
    assert totals["transcript_bytes"] == sum(
        (root / f).stat().st_size
        for e in manifest["sessions"].values()
        for f in e["files"][:1]
        if f.endswith(".jsonl")
    )
    longest = max(
        len(line)
        for f in root.rglob("*.jsonl")
        if not f.is_symlink()
        for line in f.read_bytes().splitlines()
    )
    assert longest >= 1024 * 1024


def test_timestamps_inside_window(sized):
    root, manifest = sized
    now = manifest["params"]["now"]
    firsts = sorted(e["first_ts"] for e in manifest["sessions"].values() if e["first_ts"])
    assert firsts[-1] < now
    assert firsts[0] >= "2026-07-22"  # 120 days before 2026-11-20
    # some transcript's records fall on two days (a session past midnight, or a fork holding
    # its parent's older record, which is not the fork's own time)
    days = [
        {m.group(1) for m in re.finditer(r'"timestamp":"(\d{4}-\d\d-\d\d)T', (root / f).read_text(encoding="utf-8"))}
        for e in manifest["sessions"].values() for f in e["files"] if f.endswith(".jsonl")
    ]
    assert any(len(d) > 1 for d in days)


def test_cli(tmp_path, capsys):
    out = tmp_path / "cli"
    assert (
        gen.main(
            [
                "--sessions",
                "5",
                "--output",
                str(out),
                "--avg-kb",
                "4",
                "--now",
                "2026-01-02T03:04:05Z",
            ]
        )
        == 0
    )
    manifest = json.loads((out / gen.MANIFEST_NAME).read_text())
    assert manifest["params"]["now"] == "2026-01-02T03:04:05.000Z"
    assert all(
        e["last_ts"] is None or e["last_ts"] < "2026-01-02T03:04:05"
        for e in manifest["sessions"].values()
    )
    assert gen.main(["--sessions", "5", "--output", str(out)]) == 2  # refuses a non-empty directory
    assert "not empty" in capsys.readouterr().err


def test_the_script_runs_from_anywhere(tmp_path):
    """tools/generate_sessions.py finds the package without an install or a current folder."""
    import subprocess

    out = tmp_path / "s"
    result = subprocess.run([sys.executable, "-I", str(TOOL), "--sessions", "3", "--output", str(out)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (out / gen.MANIFEST_NAME).is_file()
