"""The screen: tab bar, the current tab's body, filter bar, status line, footer, and the
floating help / warnings overlays and text dialog. Built once; what it shows is read from
the AppState at every render."""

from __future__ import annotations

import importlib
import threading

from prompt_toolkit.application.current import get_app
from prompt_toolkit.document import Document
from prompt_toolkit.filters import Condition
from prompt_toolkit.layout import (
    ConditionalContainer,
    Container,
    DynamicContainer,
    Float,
    FloatContainer,
    HSplit,
    Layout,
    VSplit,
    Window,
)
from prompt_toolkit.layout.dimension import Dimension
from prompt_toolkit.layout.mouse_handlers import MouseHandlers
from prompt_toolkit.layout.screen import Screen, WritePosition
from prompt_toolkit.widgets import Frame, TextArea

from fdash.tui.controls import LineControl, ListControl
from fdash.tui.lists import SessionList
from fdash.tui.state import AppState
from fdash.tui.views import chrome

HINTS = {"filter": "  Enter keep · Esc cancel ", "search": "  ↑↓ move · Enter results · Esc close "}
NARROW = 80  # fewer columns: the prompt panel replaces the list instead of sitting beside it
WIDE = 110  # from this width the Activity heatmap sits beside the day's sessions
VIEWS = ("overview", "groups", "projects", "sessions", "settings", "activity", "search", "overlays")


def _view(name: str):
    """A view module, imported on first use: the first frame (the loading screen) needs
    none of them, nor Rich, so it is drawn sooner."""
    return importlib.import_module(f"fdash.tui.views.{name}")


def warm_up() -> None:
    """Import the views on a background thread while the data loads."""
    threading.Thread(
        target=lambda: [_view(name) for name in VIEWS], name="fdash-imports", daemon=True
    ).start()


def _size():
    try:
        return get_app().output.get_size()
    except Exception:  # noqa: BLE001 - no app (a unit test building the layout)
        return None


def _columns() -> int:
    size = _size()
    return size.columns if size is not None else 120


def _rows() -> int:
    size = _size()
    return size.rows if size is not None else 40


def _line(get_fragments, style: str = "", focusable: bool = False) -> Window:
    return Window(
        LineControl(get_fragments, focusable=focusable),
        height=1,
        style=style,
        always_hide_cursor=True,
    )


class Switch(DynamicContainer):
    """Shows one of several bodies, but counts all of them as its children: the set of
    controls in the layout never changes, so prompt_toolkit merges the key bindings
    once (swapping bodies in a plain `DynamicContainer` made it re-merge ~1,000
    bindings, ~25 ms, on the first visit to each tab)."""

    def __init__(self, current, bodies: list[Container]):
        super().__init__(current)
        self.bodies = bodies

    def get_children(self) -> list[Container]:
        return list(self.bodies)


