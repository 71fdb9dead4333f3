"""The demo data a new user sees: realistic sessions only, made by the product itself."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import REPO


def test_demo_data_for_a_new_user_is_real_sessions_only(isolated_home):
    """No sessions folder: fdash writes its demo history into the cache without the test
    corpus (no hostile case, no manifest, no stray file) and reads it without a warning."""
    code = ("import sys\nfrom fdash.cli import main\nrc = main(['stats', '--json'])\n"
            "print(' '.join(sys.modules), file=sys.stderr)\nraise SystemExit(rc)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    modules = result.stderr.split()
    assert not [m for m in modules if m.startswith("tools") or "hostile" in m or "manifest" in m]
    assert "fdash.demo" in modules
    assert json.loads(result.stdout)["warnings"] == 0
    demo = next((isolated_home / ".cache" / "fdash").glob("demo-v*"))
    names = {p.name for p in demo.rglob("*") if p.is_file()}
    assert names and all(n.endswith((".jsonl", ".settings.json", ".settings.json.bak")) for n in
                         names - {".favorites", ".complete"}), sorted(names)
