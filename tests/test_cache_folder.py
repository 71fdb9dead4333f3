"""A cache folder fdash cannot write (read-only, or a file where the folder should be):
everything works without the index, and fdash says why once (issue 15, case 7)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from fdash.core.catalog import load_catalog
from fdash.core.config import Config

from .conftest import REPO, run_cli
from .test_hostile import _without_dac


def _cache_is_a_file() -> str:
    cache = os.path.join(os.environ["XDG_CACHE_HOME"], "fdash")
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, "w") as out:
        out.write("not a folder")
    return cache


def test_a_file_where_the_cache_folder_should_be(observer_root):
    cache = _cache_is_a_file()
    for _ in range(2):
        catalog = load_catalog(observer_root, Config())
        assert len(catalog.entries) == 3
        reasons = [p.reason for p in catalog.problems]
        assert reasons == [f"index not saved ({cache} is not a folder); fdash reads every session each time"]


@pytest.mark.slow
def test_reports_and_demo_data_work_with_an_unwritable_cache(observer_root):
    cache = _cache_is_a_file()
    result = run_cli("stats", "--json", "-v", "-d", str(observer_root))
    assert result.returncode == 0 and b"index not saved" in result.stderr, result.stderr
    result = run_cli("stats")  # no ~/.factory/sessions: the demo history, made elsewhere
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert f"the cache folder {cache} cannot hold it" in err and "internal error" not in err


@pytest.mark.slow
def test_a_read_only_cache_folder_for_real(observer_root):
    prefix = _without_dac()
    if prefix is None:
        import pytest  # noqa: PLC0415

        pytest.skip("cannot drop root's file-permission override here")
    cache = os.path.join(os.environ["XDG_CACHE_HOME"], "fdash")
    os.makedirs(cache)
    os.chmod(cache, 0o555)
    try:
        for args in (["stats", "-v", "-d", str(observer_root)], ["stats"]):
            result = subprocess.run([*prefix, sys.executable, "-m", "fdash", *args], capture_output=True,
                                    timeout=120, cwd=REPO)
            assert result.returncode == 0, result.stderr
            assert b"Permission denied" in result.stderr and b"internal error" not in result.stderr
    finally:
        os.chmod(cache, 0o755)
