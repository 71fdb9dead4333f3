#!/usr/bin/env python3
"""Generate a realistic, deterministic Droid sessions history (see fdash/sessiongen).

    python tools/generate_sessions.py --sessions 3000 --output /tmp/droid-sessions [--seed S]
        [--avg-kb K] [--days D] [--now ISO] [--hostile] [--huge] [--hostile-favorites]

The generator lives in the package (fdash shows its output as demo data to people who
have no sessions yet); this file is its command line and keeps `generate` importable
by path for tests and benchmarks.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fdash.sessiongen import *  # noqa: E402,F403
from fdash.sessiongen import generate, main  # noqa: E402,F401

if __name__ == "__main__":
    raise SystemExit(main())
