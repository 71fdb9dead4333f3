"""Full prompt texts for the side panel: read lazily, for the selected session only, cached.

Reading happens in one background worker that always serves the most recently wanted
transcript (holding `j` down does not queue a read per row); the UI shows the cleaned
previews from the index until the full texts arrive.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from fdash.core.read import read_prompts

CACHE_SIZE = 64


class PromptLoader:
    def __init__(
        self,
        spawn: Callable[[Callable[[], None]], None],
        done: Callable[[], None],
        debounce: float = 0.0,
    ):
        self._spawn = spawn  # runs a function in the background (synchronously in tests)
        self._done = done  # called (from the worker) when new texts are ready
        self.debounce = debounce  # wait this long for the selection to settle before reading
        self._lock = threading.Lock()
        self._cache: OrderedDict[Hashable, list[str] | str] = OrderedDict()
        self._wanted: tuple[Hashable, str] | None = None
        self._busy = False

    def get(self, key: Hashable, path: str | None) -> list[str] | str | None:
        """The prompts (or an error message) if read, else None (and a read is scheduled)."""
        if not path:
            return []
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            self._wanted = (key, path)
            start = not self._busy
            self._busy = True
        if start:
            self._spawn(self._work)
        with self._lock:
            return self._cache.get(key)

    def _work(self) -> None:
        while True:
            if self.debounce:
                time.sleep(self.debounce)
            with self._lock:
                wanted = self._wanted
                if wanted is None or wanted[0] in self._cache:
                    self._busy = False
                    self._wanted = None
                    return
            key, path = wanted
            try:
                prompts: list[str] | str = read_prompts(path)
            except Exception as exc:  # noqa: BLE001 - a broken file is a message, not a crash
                prompts = f"cannot read the prompts: {exc}"
            with self._lock:
                self._cache[key] = prompts
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
            self._done()

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
