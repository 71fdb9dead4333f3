"""Reading the sessions for the app: the first read, `r`, a changed config, and the live
view's re-reads (`poll`). No UI imports: the scan runs through `hooks.spawn`, its result
is handed over through `hooks.call_soon` on the UI thread, so tests run it all
synchronously.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fdash.core.catalog import Cancelled, Preload, SessionsDirError, load_catalog
from fdash.core.config import Config
from fdash.core.source import Source
from fdash.tui.data import Data
from fdash.tui.live import Watcher

if TYPE_CHECKING:
    from fdash.tui.hooks import Hooks

PROGRESS_INTERVAL_S = 0.05
LIVE_COST_FACTOR = 8  # the live view re-reads at most once per 8 times a re-read takes


class Loader:
    """What is read (folders), whether it is being read, and how the last read went."""

    def __init__(
        self,
        source: Source,
        use_index: bool,
        hooks: Hooks,
        config: Callable[[], Config],
        now: Callable[[], datetime],
        deliver: Callable[[Data, Config, bool], None],
        failed: Callable[[str], None],
        first: Preload | None = None,
    ):
        self.root = Path(source.root)
        self.more_roots = tuple(Path(p) for p in getattr(source, "more_roots", ()))
        self.demo = source.demo
        self.use_index = use_index
        self.loading = False
        self.live_loading = False  # a re-read the live view started (the screen stays quiet)
        self.progress = (0, 0)
        self.started = 0.0  # monotonic() when the read began
        self.seconds: float | None = None  # what the last read asked for by the user took
        self.took = 0.0  # seconds the last read took (live or not)
        self.done_at = 0.0  # perf_counter() when the data arrived
        self.updated_at: datetime | None = None  # when the live view last brought new data
        self.error: str | None = None
        self.loads = 0  # reads so far
        self.watcher = Watcher()
        self._hooks, self._config, self._now = hooks, config, now
        self._deliver, self._failed = deliver, failed
        self._cancel = False
        self._idle = threading.Event()
        self._idle.set()
        self._load_ns = 0  # time.time_ns() when the data on screen began to be read
        self._pending: tuple | None = None  # a reload asked for during one
        self._last_progress = 0.0
        self._roots: tuple = ()  # (roots, root) of the data on screen
        self._first = first  # the first read, started before the app (fdash.cli)

    def reload(
        self,
        root: Path | None = None,
        demo: bool | None = None,
        more_roots: tuple[Path, ...] | None = None,
        live: bool = False,
    ) -> None:
        """Re-scan in the background (cheap thanks to the index). `live`: asked for by the
        live view, so the screen shows no progress."""
        if self.loading:  # one scan at a time: this one starts when the current one ends
            if self._pending is None or not live:
                self._pending = (root, demo, more_roots, live)
            return
        root = Path(root or self.root)
        demo = self.demo if demo is None else demo
        more = self.more_roots if more_roots is None else tuple(more_roots)
        config, use_index, hooks = self._config(), self.use_index, self._hooks
        self.loading, self.live_loading, self.error = True, live, None
        if not live:
            self.progress = (0, 0)
        self.started = time.monotonic()
        started_ns = time.time_ns()
        self._idle.clear()

        first, self._first = self._first, None
        if first is not None:
            first.forward = self._progress

        def work() -> None:
            try:
                if first is not None:
                    catalog = first.result()
                else:
                    catalog = load_catalog(
                        root, config, use_index=use_index, demo=demo,
                        progress=self._progress, more_roots=more,
                    )
            except Cancelled:  # the app is closing
                hooks.call_soon(self._cancelled)
            except SessionsDirError as exc:
                error = str(exc)
                hooks.call_soon(lambda: self._fail(error))
            except Exception as exc:  # noqa: BLE001 - shown in the app, never a traceback
                error = f"could not read the sessions: {type(exc).__name__}: {exc}"
                hooks.call_soon(lambda: self._fail(error))
            else:
                data = Data(catalog)  # its entries are already seen through `config`
                data.prepare()
                hooks.call_soon(lambda: self._loaded(data, config, more, started_ns, live))
                data.prepare(later=True)
            finally:
                self._idle.set()
            hooks.invalidate()

        hooks.spawn(work)

    def _progress(self, done: int, total: int) -> None:  # called from the loading thread
        if self._cancel:
            raise Cancelled()
        if self.live_loading:
            return
        self.progress = (done, total)
        now = time.monotonic()
        if now - self._last_progress >= PROGRESS_INTERVAL_S or done >= total:
            self._last_progress = now
            self._hooks.invalidate()

    def cancel(self, timeout: float = 5.0) -> None:
        """Stop a scan that is running (the app is closing) and wait for it to end."""
        self._cancel = True
        if self._first is not None:  # started before the app, never taken over
            self._first.cancel()
        self._idle.wait(timeout)

    def _loaded(
        self, data: Data, config: Config, more_roots: tuple[Path, ...], started_ns: int, live: bool
    ) -> None:
        catalog = data.catalog
        roots = (catalog.roots, catalog.root)
        if self._roots and roots != self._roots:
            self.watcher = Watcher()  # other folders: the live view starts afresh
        self._roots = roots
        self.root, self.demo, self.more_roots = catalog.root, catalog.demo, tuple(more_roots)
        self.loading = self.live_loading = False
        self._load_ns = self._load_ns if live else started_ns
        self.took = time.monotonic() - self.started
        if live:
            self.updated_at = self._now()
        else:
            self.seconds = self.took
        self.done_at = time.perf_counter()
        self.loads += 1
        self._deliver(data, config, live)
        self._next()

    def poll(self, data: Data) -> bool:
        """Live view (from a background thread): re-read if a session file of `data`
        changed. Returns whether a re-read was asked for."""
        catalog = data.catalog
        if catalog is None or self.loading:
            return False
        if time.perf_counter() - self.done_at < LIVE_COST_FACTOR * self.took:
            return False  # re-reading is costly here (many sessions): not so often
        roots = catalog.roots or (catalog.root,)
        now_ms = int(time.time() * 1000)
        if not self.watcher.changed(roots, catalog.entries, now_ms, self._load_ns):
            return False
        self._hooks.call_soon(lambda: self.reload(live=True))
        return True

    def _cancelled(self) -> None:
        self.loading = self.live_loading = False

    def _next(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self.reload(*pending)

    def _fail(self, error: str) -> None:
        self.loading = self.live_loading = False
        self.error = error
        self._failed(error)
        self._next()
