"""The code meets the lint rules of pyproject.toml ([tool.ruff.lint]); README's test command checks it."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def test_ruff_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--quiet", str(REPO)],
                          capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_test_or_tool_reads_outside_the_repository():
    """A user's clone has nothing beside it: no test, tool or default path may name the folder beside it."""
    needle = "../" + "shared"
    offenders = [str(path.relative_to(REPO)) for folder in ("fdash", "tests", "tools", ".ci")
                 for path in (REPO / folder).rglob("*") if path.is_file() and path.suffix in {".py", ""}
                 and needle in path.read_text(errors="replace")]
    assert offenders == []


def test_ci_runs_readme_test_command():
    readme = (REPO / "README.md").read_text()
    block = readme.split("## Run the tests", 1)[1].split("```sh\n", 1)[1].split("\n```", 1)[0]
    assert block.strip() in (REPO / ".ci" / "run").read_text()


def test_the_fast_tier_is_documented_with_the_markers_pyproject_declares():
    import tomlkit

    declared = {m.split(":")[0] for m in tomlkit.parse((REPO / "pyproject.toml").read_text())
                ["tool"]["pytest"]["ini_options"]["markers"]}
    readme = (REPO / "README.md").read_text()
    assert '-m "not slow and not screen and not e2e"' in readme and {"slow", "screen", "e2e"} <= declared
