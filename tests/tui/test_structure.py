"""The app's one-home rules: a tab is a folder and a registry row; a key is one row of
one table, from which the bindings, the footer and the help are all made."""

from __future__ import annotations

from pathlib import Path

import pytest

from fdash.core.config import TABS as CONFIG_TABS
from fdash.tui import keys, tabs
from fdash.tui.tabs import TABS

from .conftest import make_state

TABS_DIR = Path(tabs.__file__).parent


def test_each_tab_folder_has_a_row_and_each_row_a_folder():
    folders = {p.name for p in TABS_DIR.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == {tab.name for tab in TABS}
    assert tuple(tab.name for tab in TABS) == CONFIG_TABS  # what `default_tab` accepts


@pytest.mark.parametrize("tab", TABS, ids=lambda t: t.name)
def test_a_tab_folder_gives_state_keys_and_body(tab):
    package = tab.package
    assert callable(package.State) and callable(package.body)
    assert all(isinstance(row, keys.Key) for row in package.KEYS)
    assert all(len(pair) == 2 for pair in package.MOUSE)


def _help_text(state) -> str:
    from fdash.tui import overlays

    model = overlays.help_model(state, 200)
    return "\n".join("".join(f[1] for f in model.line(i, 200)) for i in range(model.count))


def test_every_binding_is_in_the_help_and_every_row_is_bound(small):
    state = make_state(small)
    bound = keys.bindings(state).bindings
    rows = {id(row): row for section in keys.sections() for row in section.rows}
    assert all(id(b.handler.row) in rows for b in bound)  # every binding comes from a row
    for row in rows.values():  # every key of every row is bound
        names = {b.keys[0].value if hasattr(b.keys[0], "value") else b.keys[0]
                 for b in bound if b.handler.row is row}
        expected = {{"enter": "c-m", "tab": "c-i", "space": " ", "escape": "escape"}.get(k, k)
                    for k in row.keys}
        assert names == expected, row
    text = _help_text(state)
    for section in keys.help_sections():
        for row in section.rows:
            assert row.label in text and row.what.split()[0] in text, row


def test_keys_once_undocumented_are_in_the_help(small):
    text = _help_text(make_state(small))
    for label in ("Enter", "S-Tab", "Del", "Ctrl-C", "1-7"):
        assert label in text
    results = next(s for s in keys.help_sections() if s.when == "results")
    assert "f" in {k for row in results.rows for k in row.keys}  # favorite in the results


def test_the_tab_range_follows_the_registry():
    assert keys.sections()[0].rows[0].label == f"1-{len(TABS)}"


def test_the_footer_shows_rows_of_the_table(small):
    state = make_state(small)
    state.set_tab("projects")
    shown = keys.footer_rows(state)
    projects = TABS[2].package.KEYS
    assert shown[: len(projects)] == list(projects)


def test_every_letter_means_one_thing():
    """A letter does the same thing in every tab (issue 12: `c` resumed in Sessions but
    sorted by cost in Projects)."""
    meanings: dict[str, set[str]] = {}
    for section in keys.sections():
        for row in section.rows:
            for key in row.keys:
                if len(key) == 1 and key.isalpha():
                    meanings.setdefault(key, set()).add(row.what.split()[0])
    assert {k: m for k, m in meanings.items() if len(m) > 1} == {}
    assert meanings["c"] == {"connect"} and meanings["y"] == {"copy"}
