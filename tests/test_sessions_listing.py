"""`fdash sessions` without --limit on a long history (issue 15, case 7): the rows are
printed a part at a time (the first show at once, the cost stays linear), laid out
exactly as the table lays out its first rows."""

from __future__ import annotations

import io

import pytest
from attrs import evolve
from rich.console import Console

from fdash.cli import output
from fdash.cli.views.fitted import PART_ROWS
from fdash.cli.views.sessions import SessionsView
from fdash.core.catalog import load_catalog
from fdash.core.config import Config

from .conftest import OBSERVER


def _many(n: int):
    base = list(load_catalog(OBSERVER, Config(), use_index=False).entries)
    return [
        evolve(b, session=evolve(b.session, id=f"{i:08x}-0000-4000-8000-000000000000", title=f"session {i} " + "é" * (i % 7)),
               favorite=i % 5 == 0)
        for i, b in ((i, base[i % len(base)]) for i in range(n))
    ]


def _render(view, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, force_terminal=False).print(view)
    return out.getvalue().splitlines()


@pytest.mark.slow
def test_a_long_list_is_laid_out_like_one_table():
    n = PART_ROWS * 3 + 7
    entries = _many(n)
    for width in (200, 120):
        lines = _render(SessionsView(entries), width)
        rows = [line for line in lines if "-0000-4000-8000-000000000000" in line]
        assert len(rows) == n
        assert [r.split()[-1] for r in rows] == [e.session.id for e in entries]  # every id whole, in order
        assert len({r.index("-0000-4000-8000-") for r in rows}) == 1  # one column, all the way down
        assert len({r.rstrip().__len__() for r in rows}) == 1
        assert sum("Last active" in line for line in lines) == 1
        assert all(("session " in r) for r in rows)


@pytest.mark.slow
def test_output_prints_it_a_part_at_a_time(monkeypatch):
    printed = []
    real = Console.print
    monkeypatch.setattr(Console, "print", lambda self, *a, **k: printed.append(a) or real(self, *a, **k))
    monkeypatch.setattr(output, "console", lambda: Console(file=io.StringIO(), width=160))
    output.show(SessionsView(_many(PART_ROWS * 4)))
    assert len(printed) >= 4


def test_a_short_list_is_one_table():
    assert len(list(SessionsView(_many(10)).parts(160))) == 1
