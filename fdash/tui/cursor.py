"""Selection and scrolling over a list that is drawn a window at a time (no UI imports)."""

from __future__ import annotations

from collections.abc import Callable

from attrs import define

SCROLL_MARGIN = 2


@define
class Cursor:
    """A selected index, the first visible row, and the last known page height."""

    index: int = 0
    top: int = 0
    height: int = 20

    def clamp(self, count: int) -> None:
        self.index = max(0, min(self.index, count - 1)) if count else 0

    def window(self, count: int, height: int) -> int:
        """The first row to draw so that the selection is visible (with a margin)."""
        self.height = max(1, height)
        self.clamp(count)
        margin = min(SCROLL_MARGIN, (self.height - 1) // 2)
        if self.index < self.top + margin:
            self.top = self.index - margin
        elif self.index > self.top + self.height - 1 - margin:
            self.top = self.index - self.height + 1 + margin
        self.top = max(0, min(self.top, max(0, count - self.height)))
        return self.top

    def move(self, delta: int, count: int, selectable: Callable[[int], bool] | None = None) -> None:
        """Move by `delta` rows, landing on a selectable row (skipping e.g. group headers)."""
        if not count:
            self.index = 0
            return
        target = max(0, min(self.index + delta, count - 1))
        if selectable is not None and not selectable(target):
            step = 1 if delta >= 0 else -1
            found = _seek(target, step, count, selectable)
            if found is None:
                found = _seek(target, -step, count, selectable)
            if found is None:
                return
            target = found
        self.index = target

    def page(self, pages: int, count: int, selectable: Callable[[int], bool] | None = None) -> None:
        self.move(pages * max(1, self.height - 1), count, selectable)

    def home(self, count: int, selectable: Callable[[int], bool] | None = None) -> None:
        self.index = 0
        self.move(0, count, selectable)

    def end(self, count: int, selectable: Callable[[int], bool] | None = None) -> None:
        self.index = max(0, count - 1)
        self.move(0, count, selectable)


def _seek(start: int, step: int, count: int, selectable: Callable[[int], bool]) -> int | None:
    i = start
    while 0 <= i < count:
        if selectable(i):
            return i
        i += step
    return None


@define
class Scroll:
    """The first visible line of a text taller than its window."""

    top: int = 0
    height: int = 20
    total: int = 0

    def window(self, total: int, height: int) -> int:
        self.total = total
        self.height = max(1, height)
        self.top = max(0, min(self.top, max(0, total - self.height)))
        return self.top

    def by(self, lines: int) -> None:
        self.top = max(0, min(self.top + lines, max(0, self.total - self.height)))

    move = by  # the movement keys

    def page(self, pages: int) -> None:
        self.by(pages * max(1, self.height - 1))

    def home(self) -> None:
        self.top = 0

    def end(self) -> None:
        self.top = max(0, self.total - self.height)


class Selection:
    """What the movement keys do to a list drawn with a `Cursor`. A subclass has a
    `cursor`, gives `count()`, and may give `_remember()` (note the selected item) and
    `selectable(index)` (e.g. not a group header)."""

    cursor: Cursor
    selectable: Callable[[int], bool] | None = None

    def count(self) -> int:
        raise NotImplementedError

    def _remember(self) -> None:
        return None

    def move(self, delta: int) -> None:
        self.cursor.move(delta, self.count(), self.selectable)
        self._remember()

    def page(self, pages: int) -> None:
        self.cursor.page(pages, self.count(), self.selectable)
        self._remember()

    def home(self) -> None:
        self.cursor.home(self.count(), self.selectable)
        self._remember()

    def end(self) -> None:
        self.cursor.end(self.count(), self.selectable)
        self._remember()

    def select(self, index: int) -> None:
        if 0 <= index < self.count() and (self.selectable is None or self.selectable(index)):
            self.cursor.index = index
            self._remember()
