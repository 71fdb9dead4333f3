"""The screen: tab bar, the current tab's body, filter bar, status line, footer, and the
floating help / warnings overlays and text dialog. Built once; what it shows is read from
the AppState at every render."""

from __future__ import annotations

import threading

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
from prompt_toolkit.widgets import Frame, TextArea

from fdash.tui import chrome
from fdash.tui.controls import LineControl, ListModel
from fdash.tui.panes import NARROW, Lazy, columns, line, listing, separator, side_width
from fdash.tui.state import AppState
from fdash.tui.tabs import TABS

HINTS = {"filter": "  Enter keep · Esc cancel ", "search": "  ↑↓ move · Enter results · Esc close ",
         "find": "  Enter find · Esc cancel "}
search_view = Lazy("fdash.tui.search.view")
overlays = Lazy("fdash.tui.overlays")
transcript_view = Lazy("fdash.tui.transcript.view")


def warm_up() -> None:
    """Import the views on a background thread while the data loads."""
    import importlib

    names = [f"fdash.tui.tabs.{tab.name}.view" for tab in TABS if tab.name != "favorites"]
    names += ["fdash.tui.search.view", "fdash.tui.overlays", "fdash.tui.transcript.view"]
    threading.Thread(
        target=lambda: [importlib.import_module(name) for name in names],
        name="fdash-imports", daemon=True,
    ).start()


class Switch(DynamicContainer):
    """Shows one of several bodies, but counts all of them as its children: the set of
    controls in the layout never changes, so prompt_toolkit merges the key bindings
    once (swapping bodies in a plain `DynamicContainer` made it re-merge every binding
    on the first visit to each tab; docs/PERFORMANCE.md)."""

    def __init__(self, current, bodies: list[Container]):
        super().__init__(current)
        self.bodies = bodies

    def get_children(self) -> list[Container]:
        return list(self.bodies)


class FdashLayout:
    def __init__(self, state: AppState):
        self.app = self.state = state
        self.tabbar = line(
            lambda w: chrome.tab_bar(state, w, self._click_tab), "class:tabbar", True
        )
        self.dialog_input = TextArea(multiline=False, wrap_lines=False, style="class:dialog.input")
        self.filter_input = TextArea(multiline=False, wrap_lines=False, style="class:filterbar")
        for area in (self.dialog_input, self.filter_input):
            area.buffer.on_text_changed += lambda buffer: state.input_changed(buffer.text)
        self._synced = None
        self.bodies = {tab.name: tab.package.body(self, state.tabs[tab.name]) for tab in TABS}
        self.search_body = self._search_body()
        self.transcript_body = transcript_view.body(self)
        self.loading = listing(lambda w: chrome.loading_model(state, w))
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
                line(lambda w: chrome.status_line(state, w), "class:status"),
                line(lambda w: chrome.footer(state, w), "class:footer"),
            ],
            # no style: every cell is written by a control (lines are padded to the width)
            # or filled by a styled window, so no pass over every cell paints a background
        )
        overlay = ConditionalContainer(
            Frame(
                listing(self._overlay_model),
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
                        line(lambda _w: self._dialog_error(), "class:dialog"),
                        line(
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
                Float(self._confirm_box()),
            ],
        )
        self.layout = Layout(self.container, focused_element=self.tabbar)

    # ------------------------------------------------------------------ pieces

    def _confirm_box(self):
        """The yes/no question (resume?): what exactly will happen, Enter or Esc."""
        state = self.state

        def lines(_width):
            confirm = state.confirm
            if confirm is None:
                return []
            room = max(10, columns() - 8)  # a long folder wraps: the command is shown whole
            title, *rest = confirm.lines
            out = [[("class:dialog", " "), ("class:pane.title", title[:room])]]
            for text in rest:
                out += [[("class:dialog", " " + text[i : i + room])]
                        for i in range(0, len(text), room)]
            out.append([("class:dialog.hint", " Enter: yes, go · Esc: no, stay")])
            return out

        def model(width):
            found = lines(width)
            return ListModel(len(found), lambda i, _w: found[i], state.overlay_scroll)

        return ConditionalContainer(
            Frame(
                listing(model, height=lambda: Dimension.exact(len(lines(0)) or 1)),
                title=lambda: state.confirm.title if state.confirm else "",
                style="class:dialog",
                width=lambda: Dimension(preferred=max(
                    [len(t) for t in (state.confirm.lines if state.confirm else ())] + [40]) + 4,
                    max=max(20, columns() - 4)),
            ),
            filter=Condition(lambda: state.confirm is not None),
        )

    def _search_body(self):
        state = self.state
        results = HSplit(
            [
                line(lambda _w: search_view.info(state)),
                line(lambda w: search_view.header(state, w)),
                listing(lambda w: search_view.model(state, w)),
            ]
        )
        side = listing(lambda w: search_view.side_model(state, w), width=side_width)
        narrow = Condition(lambda: columns() < NARROW)
        return VSplit(
            [
                results,
                ConditionalContainer(separator(), ~narrow),
                ConditionalContainer(side, filter=~narrow),
            ]
        )

    def _bar_label(self) -> str:
        request = self.state.input
        kind = request.kind if request is not None else ""
        return {"search": " Search: ", "find": " Find: "}.get(kind, " / ")

    def _bar_hint(self) -> str:
        request = self.state.input
        return HINTS.get(request.kind if request is not None else "", "")

    def _body(self) -> Container:
        state = self.state
        parts = {**self.bodies, "search": self.search_body, "transcript": self.transcript_body,
                 "loading": self.loading}

        def current() -> Container:
            if state.catalog is None:
                return self.loading
            if state.transcript is not None:
                return self.transcript_body
            if state.search.active:
                return self.search_body
            return self.bodies[state.tab]

        return Switch(current, list(parts.values()))

    def _overlay_model(self, width: int):
        if self.state.overlay == "warnings":
            return overlays.warnings_model(self.state, width)
        return overlays.help_model(self.state, width)

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
