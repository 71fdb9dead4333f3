"""Settings: every config setting on one list, edited with the keyboard, saved on change."""

from __future__ import annotations

from prompt_toolkit.layout import HSplit

from fdash.tui.keys import Key
from fdash.tui.panes import Lazy, line, listing
from fdash.tui.tabs.settings.state import SettingsState

State = SettingsState
view = Lazy("fdash.tui.tabs.settings.view")

KEYS = (
    Key(("enter", "space"), "toggle / next value / edit", lambda app: app.current.activate()),
    Key(("left", "right"), "previous / next value",
        {"left": lambda app: app.current.cycle(-1), "right": lambda app: app.current.cycle(1)}),
    Key(("+",), "add a model price", lambda app: app.current.add_model()),
    Key(("x", "delete"), "remove a model price", lambda app: app.current.delete()),
)
MOUSE = (("click", "a setting selects it"),)


def body(screen, settings: SettingsState):
    app = screen.app
    return HSplit([line(lambda w: view.info(app, w)), listing(lambda w: view.model(app, w))])
