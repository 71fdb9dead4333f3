"""The Projects table as data: one bucket per project, sorted by any column; the
selection follows the selected project. No UI imports."""

from __future__ import annotations

from collections.abc import Callable

from fdash.core.aggregate import Bucket
from fdash.tui.context import Context, TabState
from fdash.tui.cursor import Cursor, Selection

COLUMNS = ("project", "group", "sessions", "tokens", "active", "cost", "credits")


class ProjectList(TabState, Selection):
    """The Projects table: one bucket per project, sortable by any column."""

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.column = "tokens"
        self.descending = True
        self.cursor = Cursor()
        self.selected_key: str | None = None
        self._key: tuple | None = None
        self._rows: list[Bucket] = []

    @property
    def rows(self) -> list[Bucket]:
        key = (self.ctx.data.serial, self.column, self.descending)
        if key != self._key:
            self._rows = self._build()
            self._key = key
            for i, bucket in enumerate(self._rows):
                if bucket.key == self.selected_key:
                    self.cursor.index = i
                    break
            else:
                self.cursor.clamp(len(self._rows))
                self._remember()
        return self._rows

    def _build(self) -> list[Bucket]:
        buckets = self.ctx.data.by_project
        key = SORT_KEYS[self.column]
        return sorted(buckets, key=lambda b: (key(b), b.key), reverse=self.descending)

    def _remember(self) -> None:
        rows = self._rows
        i = self.cursor.index
        self.selected_key = rows[i].key if 0 <= i < len(rows) else None

    def sort_by(self, column: str) -> None:
        """Sort by `column`; the same column again reverses. Text columns start A→Z."""
        if column == self.column:
            self.descending = not self.descending
        else:
            self.column = column
            self.descending = column not in ("project", "group")

    def cycle_sort(self) -> None:
        i = COLUMNS.index(self.column)
        self.sort_by(COLUMNS[(i + 1) % len(COLUMNS)])

    def reverse(self) -> None:
        self.descending = not self.descending

    def count(self) -> int:
        return len(self.rows)


SORT_KEYS: dict[str, Callable[[Bucket], object]] = {
    "project": lambda b: b.key.lower(),
    "group": lambda b: b.group.lower(),
    "sessions": lambda b: b.sessions,
    "tokens": lambda b: b.tokens.total,
    "active": lambda b: b.active_time_ms,
    "cost": lambda b: (b.cost_usd, b.unpriced_sessions),
    "credits": lambda b: (b.credits, b.no_credit_sessions),
}
