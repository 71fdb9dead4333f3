"""AppState: everything the full-screen app knows, and every action a key can take.

Views are functions of this object; key bindings only call its methods. It imports no
prompt_toolkit and no Rich, and talks to the outside world through `Hooks`, so tests can
drive it with no event loop: by default background work runs synchronously and
`invalidate` / `exit` do nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from attrs import define, evolve, field

from fdash.core.catalog import Catalog, SessionsDirError, with_config
from fdash.core.config import TABS, Config, LoadedConfig
from fdash.core.favorites import FavoritesError, set_favorite
from fdash.core.models import Entry
from fdash.core.paths import expand
from fdash.core.resume import ResumeError, resume_command
from fdash.core.source import Source, resolve_source
from fdash.core.text import one_line
from fdash.core.timeline import TimeError, Zone, local_zone, zone
from fdash.core.titles import TitleEditError, rename_session
from fdash.tui.activity import ActivityState
from fdash.tui.cursor import Scroll
from fdash.tui.deferred import Deferred
from fdash.tui.finder import SearchState
from fdash.tui.lists import FACTS, ProjectList, SessionList
from fdash.tui.live import Watcher
from fdash.tui.loading import Loading
from fdash.tui.prompts import PromptLoader
from fdash.tui.settings import SettingsState


def _run_now(fn: Callable[[], None]) -> None:
    fn()


def _nothing(*_args) -> None:
    return None


@define
class Hooks:
    """How the state reaches the event loop (the app sets these; tests keep the defaults)."""

    invalidate: Callable[[], None] = _nothing  # ask for a redraw (thread-safe)
    call_soon: Callable[[Callable[[], None]], None] = _run_now  # run on the UI thread, redraw
    step: Callable[[Callable[[], None]], None] = _run_now  # run on the UI thread soon, no redraw
    spawn: Callable[[Callable[[], None]], None] = _run_now  # run in the background
    exit: Callable[[object], None] = _nothing  # leave the app with a result
    loaded: Callable[[bool], None] = _nothing  # new data is in (live: by the live view)


@define
class Message:
    text: str
    level: str = "info"  # info | error


@define
class InputRequest:
    """A one-line text input the UI shows (a dialog, or the filter bar for `filter`)."""

    kind: str  # title | filter | search | setting
    title: str
    text: str
    submit: Callable[[str], str | None]  # returns an error message to keep the input open
    hint: str = ""
    error: str | None = None
    live: Callable[[str], None] | None = None  # called on every change (the filter)
    cancel: Callable[[], None] | None = None


@define
class AppState(Loading):
    loaded: LoadedConfig
    source: Source
    use_index: bool = True
    hooks: Hooks = field(factory=Hooks)

    tab: str = field(init=False)  # from [display] default_tab
    dark: bool = field(init=False)  # from [display] dark_mode; `d` flips it (not saved)
    catalog: Catalog | None = None
    root: Path = field(init=False)
    more_roots: tuple[Path, ...] = field(init=False)  # read together with `root`
    demo: bool = field(init=False)
    data_version: int = 0  # bumped on every change of the entries
    content_version: int = 0  # bumped when more than favorite marks changed
    generation: int = 0  # catalog loads so far (keys the prompt cache)
    loading: bool = False
    progress: tuple[int, int] = (0, 0)
    load_started: float = 0.0
    load_seconds: float | None = None
    load_done_at: float = 0.0  # perf_counter() when the data arrived
    load_took: float = 0.0  # seconds the last read took (live or not)
    today_is: date | None = field(default=None, alias="today")  # None: the real today
    clock: Callable[[], datetime] | None = None  # "now" for the budget (None: the real now)
    live_loading: bool = False  # a reload the live view started (the screen stays quiet)
    updated_at: datetime | None = None  # when the live view last brought new data
    load_error: str | None = None
    message: Message | None = None
    overlay: str | None = None  # help | warnings
    overlay_scroll: Scroll = field(factory=Scroll)
    input: InputRequest | None = None
    overview_scroll: Scroll = field(factory=Scroll)
    groups_scroll: Scroll = field(factory=Scroll)
    sessions: SessionList = field(init=False)
    favorites: SessionList = field(init=False)
    projects: ProjectList = field(init=False)
    settings: SettingsState = field(init=False)
    prompts: PromptLoader = field(init=False)
    search: SearchState = field(init=False)
    activity: ActivityState = field(init=False)
    budget: Deferred = field(init=False)
    watcher: Watcher = field(factory=Watcher, init=False)
    _facts: dict = field(factory=dict, init=False)
    _zone: tuple[str, Zone] | None = field(default=None, init=False)
    _zoned: dict = field(factory=dict, init=False)
    _cancel: bool = field(default=False, init=False)
    _idle: threading.Event = field(factory=threading.Event, init=False)
    _load_ns: int = field(default=0, init=False)  # time.time_ns() when the data began to be read
    _loaded_from: tuple | None = field(default=None, init=False)  # entries the facts are of
    _last_progress: float = field(default=0.0, init=False)
    _pending: tuple | None = field(default=None, init=False)  # a reload asked for during one

    def __attrs_post_init__(self) -> None:
        display = self.loaded.config.display
        self.tab = display.default_tab if display.default_tab in TABS else "overview"
        self.dark = display.dark_mode
        self.root = Path(self.source.root)
        self.more_roots = tuple(Path(p) for p in getattr(self.source, "more_roots", ()))
        self.demo = self.source.demo
        self.sessions = SessionList(self)
        self.favorites = SessionList(self, favorites_only=True)
        self.projects = ProjectList(self)
        self.settings = SettingsState(self)
        self.prompts = PromptLoader(
            lambda fn: self.hooks.spawn(fn), lambda: self.hooks.invalidate()
        )
        self.search = SearchState(self)
        self.activity = ActivityState(self)
        self.budget = Deferred(
            lambda fn: self.hooks.step(fn),
            lambda fn: self.hooks.call_soon(fn),
            shown=lambda: self.tab == "overview" and not self.search.active,
        )
        self._idle.set()
        if self.source.note:
            self.message = Message(one_line(self.source.note))

    # ------------------------------------------------------------------ data

    @property
    def config(self) -> Config:
        return self.loaded.config

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.catalog.entries if self.catalog is not None else ()

    @property
    def warning_count(self) -> int:
        return len(self.catalog.problems if self.catalog else ()) + len(self.loaded.warnings)

    @property
    def warnings(self) -> list[tuple[str, str]]:
        """(path, reason) of every problem: unreadable data, then config warnings."""
        found = [(p.path, p.reason) for p in (self.catalog.problems if self.catalog else ())]
        found += [(str(self.loaded.path or "config"), w) for w in self.loaded.warnings]
        return found

    def fact(self, name: str):
        """A value computed from the entries (see `lists.FACTS`), kept while it holds."""
        kind, make = FACTS[name]
        version = self.generation if kind == "load" else self.content_version
        found = self._facts.get(name)
        if found is None or found[0] != version:
            found = (version, make(self.entries))
            self._facts[name] = found
        return found[1]

    def zoned(self, name: str, make: Callable[[tuple[Entry, ...], Zone], object]):
        """A value computed from the entries in the report time zone, kept while both hold."""
        key = (self.content_version, self.zone.name)
        found = self._zoned.get(name)
        if found is None or found[0] != key:
            found = (key, make(self.entries, self.zone))
            self._zoned[name] = found
        return found[1]

    @property
    def zone(self) -> Zone:
        """The report time zone: `[reports] timezone`, else the local one."""
        name = self.config.reports.timezone
        if self._zone is None or self._zone[0] != name:
            try:
                found = zone(name or None)
            except TimeError:  # the config validated it: only if this machine lost it
                found = local_zone()
            self._zone = (name, found)
        return self._zone[1]

    def now(self) -> datetime:
        if self.clock is not None:
            return self.clock()
        return datetime.now(self.zone.tz).astimezone(self.zone.tz)

    def today(self) -> date:
        """Today in the report time zone (the last day of the heatmaps and charts)."""
        if self.today_is is not None:
            return self.today_is
        moment = self.now()
        return moment.astimezone(self.zone.tz).date() if self.zone.tz else moment.date()

    def empties(self) -> list[bool]:
        """Whether "hide empty" hides each entry, by position."""
        return self.fact("empties")

    def order(self, field: str) -> list[int]:
        """Positions in `entries` sorted by `field` (ascending, then by id)."""
        return self.fact(f"order:{field}")

    def _changed(self, content: bool = True) -> None:
        self.data_version += 1
        if content:
            self.content_version += 1

    @property
    def current_list(self) -> SessionList | None:
        return {"sessions": self.sessions, "favorites": self.favorites}.get(self.tab)

    # ------------------------------------------------------------------ messages, overlays

    def flash(self, text: str, level: str = "info") -> None:
        self.message = Message(one_line(text, 400), level)

    def clear_message(self) -> None:
        self.message = None

    def set_tab(self, tab: str) -> None:
        if tab in TABS:
            self.tab = tab
            self.search.active = False

    def toggle_dark(self) -> None:
        self.dark = not self.dark

    def toggle_overlay(self, name: str) -> None:
        self.overlay = None if self.overlay == name else name
        self.overlay_scroll = Scroll()

    def quit(self) -> None:
        self.hooks.exit(None)

    def escape(self) -> None:
        """Esc: close an overlay or the search, leave the prompt panel, or clear the filter."""
        lst = self.current_list
        if self.overlay is not None:
            self.overlay = None
        elif self.search.active:
            self.search.active = False
        elif lst is not None and lst.side_focus:
            lst.side_focus = False
        elif lst is not None and lst.filter:
            lst.set_filter("")

    # ------------------------------------------------------------------ text input

    def ask(
        self,
        kind: str,
        title: str,
        text: str,
        submit: Callable[[str], str | None],
        *,
        hint: str = "",
        live=None,
        cancel=None,
    ) -> None:
        self.input = InputRequest(kind, title, text, submit, hint, None, live, cancel)

    def input_changed(self, text: str) -> None:
        request = self.input
        if request is not None and text != request.text:
            request.text = text
            if request.live is not None:
                request.live(text)

    def submit_input(self, text: str | None = None) -> None:
        request = self.input
        if request is None:
            return
        if text is not None:
            self.input_changed(text)
        error = request.submit(request.text)
        if error:
            request.error = one_line(error, 300)
        elif self.input is request:  # the submit may have opened the next question
            self.input = None

    def cancel_input(self) -> None:
        request = self.input
        self.input = None
        if request is not None and request.cancel is not None:
            request.cancel()

    # ------------------------------------------------------------------ movement (routed)

    def _scroller(self):
        """What the movement keys act on right now."""
        if self.overlay is not None:
            return self.overlay_scroll
        if self.search.active:
            return self.search
        if self.tab == "activity":
            return self.activity
        if self.tab == "overview":
            return self.overview_scroll
        if self.tab == "groups":
            return self.groups_scroll
        if self.tab == "projects":
            return self.projects
        if self.tab == "settings":
            return self.settings
        lst = self.current_list
        return lst.side if lst.side_focus else lst

    def move(self, delta: int) -> None:
        target = self._scroller()
        (target.by if isinstance(target, Scroll) else target.move)(delta)

    def page(self, pages: int) -> None:
        self._scroller().page(pages)

    def home(self) -> None:
        self._scroller().home()

    def end(self) -> None:
        self._scroller().end()

    def anticipate(self) -> bool:
        """While idle: build what the next key is likely to show in the current list
        (see `SessionList.anticipate`); whether there was anything to do."""
        lst = self.current_list
        if lst is None or self.search.active or self.catalog is None or self.loading:
            return False
        return lst.anticipate()

    def next_pane(self) -> None:
        lst = self.current_list
        if lst is not None:
            lst.side_focus = not lst.side_focus

    # ------------------------------------------------------------------ sessions actions

    def selected_entry(self) -> Entry | None:
        """The session the keys act on: the selected search result, the session selected
        in the Activity tab's day, or in the current list."""
        if self.search.active:
            return self.search.selected_entry()
        if self.tab == "activity":
            return self.activity.selected_entry()
        lst = self.current_list
        return lst.selected_entry() if lst is not None else None

    def open_filter(self) -> None:
        lst = self.current_list
        if lst is None:
            return
        before = lst.filter
        self.ask(
            "filter",
            "Filter",
            lst.filter,
            lambda _text: None,
            live=lst.set_filter,
            cancel=lambda: lst.set_filter(before),
            hint="title, project or prompt words · Enter keep · Esc cancel",
        )

    def open_search(self) -> None:
        """`/`: the search bar, over the results of the last search (typing updates them)."""
        search = self.search
        search.active = True
        self.ask(
            "search",
            "Search",
            search.query,
            lambda _text: None,
            live=search.set_query,
            cancel=self.close_search,
            hint="every word in a prompt, title or project · Enter results · Esc close",
        )

    def close_search(self) -> None:
        self.search.active = False

    def open_session(self, session_id: str | None = None) -> None:
        """Enter on a search result or an Activity session: show it in the Sessions tab."""
        session_id = session_id or (e.session.id if (e := self.selected_entry()) else None)
        if session_id is None:
            return
        self.search.active = False
        self.tab = "sessions"
        if not self.sessions.show(session_id):
            self.flash("that session is no longer there; refresh with r", "error")

    def toggle_favorite(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        session_id = entry.session.id
        root = self.catalog.root_of(entry) if self.catalog is not None else self.root
        try:
            favorites = set_favorite(root, session_id, not entry.favorite)
        except FavoritesError as exc:
            self.flash(str(exc), "error")
            return
        self._apply_favorites(favorites, root)
        name = one_line(entry.session.title, 60) or session_id
        self.flash(f"★ {name} is a favorite" if not entry.favorite else f"{name}: favorite removed")

    def _apply_favorites(self, favorites: set[str], root: Path) -> None:
        """The favorite marks of the sessions kept in `root` (each folder has its own)."""
        catalog = self.catalog
        if catalog is None:
            return
        entries = tuple(
            e
            if (e.session.id.lower() in favorites) == e.favorite or catalog.root_of(e) != root
            else evolve(e, favorite=not e.favorite)
            for e in catalog.entries
        )
        self.catalog = evolve(self.catalog, entries=entries)
        self._changed(content=False)

    def edit_title(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        if not entry.session.transcript_path:
            self.flash("this session has no transcript to rename", "error")
            return
        session_id = entry.session.id
        self.ask(
            "title",
            "Rename session",
            one_line(entry.session.title, 500),
            lambda text: self._rename(session_id, text),
            hint="Enter save · Esc cancel · only the session_start line is rewritten",
        )

    def _rename(self, session_id: str, text: str) -> str | None:
        entry = self.catalog.by_id(session_id) if self.catalog else None
        if entry is None or not entry.session.transcript_path:
            return "the session is no longer there; refresh with r"
        try:
            rename_session(entry.session.transcript_path, text)
        except TitleEditError as exc:
            self.flash(f"not renamed: {exc}", "error")
            return str(exc)
        title = " ".join(text.split())
        self._replace(session_id, lambda e: evolve(e, session=evolve(e.session, title=title)))
        self.flash(f"renamed to “{one_line(title, 80)}”")
        return None

    def _replace(self, session_id: str, change: Callable[[Entry], Entry]) -> None:
        if self.catalog is None:
            return
        entries = tuple(
            change(e) if e.session.id == session_id else e for e in self.catalog.entries
        )
        self.catalog = evolve(self.catalog, entries=entries)
        self._changed()

    def connect(self) -> None:
        """Leave the app and resume the selected session in droid (run() does the exec)."""
        entry = self.selected_entry()
        if entry is None:
            return
        try:
            command = resume_command(entry.session)
        except ResumeError as exc:
            self.flash(f"cannot resume: {exc}", "error")
            return
        self.hooks.exit(command)

    # ------------------------------------------------------------------ config

    def apply_config(self, config: Config) -> None:
        """A saved config takes effect at once; a new sessions folder is re-read."""
        old = self.config
        self.loaded = evolve(self.loaded, config=config, path=self.loaded.write_path)
        if config.display.dark_mode != old.display.dark_mode:
            self.dark = config.display.dark_mode
        if config.display != old.display:
            for lst in (self.sessions, self.favorites):
                lst.apply_display(config.display)
        if config.paths.sessions_dir != old.paths.sessions_dir:  # read it now (over any -d)
            try:
                source = resolve_source(None, config)
            except SessionsDirError as exc:
                self.flash(str(exc), "error")
            else:
                self.reload(source.root, demo=source.demo, more_roots=source.more_roots)
        elif config.paths.sessions_dirs != old.paths.sessions_dirs:  # the same main folder, others
            self.reload(more_roots=tuple(expand(d) for d in config.paths.sessions_dirs))
        elif self.catalog is not None and (
            config.pricing != old.pricing or config.grouping != old.grouping
        ):
            self.catalog = with_config(self.catalog, config)
            self._changed()
