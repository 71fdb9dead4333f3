"""The one key table: every key is one row, and the key bindings, the footer and the help
overlay are all generated from these rows (a test checks that every binding is in the
help and every row is bound).

A row's `when` says where it works: `everywhere` (no overlay, no text input), `free` (also
over the help/warnings overlay), `tab` (in the tab whose KEYS hold it, not over search
results), `results` (the search results), `search bar`, `typing` (a dialog or the filter bar), `confirm` (a yes/no
question). Its action gets the app's state.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from attrs import evolve, frozen

if TYPE_CHECKING:
    from fdash.tui.state import AppState

NAMES = {
    "up": "↑", "down": "↓", "left": "←", "right": "→", "pageup": "PgUp", "pagedown": "PgDn",
    "home": "Home", "end": "End", "enter": "Enter", "escape": "Esc", "tab": "Tab",
    "s-tab": "S-Tab", "c-c": "Ctrl-C", "space": "Space", "delete": "Del",
}


def shown(keys: tuple[str, ...]) -> str:
    """How the help writes a row's keys: `↑↓ j k`, digits as a range (`1-7`)."""
    if len(keys) > 2 and all(k.isdigit() for k in keys):
        return f"{keys[0]}-{keys[-1]}"
    out: list[str] = []
    for key in keys:
        name = NAMES.get(key, key)
        if out and len(name) == 1 and not name.isascii() and len(out[-1]) == 1 and not out[-1].isascii():
            out[-1] += name  # arrows side by side: ↑↓
        else:
            out.append(name)
    return " ".join(out)


@frozen
class Key:
    keys: tuple[str, ...]  # prompt_toolkit key names, each bound to the action
    what: str
    action: Callable[[AppState], None] | dict[str, Callable[[AppState], None]]  # or per key
    when: str = ""  # "" = the section's
    footer: bool = True  # also shown in the footer
    eager: bool = False  # do not wait to see whether a longer key sequence starts

    @property
    def label(self) -> str:
        return shown(self.keys)


@frozen
class Section:
    title: str
    when: str  # where its rows work (a tab: "tab:<name>")
    rows: tuple[Key, ...]
    mouse: tuple[tuple[str, str], ...] = ()  # (what, does): for the help only


def _tab_row() -> Key:
    from fdash.tui.tabs import TABS

    numbers = {str(n): tab.name for n, tab in enumerate(TABS, 1)}
    return Key(
        tuple(numbers), "tabs",
        {key: (lambda app, name=name: app.set_tab(name)) for key, name in numbers.items()},
    )


EVERYWHERE = (
    Key(("/",), "search prompts", lambda app: app.open_search(), when="browsing"),
    Key(("d",), "dark/light", lambda app: app.toggle_dark()),
    Key(("r",), "refresh", lambda app: app.refresh()),
    Key(("w",), "warnings", lambda app: app.toggle_overlay("warnings"), when="free"),
    Key(("?",), "help", lambda app: app.toggle_overlay("help"), when="free"),
    Key(("q",), "quit", lambda app: app.quit()),
    Key(("c-c",), "quit", lambda app: app.quit(), when="free", footer=False),
    Key(("escape",), "back: close, leave the pane, clear the filter", lambda app: app.escape(),
        when="free", footer=False),
)

MOVING = (
    Key(("up", "down", "k", "j"), "move / scroll", {
        "up": lambda app: app.move(-1), "k": lambda app: app.move(-1),
        "down": lambda app: app.move(1), "j": lambda app: app.move(1),
    }),
    Key(("pageup", "pagedown"), "page up / down",
        {"pageup": lambda app: app.page(-1), "pagedown": lambda app: app.page(1)}),
    Key(("home", "end"), "first / last",
        {"home": lambda app: app.home(), "end": lambda app: app.end()}),
)

VIEW = Key(("v",), "view the transcript", lambda app: app.open_transcript())

TRANSCRIPT = (
    Key(("escape",), "back", lambda app: app.escape()),
    Key(("/",), "find", lambda app: app.find_in_transcript()),
    Key(("n", "N"), "next/previous",
        {"n": lambda app: app.find_again(True), "N": lambda app: app.find_again(False)}),
    Key(("t",), "thinking", lambda app: app.transcript.toggle("thinking")),
    Key(("i",), "injected context", lambda app: app.transcript.toggle("context")),
    Key(("O",), "tool input and output", lambda app: app.transcript.toggle("output")),
    Key(("c",), "connect (resume in droid)", lambda app: app.connect()),
)

RESULTS = (
    Key(("enter",), "show in Sessions", lambda app: app.open_session()),
    VIEW,
    Key(("c",), "connect (resume in droid)", lambda app: app.connect()),
    Key(("f",), "favorite", lambda app: app.toggle_favorite()),
    Key(("y",), "copy the session id", lambda app: app.copy_id()),
)

