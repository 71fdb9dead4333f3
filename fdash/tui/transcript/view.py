"""Draws the transcript view: a title line, the session's outcome facts and position, and
the rows of the transcript on screen (only those are laid out; `TranscriptControl`)."""

from __future__ import annotations

from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.layout import HSplit, Window
from prompt_toolkit.layout.controls import UIContent, UIControl
from prompt_toolkit.mouse_events import MouseEvent, MouseEventType

from fdash.core.text import one_line
from fdash.core.transcript.rows import shorten
from fdash.core.transcript.summary import outcome_line, tools_line
from fdash.tui.controls import WHEEL_LINES, padded
from fdash.tui.panes import line


def body(screen):
    """Over the whole body: title, facts and position, the transcript."""
    app = screen.app
    return HSplit(
        [
            line(lambda w: title_line(app, w)),
            line(lambda w: facts_line(app, w)),
            Window(TranscriptControl(app)),
        ]
    )


def title_line(app, width: int) -> StyleAndTextTuples:
    view = app.transcript
    if view is None:
        return []
    session = view.entry.session
    title = one_line(session.title, 200) or "(untitled)"
    right = f"  {session.id[:8]} · {one_line(session.project, 80)}"
    return [("class:transcript.title", shorten(" " + title, max(10, width - len(right)))),
            ("class:transcript.facts", shorten(right, width))]


def facts_line(app, width: int) -> StyleAndTextTuples:
    view = app.transcript
    if view is None:
        return []
    if view.error:
        return [("class:status.error", shorten(" " + view.error, width))]
    session = view.entry.session
    where = f"  {view.position()}"
    facts = f" {outcome_line(session)} · {tools_line(session, 4)}"
    return [("class:transcript.facts", shorten(facts, max(10, width - len(where)))),
            ("class:transcript.position", where)]


class TranscriptControl(UIControl):
    """The transcript's rows for the size of its window; the found text highlighted."""

    def __init__(self, app):
        self.app = app

    def is_focusable(self) -> bool:
        return False

    def create_content(self, width: int, height: int) -> UIContent:
        view = self.app.transcript
        rows = view.rows(width, height) if view is not None else []
        hit = view.hit if view is not None else None
        blank: StyleAndTextTuples = [("", " " * width)]

        def get_line(y: int) -> StyleAndTextTuples:
            if y >= len(rows):
                return blank
            line, number, row = rows[y]
            style = f"class:transcript.{row.style}"
            text = row.text
            if hit is not None and hit.line == line and hit.row == number and hit.end > hit.start:
                return padded([(style, text[: hit.start]), ("class:transcript.hit", text[hit.start : hit.end]),
                               (style, text[hit.end :])], width)
            return padded([(style, text)], width)

        return UIContent(get_line=get_line, line_count=max(len(rows), height), show_cursor=False)

    def mouse_handler(self, mouse_event: MouseEvent):
        view = self.app.transcript
        if view is None:
            return NotImplemented
        if mouse_event.event_type == MouseEventType.SCROLL_UP:
            view.move(-WHEEL_LINES)
        elif mouse_event.event_type == MouseEventType.SCROLL_DOWN:
            view.move(WHEEL_LINES)
        else:
            return NotImplemented
        return None
