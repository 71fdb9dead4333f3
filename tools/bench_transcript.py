#!/usr/bin/env python3
"""How fast the transcript view opens a big transcript, and how much memory it takes.

    python3 tools/bench_transcript.py [--sizes 1,50,200] [--data DIR] [--runs 3]

Builds transcripts of about 1, 50 and 200 MB from generated sessions (the session_start
of one, then the message and bookkeeping lines of many, in order: the shapes and sizes
droid writes), then, in a new process for each measure, times what the app does when
`v` is pressed (index the line offsets, lay out the first screen of 40 rows at 120
columns), the jump to the end, a search for text that is only near the end (every byte
is looked at), and `fdash show --json` of the whole file; and the peak memory (RSS) of
each process, beside that of a process that only imports the same modules. Prints a
Markdown table (the section of docs/PERFORMANCE.md). The files are kept in DIR
(default /tmp/fdash-bench-transcripts) for the next run; delete them when done.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
NEEDLE = "zebra-needle-near-the-end"

CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
start = time.perf_counter()
from fdash.core.transcript.pager import Pager
from fdash.core.transcript.rows import Layout
imported = time.perf_counter()
what, path = sys.argv[2], sys.argv[3]
out = {"import_s": imported - start}
if what != "imports":
    t = time.perf_counter()
    pager = Pager(path, Layout(width=120))
    out["index_s"] = time.perf_counter() - t
    rows = pager.window(40)
    out["open_s"] = time.perf_counter() - t
    out["lines"] = len(pager)
    assert len(rows) == 40, len(rows)
    if what == "all":
        t = time.perf_counter()
        pager.end(40)
        pager.window(40)
        out["end_s"] = time.perf_counter() - t
        pager.home()
        t = time.perf_counter()
        hit = pager.find(sys.argv[4])
        out["find_s"] = time.perf_counter() - t
        assert hit is not None and hit.line > len(pager) * 0.9, hit
def peak_mb():  # VmHWM: this program's own peak (ru_maxrss would include the parent's before exec)
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["rss_mb"] = peak_mb()
print(json.dumps(out))
"""


def build(path: Path, size_mb: int, source: Path) -> None:
    """A transcript of about `size_mb` MB made of generated sessions' lines."""
    if path.is_file() and abs(path.stat().st_size - size_mb * MB) < MB:
        return
    files = sorted(source.rglob("*.jsonl"), key=lambda p: p.name)
    head = files[0].read_bytes().split(b"\n", 1)[0] + b"\n"
    target = size_mb * MB
    with open(path, "wb") as out:
        out.write(head)
        written = len(head)
        while written < target:
            for f in files:
                for line in f.read_bytes().split(b"\n")[1:]:
                    if line:
                        out.write(line + b"\n")
                        written += len(line) + 1
                        if written >= target:
                            break
                if written >= target:
                    break
        reply = {"type": "message", "id": "needle", "timestamp": "2026-11-20T10:00:00.000Z",
                 "message": {"role": "assistant", "content": [{"type": "text", "text": f"done: {NEEDLE}"}]}}
        out.write(json.dumps(reply).encode() + b"\n")


def child(what: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(REPO), what, str(path), NEEDLE],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


SHOW = r"""
import runpy, sys, time
sys.argv = ["fdash"] + sys.argv[1:]
start = time.perf_counter()
try:
    runpy.run_module("fdash", run_name="__main__")
except SystemExit:
    pass
seconds = time.perf_counter() - start
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
print(seconds, peak, file=sys.stderr)
"""


def show_json(path: Path, root: Path, session_id: str) -> tuple[float, float]:
    """`fdash show ID --json > /dev/null` of the big transcript: seconds, peak RSS (MB)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(root.parent / "cache"), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", SHOW, "-d", str(root), "show", session_id, "--json"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True, env=env)
    seconds, rss = done.stderr.split()[-2:]
    return float(seconds), float(rss)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,50,200", help="MB, comma-separated")
    parser.add_argument("--data", default="/tmp/fdash-bench-transcripts")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    data = Path(args.data)
    source = data / "generated"
    if not source.is_dir():
        sys.path.insert(0, str(REPO))
        from tools.sessiongen import generate

        generate(source, sessions=60, seed=7, avg_kb=400)
    base = min((child("imports", source) for _ in range(args.runs)), key=lambda r: r["rss_mb"])
    print(f"interpreter + modules alone: {base['rss_mb']:.0f} MB RSS, imports {base['import_s'] * 1000:.0f} ms\n")
    print("| transcript | lines | open to first screen | of which indexing | end | find near the end "
          f"| peak RSS (imports alone: {base['rss_mb']:.0f} MB) | `fdash show --json` |")
    print("|---|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        sid = f"00000000-0000-4000-8000-{size:012d}"
        root = data / f"root-{size}"
        folder = root / "-bench"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{sid}.jsonl"
        build(path, size, source)
        runs = [child("all", path) for _ in range(args.runs)]
        best = {k: min(r[k] for r in runs) for k in runs[0]}
        shown = [show_json(path, root, sid) for _ in range(max(1, args.runs - 1))]
        seconds, rss = min(s for s, _ in shown), max(r for _, r in shown)
        print(f"| {path.stat().st_size / MB:.0f} MB | {best['lines']:,} | {best['open_s'] * 1000:.0f} ms "
              f"| {best['index_s'] * 1000:.0f} ms | {best['end_s'] * 1000:.0f} ms | {best['find_s'] * 1000:.0f} ms "
              f"| {max(r['rss_mb'] for r in runs):.0f} MB | {seconds:.1f} s, {rss:.0f} MB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
