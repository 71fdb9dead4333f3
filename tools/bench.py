#!/usr/bin/env python3
"""Benchmark fdash against a naive reader, ccusage, `cat` and the bare interpreter; write
docs/PERFORMANCE.md.

    python tools/bench.py [--runs 3] [--data DIR] [--quick] [--only heavy] [--write FILE]

Run it with the interpreter fdash runs on (its venv's python): that interpreter's bare
start is the floor every ratio is taken against.

Corpora (generated once with tools/sessiongen, reused while their parameters match):
  heavy  a heavy user's history: 6,000 sessions × ~100 KB (~630 MB)
  many   10,000 small sessions
  huge   30,000 sessions × ~20 KB
Every measure is a separate process, run in interleaved rounds (one of each per round, so
that load on the machine hits every measure alike); tables show the best of the rounds
and the median. Measures:
  cold     `fdash --print stats --json` with an empty cache (no index)
  warm     the same with the index present and nothing changed
  daily / sessions / search / export   those reports, `--json`, warm
  append   after appending one message to one transcript
  add50    after adding 50 new sessions
  app      the full-screen app in a pseudo-terminal, from starting the process to the
           session count on screen (warm)
  naive    tools/naive_stats.py: stdlib json, every line of every file
  ccusage  `ccusage droid daily --json --offline` (when npm can install ccusage)
  cat      `cat` of every transcript (reading the bytes once; `find | xargs cat`)
  python   `python -c pass` with the same interpreter (the floor)
plus peak RSS of cold and warm runs, and the app's key→repaint latency (headless).
Every fdash result is checked against the naive reader's numbers in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CORPORA = {
    "heavy": {"sessions": 6000, "avg_kb": 100, "seed": 1},
    "many": {"sessions": 10000, "avg_kb": 5, "seed": 2},
    "huge": {"sessions": 30000, "avg_kb": 20, "seed": 3},
}
QUICK = {name: dict(p, sessions=p["sessions"] // 10) for name, p in CORPORA.items()}
EXTRA = {"sessions": 50, "avg_kb": 30, "seed": 99}
# ccusage as npm installs it; the newest release may lack the native binary for this
# platform on a registry mirror, then this one (checked to run) is used.
CCUSAGE_FALLBACK = "ccusage@20.0.24"
CCUSAGE_ARGS = ["droid", "daily", "--json", "--offline"]
REPORTS = {  # warm reports besides stats, each `--json`
    "daily": ["daily", "--json"],
    "sessions": ["sessions", "--json"],
    "search": ["search", "tests", "failing", "--json"],
    "export": ["export", "--format", "json"],
}
RSS_MB = 150.0
REPAINT_MS = 50.0


# --------------------------------------------------------------------------- corpora


def ensure_corpus(path: Path, params: dict) -> Path:
    """The corpus at `path`, generated unless one with the same parameters exists."""
    stamp = path / ".bench-params.json"
    if stamp.is_file() and json.loads(stamp.read_text()) == params:
        return path
    shutil.rmtree(path, ignore_errors=True)
    print(f"generating {path.name}: {params}", file=sys.stderr)
    # in a child process: the bench process must stay small, since a child's peak RSS
    # (ru_maxrss) on Linux starts from its parent's size at fork
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "generate_sessions.py"), "--sessions", str(params["sessions"]),
         "--avg-kb", str(params["avg_kb"]), "--seed", str(params["seed"]), "--output", str(path)],
        check=True, stdout=subprocess.DEVNULL,
    )
    stamp.write_text(json.dumps(params))
    return path


def transcripts(root: Path) -> list[str]:
    found = []
    for entry in os.scandir(root):
        if entry.is_dir(follow_symlinks=False):
            found += [e.path for e in os.scandir(entry.path) if e.name.endswith(".jsonl")]
        elif entry.name.endswith(".jsonl"):
            found.append(entry.path)
    return found


# --------------------------------------------------------------------------- running


TIME = "/usr/bin/time"  # GNU time: a small parent, so the peak RSS it reports is the command's own


def run(argv: list[str], env: dict | None = None, stdout=subprocess.PIPE, rss: bool = False) -> tuple[float, float, bytes]:
    """(seconds, peak RSS MB, stdout) of one process. A child's peak RSS (ru_maxrss) on
    Linux starts from its parent's size at fork, and this process grows with the reports
    it checks: with `rss`, the command runs under GNU time, which reports its own."""
    report = None
    if rss and os.access(TIME, os.X_OK):
        report = tempfile.NamedTemporaryFile(prefix="fdash-bench-rss-", delete=False)
        report.close()
        argv = [TIME, "-f", "%M", "-o", report.name, *argv]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL, env=env)
    out = proc.stdout.read() if proc.stdout else b""
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if proc.stdout:
        proc.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    peak = usage.ru_maxrss / 1024
    if report is not None:
        peak = int(Path(report.name).read_text().split()[-1]) / 1024
        os.unlink(report.name)
    return elapsed, peak, out


def app_on_screen(argv: list[str], env: dict, marker: re.Pattern, size=(140, 45), timeout=120.0) -> tuple[float, float, bytes]:
    """Seconds from starting the app in a pseudo-terminal until `marker` is on its screen
    (rendered by pyte, a terminal emulator), then it is quit."""
    import fcntl
    import pty
    import struct
    import termios

    import pyte

    columns, rows = size
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    screen = pyte.Screen(columns, rows)
    stream = pyte.ByteStream(screen)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=dict(env, TERM="xterm-256color"),
                            start_new_session=True)
    os.close(slave)
    seen = None
    try:
        while seen is None and time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                continue
            try:
                data = os.read(master, 1 << 16)
            except OSError:
                break
            if b"\x1b[6n" in data:  # the app asks where the cursor is: answer like a terminal
                os.write(master, b"\x1b[1;1R")
            stream.feed(data)
            if marker.search("\n".join(screen.display)):
                seen = time.perf_counter() - start
        os.write(master, b"q")
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    finally:
        os.close(master)
    if seen is None:
        raise SystemExit(f"the app never showed {marker.pattern!r}: {' '.join(argv)}")
    return seen, 0.0, b""


class Measures:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.rss: dict[str, float] = {}
        self.outputs: dict[str, bytes] = {}
        self.ccusage_agrees: bool | None = None  # its token totals equal the naive reader's

    def add(self, name: str, result: tuple[float, float, bytes]) -> None:
        seconds, rss, out = result
        self.times.setdefault(name, []).append(seconds)
        self.rss[name] = max(self.rss.get(name, 0.0), rss)
        if out:
            self.outputs[name] = out

    def has(self, name: str) -> bool:
        return bool(self.times.get(name))

    def best(self, name: str) -> float:
        return min(self.times[name])

    def median(self, name: str) -> float:
        return statistics.median(self.times[name])


def bench_corpus(root: Path, extra: Path, runs: int, ccusage: list[str] | None, app: bool) -> Measures:
    python = sys.executable
    fdash = [python, "-m", "fdash", "-d", str(root)]
    stats = [*fdash, "--print", "stats", "--json"]
    files = transcripts(root)
    target = max(files, key=os.path.getsize)  # append to a big one: the incremental read matters
    measures = Measures()
    cache = Path(tempfile.mkdtemp(prefix="fdash-bench-cache-"))
    home = Path(tempfile.mkdtemp(prefix="fdash-bench-home-"))  # no user config, no ~/.factory
    base_env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    warm_env = dict(base_env, XDG_CACHE_HOME=str(cache))
    first = json.loads(run(stats, warm_env)[2])  # builds the index
    marker = re.compile(rf"Sessions\s+{first['sessions']:,}\b")
    original = Path(target).read_bytes()
    extra_dir = root / "-bench-added-sessions"
    try:
        for round_no in range(runs):
            print(f"  round {round_no + 1}/{runs}", file=sys.stderr)
            cold_cache = tempfile.mkdtemp(prefix="fdash-bench-cold-")
            measures.add("cold", run(stats, dict(base_env, XDG_CACHE_HOME=cold_cache), rss=True))
            shutil.rmtree(cold_cache, ignore_errors=True)
            measures.add("warm", run(stats, warm_env, rss=True))
            for name, args in REPORTS.items():
                measures.add(name, run([*fdash, *args], warm_env))
            if app:
                measures.add("app", app_on_screen(fdash, warm_env, marker))
            with open(target, "ab") as handle:
                handle.write(_message_line(round_no))
            measures.add("append", run(stats, warm_env))
            _add_sessions(extra, extra_dir)
            measures.add("add50", run(stats, warm_env))
            shutil.rmtree(extra_dir)
            run(stats, warm_env)  # back to the plain corpus in the index
            measures.add("naive", run([python, str(REPO / "tools" / "naive_stats.py"), str(root)]))
            if ccusage:
                measures.add("ccusage", run([*ccusage, *CCUSAGE_ARGS], dict(base_env, DROID_SESSIONS_DIR=str(root))))
            measures.add("cat", run(["sh", "-c", "find \"$1\" -name '*.jsonl' -print0 | xargs -0 cat", "sh", str(root)],
                                    stdout=subprocess.DEVNULL))  # (too many files for one command line)
            measures.add("python", run([python, "-c", "pass"]))
            # the files appended to and removed this round changed within seconds of the
            # index's last scan, so the next run checks them again (scan.RACY_NS): done here,
            # so that the next round's warm run is one where nothing changed since the last
            run(stats, warm_env)
    finally:
        Path(target).write_bytes(original)
        shutil.rmtree(extra_dir, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
    _check_same_numbers(measures)
    return measures


def _message_line(n: int) -> bytes:
    record = {
        "type": "message", "id": f"bench-{n}", "timestamp": "2026-11-20T12:00:00.000Z",
        "message": {"role": "user", "content": [{"type": "text", "text": f"benchmark prompt {n}"}]},
    }
    return json.dumps(record, separators=(",", ":")).encode() + b"\n"


def _add_sessions(extra: Path, target: Path) -> None:
    target.mkdir()
    for entry in os.scandir(extra):
        if entry.is_dir(follow_symlinks=False):
            for f in os.scandir(entry.path):
                shutil.copy2(f.path, target / f.name)
        elif entry.is_file() and not entry.name.startswith("."):
            shutil.copy2(entry.path, target / entry.name)


TOKEN_KEYS = ("input_tokens", "output_tokens", "cache_creation_tokens", "cache_read_tokens", "thinking_tokens")


# What the naive reader and fdash define alike. (The naive reader predates droid-format
# rules fdash follows since — a fork's copied prompts, sub-agent handoffs, one cwd per
# project folder — so prompts, empty sessions and projects are checked fdash against
# fdash: cold = warm; that an incremental read equals a fresh one is tests/test_index.py's.)
SAME_AS_NAIVE = (*TOKEN_KEYS, "total_tokens", "sessions", "active_time_ms")


def _check_same_numbers(measures: Measures) -> None:
    """Every fdash result against the naive reader. Same files, same numbers: cold = warm
    (start of a round); the naive reader = the incremental read after the append (both
    see the corpus plus that round's lines); the per-session and per-day reports add up
    to the naive totals (tokens come from settings files, which the append leaves alone)."""
    out = {name: json.loads(data) for name, data in measures.outputs.items() if name != "ccusage"}
    naive = out["naive"]
    if out["cold"] != out["warm"]:
        raise SystemExit("cold and warm runs disagree")
    for name in ("warm", "cold", "append"):
        differ = {k: (naive[k], out[name][k]) for k in SAME_AS_NAIVE if naive[k] != out[name][k]}
        if differ:
            raise SystemExit(f"fdash {name} and the naive reader disagree: {differ}")
    for name in ("sessions", "export", "daily"):
        rows = out[name]
        sums = {k: sum(r[k] for r in rows) for k in TOKEN_KEYS}
        count = len(rows) if name != "daily" else None
        if any(sums[k] != naive[k] for k in TOKEN_KEYS) or count not in (None, naive["sessions"]):
            raise SystemExit(f"`{name}` does not add up to the naive reader's totals: {sums}, {count} rows")
    if not isinstance(out["search"], list):
        raise SystemExit("the search did not give a list")
    if "ccusage" in measures.outputs:
        totals = json.loads(measures.outputs["ccusage"]).get("totals", {})
        mine = sum(naive[k] for k in TOKEN_KEYS)
        measures.ccusage_agrees = totals.get("totalTokens") == mine


def find_ccusage() -> tuple[list[str], str] | None:
    """ccusage installed by npm into a temporary prefix: (command, version), or None."""
    npm = shutil.which("npm")
    if npm is None:
        return None
    prefix = Path(tempfile.mkdtemp(prefix="fdash-bench-ccusage-"))
    for package in ("ccusage", CCUSAGE_FALLBACK):
        try:
            subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", package],
                           check=True, capture_output=True, timeout=300)
            command = [str(prefix / "node_modules" / ".bin" / "ccusage")]
            version = subprocess.run([*command, "--version"], check=True, capture_output=True, timeout=60)
        except (subprocess.SubprocessError, OSError):
            continue
        return command, version.stdout.decode().strip()
    return None


def search_latency(root: Path) -> dict | None:
    """In-process: building the search (lower-casing every session's text once) and
    queries of one to three words, on the warm catalog."""
    code = (
        "import json, statistics, time\n"
        "from fdash.core.catalog import load_catalog\n"
        "from fdash.core.config import Config\n"
        "from fdash.core.search import Searcher\n"
        f"entries = load_catalog({str(root)!r}, Config()).entries\n"
        "t = time.perf_counter(); s = Searcher(entries); build = time.perf_counter() - t\n"
        "times = []\n"
        "for q in ['test', 'tests failing', 'fix the login', 'summary', 'zzz-nothing', 'rate limiting api']*5:\n"
        "    t = time.perf_counter(); hits = s.search(q); times.append(time.perf_counter() - t)\n"
        "print(json.dumps({'sessions': len(entries), 'build_ms': round(build*1000, 1),\n"
        "  'query_ms_median': round(statistics.median(times)*1000, 1), 'query_ms_max': round(max(times)*1000, 1)}))\n"
    )
    return _warm_child(root, code)


def _warm_child(root: Path, code: str) -> dict | None:
    """Run `code` in a child python with a warm index of `root`; its last line as JSON."""
    cache = tempfile.mkdtemp(prefix="fdash-bench-child-")
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    try:
        subprocess.run([sys.executable, "-m", "fdash", "-d", str(root), "stats", "--json"], env=env,
                       capture_output=True, check=True)  # build the index first
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=600)
    except (subprocess.SubprocessError, OSError):
        return None
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    if out.returncode != 0:
        print(out.stderr.decode()[-2000:], file=sys.stderr)
        return None
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def tui_latency(root: Path) -> dict | None:
    """Key→repaint of the full-screen app, measured headlessly in a child process."""
    code = (
        "import json\n"
        f"import sys; sys.path.insert(0, {str(REPO / 'tools')!r})\n"
        "from measure_app import measure\n"
        f"result = measure({str(root)!r})\n"
        "result.pop('per_key', None)\n"
        "print(json.dumps(result))\n"
    )
    return _warm_child(root, code)


def load_average() -> str:
    try:
        return " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


# --------------------------------------------------------------------------- report


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        mem = "RAM unknown"
    return f"{os.cpu_count()} × {cpu}, {mem}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def corpus_line(name: str, root: Path, params: dict) -> str:
    files = transcripts(root)
    size = sum(os.path.getsize(f) for f in files)
    return f"- **{name}**: {params['sessions']:,} sessions, {len(files):,} transcripts, {size / 1e6:,.0f} MB (generator seed {params['seed']})"


LABELS = {
    "cold": "fdash cold (no index)", "warm": "fdash warm `stats` (nothing changed)",
    "daily": "`daily --json` (warm)", "sessions": "`sessions --json` (warm)",
    "search": "`search tests failing --json` (warm)", "export": "`export` (JSON, warm)",
    "append": "after appending to one transcript", "add50": "after adding 50 sessions",
    "app": "app: start → session count on screen (warm)",
    "naive": "naive reader (stdlib json, every line)", "ccusage": "ccusage droid mode",
    "cat": "`cat` of all transcripts", "python": "`python -c pass` (venv interpreter)",
}


def targets(name: str, m: Measures, tui: dict | None) -> list[tuple[str, str, float | None, bool | None]]:
    """(what, target, value, met) for one corpus; value None when not measured here."""
    rows: list[tuple[str, str, float | None, bool | None]] = []
    warm_limit = {"heavy": 5.0, "huge": 15.0}.get(name)
    value = m.best("warm") / m.best("python")
    rows.append(("warm / interpreter start", f"≤ {warm_limit:.0f}×" if warm_limit else "—", value,
                 value <= warm_limit if warm_limit else None))
    if m.has("ccusage"):
        value = m.best("ccusage") / m.best("warm")
        rows.append(("ccusage / warm", "≥ 2×", value, value >= 2.0))
    for report in REPORTS:
        value = m.best(report) / m.best("warm")
        rows.append((f"`{report}` / warm stats", "≤ 2×", value, value <= 2.0))
    value = m.best("naive") / m.best("cold")
    rows.append(("naive / cold", "≥ 4×" if name == "heavy" else "—", value, value >= 4.0 if name == "heavy" else None))
    for change in ("append", "add50"):
        value = m.best(change) / m.best("warm")
        rows.append((f"{change} / warm", "≤ 2×", value, value <= 2.0))
    app_limit = {"many": 0.3, "huge": 0.6}.get(name)
    if m.has("app"):
        value = m.best("app")
        rows.append(("app: data on screen (s)", f"≤ {app_limit} s" if app_limit else "—", value,
                     value <= app_limit if app_limit else None))
    if tui:
        value = tui["key_ms"]["p95"]
        rows.append(("app: key→repaint p95 (ms)", f"< {REPAINT_MS:.0f} ms" if name == "huge" else "—", value,
                     value < REPAINT_MS if name == "huge" else None))
    value = max(m.rss["cold"], m.rss["warm"])
    rows.append(("peak RSS, cold and warm (MB)", f"< {RSS_MB:.0f} MB" if name == "huge" else "—", value,
                 value < RSS_MB if name == "huge" else None))
    return rows


def table(results: dict[str, Measures], tui: dict[str, dict | None]) -> tuple[str, list[str]]:
    names = list(results)
    rows = ["| measure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key, label in LABELS.items():
        if not any(m.has(key) for m in results.values()):
            continue
        cells = [f"{m.best(key):.3f} s (median {m.median(key):.3f})" if m.has(key) else "—" for m in results.values()]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    rows.append("| peak RSS cold / warm | " + " | ".join(
        f"{m.rss['cold']:.0f} MB / {m.rss['warm']:.0f} MB" for m in results.values()) + " |")
    if any(tui.values()):
        rows.append("| app: key→repaint median / p95 / worst | " + " | ".join(
            f"{t['key_ms']['median']:.1f} / {t['key_ms']['p95']:.1f} / {t['key_ms']['max']:.1f} ms"
            if t else "—" for t in tui.values()) + " |")
    per_corpus = {name: targets(name, m, tui.get(name)) for name, m in results.items()}
    what = list(dict.fromkeys(w for rows_ in per_corpus.values() for w, *_ in rows_))
    ratios = ["", "| ratio | " + " | ".join(f"{n} (target)" for n in names) + " |", "|---|" + "---|" * len(names)]
    verdicts = []
    for w in what:
        cells = []
        for name in names:
            found = [(t, v, ok) for w2, t, v, ok in per_corpus[name] if w2 == w]
            if not found:
                cells.append("—")
                continue
            target, value, ok = found[0]
            mark = "" if ok is None else (" ✅" if ok else " ❌")
            unit = "" if "(" in w else "×"
            cells.append(f"{value:.{2 if unit == '' and value < 10 else 1}f}{unit}{mark} ({target})")
            if ok is not None:
                verdicts.append(f"{w} ({name}): {'met' if ok else 'NOT met'} — {value:.2f} vs {target}")
        ratios.append(f"| {w} | " + " | ".join(cells) + " |")
    return "\n".join(rows + ratios), verdicts


def write_report(path: Path, results, tui, searches, params, roots, runs: int, seconds: float,
                 ccusage: str | None, load: tuple[str, str], when: str | None = None) -> str:
    body, verdicts = table(results, tui)
    agree = [name for name, m in results.items() if m.ccusage_agrees is False]
    lines = [
        "# Performance",
        "",
        f"Measured by `python tools/bench.py` on {when or time.strftime('%Y-%m-%d %H:%M')} ({runs} interleaved rounds, "
        f"best of the rounds shown, {seconds:.0f} s in all); load average before / after: {load[0]} → {load[1]}.",
        "",
        f"Machine: {machine()}. Interpreter: `{sys.executable}` (the venv fdash runs in).",
        "",
        "Corpora (generated by `tools/generate_sessions.py`, realistic sizes and shapes):",
        "",
        *[corpus_line(name, roots[name], params[name]) for name in results],
        "",
        "Every fdash run is a new process (`python -m fdash -d DIR …`, no config file); its numbers are",
        "checked against the naive reader's in the same run (sessions, token kinds, total, active time;",
        "`sessions`, `export` and `daily` add up to the same token totals; see \"Reading these numbers\").",
        f"ccusage: {ccusage or 'not measured (npm could not install it)'}"
        + (f", run as `ccusage {' '.join(CCUSAGE_ARGS)}` with `DROID_SESSIONS_DIR`; its token totals "
           + ("differ from fdash's on " + ", ".join(agree) if agree else "equal fdash's") + "." if ccusage else "."),
        "",
        body,
        "",
    ]
    for name, t in tui.items():
        if t:
            lines.append(
                f"Full-screen app on **{name}** ({t.get('sessions', '?')} sessions, {t.get('size')}, headless): "
                f"key→repaint median {t['key_ms']['median']:.1f} ms, p95 {t['key_ms']['p95']:.1f} ms, "
                f"worst {t['key_ms']['max']:.1f} ms over {t['key_ms']['count']} keys.")
    for name, found in searches.items():
        if found:
            lines.append(
                f"Search on **{name}** ({found['sessions']:,} sessions, in-process, warm): building the search "
                f"{found['build_ms']:.0f} ms once, then a query {found['query_ms_median']:.1f} ms median, "
                f"{found['query_ms_max']:.1f} ms worst.")
    lines += ["", "Targets:", "", *[f"- {v}" for v in verdicts], ""]
    text = "\n".join(lines)
    notes = REPO / "docs" / "PERFORMANCE-notes.md"
    if notes.is_file():
        text += "\n" + notes.read_text()
    path.write_text(text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", default=str(REPO / "bench-data"), help="where corpora are generated and kept")
    parser.add_argument("--quick", action="store_true", help="10× smaller corpora (a smoke run)")
    parser.add_argument("--only", choices=tuple(CORPORA), action="append")
    parser.add_argument("--no-tui", action="store_true", help="leave out the full-screen app")
    parser.add_argument("--no-ccusage", action="store_true")
    parser.add_argument("--write", default=str(REPO / "docs" / "PERFORMANCE.md"), help="'' to not write")
    parser.add_argument("--again", action="store_true",
                        help="write the report again from DATA/results.json (after editing the notes)")
    args = parser.parse_args(argv)
    if args.again:
        return _write_again(Path(args.data), Path(args.write))
    started = time.perf_counter()
    load_before = load_average()
    # bytecode as `pip install` leaves it (with PYTHONDONTWRITEBYTECODE set, as here, every
    # run would compile fdash's sources again)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "fdash")], stdout=subprocess.DEVNULL,
                   check=False)
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    params = QUICK if args.quick else CORPORA
    names = args.only or list(params)
    roots = {name: ensure_corpus(data / (name + ("-quick" if args.quick else "")), params[name]) for name in names}
    extra = ensure_corpus(data / "extra50", EXTRA)
    found = None if args.no_ccusage else find_ccusage()
    command, version = found if found else (None, None)
    app = not args.no_tui and _has_pyte()
    results = {}
    try:
        for name in names:
            print(f"benchmarking {name}", file=sys.stderr)
            results[name] = bench_corpus(roots[name], extra, args.runs, command, app)
    finally:
        if command:
            shutil.rmtree(Path(command[0]).parents[2], ignore_errors=True)
    tui = {name: (None if not app else tui_latency(roots[name])) for name in names}
    searches = {name: search_latency(roots[name]) for name in names}
    load = (load_before, load_average())
    raw = {name: {"times": m.times, "rss": m.rss, "ccusage_agrees": m.ccusage_agrees} for name, m in results.items()}
    seconds = time.perf_counter() - started
    (data / "results.json").write_text(json.dumps({
        "measures": raw, "tui": tui, "search": searches, "ccusage": version, "load": load, "runs": args.runs,
        "seconds": seconds, "params": {name: params[name] for name in names},
        "roots": {name: str(root) for name, root in roots.items()}, "when": time.strftime("%Y-%m-%d %H:%M"),
    }, indent=1))
    body, verdicts = table(results, tui)
    print(body)
    print("\n".join(verdicts))
    if args.write:
        write_report(Path(args.write), results, tui, searches, params, roots, args.runs, seconds, version, load)
        print(f"wrote {args.write}", file=sys.stderr)
    return 0


def _write_again(data: Path, path: Path) -> int:
    saved = json.loads((data / "results.json").read_text())
    results = {}
    for name, raw in saved["measures"].items():
        m = results[name] = Measures()
        m.times, m.rss, m.ccusage_agrees = raw["times"], raw["rss"], raw.get("ccusage_agrees")
    roots = {name: Path(root) for name, root in saved["roots"].items()}
    write_report(path, results, saved["tui"], saved["search"], saved["params"], roots, saved["runs"],
                 saved["seconds"], saved["ccusage"], tuple(saved["load"]), saved["when"])
    print(f"wrote {path}", file=sys.stderr)
    return 0


def _has_pyte() -> bool:
    try:
        import pyte  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    raise SystemExit(main())
