"""The real droid's `/compress` (manual compaction), which only its full-screen app
offers: driven in tmux against the mock, vendored as tests/fixtures/real-droid-compaction/.

    python3 tools/droid_lab/compaction.py --droid /tmp/droid-bin/node_modules/@factory/cli-linux-x64/bin/droid

One prompt (droid's app also asks the model for a title: a second call), `/compress`
(one call for the summary; droid starts a new session whose `parent` is the old one and
whose `tokenUsage` starts at the old one's totals), one prompt in the new session. The
ground truth is each session's own calls. droid runs with a clean environment (only
HOME, PATH, TERM and the lab's variables), as in run_lab.py.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import time
from pathlib import Path

import run_lab

OUT = run_lab.REPO / "tests" / "fixtures" / "real-droid-compaction"
TMUX = "droid-lab-compaction"


def _keys(*keys: str, wait: float = 1.0) -> None:
    subprocess.run(["tmux", "send-keys", "-t", TMUX, *keys], check=True)
    time.sleep(wait)


def _screen() -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", TMUX], capture_output=True, text=True).stdout


def _wait_for(text: str, seconds: float = 30) -> None:
    end = time.time() + seconds
    while time.time() < end:
        if text in _screen():
            return
        time.sleep(0.5)
    raise SystemExit(f"droid's screen never showed {text!r}:\n{_screen()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--droid", required=True)
    parser.add_argument("--work", default="/tmp/droid-lab-compaction")
    args = parser.parse_args(argv)
    lab = run_lab.Lab(args.droid, Path(args.work))
    cwd = Path(args.work) / "w" / "compact"
    cwd.mkdir(parents=True)
    env = [f"HOME={lab.home}", "PATH=/usr/bin:/bin", "TERM=xterm-256color", "NO_PROXY=127.0.0.1",
           f"FACTORY_API_BASE_URL=http://127.0.0.1:{lab.port}", "FACTORY_AIRGAP_ENABLED=true"]
    subprocess.run(["tmux", "kill-session", "-t", TMUX], capture_output=True)
    subprocess.run(["tmux", "new-session", "-d", "-s", TMUX, "-x", "160", "-y", "45", "-c", str(cwd),
                    "env", "-i", *env, args.droid, "--auto", "low"], check=True)  # (its only model: Lab Claude)
    calls: dict[str, list] = {"parent": [], "child": []}
    try:
        _wait_for("Trust this folder")
        _keys("Enter", wait=3)
        lab._post("/_lab/reset", {})
        lab._post("/_lab/plan", [
            {"text": "Hello title", "usage": run_lab.usage(3000, 200)},
            {"text": "First answer before compaction.", "usage": run_lab.usage(5000, 400, 0, 1000)},
        ])
        _keys("hello before compaction")
        _keys("Enter", wait=6)
        lab._post("/_lab/plan", [{"text": "## Summary\nThe user said hello.", "usage": run_lab.usage(2500, 150)}])
        _keys("/compress")
        _keys("Escape")  # close the command menu, keep the text
        _keys("Enter", wait=2)
        _wait_for("Confirm /compress")
        _keys("Enter", wait=8)
        calls["parent"] = run_lab._calls(lab._log())
        lab._post("/_lab/reset", {})
        lab._post("/_lab/plan", [
            {"text": "After compaction.", "usage": run_lab.usage(700, 50, 0, 300)},
            {"text": "After title", "usage": run_lab.usage(90, 9)},
        ])
        _keys("after compaction")
        _keys("Enter", wait=8)
        calls["child"] = run_lab._calls(lab._log())
        _keys("C-c", wait=1)
        _keys("C-c", wait=2)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", TMUX], capture_output=True)
    target = OUT / "sessions"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(lab.home / ".factory" / "sessions", target)
    sessions = []
    for path in sorted(target.rglob("*.jsonl")):
        first = json.loads(path.read_text().split("\n", 1)[0])
        role = "child" if first.get("parent") else "parent"
        settings = json.loads(path.with_name(path.name[:-6] + ".settings.json").read_text())
        sessions.append({"id": first["id"], "case": f"compaction-{role}", "parent": first.get("parent"),
                         "calls": calls[role], "own_tokens": run_lab.expected_tokens(calls[role]),
                         "droid_token_usage": settings.get("tokenUsage")})
    doc = {"droid_version": subprocess.run([args.droid, "--version"], capture_output=True, text=True,
                                           env={"HOME": "/tmp", "PATH": "/usr/bin:/bin"}).stdout.strip(),
           "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "how": "tools/droid_lab/compaction.py: droid's app in tmux, /compress, against the mock",
           "sessions": sessions}
    (OUT / "ground-truth.json").write_text(json.dumps(doc, indent=1) + "\n")
    for s in sessions:
        print(s["case"], s["id"], "own", s["own_tokens"], "droid", s["droid_token_usage"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
