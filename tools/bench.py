#!/usr/bin/env python3
"""Benchmark fdash against a naive reader, `cat` and a bare interpreter; write PERFORMANCE.md.

    python tools/bench.py [--runs 5] [--data DIR] [--quick] [--write docs/PERFORMANCE.md]

Corpora (generated once with fdash.sessiongen, reused while their parameters match):
  heavy  a heavy user's history: 6,000 sessions × ~100 KB (~600 MB)
  many   10,000 small sessions
Every measure is a separate process, run in interleaved rounds (one of each per round);
the table shows the best of the rounds (and the median). Measures:
  cold    `fdash --print stats --json` with an empty cache (no index)
  warm    the same with the index present and nothing changed
  append  after appending one message to one transcript
  add50   after adding 50 new sessions
  naive   tools/naive_stats.py: stdlib json, every line of every file
  cat     `cat` of every transcript (reading the bytes once)
  python  `python3 -c pass` (the interpreter's floor)
plus peak RSS of cold and warm runs, and, when the full-screen app is importable, its
first frame and key→repaint latency measured headlessly in a child process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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
}
QUICK = {
    "heavy": {"sessions": 600, "avg_kb": 100, "seed": 1},
    "many": {"sessions": 1000, "avg_kb": 5, "seed": 2},
}
EXTRA = {"sessions": 50, "avg_kb": 30, "seed": 99}
TARGETS = {
    "cold_vs_naive": 4.0,
    "cold_vs_cat": 2.0,
    "warm_vs_naive": 20.0,
    "warm_vs_python": 5.0,
    "rss_mb": 150.0,
    "first_frame_s": 0.5,
    "repaint_ms": 50.0,
}


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


def run(argv: list[str], env: dict | None = None, stdout=subprocess.PIPE) -> tuple[float, float, bytes]:
    """(seconds, peak RSS MB, stdout) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL, env=env)
    out = proc.stdout.read() if proc.stdout else b""
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if proc.stdout:
        proc.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    return elapsed, usage.ru_maxrss / 1024, out


class Measures:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.rss: dict[str, float] = {}
        self.outputs: dict[str, bytes] = {}

    def add(self, name: str, result: tuple[float, float, bytes]) -> None:
        seconds, rss, out = result
        self.times.setdefault(name, []).append(seconds)
        self.rss[name] = max(self.rss.get(name, 0.0), rss)
        if out:
            self.outputs[name] = out

    def best(self, name: str) -> float:
        return min(self.times[name])

    def median(self, name: str) -> float:
        return statistics.median(self.times[name])


