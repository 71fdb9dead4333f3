"""Loading the sessions for the AppState: the first read, `r`, a changed config, and
the live view's re-reads (`poll`). A mixin of `AppState` (no state of its own, no UI
imports): the scan runs through `hooks.spawn`, its result is applied through
`hooks.call_soon` on the UI thread, so tests can run it all synchronously.
"""

from __future__ import annotations

import time
from pathlib import Path

from fdash.core.catalog import Cancelled, Catalog, SessionsDirError, load_catalog, with_config
from fdash.core.config import Config
from fdash.tui.lists import FACTS
from fdash.tui.live import Watcher

PROGRESS_INTERVAL_S = 0.05
LIVE_COST_FACTOR = 8  # the live view re-reads at most once per 8 times a re-read takes


LATER = frozenset({"searcher", "families"})  # needed after the first screen with data


def prepare(catalog: Catalog, later: bool = False) -> dict[str, object]:
    """The facts the views need (`later`: the ones that can come once the data is on
    screen), computed by the loading thread, not on a key press."""
    return {
        name: make(catalog.entries)
        for name, (_kind, make) in FACTS.items()
        if (name in LATER) == later
    }


class Loading:
    """What `AppState` does to (re)load its catalog."""

    __slots__ = ()

    # ------------------------------------------------------------------ loading

    def reload(
        self,
        root: Path | None = None,
        demo: bool | None = None,
        more_roots: tuple[Path, ...] | None = None,
        live: bool = False,
    ) -> None:
        """Re-scan in the background (cheap thanks to the index); the selection is kept.
        `live`: asked for by the live view, so the screen shows no progress."""
        if self.loading:  # one scan at a time: this one starts when the current one ends
            if self._pending is None or not live:
                self._pending = (root, demo, more_roots, live)
            return
        root = Path(root or self.root)
        demo = self.demo if demo is None else demo
        more = self.more_roots if more_roots is None else tuple(more_roots)
        config, use_index = self.config, self.use_index
        self.loading, self.live_loading, self.load_error = True, live, None
        if not live:
            self.progress = (0, 0)
        self.load_started = time.monotonic()
        started_ns = time.time_ns()
        self._idle.clear()

        def work() -> None:
            try:
                catalog = load_catalog(
                    root,
                    config,
                    use_index=use_index,
                    demo=demo,
                    progress=self._progress,
                    more_roots=more,
                )
            except Cancelled:  # the app is closing
                self.hooks.call_soon(self._load_cancelled)
            except SessionsDirError as exc:
                error = str(exc)
                self.hooks.call_soon(lambda: self._load_failed(error))
            except Exception as exc:  # noqa: BLE001 - shown in the app, never a traceback
                error = f"could not read the sessions: {type(exc).__name__}: {exc}"
                self.hooks.call_soon(lambda: self._load_failed(error))
            else:
                prepared = prepare(catalog)  # its entries are already seen through `config`
                self.hooks.call_soon(
                    lambda: self._loaded(catalog, config, prepared, more, started_ns, live)
                )
                later = prepare(catalog, later=True)
                self.hooks.call_soon(lambda: self._store_facts(catalog, later))
            finally:
                self._idle.set()
            self.hooks.invalidate()

        self.hooks.spawn(work)

    def _progress(self, done: int, total: int) -> None:  # called from the loading thread
        if self._cancel:
            raise Cancelled()
        if self.live_loading:
            return
        self.progress = (done, total)
        now = time.monotonic()
        if now - self._last_progress >= PROGRESS_INTERVAL_S or done >= total:
            self._last_progress = now
            self.hooks.invalidate()

    def cancel_loading(self, timeout: float = 5.0) -> None:
        """Stop a scan that is running (the app is closing) and wait for it to end."""
        self._cancel = True
        self._idle.wait(timeout)

    def _loaded(
        self,
        catalog: Catalog,
        config: Config,
        prepared: dict | None = None,
        more_roots: tuple[Path, ...] = (),
        started_ns: int = 0,
        live: bool = False,
    ) -> None:
        scanned = catalog
        if config is not self.config:  # the config changed while reading
            catalog = with_config(catalog, self.config)
        if self.catalog is not None and (self.catalog.roots, self.catalog.root) != (
            catalog.roots,
            catalog.root,
        ):
            self.watcher = Watcher()  # other folders: the live view starts afresh
        self.catalog = catalog
        self.root, self.demo, self.more_roots = catalog.root, catalog.demo, tuple(more_roots)
        self.loading = self.live_loading = False
        self._load_ns = self._load_ns if live else started_ns
        self.load_took = time.monotonic() - self.load_started
        if live:
            self.updated_at = self.now()
        else:
            self.load_seconds = self.load_took
        self.load_done_at = time.perf_counter()
        self.generation += 1
        self._changed()
        self._loaded_from = (scanned, config is self.config)
        self._store_facts(scanned, prepared or {})
        self.hooks.loaded(live)
        self._next_reload()

    def _store_facts(self, scanned: Catalog, prepared: dict) -> None:
        """Keep the facts the loading thread computed from `scanned`, if it is still the
        data on screen (unless one was asked for meanwhile and computed on the spot)."""
        if self._loaded_from is None or self._loaded_from[0] is not scanned:
            return  # newer data came
        for name, value in prepared.items():
            kind = FACTS[name][0]
            if kind != "load" and not self._loaded_from[1]:
                continue  # the config changed while reading: these are recomputed
            version = self.generation if kind == "load" else self.content_version
            found = self._facts.get(name)
            if found is None or found[0] != version:
                self._facts[name] = (version, value)

    def poll(self) -> bool:
        """Live view (from a background thread): re-read if a session file changed.
        Returns whether a re-read was asked for."""
        catalog = self.catalog
        if catalog is None or self.loading:
            return False
        if time.perf_counter() - self.load_done_at < LIVE_COST_FACTOR * self.load_took:
            return False  # re-reading is costly here (many sessions): not so often
        roots = catalog.roots or (catalog.root,)
        now_ms = int(time.time() * 1000)
        if not self.watcher.changed(roots, catalog.entries, now_ms, self._load_ns):
            return False
        self.hooks.call_soon(lambda: self.reload(live=True))
        return True

    def _load_cancelled(self) -> None:
        self.loading = self.live_loading = False

    def _next_reload(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self.reload(*pending)

    def _load_failed(self, error: str) -> None:
        self.loading = self.live_loading = False
        self.load_error = error
        self.flash(error, "error")
        self._next_reload()
