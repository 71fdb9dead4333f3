"""Run the real app with no terminal: keys through a pipe, the screen through a recording
Vt100 output (read back with pyte, a terminal emulator). Used by the tests, by
tools/measure_app.py (the app benchmark) and by tools/take_screenshots.py.

    with Headless(state, columns=120, rows=40) as h:
        h.wait_for("Overview")
        h.press("4", "j")
        print(h.text())

The app runs on its own thread with its own event loop, started as `run()` starts it
(background loading and imports included); every render is time-stamped.
"""

from __future__ import annotations

import asyncio
import gc
import io
import re
import threading
import time
from collections.abc import Callable

from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.output.vt100 import Vt100_Output

from fdash.tui.app import build_app, no_full_collections, start_loading
from fdash.tui.state import AppState

KEYS = {
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "enter": "\r",
    "tab": "\t",
    "s-tab": "\x1b[Z",
    "escape": "\x1b",
    "backspace": "\x7f",
    "c-c": "\x03",
    "c-u": "\x15",
    "space": " ",
    "delete": "\x1b[3~",
}


def click_sequence(x: int, y: int) -> str:
    """An SGR mouse press + release at 0-based screen cell (x, y)."""
    return f"\x1b[<0;{x + 1};{y + 1}M\x1b[<0;{x + 1};{y + 1}m"


