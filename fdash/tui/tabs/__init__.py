"""The tabs, in the order of the tab bar and their number keys: one row each.

A tab is a folder `fdash/tui/tabs/<name>/` whose `__init__.py` gives

    State   its state: built with a `fdash.tui.context.Context`, no UI imports
    KEYS    its keys, rows of the one key table (`fdash.tui.keys.Key`)
    MOUSE   what a click does in it, for the help (may be empty)
    body(screen) -> the prompt_toolkit container it shows (its view, `view.py`, is
            imported on first use: the first frame needs no Rich)

and one row below. tests/tui/test_structure.py checks that each folder has a row, each
row a folder, and that they match the names the config accepts (`[display] default_tab`).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from attrs import frozen


@frozen
class Tab:
    name: str
    title: str
    short: str  # on a narrow tab bar (80 columns), for the tabs not on screen

    @property
    def package(self) -> ModuleType:
        return importlib.import_module(f"{__name__}.{self.name}")


TABS: tuple[Tab, ...] = (
    Tab("overview", "Overview", "Over"),
    Tab("groups", "Groups", "Grps"),
    Tab("projects", "Projects", "Proj"),
    Tab("sessions", "Sessions", "Sess"),
    Tab("favorites", "Favorites", "Favs"),
    Tab("settings", "Settings", "Sett"),
    Tab("activity", "Activity", "Actv"),
)
NAMES = tuple(tab.name for tab in TABS)
TITLES = {tab.name: tab.title for tab in TABS}
