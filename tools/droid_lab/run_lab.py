"""Run the real `droid` binary through scenarios against the mock model server and
vendor what it writes as tests/fixtures/real-droid/ (sessions + ground-truth.json).

    npm install --prefix /tmp/droid-bin @factory/cli-linux-x64
    python3 tools/droid_lab/run_lab.py --droid /tmp/droid-bin/node_modules/@factory/cli-linux-x64/bin/droid

Everything runs with HOME set to a temporary folder and every model call goes to the
mock on 127.0.0.1 (BYOK custom models, one per protocol). The ground truth is what
the mock billed (its log) and what the driver did (prompts typed, cwds, forks,
sub-agents), not what droid wrote: the tests compare fdash with it, and the checks
at the end compare droid's own files with it (the evidence in docs/FORMAT.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mock_server  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
MODELS = {  # custom model id droid derives from displayName → (provider, base path)
    "anthropic": ("Lab Claude", "anthropic", ""),
    "openai": ("Lab Responses", "openai", "/v1"),
    "chat": ("Lab Chat", "generic-chat-completion-api", "/v1"),
}
WORKER = """---
name: lab-worker
description: >-
  Counts things for the lab (a sub-agent the Task tool starts).
model: inherit
---
# Lab worker

Answer briefly.
"""
THINKING = (
    "The user wants a short greeting. I should consider the context, check whether any "
    "tool is needed (it is not), and answer in one short sentence without extra detail. "
) * 3


class Lab:
    def __init__(self, droid: str, work: Path):
        self.droid = droid
        self.work = work
        self.home = work / "home"
        self.server = mock_server.serve(0)
        self.port = self.server.server_address[1]
        self.sessions: dict[str, dict] = {}  # id → ground truth
        self.findings: list[str] = []
        shutil.rmtree(work, ignore_errors=True)
        (self.home / ".factory" / "droids").mkdir(parents=True)
        settings = {
            "customModels": [
                {"model": f"mock-{key}", "displayName": name, "baseUrl": f"http://127.0.0.1:{self.port}{path}",
                 "apiKey": "lab-key", "provider": provider, "maxOutputTokens": 4096}
                for key, (name, provider, path) in MODELS.items()
            ],
        }
        (self.home / ".factory" / "settings.json").write_text(json.dumps(settings, indent=1))
        (self.home / ".factory" / "droids" / "lab-worker.md").write_text(WORKER)

    def model(self, protocol: str) -> str:
        """The id droid gives a custom model: its displayName, spaces as `-`, then `-<n>`
        (n counts models of the same name; 0 here)."""
        return "custom:" + MODELS[protocol][0].replace(" ", "-") + "-0"

    def _post(self, path: str, doc: object) -> None:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", json.dumps(doc).encode(),
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            reply.read()

    def _log(self) -> list[dict]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_lab/log", timeout=10) as reply:
            return json.loads(reply.read())

    def run(self, prompt: str, protocol: str, cwd: str, plan: list[dict], *extra: str,
            skip_permissions: bool = False, cwd_arg: str | None = None, airgap: bool = False,
            extra_env: dict | None = None) -> tuple[dict, list[dict]]:
        """One `droid exec`; returns (its JSON result, the model calls the mock served)."""
        self._post("/_lab/reset", {})
        self._post("/_lab/plan", plan)
        os.makedirs(cwd, exist_ok=True)
        argv = [self.droid, "exec", "-o", "json", "-m", self.model(protocol)]
        argv += ["--skip-permissions-unsafe"] if skip_permissions else ["--auto", "low"]
        if cwd_arg is not None:
            argv += ["--cwd", cwd_arg]
        argv += [*extra, prompt]
        env = {"HOME": str(self.home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NO_COLOR": "1",
               "TERM": "dumb", "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
               # Factory's API is the mock too: `-s`/`--fork` look the session up there first
               # (a 404 means "local only"); nothing leaves the machine
               "FACTORY_API_BASE_URL": f"http://127.0.0.1:{self.port}"}
        if airgap:
            env["FACTORY_AIRGAP_ENABLED"] = "true"
        env.update(extra_env or {})
        started = time.time()
        self.last_started = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(started)) + f".{int(started * 1000) % 1000:03d}Z"
        done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
        result = {}
        for line in reversed(done.stdout.splitlines()):
            try:
                result = json.loads(line)
                break
            except ValueError:
                continue
        result["_rc"] = done.returncode
        result["_seconds"] = round(time.time() - started, 1)
        if done.returncode != 0:
            result["_stderr"] = done.stderr[-400:]
        time.sleep(0.3)  # droid writes settings asynchronously
        return result, self._log()

    def truth(self, sid: str, **facts) -> dict:
        entry = self.sessions.setdefault(sid, {"id": sid, "calls": [], "prompts": 0, "started_after": self.last_started})
        for key, value in facts.items():
            if key == "calls":
                entry["calls"] += value
            elif key == "prompts":
                entry["prompts"] += value
            else:
                entry[key] = value
        return entry


def _calls(log: list[dict]) -> list[dict]:
    return [{"protocol": c["protocol"], "usage": c["usage"], "stream": c["stream"],
             "fail": c["step"].get("fail"), "thinking_chars": len(c["step"].get("thinking") or "")} for c in log]


def usage(input: int, output: int, cache_read: int = 0, cache_write: int = 0, reasoning: int = 0) -> dict:  # noqa: A002
    return {"input": input, "output": output, "cache_read": cache_read, "cache_write": cache_write,
            "reasoning": reasoning}


def scenarios(lab: Lab) -> None:
    w = lab.work / "w"
    plain, spaced, dotted = str(w / "plain"), str(w / "my project"), str(w / "my-app.v2")

    # one turn per protocol, with thinking / reasoning and cache read + write
    for protocol, u in (
        ("anthropic", usage(1200, 300, 5000, 800)),
        ("openai", usage(900, 250, 3000, 500, reasoning=180)),
        ("chat", usage(700, 200, 2000, 400, reasoning=120)),
    ):
        result, log = lab.run(f"say hello ({protocol})", protocol, plain,
                              [{"text": "Hello!", "thinking": THINKING, "usage": u}])
        lab.truth(result["session_id"], case=f"one-turn-{protocol}", cwd=plain, protocols=[protocol],
                  models=[lab.model(protocol)], title=f"say hello ({protocol})", calls=_calls(log), prompts=1)

    # multi-turn (-s) in a folder with a space, then a fork of it
    result, log = lab.run("first question", "anthropic", spaced,
                          [{"text": "First answer.", "usage": usage(400, 50, 0, 1500)}])
    multi = result["session_id"]
    lab.truth(multi, case="multi-turn", cwd=spaced, protocols=["anthropic"], models=[lab.model("anthropic")],
              title="first question", calls=_calls(log), prompts=1)
    _, log = lab.run("second question", "anthropic", spaced,
                     [{"text": "Second answer.", "usage": usage(150, 60, 1500, 200)}], "-s", multi)
    lab.truth(multi, calls=_calls(log), prompts=1)
    result, log = lab.run("forked question", "anthropic", spaced,
                          [{"text": "Forked answer.", "usage": usage(120, 40, 1700, 90)}], "--fork", multi)
    lab.truth(result["session_id"], case="fork", cwd=spaced, protocols=["anthropic"], title="first question",
              models=[lab.model("anthropic")], fork_of=multi, calls=_calls(log), prompts=1)

    # tool calls, in a folder with a hyphen and a dot
    os.makedirs(dotted, exist_ok=True)
    Path(dotted, "notes.txt").write_text("three little lines\nof lab text\nend\n")
    result, log = lab.run("read notes.txt", "anthropic", dotted, [
        {"tool": {"name": "Read", "input": {"file_path": f"{dotted}/notes.txt"}}, "usage": usage(600, 45, 0, 900)},
        {"tool": {"name": "LS", "input": {"directory_path": dotted}}, "usage": usage(80, 30, 900, 60)},
        {"text": "It has three lines.", "usage": usage(70, 25, 960, 40)},
    ])
    lab.truth(result["session_id"], case="tool-calls", cwd=dotted, protocols=["anthropic"],
              models=[lab.model("anthropic")], title="read notes.txt", calls=_calls(log), prompts=1)

    # a sub-agent through the Task tool (its model calls told apart by the handoff text;
    # droid runs sub-agents through its daemon, which needs a user: airgap mode gives one)
    task = {"subagent_type": "lab-worker", "description": "count lab files", "prompt": "Count the files here."}
    result, log = lab.run("delegate a count", "anthropic", dotted, [
        {"match": "# Task Tool Invocation", "lane": "child", "text": "There is 1 file.",
         "usage": usage(300, 20, 0, 0)},
        {"match": "delegate a count", "tool": {"name": "Task", "input": task}, "usage": usage(500, 70, 0, 700)},
        {"match": "delegate a count", "text": "Waiting for the worker.", "usage": usage(90, 15, 700, 30)},
        {"match": "delegate a count", "text": "The worker counted 1 file.", "usage": usage(95, 12, 730, 20)},
    ], skip_permissions=True, airgap=True)
    parent_calls = [c for c in log if c["step"].get("lane") != "child"]
    child_calls = [c for c in log if c["step"].get("lane") == "child"]
    lab.truth(result["session_id"], case="subagent-parent", cwd=dotted, protocols=["anthropic"],
              models=[lab.model("anthropic")], title="delegate a count", calls=_calls(parent_calls), prompts=1,
              subagent_calls=_calls(child_calls))

    # failed calls: a 500 and a 429 (droid retries), then a success
    result, log = lab.run("survive failures", "anthropic", plain, [
        {"fail": 500, "usage": usage(999, 999)},
        {"fail": 429, "usage": usage(888, 888)},
        {"text": "Survived.", "usage": usage(210, 33, 0, 0)},
    ])
    lab.truth(result["session_id"], case="failed-calls", cwd=plain, protocols=["anthropic"],
              models=[lab.model("anthropic")], title="survive failures", calls=_calls(log), prompts=1,
              droid_result=result.get("subtype"))
    # a stream cut half way (after message_start, which carries the input count)
    result, log = lab.run("cut me off", "anthropic", plain, [
        {"fail": "cut", "text": "This stream is cut half way through.", "usage": usage(777, 77)},
        {"text": "Recovered.", "usage": usage(120, 12)},
    ])
    lab.truth(result["session_id"], case="cut-stream", cwd=plain, protocols=["anthropic"],
              models=[lab.model("anthropic")], title="cut me off", calls=_calls(log), prompts=1,
              droid_result=result.get("subtype"))

    # a model switch mid-session (anthropic, then the Responses protocol)
    result, log = lab.run("before the switch", "anthropic", plain,
                          [{"text": "Claude here.", "usage": usage(300, 30, 0, 500)}])
    switched = result["session_id"]
    lab.truth(switched, case="model-switch", cwd=plain, protocols=["anthropic", "openai"],
              models=[lab.model("anthropic"), lab.model("openai")], title="before the switch",
              calls=_calls(log), prompts=1)
    _, log = lab.run("after the switch", "openai", plain,
                     [{"text": "GPT here.", "usage": usage(200, 40, 500, 0, reasoning=10)}], "-s", switched)
    lab.truth(switched, calls=_calls(log), prompts=1)
    # resumed from another folder (--cwd): where does droid say it is now?
    _, log = lab.run("now from elsewhere", "openai", dotted,
                     [{"text": "Moved.", "usage": usage(50, 5)}], "-s", switched)
    lab.truth(switched, calls=_calls(log), prompts=1, moved_to=dotted)

    # the same folder spelled differently (--cwd with a double and a trailing slash)
    odd = plain.replace("/w/plain", "/w//plain/")
    result, log = lab.run("odd spelling", "chat", plain, [{"text": "Same folder.", "usage": usage(100, 10)}],
                          cwd_arg=odd)
    lab.truth(result["session_id"], case="cwd-spelling", cwd=odd, real_cwd=plain, protocols=["chat"],
              models=[lab.model("chat")], title="odd spelling", calls=_calls(log), prompts=1)


def home_override(lab: Lab) -> None:
    """Where sessions go under FACTORY_HOME_OVERRIDE (a fact for docs/FORMAT.md; not vendored)."""
    override = lab.work / "override-home"
    override.mkdir(parents=True, exist_ok=True)
    shutil.copytree(lab.home / ".factory", override / ".factory", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("sessions"))
    result, _ = lab.run("where do I go", "chat", str(lab.work / "w" / "plain"), [{"text": "Here."}],
                        extra_env={"FACTORY_HOME_OVERRIDE": str(override)})
    sid = result.get("session_id", "?")
    under_override = list((override / ".factory" / "sessions").rglob(f"{sid}.jsonl"))
    under_home = list((lab.home / ".factory" / "sessions").rglob(f"{sid}.jsonl"))
    lab.findings.append(
        f"FACTORY_HOME_OVERRIDE={override}: session written under "
        + (f"$FACTORY_HOME_OVERRIDE/.factory/sessions/{under_override[0].parent.name}" if under_override
           else "HOME" if under_home else "nowhere found")
    )
    shutil.rmtree(override, ignore_errors=True)


def collect(lab: Lab, out: Path, version: str) -> None:
    sessions_root = lab.home / ".factory" / "sessions"
    target = out / "sessions"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(sessions_root, target)
    found = {p.name.split(".")[0]: p for p in target.rglob("*.jsonl")}
    for sid, entry in list(lab.sessions.items()):
        entry["folder"] = found[sid].parent.name if sid in found else None
    # sub-agent sessions the driver did not start itself
    for sid, path in found.items():
        if sid in lab.sessions:
            continue
        first = json.loads(path.read_text().split("\n", 1)[0])
        parent = first.get("callingSessionId")
        parent_entry = lab.sessions.get(parent or "")
        lab.sessions[sid] = {
            "id": sid, "case": "subagent", "folder": path.parent.name, "cwd": first.get("cwd"),
            "title": "Lab-worker: count lab files", "started_after": parent_entry["started_after"] if parent_entry else None,
            "protocols": ["anthropic"], "models": parent_entry["models"] if parent_entry else [],
            "subagent_of": parent, "calls": parent_entry.pop("subagent_calls", []) if parent_entry else [],
            "prompts": 0,
        }
        if parent_entry is not None:
            parent_entry.setdefault("children", []).append(sid)
    for entry in lab.sessions.values():
        entry.pop("subagent_calls", None)
        entry["project"] = os.path.normpath(entry["cwd"])
        entry["expected_tokens"] = expected_tokens(entry["calls"])
        check(lab, entry, target)
    doc = {
        "droid_version": version,
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "how": "tools/droid_lab/run_lab.py: the real droid binary against tools/droid_lab/mock_server.py",
        "token_rule": "expected_tokens = sum over successful calls (fail is null; an Anthropic stream cut "
        "after message_start counts its input side) of the mock's usage: "
        "inputTokens = prompt tokens net of cache reads and writes, outputTokens = the provider's output "
        "count (reasoning included), cacheReadTokens, cacheCreationTokens (anthropic only)",
        "findings": lab.findings,
        "sessions": sorted(lab.sessions.values(), key=lambda e: (e["case"], e["id"])),
    }
    (out / "ground-truth.json").write_text(json.dumps(doc, indent=1) + "\n")


def expected_tokens(calls: list[dict]) -> dict:
    total = {"inputTokens": 0, "outputTokens": 0, "cacheReadTokens": 0, "cacheCreationTokens": 0}
    for call in calls:
        anthropic = call["protocol"] == "anthropic"
        if call["fail"] == "cut" and anthropic:  # message_start (input side) arrived, the rest did not
            u = {**call["usage"], "output": 0}
        elif call["fail"]:
            continue
        else:
            u = call["usage"]
        # OpenAI's protocols have no cache write: the prompt minus cached tokens is input
        total["inputTokens"] += u["input"] + (0 if anthropic else u["cache_write"])
        total["outputTokens"] += u["output"]
        total["cacheReadTokens"] += u["cache_read"]
        total["cacheCreationTokens"] += u["cache_write"] if anthropic else 0
    return total


def check(lab: Lab, entry: dict, target: Path) -> None:
    """Compare droid's own record with the mock's bill; differences become findings."""
    settings = next(target.rglob(f"{entry['id']}.settings.json"), None)
    if settings is None:
        lab.findings.append(f"{entry['case']} {entry['id']}: no settings file")
        return
    recorded = json.loads(settings.read_text()).get("tokenUsage") or {}
    entry["droid_token_usage"] = recorded
    for key, value in entry["expected_tokens"].items():
        if recorded.get(key) != value:
            lab.findings.append(f"{entry['case']}: tokenUsage.{key} = {recorded.get(key)}, mock billed {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--droid", required=True, help="the droid binary (from @factory/cli-linux-x64)")
    parser.add_argument("--work", default="/tmp/droid-lab", help="scratch folder (HOME and cwds), removed first")
    parser.add_argument("--out", default=str(REPO / "tests" / "fixtures" / "real-droid"))
    args = parser.parse_args(argv)
    version = subprocess.run([args.droid, "--version"], capture_output=True, text=True, check=True,
                             env={"HOME": "/tmp", "PATH": os.environ.get("PATH", "")}).stdout.strip()
    lab = Lab(args.droid, Path(args.work))
    scenarios(lab)
    home_override(lab)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    collect(lab, out, version)
    print(f"droid {version}: {len(lab.sessions)} sessions in {out}; {len(lab.findings)} finding(s)")
    for finding in lab.findings:
        print("  " + finding)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