SEARCH_BAR = (
    Key(("up", "down"), "move in the results",
        {"up": lambda app: app.search.move(-1), "down": lambda app: app.search.move(1)}),
)

CONFIRM = (
    Key(("enter",), "yes, go", lambda app: app.answer(True)),
    Key(("escape", "c-c"), "no, stay", lambda app: app.answer(False), eager=True),
)

# what Enter does in the text field of each kind of question (the footer says it)
ENTER_DOES = {"filter": "keep the filter", "search": "see the results", "find": "find",
              "title": "save the title", "setting": "save"}

TYPING = (
    Key(("enter",), "done (save, keep the filter, see the results)", lambda app: app.submit_input()),
    # eager: Esc leaves at once, without waiting to see whether it starts an Alt-key
    # sequence of the text field (its readline keys; ~0.5 s otherwise)
    Key(("escape",), "cancel", lambda app: app.cancel_input(), eager=True),
    Key(("c-c",), "cancel", lambda app: app.cancel_input(), footer=False),
)


@cache
def sections() -> tuple[Section, ...]:
    """Every row, by where it works, in the order the help shows them."""
    from fdash.tui.tabs import TABS

    found = [
        Section("Everywhere", "everywhere", (_tab_row(), *EVERYWHERE)),
        Section("Moving", "free", MOVING),
    ]
    for tab in TABS:
        package = tab.package
        found.append(Section(tab.title, f"tab:{tab.name}", package.KEYS, package.MOUSE))
    found += [
        Section("Transcript (v)", "transcript", TRANSCRIPT),
        Section("Search results (/)", "results", RESULTS),
        Section("Search bar", "search bar", SEARCH_BAR),
        Section("A question (resume?)", "confirm", CONFIRM),
        Section("Dialogs and the filter bar", "typing", TYPING),
    ]
    return tuple(found)


def help_sections() -> list[Section]:
    """The sections the help shows: tabs with the same keys share one (Sessions and
    Favorites); a tab with no keys of its own has none."""
    merged: list[Section] = []
    for section in sections():
        if not section.rows:
            continue
        same = next((i for i, s in enumerate(merged) if s.rows is section.rows), None)
        if same is not None:
            s = merged[same]
            merged[same] = Section(f"{s.title}, {section.title}", s.when, s.rows, s.mouse)
        else:
            merged.append(section)
    return merged


def footer_rows(app: AppState) -> list[Key]:
    """The keys the footer shows now."""
    by_when = {s.when: s.rows for s in sections()}
    request = app.input
    if app.confirm is not None:
        rows = CONFIRM
    elif request is not None:
        enter = ENTER_DOES.get(request.kind, "done")
        rows = tuple(evolve(r, what=enter) if r is TYPING[0] else r for r in by_when["typing"])
        if request.kind == "search":
            rows = by_when["search bar"] + rows
    elif app.overlay is not None:
        rows = MOVING[:1] + EVERYWHERE[-1:]
    elif app.transcript is not None:
        rows = by_when["transcript"] + tuple(r for r in by_when["everywhere"] if r.when != "browsing")
    elif app.search.active:
        rows = RESULTS + EVERYWHERE
    else:
        rows = by_when[f"tab:{app.tab}"] + by_when["everywhere"]
    return [row for row in rows if row.footer]


def bindings(app: AppState, after: Callable[[], None] = lambda: None):
    """The prompt_toolkit key bindings of every row. Each calls its action, then lets the
    layout catch up (`after`: focus the text input that opened, or give focus back)."""
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings

    from fdash.tui.tabs import TABS

    kb = KeyBindings()
    asking = Condition(lambda: app.confirm is not None)
    typing = Condition(lambda: app.input is not None) & ~asking
    normal = Condition(lambda: app.input is None and app.overlay is None) & ~asking
    searching = Condition(lambda: app.search.active)
    reading = Condition(lambda: app.transcript is not None)
    filters = {
        "everywhere": normal,
        "browsing": normal & ~reading,
        "transcript": normal & reading,
        "free": ~typing & ~asking,
        "results": normal & searching & ~reading,
        "search bar": Condition(lambda: app.input is not None and app.input.kind == "search")
        & ~asking,
        "typing": typing,
        "confirm": asking,
    }
    for tab in TABS:
        filters[f"tab:{tab.name}"] = normal & ~searching & ~reading & Condition(
            lambda name=tab.name: app.tab == name
        )

    def add(row: Key, key: str, when: str, action: Callable[[AppState], None]) -> None:
        def handler(_event) -> None:
            if app.input is None:
                app.clear_message()
            action(app)
            after()

        handler.row = row  # for the test that every binding is in the help
        kb.add(key, filter=filters[when], eager=row.eager)(handler)

    for section in sections():
        for row in section.rows:
            when = row.when or section.when
            for key in row.keys:
                action = row.action[key] if isinstance(row.action, dict) else row.action
                add(row, key, when, action)
    return kb
