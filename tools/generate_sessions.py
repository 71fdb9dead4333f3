#!/usr/bin/env python3
"""Generate a realistic, deterministic Droid sessions history with its ground truth
(tools/sessiongen; the realistic part is fdash/demo).

    python tools/generate_sessions.py --sessions 3000 --output /tmp/droid-sessions [--seed S]
        [--avg-kb K] [--days D] [--now ISO] [--hostile] [--huge] [--hostile-favorites]

Tests and tools import `tools.sessiongen` instead (the repository's root on sys.path).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.sessiongen import generate, main  # noqa: E402,F401

if __name__ == "__main__":
    raise SystemExit(main())
