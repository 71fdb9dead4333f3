"""`fdash` with no command: the full-screen prompt_toolkit application.

    run(loaded_config, source, use_index=True) -> exit code

The first frame is drawn at once; the sessions are read by a background thread that
reports progress, and the data fills in when it is loaded. `c` (connect) leaves the app
with a `ResumeCommand`; only after prompt_toolkit has restored the terminal does `run`
replace the process with droid.
"""

from __future__ import annotations

import base64
import gc
import os
import sys
import threading
import time

from prompt_toolkit.application import Application
from prompt_toolkit.input import Input
from prompt_toolkit.output import ColorDepth, Output
from prompt_toolkit.styles import DynamicStyle

from fdash.core.catalog import Preload
from fdash.core.config import LoadedConfig
from fdash.core.resume import ResumeCommand, ResumeError, exec_resume
from fdash.core.source import Source
from fdash.core.text import notice
from fdash.tui import ptk_screen_diff_patch
from fdash.tui.keys import bindings
from fdash.tui.layout import FdashLayout, warm_up
from fdash.tui.state import AppState
from fdash.tui.style import ptk_style

PROMPT_DEBOUNCE_S = 0.04  # holding j down does not read every transcript on the way
LIVE_TICK_S = 0.25  # how often the live view's thread looks at the clock
STEP_GAP_S = 0.001  # between two pieces of deferred work
IDLE_GC_S = 2.0  # a full garbage collection runs once no key came for this long


def _spawn(fn) -> None:
    threading.Thread(target=fn, name="fdash-worker", daemon=True).start()


def build_app(
    state: AppState,
    *,
    input: Input | None = None,
    output: Output | None = None,
    color_depth: ColorDepth | None = None,
) -> Application:
    """The Application over `state`, its hooks wired to the event loop (no I/O started)."""
    ptk_screen_diff_patch.install()  # faster repaints (docs/PERFORMANCE.md)
    ui = FdashLayout(state)
    if color_depth is None and os.environ.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        color_depth = ColorDepth.TRUE_COLOR
    app: Application = Application(
        layout=ui.layout,
        key_bindings=bindings(state, after=ui.sync),
        style=DynamicStyle(lambda: ptk_style(state.dark)),
        include_default_pygments_style=False,
        full_screen=True,
        mouse_support=True,
        color_depth=color_depth,
        input=input,
        output=output,
    )
    app.ttimeoutlen = 0.05  # Esc reacts at once (no Alt-key combinations are bound)
    app.timeoutlen = 0.5

    def call_soon(fn) -> None:
        loop = app.loop
        if loop is None or not app.is_running:
            fn()
            return

        def run_and_redraw() -> None:
            fn()
            ui.sync()
            app.invalidate()

        loop.call_soon_threadsafe(run_and_redraw)

    def step(fn) -> None:  # a piece of deferred work, between key presses and redraws
        loop = app.loop
        if loop is None or not app.is_running:
            fn()
        else:  # (from the UI thread) a timer, not call_soon: prompt_toolkit postpones a
            # redraw while other callbacks are ready, up to 10 ms
            loop.call_later(STEP_GAP_S, fn)

    def leave(result) -> None:
        if app.is_running and not app.future.done():
            app.exit(result=result)

    state.hooks.invalidate = app.invalidate
    state.hooks.call_soon = call_soon
    state.hooks.step = step
    state.hooks.spawn = _spawn
    state.prompts.debounce = PROMPT_DEBOUNCE_S
    state.hooks.exit = leave

    def clipboard(text: str) -> None:  # OSC 52: the terminal (and tmux) set the clipboard
        payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
        app.output.write_raw(f"\x1b]52;c;{payload}\x07")
        app.output.flush()

    state.hooks.clipboard = clipboard

    def loaded(live: bool = False) -> None:
        # tens of thousands of long-lived objects: keep them out of the collector's passes
        gc.freeze()
        _collect_when_idle(app)

    state.hooks.loaded = loaded
    app.key_processor.after_key_press += lambda _kp: _collect_when_idle(app)
    app.fdash_layout = ui  # for tests and tools
    return app


def start_loading(app: Application, state: AppState) -> None:
    """Once the first frame is out: read the sessions and import the views, both in the
    background (started earlier, they would hold the GIL while that frame is drawn); then
    keep looking for changed session files (the live view)."""

    def go(_app) -> None:
        app.after_render -= go
        state.loader.reload()
        warm_up()
        threading.Thread(target=lambda: _live(app, state), name="fdash-live", daemon=True).start()

    app.after_render += go


def no_full_collections() -> tuple[int, int, int]:
    """Python's full garbage collections scan every object not frozen (tens of ms with
    fdash's caches) at moments nobody chooses: in the middle of a key press. The app
    runs them itself when idle (`_collect_when_idle`); returns the thresholds to restore."""
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], 1_000_000_000)
    return before


def _collect_when_idle(app: Application) -> None:
    handle = getattr(app, "fdash_gc", None)
    if handle is not None:
        handle.cancel()
    if app.loop is not None:
        app.fdash_gc = app.loop.call_later(IDLE_GC_S, gc.collect)


def _live(app: Application, state: AppState) -> None:
    """Every `[display] refresh_seconds` (read each time: Settings may change it), ask
    the state to look for changes, until the app ends."""
    waited = 0.0
    while app.is_running:
        time.sleep(LIVE_TICK_S)
        waited += LIVE_TICK_S
        every = state.config.display.refresh_seconds
        if every > 0 and waited >= every and app.is_running:
            waited = 0.0
            try:
                state.poll()
            except Exception:  # noqa: BLE001 - the live view pauses, the app goes on
                waited = -60.0


def create_state(loaded: LoadedConfig, source: Source, *, use_index: bool = True,
                 first: Preload | None = None) -> AppState:
    return AppState(loaded, source, use_index=use_index, first=first)


def run(loaded: LoadedConfig, source: Source, use_index: bool = True, first: Preload | None = None) -> int:
    """Show the dashboard until `q`; resume a session in droid when asked to (`c`).
    `first`: the first read, when the caller started it already (fdash.cli)."""
    state = create_state(loaded, source, use_index=use_index, first=first)
    app = build_app(state)
    thresholds = no_full_collections()
    try:
        result = app.run(pre_run=lambda: start_loading(app, state))
    finally:
        gc.set_threshold(*thresholds)
    if isinstance(result, ResumeCommand):
        print(notice(f"resuming session {result.session_id} in {result.cwd}"), file=sys.stderr)
        sys.stderr.flush()
        sys.stdout.flush()
        try:
            exec_resume(result)  # returns only if droid could not be started
        except (ResumeError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            print(notice(f"cannot start droid: {reason}"), file=sys.stderr)
            return 1
    if state.loader.loading:
        # A scan still running (a cold one reads in worker processes) would hold the exit
        # until it ends: stop it (its workers finish the batch they hold, no more).
        state.loader.cancel()
    return 0
