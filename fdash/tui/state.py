"""AppState: what the full-screen app is — the config, the data on screen, the tabs'
states, the search, what overlays the screen — and the actions that span tabs.

Views are functions of this object; key bindings call its actions or its tabs'. It
imports no prompt_toolkit and no Rich, and talks to the outside world through `Hooks`,
so tests drive it with no event loop: by default background work runs synchronously and
`invalidate` / `exit` do nothing. Reading the sessions is the `Loader`'s; what is derived
from them is the `Data`'s; each tab's own state is built from its folder in `tabs/`.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from attrs import define, evolve, field

from fdash.core.catalog import Catalog, Preload, SessionsDirError, with_config
from fdash.core.config import Config, LoadedConfig
from fdash.core.favorites import FavoritesError, set_favorite_in
from fdash.core.models import Entry
from fdash.core.paths import expand
from fdash.core.resume import ResumeError, resume_command
from fdash.core.source import Source, resolve_source
from fdash.core.text import one_line
from fdash.core.timeline import TimeError, Zone, local_zone, zone
from fdash.core.titles import TitleEditError, rename_session
from fdash.tui.context import TabState
from fdash.tui.cursor import Scroll
from fdash.tui.data import Data
from fdash.tui.deferred import Deferred
from fdash.tui.hooks import Hooks
from fdash.tui.loader import Loader
from fdash.tui.prompts import PromptLoader
from fdash.tui.search.state import SearchState
from fdash.tui.tabs import NAMES, TABS
from fdash.tui.transcript.state import TranscriptView


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
class Confirm:
    title: str
    lines: tuple[str, ...]  # what is about to happen, exactly
    go: Callable[[], None]


class Tabs(dict):
    """Each tab's state by name, also as attributes (`app.tabs.sessions`)."""

    def __getattr__(self, name: str) -> TabState:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@define