def bench_corpus(root: Path, extra: Path, runs: int) -> Measures:
    python = sys.executable
    fdash = [python, "-m", "fdash", "-d", str(root), "--print", "stats", "--json"]
    search = [python, "-m", "fdash", "-d", str(root), "search", "--json"]
    files = transcripts(root)
    target = max(files, key=os.path.getsize)  # append to a big one: the incremental read matters
    measures = Measures()
    cache = Path(tempfile.mkdtemp(prefix="fdash-bench-cache-"))
    warm_env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    run(fdash, warm_env)  # build the index once
    original = Path(target).read_bytes()
    extra_dir = root / "-bench-added-sessions"
    try:
        for round_no in range(runs):
            print(f"  round {round_no + 1}/{runs}", file=sys.stderr)
            cold_cache = tempfile.mkdtemp(prefix="fdash-bench-cold-")
            measures.add("cold", run(fdash, dict(os.environ, XDG_CACHE_HOME=cold_cache)))
            shutil.rmtree(cold_cache, ignore_errors=True)
            measures.add("warm", run(fdash, warm_env))
            measures.add("search", run([*search, "tests", "failing"], warm_env))
            with open(target, "ab") as handle:
                handle.write(_message_line(round_no))
            measures.add("append", run(fdash, warm_env))
            _add_sessions(extra, extra_dir)
            measures.add("add50", run(fdash, warm_env))
            shutil.rmtree(extra_dir)
            run(fdash, warm_env)  # back to the plain corpus in the index
            measures.add("naive", run([python, str(REPO / "tools" / "naive_stats.py"), str(root)]))
            measures.add("cat", run(["cat", *files], stdout=subprocess.DEVNULL))
            measures.add("python", run([python, "-c", "pass"]))
    finally:
        Path(target).write_bytes(original)
        shutil.rmtree(extra_dir, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
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


def _check_same_numbers(measures: Measures) -> None:
    """Same files, same numbers: cold = warm (start of a round); the naive reader = the
    incremental read after the append (both see the corpus plus that round's lines)."""
    cold = json.loads(measures.outputs["cold"])
    warm = json.loads(measures.outputs["warm"])
    appended = json.loads(measures.outputs["append"])
    naive = json.loads(measures.outputs["naive"])
    if cold != warm:
        raise SystemExit("cold and warm runs disagree")
    differ = {k: (naive[k], appended[k]) for k in naive if naive[k] != appended[k]}
    if differ:
        raise SystemExit(f"fdash and the naive reader disagree: {differ}")


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
    """First frame and key→repaint of the full-screen app, measured in a child process."""
    code = (
        "import time\n"
        "started = time.perf_counter()\n"
        "import json\n"
        "from fdash.tui.measure import measure\n"
        "imported = time.perf_counter()\n"
        f"result = measure({str(root)!r})\n"
        "result['import_ms'] = round((imported - started) * 1000, 1)\n"
        "result.pop('per_key', None)\n"
        "print(json.dumps(result))\n"
    )
    return _warm_child(root, code)


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


def table(results: dict[str, Measures], tui: dict[str, dict | None]) -> tuple[str, list[str]]:
    rows = ["| measure | " + " | ".join(results) + " |", "|---|" + "---|" * len(results)]
    labels = {
        "cold": "fdash cold (no index)", "warm": "fdash warm (nothing changed)",
        "append": "after appending to one transcript", "add50": "after adding 50 sessions",
        "search": "`fdash search tests failing --json` (warm)",
        "naive": "naive reader (stdlib json, every line)", "cat": "`cat` of all transcripts",
        "python": "`python3 -c pass`",
    }
    for key, label in labels.items():
        cells = [f"{m.best(key):.3f} s (median {m.median(key):.3f})" for m in results.values()]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    rows.append("| peak RSS cold / warm | " + " | ".join(
        f"{m.rss['cold']:.0f} MB / {m.rss['warm']:.0f} MB" for m in results.values()) + " |")
    if any(tui.values()):
        rows.append("| app: imports + first frame (warm) | " + " | ".join(
            f"{t['import_ms']:.0f} + {t['first_frame_ms']:.0f} ms" if t else "—" for t in tui.values()) + " |")
        rows.append("| app: data on screen, from imports (warm) | " + " | ".join(
            f"{t['import_ms'] + t['loaded_ms']:.0f} ms" if t else "—" for t in tui.values()) + " |")
        rows.append("| app: key→repaint median / p95 / worst | " + " | ".join(
            f"{t['key_ms']['median']:.1f} / {t['key_ms']['p95']:.1f} / {t['key_ms']['max']:.1f} ms"
            if t else "—" for t in tui.values()) + " |")
    ratios = ["", "| ratio | target | " + " | ".join(results) + " |", "|---|---|" + "---|" * len(results)]
    verdicts = []

    def ratio(label: str, target: str, values: list[float], ok: list[bool]) -> None:
        ratios.append(f"| {label} | {target} | " + " | ".join(
            f"{v:.1f}× {'✅' if good else '❌'}" for v, good in zip(values, ok)) + " |")
        verdicts.extend(f"{label} ({name}): {'met' if good else 'NOT met'}" for name, good in zip(results, ok))

    m = list(results.values())
    v = [x.best("naive") / x.best("cold") for x in m]
    ratio("naive / cold", f"≥ {TARGETS['cold_vs_naive']:.0f}×", v, [x >= TARGETS["cold_vs_naive"] for x in v])
    v = [x.best("cold") / x.best("cat") for x in m]
    ratio("cold / cat", f"≤ {TARGETS['cold_vs_cat']:.0f}× (about)", v, [x <= TARGETS["cold_vs_cat"] for x in v])
    v = [x.best("naive") / x.best("warm") for x in m]
    ratio("naive / warm", f"≥ {TARGETS['warm_vs_naive']:.0f}×", v, [x >= TARGETS["warm_vs_naive"] for x in v])
    v = [x.best("warm") / x.best("python") for x in m]
    ratio("warm / bare python", f"≤ {TARGETS['warm_vs_python']:.0f}×", v, [x <= TARGETS["warm_vs_python"] for x in v])
    return "\n".join(rows + ratios), verdicts


def write_report(path: Path, results, tui, searches, params, roots, runs: int, seconds: float) -> str:
    body, verdicts = table(results, tui)
    rss_ok = all(m.rss["cold"] < TARGETS["rss_mb"] and m.rss["warm"] < TARGETS["rss_mb"] for m in results.values())
    lines = [
        "# Performance",
        "",
        f"Measured by `python tools/bench.py` on {time.strftime('%Y-%m-%d')} ({runs} interleaved rounds, "
        f"best of the rounds shown, {seconds:.0f} s in all).",
        "",
        f"Machine: {machine()}.",
        "",
        "Corpora (generated by `tools/generate_sessions.py`, realistic sizes and shapes):",
        "",
        *[corpus_line(name, roots[name], params[name]) for name in results],
        "",
        "Every fdash run is `python3 -m fdash -d DIR --print stats --json`, a new process each time; its",
        "numbers are checked equal to the naive reader's in the same run.",
        "",
        body,
        "",
        f"Peak RSS under {TARGETS['rss_mb']:.0f} MB: {'✅ met' if rss_ok else '❌ NOT met'}.",
        "",
    ]
    if any(tui.values()):
        for name, t in tui.items():
            if t:
                frame = t["import_ms"] + t["first_frame_ms"]
                ok_frame = frame <= TARGETS["first_frame_s"] * 1000
                ok_key = t["key_ms"]["p95"] <= TARGETS["repaint_ms"]
                lines.append(
                    f"Full-screen app on **{name}** ({t.get('sessions', '?')} sessions, {t.get('size')}, headless): "
                    f"first frame {frame:.0f} ms after the interpreter started importing it "
                    f"{'✅' if ok_frame else '❌'} (target < 500 ms; the sessions appear at "
                    f"{t['import_ms'] + t['loaded_ms']:.0f} ms), key→repaint median {t['key_ms']['median']:.1f} ms, "
                    f"p95 {t['key_ms']['p95']:.1f} ms {'✅' if ok_key else '❌'} (target < 50 ms), "
                    f"worst {t['key_ms']['max']:.1f} ms over {t['key_ms']['count']} keys.")
        lines.append("")
    for name, found in searches.items():
        if found:
            lines.append(
                f"Search on **{name}** ({found['sessions']:,} sessions, in-process, warm): building the search "
                f"{found['build_ms']:.0f} ms once, then a query {found['query_ms_median']:.1f} ms median, "
                f"{found['query_ms_max']:.1f} ms worst (served from the index: no transcript is opened).")
    lines.append("")
    lines += ["Targets:", "", *[f"- {v}" for v in verdicts], ""]
    text = "\n".join(lines)
    notes = REPO / "docs" / "PERFORMANCE-notes.md"
    if notes.is_file():
        text += "\n" + notes.read_text()
    path.write_text(text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", default=str(REPO / "bench-data"), help="where corpora are generated and kept")
    parser.add_argument("--quick", action="store_true", help="10× smaller corpora (a smoke run)")
    parser.add_argument("--only", choices=tuple(CORPORA), action="append")
    parser.add_argument("--no-tui", action="store_true")
    parser.add_argument("--write", default=str(REPO / "docs" / "PERFORMANCE.md"), help="'' to not write")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    params = QUICK if args.quick else CORPORA
    names = args.only or list(params)
    roots = {name: ensure_corpus(data / (name + ("-quick" if args.quick else "")), params[name]) for name in names}
    extra = ensure_corpus(data / "extra50", EXTRA)
    results = {}
    for name in names:
        print(f"benchmarking {name}", file=sys.stderr)
        results[name] = bench_corpus(roots[name], extra, args.runs)
    tui = {name: (None if args.no_tui else tui_latency(roots[name])) for name in names}
    searches = {name: search_latency(roots[name]) for name in names}
    raw = {name: {"times": m.times, "rss": m.rss} for name, m in results.items()}
    (data / "results.json").write_text(json.dumps({"measures": raw, "tui": tui, "search": searches}, indent=1))
    body, verdicts = table(results, tui)
    print(body)
    print("\n".join(verdicts))
    if args.write:
        write_report(Path(args.write), results, tui, searches, params, roots, args.runs,
                     time.perf_counter() - started)
        print(f"wrote {args.write}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
