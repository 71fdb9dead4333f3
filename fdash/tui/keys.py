"""Key bindings: each one calls an AppState action, then lets the layout catch up
(`after`: focus the text input when one opened, give focus back when it closed)."""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

from fdash.core.config import TABS
from fdash.tui.keymap import PROJECT_SORT_KEYS
from fdash.tui.state import AppState


def create_key_bindings(state: AppState, after: Callable[[], None] = lambda: None) -> KeyBindings:
    kb = KeyBindings()
    typing = Condition(lambda: state.input is not None)
    overlay = Condition(lambda: state.input is None and state.overlay is not None)
    normal = Condition(lambda: state.input is None and state.overlay is None)
    free = ~typing  # normal or overlay
    searching = Condition(lambda: state.search.active)  # the results replace the tab
    search_typing = Condition(lambda: state.input is not None and state.input.kind == "search")

    def on(*keys: str, filter=normal, tabs: tuple[str, ...] | None = None, eager: bool = False):
        condition = filter
        if tabs is not None:
            condition = condition & ~searching & Condition(lambda: state.tab in tabs)

        def register(action: Callable[[KeyPressEvent], None]):
            def handler(event: KeyPressEvent) -> None:
                if state.input is None:
                    state.clear_message()
                action(event)
                after()

            kb.add(*keys, filter=condition, eager=eager)(handler)
            return action

        return register

    # ---------------------------------------------------------------- everywhere
    for number, tab in enumerate(TABS, 1):
        on(str(number))(lambda _e, tab=tab: state.set_tab(tab))
    on("/")(lambda _e: state.open_search())
    on("d")(lambda _e: state.toggle_dark())
    on("r")(lambda _e: state.reload())
    on("q")(lambda _e: state.quit())
    on("c-c", filter=free)(lambda _e: state.quit())
    on("?", filter=free)(lambda _e: state.toggle_overlay("help"))
    on("w", filter=free)(lambda _e: state.toggle_overlay("warnings"))
    on("escape", filter=free)(lambda _e: state.escape())
    on("q", filter=overlay)(lambda _e: state.escape())

    # ---------------------------------------------------------------- movement (routed by the state)
    on("up", filter=free)(lambda _e: state.move(-1))
    on("k", filter=free)(lambda _e: state.move(-1))
    on("down", filter=free)(lambda _e: state.move(1))
    on("j", filter=free)(lambda _e: state.move(1))
    on("pageup", filter=free)(lambda _e: state.page(-1))
    on("pagedown", filter=free)(lambda _e: state.page(1))
    on("home", filter=free)(lambda _e: state.home())
    on("end", filter=free)(lambda _e: state.end())
    on("tab")(lambda _e: state.next_pane())
    on("s-tab")(lambda _e: state.next_pane())

    # ---------------------------------------------------------------- projects
    projects = ("projects",)
    for key, column in PROJECT_SORT_KEYS.items():
        on(key, tabs=projects)(lambda _e, column=column: state.projects.sort_by(column))
    on("s", tabs=projects)(lambda _e: state.projects.cycle_sort())
    on("o", tabs=projects)(lambda _e: state.projects.reverse())

    # ---------------------------------------------------------------- sessions, favorites
    lists = ("sessions", "favorites")
    on("s", tabs=lists)(lambda _e: state.current_list.cycle_sort())
    on("o", tabs=lists)(lambda _e: state.current_list.reverse())
    on("g", tabs=lists)(lambda _e: state.current_list.cycle_grouping())
    on("h", tabs=lists)(lambda _e: state.current_list.toggle_hide_empty())
    on("a", tabs=lists)(lambda _e: state.current_list.toggle_fold())
    on("F", tabs=lists)(lambda _e: state.open_filter())
    on("f", tabs=lists)(lambda _e: state.toggle_favorite())
    on("e", tabs=lists)(lambda _e: state.edit_title())
    on("c", tabs=lists)(lambda _e: state.connect())
    on("enter", tabs=lists)(lambda _e: state.next_pane())

    # ---------------------------------------------------------------- activity
    activity = ("activity",)
    for key, step in (("left", -1), ("h", -1), ("right", 1), ("l", 1)):
        on(key, tabs=activity)(lambda _e, step=step: state.activity.step(step))
    on("m", tabs=activity)(lambda _e: state.activity.toggle_metric())
    on("p", tabs=activity)(lambda _e: state.activity.cycle_unit())
    on("enter", tabs=activity)(lambda _e: state.open_session())
    on("c", tabs=activity)(lambda _e: state.connect())

    # ---------------------------------------------------------------- search results
    results = normal & searching
    on("enter", filter=results)(lambda _e: state.open_session())
    on("c", filter=results)(lambda _e: state.connect())
    on("f", filter=results)(lambda _e: state.toggle_favorite())
    on("up", filter=search_typing)(lambda _e: state.search.move(-1))
    on("down", filter=search_typing)(lambda _e: state.search.move(1))

    # ---------------------------------------------------------------- settings
    settings = ("settings",)
    on("enter", tabs=settings)(lambda _e: state.settings.activate())
    on("space", tabs=settings)(lambda _e: state.settings.activate())
    on("right", tabs=settings)(lambda _e: state.settings.cycle(1))
    on("left", tabs=settings)(lambda _e: state.settings.cycle(-1))
    on("a", tabs=settings)(lambda _e: state.settings.add_model())
    on("x", tabs=settings)(lambda _e: state.settings.delete())
    on("delete", tabs=settings)(lambda _e: state.settings.delete())

    # ---------------------------------------------------------------- text input (dialog, filter bar)
    on("enter", filter=typing)(lambda _e: state.submit_input())
    # eager: Esc leaves at once, without waiting to see whether it starts an Alt-key
    # sequence of the text field (its readline keys; ~0.5 s otherwise)
    on("escape", filter=typing, eager=True)(lambda _e: state.cancel_input())
    on("c-c", filter=typing)(lambda _e: state.cancel_input())
    return kb
