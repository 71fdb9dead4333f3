"""Values too slow to compute on a key press (the Activity tab's timelines, the budget),
computed on a background thread; the view shows the last value (or "computing…") until
the new one is in. No UI imports.

    value, fresh = deferred.get(key, make)   # make() must only read what it captured

Only the most recently wanted key is kept; a result that arrives after another key was
asked for is dropped. With the AppState's default hooks (tests) `make` runs at once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from attrs import frozen


@frozen
class Failed:
    """What `make` raised, to be shown instead of the value."""

    message: str


class Deferred:
    def __init__(
        self,
        spawn: Callable[[Callable[[], None]], None],
        call_soon: Callable[[Callable[[], None]], None],
    ):
        self._spawn = spawn  # run in the background
        self._call_soon = call_soon  # run on the UI thread (it redraws afterwards)
        self._key: Hashable = None
        self._value: object = None
        self._wanted: Hashable = None

    def get(self, key: Hashable, make: Callable[[], object]) -> tuple[object, bool]:
        """(value, True) when computed for `key`; else (the previous value or None, False),
        and `make` is started unless it already runs for `key`."""
        if key == self._key:
            return self._value, True
        if key != self._wanted:
            self._wanted = key

            def work() -> None:
                try:
                    value = make()
                except Exception as exc:  # noqa: BLE001 - shown in the view, never a traceback
                    value = Failed(f"{type(exc).__name__}: {exc}")

                def store() -> None:
                    if self._wanted == key:
                        self._key, self._value = key, value

                self._call_soon(store)

            self._spawn(work)
        if key == self._key:  # computed at once (no background thread)
            return self._value, True
        return self._value, False

    def clear(self) -> None:
        self._key = self._value = self._wanted = None