class _Recorder(io.StringIO):
    """What the app wrote, readable from another thread."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.chunks: list[str] = []

    def write(self, data: str) -> int:
        with self.lock:
            self.chunks.append(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self, start: int) -> tuple[str, int]:
        with self.lock:
            return "".join(self.chunks[start:]), len(self.chunks)


class Headless:
    def __init__(
        self,
        state: AppState,
        columns: int = 120,
        rows: int = 40,
        color_depth: ColorDepth = ColorDepth.DEPTH_24_BIT,
        load: bool = True,
    ):
        self.state = state
        self.columns, self.rows = columns, rows
        self.color_depth = color_depth
        self.load = load
        self.renders: list[float] = []  # perf_counter() at the end of each render
        self.spans: list[tuple[float, float]] = []  # (start, end) of each render
        self.keys_done: list[float] = []  # perf_counter() after each key press was handled
        self._render_start = 0.0
        self.started_at = 0.0
        self.result: object = None
        self.error: BaseException | None = None
        self._cond = threading.Condition()
        self._out = _Recorder()
        self._fed = 0
        self._screen = None
        self._stream = None
        self._thread: threading.Thread | None = None
        self._pipe_cm = None
        self.app = None

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> Headless:  # noqa: PYI034
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def start(self) -> None:
        self._pipe_cm = create_pipe_input()
        self.input = self._pipe_cm.__enter__()
        output = Vt100_Output(
            self._out,
            lambda: Size(rows=self.rows, columns=self.columns),
            term="xterm-256color",
            enable_cpr=False,
        )
        self.started_at = time.perf_counter()
        self.app = build_app(
            self.state, input=self.input, output=output, color_depth=self.color_depth
        )
        self.app.before_render += self._rendering
        self.app.after_render += self._rendered
        self.app.key_processor.after_key_press += self._key_done
        ready = threading.Event()

        def main() -> None:
            async def go():
                ready.set()
                return await self.app.run_async(
                    pre_run=(lambda: start_loading(self.app, self.state)) if self.load else None,
                    handle_sigint=False,
                    set_exception_handler=False,
                )

            thresholds = no_full_collections()  # as run() does
            try:
                self.result = asyncio.run(go())
            except BaseException as exc:  # noqa: BLE001 - reported to the test
                self.error = exc
            finally:
                gc.set_threshold(*thresholds)
            with self._cond:
                self._cond.notify_all()

        self._thread = threading.Thread(target=main, name="fdash-headless", daemon=True)
        self._thread.start()
        ready.wait(5)

    def stop(self) -> None:
        app = self.app
        if app is not None and self._thread is not None and self._thread.is_alive():
            loop = app.loop
            if loop is not None and app.is_running:
                loop.call_soon_threadsafe(
                    lambda: app.is_running and not app.future.done() and app.exit()
                )
            self._thread.join(5)
        if self._pipe_cm is not None:
            self._pipe_cm.__exit__(None, None, None)
            self._pipe_cm = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _rendering(self, _app) -> None:
        self._render_start = time.perf_counter()

    def _rendered(self, _app) -> None:
        now = time.perf_counter()
        with self._cond:
            self.renders.append(now)
            self.spans.append((self._render_start, now))
            self._cond.notify_all()

    def _key_done(self, _processor) -> None:
        with self._cond:
            self.keys_done.append(time.perf_counter())
            self._cond.notify_all()

    # ------------------------------------------------------------------ input

    def send(self, text: str) -> int:
        """Send raw input; returns the render count before it (for `wait_render`)."""
        with self._cond:
            count = len(self.renders)
        self.input.send_text(text)
        return count

    def press(self, *keys: str, settle: bool = True) -> None:
        """Named keys (`down`, `enter`, …) or literal text, one after the other; each time
        wait until the key was handled and the screen redrawn after it."""
        for key in keys:
            self._send_and_wait(KEYS.get(key, key), settle)

    def click(self, x: int, y: int) -> None:
        self._send_and_wait(click_sequence(x, y), True)

    def _send_and_wait(self, data: str, settle: bool, timeout: float = 3.0) -> None:
        with self._cond:
            keys_before = len(self.keys_done)
        self.input.send_text(data)
        if not settle:
            return
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.keys_done) <= keys_before:  # (an Esc waits for ttimeoutlen first)
                left = deadline - time.monotonic()
                if left <= 0 or not self.running:
                    return
                self._cond.wait(left)
        self.settle_keys()
        with self._cond:
            handled = self.keys_done[-1]
            while not any(start >= handled for start, _end in self.spans[-4:]):
                left = deadline - time.monotonic()
                if left <= 0 or not self.running:
                    return
                self._cond.wait(left)
        self.settle()

    def settle_keys(self, quiet: float = 0.01) -> None:
        """Wait until the app has taken every key sent so far (a burst arrives in pieces)."""
        while True:
            with self._cond:
                count = len(self.keys_done)
            time.sleep(quiet)
            with self._cond:
                if len(self.keys_done) == count:
                    return

    def wait_render(self, after: int, timeout: float = 5.0) -> float | None:
        """The time of the first render after render number `after` (None on timeout)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.renders) <= after:
                left = deadline - time.monotonic()
                if left <= 0 or not self.running:
                    return None
                self._cond.wait(left)
            return self.renders[after]

    def key_latency(self, key: str, timeout: float = 5.0) -> float | None:
        """Seconds from sending `key` to the end of the first render that began after the
        key was handled (None if nothing was drawn)."""
        with self._cond:
            keys_before = len(self.keys_done)
        sent = time.perf_counter()
        self.input.send_text(KEYS.get(key, key))
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if len(self.keys_done) > keys_before:
                    handled = self.keys_done[keys_before]
                    for start, end in self.spans:
                        if start >= handled:
                            return end - sent
                left = deadline - time.monotonic()
                if left <= 0 or not self.running:
                    return None
                self._cond.wait(left)

    def settle(self, quiet: float = 0.03, timeout: float = 3.0) -> None:
        """Wait until nothing has been drawn for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._cond:
                count = len(self.renders)
            time.sleep(quiet)
            with self._cond:
                if len(self.renders) == count:
                    return

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            with self._cond:
                self._cond.wait(0.02)
        return predicate()

    def wait_for(self, text: str, timeout: float = 10.0) -> bool:
        return self.wait_until(lambda: text in self.text(), timeout)

    def wait_loaded(self, timeout: float = 60.0) -> bool:
        """Wait for the data, and for a frame drawn after it arrived."""
        state = self.state
        ok = self.wait_until(lambda: state.catalog is not None and not state.loader.loading, timeout)
        if ok:
            ok = self.wait_until(
                lambda: any(start >= state.loader.done_at for start, _ in self.spans[-4:]), 10
            )
        self.settle()
        return ok

    # ------------------------------------------------------------------ screen

    def screen(self):
        import pyte

        if self._screen is None:
            self._screen = pyte.Screen(self.columns, self.rows)
            self._stream = pyte.Stream(self._screen)
        data, self._fed = self._out.take(self._fed)
        if data:
            self._stream.feed(data)
        return self._screen

    def raw(self) -> str:
        """Everything the app wrote to the terminal so far (escape sequences included)."""
        data, _count = self._out.take(0)
        return data

    def foreign_controls(self) -> list[str]:
        """Control sequences in the raw output that the app itself never writes, so they
        can only come from file text: OSC (title, links), DCS, APC/PM, BEL and C1
        controls. An escape that reaches the terminal is found here; the emulated
        screen (`text`) would have swallowed it."""
        found = re.findall(r"\x1b[\]P_^X][^\x07\x1b]{0,200}(?:\x07|\x1b\\)?|\x07|[\x80-\x9f]",
                           self.raw())
        return found

    def lines(self) -> list[str]:
        return list(self.screen().display)

    def text(self) -> str:
        return "\n".join(self.lines())
