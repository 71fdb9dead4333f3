"""Shared test fixtures: an isolated home, the real droid-written fixtures, generated data."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
PUBLIC = FIXTURES / "public"  # real droid-written files from public repos (README there)
OBSERVER = PUBLIC / "superbased-observer"
ZIRV = PUBLIC / "zirv" / "session.jsonl"
PRICING_FACTS = FIXTURES / "pricing-facts.json"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Nothing a test runs may touch the real home, config or cache."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def observer_root(tmp_path) -> Path:
    """A writable copy of the real superbased-observer sessions root."""
    root = tmp_path / "sessions"
    shutil.copytree(OBSERVER, root)
    for path in root.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root


def load_generator():
    """The test corpus generator (tools/sessiongen; the repository's root is on sys.path)."""
    from tools import sessiongen

    return sessiongen


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """A generated history of 300 sessions (both layouts, favorites, odd models) + manifest."""
    root = tmp_path_factory.mktemp("gen") / "sessions"
    manifest = load_generator().generate(root, sessions=300, seed=11, avg_kb=6)
    return root, manifest


def run_cli(*args: str, env_extra: dict | None = None, input_bytes: bytes | None = None):
    """Run `python -m fdash` in a subprocess; returns CompletedProcess (bytes)."""
    import subprocess

    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "fdash", *args], capture_output=True, env=env, input=input_bytes,
        cwd=REPO, timeout=120,
    )
