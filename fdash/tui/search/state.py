"""`/`: search every session's prompts, title and project (pure data, no UI imports).

The words are matched by `fdash.core.search.Searcher`, built once per content version
from the index's prompt texts (no transcript is read): every word must occur, case does
not matter, newest first. Only the matching sessions are listed eagerly; the excerpt
and its highlights (`hit`) are made for the rows on screen. The selection follows the
selected session when the query or the data changes.
"""

from __future__ import annotations

from fdash.core.models import Entry
from fdash.core.search import Hit, hit, words_of
from fdash.core.text import one_line
from fdash.tui.context import Context
from fdash.tui.cursor import Cursor, Scroll, Selection


class SearchState(Selection):
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.active = False  # the results are shown instead of the current tab
        self.query = ""
        self.cursor = Cursor()
        self.side = Scroll()  # the prompt panel of the selected session
        self.selected_id: str | None = None
        self._key: tuple | None = None
        self._found: list[Entry] = []
        self._positions: list[int] = []  # of `_found` in the searcher's entries
        self._order: tuple = (None, {})

    @property
    def found(self) -> list[Entry]:
        """The sessions matching the query, newest first (as the index last read them)."""
        data = self.ctx.data
        key = (data.content, self.query)
        if key != self._key:
            searcher = data.searcher if data.catalog else None
            within = self._positions if self._narrows(key) else None
            self._positions = searcher.positions(self.query, within) if searcher else []
            self._found = [searcher.entries[i] for i in self._positions] if searcher else []
            self._key = key
            index = self._index_of(self.selected_id)
            if index is None:
                self.cursor.home(len(self._found))
                self._remember()
            else:
                self.cursor.index = index
        return self._found

    def _index_of(self, session_id: str | None) -> int | None:
        """Where that session is among the results (None: not there)."""
        if session_id is None or not self._positions:
            return None
        searcher = self.ctx.data.searcher
        if self._order[0] is not searcher:  # the searcher's position of each session id
            self._order = (searcher, {e.session.id: i for i, e in enumerate(searcher.entries)})
        try:
            return self._positions.index(self._order[1].get(session_id, -1))
        except ValueError:
            return None

    def _narrows(self, key: tuple) -> bool:
        """Whether the new query only narrows the last one (each old word is inside a new
        word, the data unchanged): then only the last matches need looking at."""
        if self._key is None or self._key[0] != key[0]:
            return False
        old, new = words_of(self._key[1]), words_of(self.query)
        return bool(old) and all(any(w in n for n in new) for w in old)

    def entry(self, index: int) -> Entry | None:
        """The session of result `index` as it is now (its favorite mark included)."""
        found = self.found
        if not 0 <= index < len(found):
            return None
        data = self.ctx.data
        position = data.where.get(found[index].session.id, -1)
        return data.entries[position] if position >= 0 else found[index]

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
