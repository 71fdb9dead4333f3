"""`/`: search every session's prompts, title and project (pure data, no UI imports).

The words are matched by `fdash.core.search.Searcher`, built once per content version
from the index's prompt texts (no transcript is read): every word must occur, case does
not matter, newest first. Only the matching sessions are listed eagerly; the excerpt
and its highlights (`hit`) are made for the rows on screen. The selection follows the
selected session when the query or the data changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fdash.core.models import Entry
from fdash.core.search import Hit, hit
from fdash.core.text import one_line
from fdash.tui.cursor import Cursor, Scroll, Selection

if TYPE_CHECKING:
    from fdash.tui.state import AppState


class SearchState(Selection):
    def __init__(self, app: AppState):
        self.app = app
        self.active = False  # the results are shown instead of the current tab
        self.query = ""
        self.cursor = Cursor()
        self.side = Scroll()  # the prompt panel of the selected session
        self.selected_id: str | None = None
        self._key: tuple | None = None
        self._found: list[Entry] = []

    @property
    def found(self) -> list[Entry]:
        """The sessions matching the query, newest first (as the index last read them)."""
        app = self.app
        key = (app.content_version, app.generation, self.query)
        if key != self._key:
            self._key = key
            self._found = app.fact("searcher").matching(self.query) if app.catalog else []
            index = next(
                (i for i, e in enumerate(self._found) if e.session.id == self.selected_id), None
            )
            if index is None:
                self.cursor.home(len(self._found))
                self._remember()
            else:
                self.cursor.index = index
        return self._found

    def entry(self, index: int) -> Entry | None:
        """The session of result `index` as it is now (its favorite mark included)."""
        found = self.found
        if not 0 <= index < len(found):
            return None
        position = self.app.fact("where").get(found[index].session.id, -1)
        return self.app.entries[position] if position >= 0 else found[index]

    def hit(self, index: int) -> Hit:
        return hit(self.found[index], self.query)

    def selected_entry(self) -> Entry | None:
        return self.entry(self.cursor.index)

    def _remember(self) -> None:
        found = self._found
        i = self.cursor.index
        new = found[i].session.id if 0 <= i < len(found) else None
        if new != self.selected_id:
            self.side.home()
        self.selected_id = new

    # ------------------------------------------------------------------ actions

    def set_query(self, text: str) -> None:
        self.query = one_line(text, 200)

    def count(self) -> int:
        return len(self.found)
