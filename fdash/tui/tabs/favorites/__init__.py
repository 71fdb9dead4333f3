"""Favorites: the Sessions list of the sessions marked with `f`."""

from __future__ import annotations

from fdash.tui.tabs import sessions
from fdash.tui.tabs.sessions.state import SessionList


class State(SessionList):
    favorites_only = True


KEYS = sessions.KEYS
MOUSE = sessions.MOUSE
body = sessions.body
