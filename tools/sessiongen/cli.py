"""Command line of the generator (tools/generate_sessions.py runs `main`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fdash.demo.primitives import DEFAULT_NOW, parse_now

from .generate import generate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Generate a deterministic fake ~/.factory/sessions tree."
    )
    ap.add_argument("--sessions", type=int, required=True, help="number of sessions")
    ap.add_argument(
        "--output", type=Path, required=True, help="sessions root to create (empty or absent)"
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hostile", action="store_true", help="add broken / adversarial files")
    ap.add_argument("--huge", action="store_true", help="with --hostile: add a ~50 MB line")
    ap.add_argument(
        "--unreadable",
        action="store_true",
        help="with --hostile: chmod 000 one transcript and one project folder",
    )
    ap.add_argument(
        "--hostile-favorites", action="store_true", help="write an invalid-JSON .favorites"
    )
    ap.add_argument("--avg-kb", type=float, default=30.0, help="average transcript size in KB")
    ap.add_argument("--days", type=int, default=120, help="spread sessions over this many days")
    ap.add_argument("--now", default=DEFAULT_NOW, help="the generator's current time (ISO 8601)")
    args = ap.parse_args(argv)
    if args.sessions < 0 or args.avg_kb <= 0 or args.days < 1:
        ap.error("--sessions must be >= 0, --avg-kb > 0 and --days >= 1")
    if (args.huge or args.unreadable) and not args.hostile:
        ap.error("--huge and --unreadable need --hostile")
    try:
        manifest = generate(
            args.output,
            args.sessions,
            seed=args.seed,
            hostile=args.hostile,
            avg_kb=args.avg_kb,
            days=args.days,
            now=parse_now(args.now),
            huge=args.huge,
            unreadable=args.unreadable,
            hostile_favorites=args.hostile_favorites,
        )
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    t = manifest["totals"]
    print(
        f"{t['sessions']} sessions in {t['projects']} projects, "
        f"{t['transcript_bytes'] / 1e6:.1f} MB of transcripts (avg {t['avg_transcript_kb']} KB), "
        f"{len(manifest['hostile'])} hostile files -> {args.output}"
    )
    return 0