class AppState:
    loaded: LoadedConfig
    source: Source
    use_index: bool = True
    hooks: Hooks = field(factory=Hooks)
    today_is: date | None = field(default=None, alias="today")  # None: the real today
    clock: Callable[[], datetime] | None = None  # "now" for the budget (None: the real now)
    first: Preload | None = None  # the first read, when it was started before the app

    tab: str = field(init=False)  # from [display] default_tab
    dark: bool = field(init=False)  # from [display] dark_mode; `d` flips it (not saved)
    data: Data = field(init=False)
    loader: Loader = field(init=False)
    tabs: Tabs = field(init=False)
    search: SearchState = field(init=False)
    prompts: PromptLoader = field(init=False)
    message: Message | None = None
    overlay: str | None = None  # help | warnings
    overlay_scroll: Scroll = field(factory=Scroll)
    input: InputRequest | None = None
    transcript: TranscriptView | None = None  # `v`: a session's transcript over the body
    confirm: Confirm | None = None  # a question Enter answers yes, Esc no
    back: str | None = None  # the tab a drill-down came from (Esc returns to it)
    _zone: tuple[str, Zone] | None = field(default=None, init=False)

    def __attrs_post_init__(self) -> None:
        display = self.loaded.config.display
        self.tab = display.default_tab if display.default_tab in NAMES else NAMES[0]
        self.dark = display.dark_mode
        self.data = Data(None)
        self.loader = Loader(
            self.source, self.use_index, self.hooks, lambda: self.config, self.now,
            self._deliver, lambda error: self.flash(error, "error"), self.first,
        )
        self.tabs = Tabs({tab.name: tab.package.State(self) for tab in TABS})
        self.search = SearchState(self)
        self.prompts = PromptLoader(
            lambda fn: self.hooks.spawn(fn), lambda: self.hooks.invalidate()
        )
        if self.source.note:
            self.message = Message(one_line(self.source.note))

    # ------------------------------------------------------------------ data

    @property
    def config(self) -> Config:
        return self.loaded.config

    @property
    def catalog(self) -> Catalog | None:
        return self.data.catalog

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.data.entries

    @property
    def write_path(self) -> Path:
        return self.loaded.write_path

    @property
    def roots(self) -> tuple[Path, ...]:
        return (self.loader.root, *self.loader.more_roots)

    @property
    def warning_count(self) -> int:
        return len(self.catalog.problems if self.catalog else ()) + len(self.loaded.warnings)

    @property
    def warnings(self) -> list[tuple[str, str]]:
        """(path, reason) of every problem: unreadable data, then config warnings."""
        found = [(p.path, p.reason) for p in (self.catalog.problems if self.catalog else ())]
        found += [(str(self.loaded.path or "config"), w) for w in self.loaded.warnings]
        return found

    def _deliver(self, data: Data, config: Config, live: bool) -> None:
        """New data from the loader (read with `config`)."""
        if config is not self.config:  # the config changed while reading
            data = data.changed(with_config(data.catalog, self.config))
        self.data = data
        self.hooks.loaded(live)

    def _set(self, catalog: Catalog, content: bool = True) -> None:
        """The same sessions, changed here (`content=False`: favorite marks only)."""
        self.data = self.data.changed(catalog, content)

    def reload(self) -> None:
        self.loader.reload()

    def poll(self) -> bool:
        """Live view (from a background thread): re-read if a session file changed."""
        return self.loader.poll(self.data)

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

    def window_end(self) -> date:
        """The last day of the heatmaps and charts: today, or the last activity when it
        is older than the window (a history months old is still shown)."""
        today = self.today()
        last = self.data.last_day(self.zone)
        weeks = self.config.display.heatmap_weeks
        if last is not None and last < today - timedelta(weeks=weeks):
            return last
        return today

    # ------------------------------------------------------------------ tabs

    @property
    def current(self) -> TabState:
        """The state of the tab on screen."""
        return self.tabs[self.tab]

    def showing(self, tab: str) -> bool:
        return self.tab == tab and not self.search.active

    def deferred(self, tab: str) -> Deferred:
        return Deferred(
            lambda fn: self.hooks.step(fn),
            lambda fn: self.hooks.call_soon(fn),
            shown=lambda: self.showing(tab),
        )

    def set_tab(self, tab: str) -> None:
        if tab in self.tabs:
            self.tab = tab
            self.back = None
            self.search.active = False
            self.transcript = None

    # ------------------------------------------------------------------ messages, overlays

    def flash(self, text: str, level: str = "info") -> None:
        self.message = Message(one_line(text, 400), level)

    def clear_message(self) -> None:
        self.message = None

    def toggle_dark(self) -> None:
        self.dark = not self.dark

    def toggle_overlay(self, name: str) -> None:
        self.overlay = None if self.overlay == name else name
        self.overlay_scroll = Scroll()

    def quit(self) -> None:
        self.hooks.exit(None)

    def escape(self) -> None:
        """Esc: close an overlay, the transcript (back to the row it was opened from) or
        the search, else whatever the tab does (leave the prompt panel, clear the filter)."""
        if self.overlay is not None:
            self.overlay = None
        elif self.transcript is not None:
            self.transcript = None
        elif self.search.active:
            self.search.active = False
        else:
            state = self.current
            drilled = getattr(state, "scope", None) is not None
            if state.escape() and drilled and state.scope is None and self.back:
                self.tab, self.back = self.back, None  # out of a drill-down: where it began

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
        if self.transcript is not None:
            return self.transcript
        if self.search.active:
            return self.search
        return self.current.scroller()

    def move(self, delta: int) -> None:
        self._scroller().move(delta)

    def page(self, pages: int) -> None:
        self._scroller().page(pages)

    def home(self) -> None:
        self._scroller().home()

    def end(self) -> None:
        self._scroller().end()

    # ------------------------------------------------------------------ sessions actions

    def selected_entry(self) -> Entry | None:
        """The session the keys act on: the selected search result, else the one the
        tab on screen has selected (the session whose transcript is open, first)."""
        if self.transcript is not None:
            return self.transcript.entry
        if self.search.active:
            return self.search.selected_entry()
        return self.current.selected_entry()

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
        if not self.tabs.sessions.show(session_id):
            self.flash("that session is no longer there; refresh with r", "error")

    def open_transcript(self) -> None:
        """`v`: the selected session's transcript (read lazily: the first screen at once)."""
        entry = self.selected_entry()
        if entry is None:
            return
        if not entry.session.transcript_path:
            self.flash("this session has no transcript", "error")
            return
        try:
            self.transcript = TranscriptView(entry)
        except OSError as exc:
            self.flash(f"cannot read the transcript: {exc.strerror or exc}", "error")

    def find_in_transcript(self) -> None:
        """`/` in a transcript: find text in it (Enter goes to the next place)."""
        view = self.transcript
        if view is None:
            return
        self.ask("find", "Find", view.query, self._find, cancel=None,
                 hint="text in the transcript, any case · Enter find · Esc cancel")

    def _find(self, text: str) -> str | None:
        view = self.transcript
        if view is not None and text.strip():
            view.pager.hit = None  # a new search starts from the screen's top
            note = view.find(text)
            if note:
                self.flash(note, "error" if view.hit is None else "info")
        return None

    def find_again(self, forward: bool) -> None:
        view = self.transcript
        if view is None or not view.query:
            self.find_in_transcript()
            return
        note = view.find(view.query, forward)
        if note:
            self.flash(note, "error" if view.hit is None else "info")

    def refresh(self) -> None:
        """`r`: read the sessions again (and the open transcript)."""
        if self.transcript is not None:
            self.transcript.refresh()
        self.loader.reload()

    def toggle_favorite(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        session_id = entry.session.id
        catalog = self.catalog
        root = catalog.root_of(entry) if catalog is not None else self.loader.root
        roots = (catalog.roots or (catalog.root,)) if catalog is not None else (root,)
        try:
            favorites = set_favorite_in(roots, root, session_id, not entry.favorite)
        except FavoritesError as exc:
            self.flash(str(exc), "error")
            return
        self._apply_favorites(favorites)
        name = one_line(entry.session.title, 60) or session_id
        self.flash(f"★ {name} is a favorite" if not entry.favorite else f"{name}: favorite removed")

    def _apply_favorites(self, favorites: set[str]) -> None:
        """The favorite marks of every session, as the folders' `.favorites` now say."""
        catalog = self.catalog
        if catalog is None:
            return
        entries = tuple(
            e if (e.session.id.lower() in favorites) == e.favorite else evolve(e, favorite=not e.favorite)
            for e in catalog.entries
        )
        self._set(evolve(catalog, entries=entries), content=False)

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
        self._set(evolve(self.catalog, entries=entries))

    def connect(self) -> None:
        """Ask, then leave the app and resume the selected session in droid (run() does
        the exec): nothing irreversible on one key press."""
        entry = self.selected_entry()
        if entry is None:
            return
        try:
            command = resume_command(entry.session)
        except ResumeError as exc:
            self.flash(f"cannot resume: {exc}", "error")
            return
        shell = f"cd {shlex.quote(command.cwd)} && droid --resume {command.session_id}"
        self.confirm = Confirm(
            "Resume in droid?",
            (
                one_line(entry.session.title, 200) or "(untitled)",
                f"in {one_line(command.cwd, 300)}",
                shell,
            ),
            lambda: self.hooks.exit(command),
        )

    def answer(self, yes: bool) -> None:
        """Enter (yes) or Esc (no) to the confirmation on screen."""
        confirm, self.confirm = self.confirm, None
        if yes and confirm is not None:
            confirm.go()

    def copy_id(self) -> None:
        """`y`: the selected session's id to the clipboard (OSC 52), and on screen, since
        a terminal may ignore OSC 52."""
        entry = self.selected_entry()
        if entry is None:
            return
        self.hooks.clipboard(entry.session.id)
        self.flash(f"copied {entry.session.id} (if the clipboard did not get it: copy it from here)")

    def drill(self, kind: str, key: str | None) -> None:
        """Enter on a project or group: its sessions in the Sessions tab; Esc comes back."""
        if key is None:
            return
        self.back = self.tab
        self.tabs.sessions.drill(kind, key)
        self.tab = "sessions"

    # ------------------------------------------------------------------ config

    def apply_config(self, config: Config) -> None:
        """A saved config takes effect at once; a new sessions folder is re-read."""
        old = self.config
        self.loaded = evolve(self.loaded, config=config, path=self.loaded.write_path)
        if config.display.dark_mode != old.display.dark_mode:
            self.dark = config.display.dark_mode
        if config.display != old.display:
            for state in self.tabs.values():
                state.apply_display(config.display)
        if config.paths.sessions_dir != old.paths.sessions_dir:  # read it now (over any -d)
            try:
                source = resolve_source(None, config)
            except SessionsDirError as exc:
                self.flash(str(exc), "error")
            else:
                self.loader.reload(source.root, demo=source.demo, more_roots=source.more_roots)
        elif config.paths.sessions_dirs != old.paths.sessions_dirs:  # the same main folder, others
            self.loader.reload(more_roots=tuple(expand(d) for d in config.paths.sessions_dirs))
        elif self.catalog is not None and (
            config.pricing != old.pricing or config.grouping != old.grouping
        ):
            self._set(with_config(self.catalog, config))
