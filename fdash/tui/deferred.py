"""Values too slow to compute on a key press (the Activity tab's timelines, the budget),
computed a piece at a time between key presses and redraws; the view shows the last
value (or "computing…") until the new one is in. No UI imports.

    value, fresh = deferred.get(key, make)   # make() -> a generator (a "job")

A job yields after each piece of work (a few milliseconds: ~100 sessions) and returns
the value. The pieces run on the UI thread (`step`, the event loop's call_soon), so a
key press waits for one piece at most; a background thread would instead compete for
the GIL and slow every redraw while it runs. Only the most recently wanted key is
worked on; a job whose key is no longer wanted stops, and one whose value is not on
screen (another tab) pauses until it is. With the AppState's default hooks (tests) a
job runs to its end at once.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Hashable

from attrs import frozen

Job = Generator[None, None, object]


@frozen
class Failed:
    """What the job raised, to be shown instead of the value."""

    message: str


class Deferred:
    def __init__(
        self,
        step: Callable[[Callable[[], None]], None],
        done: Callable[[Callable[[], None]], None],
        shown: Callable[[], bool] = lambda: True,
    ):
        self._step = step  # run a function soon on the UI thread (no redraw)
        self._done = done  # run a function on the UI thread, then redraw
        self._shown = shown  # whether the value is on screen: else the job pauses
        self._key: Hashable = None
        self._value: object = None
        self._wanted: Hashable = None
        self._paused: Callable[[], None] | None = None

    def get(self, key: Hashable, make: Callable[[], Job]) -> tuple[object, bool]:
        """(value, True) when computed for `key`; else (the previous value or None, False),
        and the job for `key` is started unless it already runs."""
        if key == self._key:
            return self._value, True
        if key != self._wanted:
            self._wanted, self._paused = key, None
            self._start(key, make)
        elif self._paused is not None:
            resume, self._paused = self._paused, None
            self._step(resume)
        if key == self._key:  # computed at once (no event loop)
            return self._value, True
        return self._value, False

    def _start(self, key: Hashable, make: Callable[[], Job]) -> None:
        job: list[Job] = []

        def finish(value: object) -> None:
            def store() -> None:
                if self._wanted == key:
                    self._key, self._value = key, value

            self._done(store)

        def advance() -> None:
            if self._wanted != key:
                return  # something else is wanted now: drop this job
            if not self._shown():
                self._paused = advance  # the next `get` (a redraw showing it) resumes
                return
            try:
                if not job:
                    job.append(make())
                next(job[0])
            except StopIteration as end:
                finish(end.value)
            except Exception as exc:  # noqa: BLE001 - shown in the view, never a traceback
                finish(Failed(f"{type(exc).__name__}: {exc}"))
            else:
                self._step(advance)

        self._step(advance)

    def clear(self) -> None:
        self._key = self._value = self._wanted = None
