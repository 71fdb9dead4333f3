"""The core knows nothing of the screen; --json output imports no UI library."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, cwd=REPO, check=True)
    return set(out.stdout.split())


def test_core_imports_no_ui():
    modules = _modules_after(
        "import fdash.core.catalog, fdash.core.index, fdash.core.aggregate, fdash.core.pricing, "
        "fdash.core.config, fdash.core.titles, fdash.core.resume, fdash.core.export, fdash.core.source"
    )
    assert not {m for m in modules if m.split(".")[0] in ("rich", "prompt_toolkit")}
    assert not {m for m in modules if m.startswith(("fdash.tui", "fdash.cli"))}


def test_json_report_imports_no_ui(observer_root):
    code = (
        "import sys, io, contextlib\nfrom fdash.cli import main\n"
        f"buf = io.StringIO()\nsys.stdout = open('/dev/null', 'w')\nmain(['-d', {str(observer_root)!r}, 'stats', '--json'])\n"
        "sys.stdout = sys.__stdout__"
    )
    modules = _modules_after(code)
    assert not {m for m in modules if m.split(".")[0] in ("rich", "prompt_toolkit", "cattrs", "tomlkit")}


def test_every_package_folder_is_a_package():
    """setuptools' `packages = find:` skips folders without __init__.py: an installed fdash
    would lack them (running from the checkout would hide it)."""
    folders = [p.parent for p in (REPO / "fdash").rglob("*.py") if "__pycache__" not in p.parts]
    assert all((folder / "__init__.py").is_file() for folder in folders), sorted(
        {str(f) for f in folders if not (f / "__init__.py").is_file()})


def test_the_installed_package_runs(tmp_path):
    """README's install (`pip install .`) gives a working fdash: run it isolated from the
    checkout (-I: no current folder on sys.path), on demo data for a new user."""
    import pytest

    probe = subprocess.run([sys.executable, "-I", "-c", "import fdash, sys; print(fdash.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path)
    if probe.returncode != 0 or probe.stdout.strip().startswith(str(REPO / "fdash")):  # editable
        pytest.skip("fdash is not installed (run `pip install .`)")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-I", "-m", "fdash", "--print", "stats", "--json"],
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "DEMO DATA" in result.stderr
