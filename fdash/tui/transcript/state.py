"""The transcript view as data: one session's transcript, read lazily by a `Pager` (only
the lines on screen are decoded), its position, what is unfolded and the text found.
No UI imports; the app opens it with `v` and closes it with Esc."""

from __future__ import annotations

from fdash.core.models import Entry
from fdash.core.text import one_line
from fdash.core.transcript.pager import Hit, Pager
from fdash.core.transcript.rows import Layout, Row

TOGGLES = ("thinking", "context", "output")


class TranscriptView:
    def __init__(self, entry: Entry, width: int = 80):
        self.entry = entry
        self.pager = Pager(entry.session.transcript_path, Layout(width=width))
        self.height = 20
        self.query = ""
        self.error: str | None = None

    # ------------------------------------------------------------------ drawing

    def rows(self, width: int, height: int) -> list[tuple[int, int, Row]]:
        """(line, row, Row) of the `height` rows on screen, laid out for `width`."""
        self.height = max(1, height)
        pager = self.pager
        try:
            if pager.layout.width != width:
                pager.set_layout(width=max(20, width))
            pager.clamp(self.height)
            return pager.window(self.height)
        except OSError as exc:
            self.error = f"cannot read the transcript: {exc.strerror or exc}"
            return []

    @property
    def hit(self) -> Hit | None:
        return self.pager.hit

    def position(self) -> str:
        count = len(self.pager)
        line = min(self.pager.top[0] + 1, count)
        return f"line {line:,} of {count:,} ({round(100 * self.pager.fraction())}%)"

    def shown(self) -> str:
        layout = self.pager.layout
        return " · ".join(f"{name} {'shown' if getattr(layout, name) else 'folded'}" for name in TOGGLES)

    # ------------------------------------------------------------------ keys

    def move(self, delta: int) -> None:
        self._safely(self.pager.scroll, delta)

    def page(self, pages: int) -> None:
        self._safely(self.pager.scroll, pages * max(1, self.height - 2))

    def home(self) -> None:
        self.pager.home()

    def end(self) -> None:
        self._safely(self.pager.end, self.height)

    def toggle(self, name: str) -> None:
        """Show or fold thinking, injected context or every tool's input and output."""
        self.pager.set_layout(**{name: not getattr(self.pager.layout, name)})

    def find(self, query: str, forward: bool = True) -> str | None:
        """Go to the next (previous) place holding `query`; what to tell the user."""
        query = query.strip()
        if not query:
            return None
        self.query = query
        hit = self._safely(self.pager.find, query, forward)
        if hit is None:
            return f"“{one_line(query, 60)}” is not in this transcript"
        if self.pager.wrapped:
            return "search went round to the " + ("top" if forward else "bottom")
        return None

    def refresh(self) -> None:
        self._safely(self.pager.refresh)

    def _safely(self, action, *args):
        try:
            self.error = None
            return action(*args)
        except OSError as exc:
            self.error = f"cannot read the transcript: {exc.strerror or exc}"
            return None