class FdashLayout:
    def __init__(self, state: AppState):
        self.state = state
        self.tabbar = _line(
            lambda w: chrome.tab_bar(state, w, self._click_tab), "class:tabbar", True
        )
        self.dialog_input = TextArea(multiline=False, wrap_lines=False, style="class:dialog.input")
        self.filter_input = TextArea(multiline=False, wrap_lines=False, style="class:filterbar")
        for area in (self.dialog_input, self.filter_input):
            area.buffer.on_text_changed += lambda buffer: state.input_changed(buffer.text)
        self._synced = None
        self.bodies = {
            "overview": Window(ListControl(lambda w: _view("overview").model(state, w))),
            "groups": Window(ListControl(lambda w: _view("groups").model(state, w))),
            "projects": HSplit(
                [
                    _line(lambda _w: _view("projects").info(state)),
                    _line(lambda w: _view("projects").header(state, w)),
                    Window(ListControl(lambda w: _view("projects").model(state, w))),
                ]
            ),
            "sessions": self._sessions_body(state.sessions),
            "favorites": self._sessions_body(state.favorites),
            "settings": HSplit(
                [
                    _line(lambda _w: _view("settings").info(state)),
                    Window(ListControl(lambda w: _view("settings").model(state, w))),
                ]
            ),
            "activity": self._activity_body(),
        }
        self.search_body = self._search_body()
        self.loading = Window(ListControl(lambda w: chrome.loading_model(state, w)))
        in_bar = Condition(lambda: state.input is not None and state.input.kind in HINTS)
        dialog = Condition(lambda: state.input is not None and state.input.kind not in HINTS)
        filter_bar = ConditionalContainer(
            VSplit(
                [
                    Window(
                        LineControl(lambda _w: [("class:filterbar.label", self._bar_label())]),
                        width=lambda: len(self._bar_label()),
                        height=1,
                        style="class:filterbar",
                    ),
                    self.filter_input,
                    Window(
                        LineControl(lambda _w: [("class:filterbar", self._bar_hint())]),
                        width=lambda: len(self._bar_hint()),
                        height=1,
                        style="class:filterbar",
                    ),
                ],
                height=1,
            ),
            filter=in_bar,
        )
        root = HSplit(
            [
                self.tabbar,
                self._body(),
                filter_bar,
                _line(lambda w: chrome.status_line(state, w), "class:status"),
                _line(lambda w: chrome.footer(state, w), "class:footer"),
            ],
            # no style: every cell is written by a control (lines are padded to the width)
            # or filled by a styled window, so no pass over every cell paints a background
        )
        overlay = ConditionalContainer(
            Frame(
                Window(ListControl(self._overlay_model)),
                title=self._overlay_title,
                style="class:overlay",
            ),
            filter=Condition(lambda: state.overlay is not None and state.input is None),
        )
        dialog_box = ConditionalContainer(
            Frame(
                HSplit(
                    [
                        self.dialog_input,
                        _line(lambda _w: self._dialog_error(), "class:dialog"),
                        _line(
                            lambda _w: [
                                ("class:dialog.hint", state.input.hint if state.input else "")
                            ],
                            "class:dialog",
                        ),
                    ]
                ),
                title=lambda: state.input.title if state.input else "",
                style="class:dialog",
                width=Dimension(preferred=76, max=90),
            ),
            filter=dialog,
        )
        self.container = FloatContainer(
            root,
            floats=[
                Float(overlay, top=2, bottom=3, left=4, right=4),
                Float(dialog_box),
            ],
        )
        self.layout = Layout(self.container, focused_element=self.tabbar)

    # ------------------------------------------------------------------ pieces

    def _sessions_body(self, lst: SessionList):
        state = self.state
        list_pane = HSplit(
            [
                _line(lambda _w: _view("sessions").info(state, lst)),
                _line(lambda w: _view("sessions").header(state, lst, w)),
                Window(ListControl(lambda w: _view("sessions").model(state, lst, w))),
            ]
        )
        side_pane = HSplit(
            [
                _line(lambda _w: self._side_title(lst)),
                Window(ListControl(lambda w: _view("sessions").side_model(state, lst, w))),
            ],
            width=self._side_width,
        )
        separator = Window(
            width=1,
            char="│",
            style=lambda: "class:separator.focused" if lst.side_focus else "class:separator",
        )
        narrow = Condition(lambda: _columns() < NARROW)
        side_focus = Condition(lambda: lst.side_focus)
        return VSplit(
            [
                ConditionalContainer(list_pane, filter=~narrow | ~side_focus),
                ConditionalContainer(separator, filter=~narrow),
                ConditionalContainer(side_pane, filter=~narrow | side_focus),
            ]
        )

    def _search_body(self):
        state = self.state
        results = HSplit(
            [
                _line(lambda _w: _view("search").info(state)),
                _line(lambda w: _view("search").header(state, w)),
                Window(ListControl(lambda w: _view("search").model(state, w))),
            ]
        )
        side = Window(
            ListControl(lambda w: _view("search").side_model(state, w)), width=self._side_width
        )
        narrow = Condition(lambda: _columns() < NARROW)
        return VSplit(
            [
                results,
                ConditionalContainer(Window(width=1, char="│", style="class:separator"), ~narrow),
                ConditionalContainer(side, filter=~narrow),
            ]
        )

    def _activity_body(self):
        state = self.state

        def chart_height() -> int:
            return _view("activity").chart_rows(_rows()) + 2

        def heat(**size) -> Window:
            return Window(ListControl(lambda w: _view("activity").heat_model(state, w)), **size)

        wide = Condition(lambda: _columns() >= WIDE)
        day = HSplit(
            [
                _line(lambda w: _view("activity").header(state, w)),
                Window(ListControl(lambda w: _view("activity").sessions_model(state, w))),
            ]
        )
        beside = heat(width=lambda: Dimension.exact(_view("activity").heat_width(state)))
        return HSplit(
            [
                _line(lambda _w: _view("activity").info(state)),
                Window(
                    ListControl(
                        lambda w: _view("activity").chart_model(state, w, chart_height())
                    ),
                    height=lambda: Dimension.exact(chart_height()),
                ),
                _line(lambda w: _view("activity").period_line(state, w)),
                VSplit(
                    [
                        day,
                        ConditionalContainer(
                            Window(width=1, char="│", style="class:separator"), wide
                        ),
                        ConditionalContainer(beside, wide),
                    ]
                ),
                ConditionalContainer(heat(height=Dimension(min=3, preferred=12, max=14)), ~wide),
            ]
        )

    def _bar_label(self) -> str:
        request = self.state.input
        return " Search: " if request is not None and request.kind == "search" else " / "

    def _bar_hint(self) -> str:
        request = self.state.input
        return HINTS.get(request.kind if request is not None else "", "")

    @staticmethod
    def _side_width() -> Dimension:
        columns = _columns()
        if columns < NARROW:
            return Dimension()
        return Dimension.exact(max(28, int(columns * 0.32)))

    @staticmethod
    def _side_title(lst: SessionList):
        style = "class:pane.title.focused" if lst.side_focus else "class:pane.title"
        hint = "j k scroll · Esc back" if lst.side_focus else "Tab to scroll"
        return [(style, " Prompts "), ("class:status", f" {hint}")]

    def _body(self) -> Container:
        state = self.state
        parts = {**self.bodies, "search": self.search_body, "loading": self.loading}

        def current() -> Container:
            if state.catalog is None:
                return self.loading
            if state.search.active:
                return self.search_body
            return self.bodies[state.tab]

        return Switch(current, list(parts.values()))

    def _overlay_model(self, width: int):
        if self.state.overlay == "warnings":
            return _view("overlays").warnings_model(self.state, width)
        return _view("overlays").help_model(self.state, width)

    def _overlay_title(self) -> str:
        if self.state.overlay == "warnings":
            return f" Warnings ({self.state.warning_count:,}) — Esc to close "
        return " Keys — Esc to close "

    def _dialog_error(self):
        request = self.state.input
        if request is not None and request.error:
            return [("class:dialog.error", request.error)]
        return []

    def _click_tab(self, tab: str) -> None:
        self.state.set_tab(tab)

    def prerender(self, tab: str, columns: int, rows: int) -> None:
        """Draw `tab` on a throwaway screen, so that its rows, its lines and prompt_toolkit's
        character cache are ready before its first visit (at 10,000 sessions a first
        visit cost ~25 ms more than a later one)."""
        state = self.state
        if state.catalog is None or state.search.active:
            return
        shown, state.tab = state.tab, tab
        try:
            self.container.write_to_screen(
                Screen(), MouseHandlers(), WritePosition(0, 0, columns, rows), "", False, None
            )
        finally:
            state.tab = shown

    # ------------------------------------------------------------------ focus

    def sync(self) -> None:
        """Focus the text input the state asks for (filled with its text), or the tab bar."""
        request = self.state.input
        layout = self.layout
        if request is not None:
            area = self.filter_input if request.kind in HINTS else self.dialog_input
            if self._synced is not request:
                self._synced = request
                area.buffer.set_document(
                    Document(request.text, len(request.text)), bypass_readonly=True
                )
            if not layout.has_focus(area):
                layout.focus(area)
        else:
            self._synced = None
            if not layout.has_focus(self.tabbar):
                layout.focus(self.tabbar)
