#!/usr/bin/env python3
"""SVG screenshots of every tab of the full-screen app, dark and light, for the docs;
and of search results, a transcript, folded sub-agents and the budget on the Overview.

    python3 tools/take_screenshots.py [--out docs/screenshots] [--wide 200x50] [--narrow 100x30]

Wide screens keep the plain names (`sessions-dark.svg`); the 100-column ones end in
`-100` (`sessions-dark-100.svg`): what most terminals show.

The app runs headless (tests/tui/harness.py: pipe input, recording Vt100 output) on
generated sessions (fixed seed, fixed "now", UTC), the pyte screen is turned into Rich
`Text` with its colors, and a recording Rich console exports it as SVG. Config and cache
go to a throw-away folder: your own files are never read or written.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SEED = 7
TODAY = date(2026, 11, 20)  # the generator's default "now"
NOW = datetime(2026, 11, 20, 17, 30, tzinfo=timezone.utc)
BUDGET = "[budget]\ndaily_usd = 8.0\nweekly_usd = 40.0\nmonthly_tokens = 150_000_000\n"
SEARCH = "add tests"
PYTE_NAMES = {"brown": "yellow", "lightgray": "white", "lightgrey": "white"}


def _generate(folder: Path, sessions: int) -> None:
    from tools.sessiongen import generate

    generate(folder, sessions=sessions, seed=SEED)


def _color(value: str) -> str | None:
    if value in ("default", "", None):
        return None
    if len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value):
        return "#" + value.lower()
    return PYTE_NAMES.get(value, value)


def screen_to_text(screen):
    """pyte screen → list of Rich Text lines, colors and attributes kept."""
    from rich.text import Text

    lines = []
    for y in range(screen.lines):
        row = screen.buffer[y]
        text = Text(no_wrap=True, overflow="crop")
        run, run_style = "", None
        for x in range(screen.columns):
            char = row[x]
            if char.data == "":  # the right half of a wide character
                continue
            fg, bg = _color(char.fg), _color(char.bg)
            if char.reverse:
                fg, bg = bg, fg
            style = (fg, bg, char.bold, char.italics, char.underscore)
            if style != run_style and run:
                text.append(run, _style(run_style))
                run = ""
            run_style = style
            run += char.data or " "
        if run:
            text.append(run, _style(run_style))
        lines.append(text)
    return lines


def _style(key):
    from rich.style import Style

    fg, bg, bold, italic, underline = key
    return Style(color=fg, bgcolor=bg, bold=bold, italic=italic, underline=underline)


def save_svg(screen, path: Path, title: str) -> None:
    from rich.console import Console
    from rich.terminal_theme import MONOKAI

    console = Console(record=True, width=screen.columns, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", _environ={})
    for line in screen_to_text(screen):
        console.print(line, no_wrap=True, crop=True)
    path.write_text(console.export_svg(title=title, theme=MONOKAI), encoding="utf-8")


def shoot(root: Path, out: Path, columns: int, rows: int, suffix: str = "",
          everything: bool = True) -> list[Path]:
    from fdash.core.config import TABS, load_config
    from fdash.core.source import Source
    from fdash.tui.state import AppState
    from tests.tui.harness import Headless

    written = []
    for dark in (True, False):
        state = AppState(load_config(None), Source(root), today=TODAY, clock=lambda: NOW)
        state.dark = dark
        with Headless(state, columns=columns, rows=rows) as h:
            if not h.wait_loaded(120):
                raise SystemExit(f"take_screenshots: the app did not load: {h.error!r}")
            state.loader.seconds = None  # keep the status line free of timings
            theme = "dark" if dark else "light"
            for number, tab in enumerate(TABS, 1):
                h.press(str(number))
                if tab in ("sessions", "favorites"):
                    h.press("j", "j")
                    h.wait_until(lambda: "reading the full texts" not in h.text(), 5)
                    h.settle(0.1)
                if tab == "activity":  # its timelines are computed piece by piece
                    h.wait_for("Projects × weeks — tokens", 30)
                    h.wait_for(" ▶ ", 30)
                    h.settle(0.2)
                path = out / f"{tab}-{theme}{suffix}.svg"
                save_svg(h.screen(), path, f"fdash — {tab} ({theme}, {columns} columns)")
                written.append(path)
            if not everything:
                continue
            h.press("4", "?")
            path = out / f"help-{theme}.svg"
            save_svg(h.screen(), path, f"fdash — keys ({theme})")
            written.append(path)
            h.press("escape", "e")
            path = out / f"rename-{theme}.svg"
            save_svg(h.screen(), path, f"fdash — rename a session ({theme})")
            written.append(path)
            h.press("escape")
            written += _features(h, out, theme)
    if everything:
        written.append(_budget(root, out, columns, rows))
    return written


def _features(h, out: Path, theme: str) -> list[Path]:
    """Search results, and sub-agents folded under their parent."""
    written = []
    h.press("/", *SEARCH)
    h.wait_for("sessions match", 10)
    h.press("enter", "j")
    h.wait_until(lambda: "reading the full texts" not in h.text(), 5)
    h.settle(0.1)
    path = out / f"search-{theme}.svg"
    save_svg(h.screen(), path, f"fdash — search “{SEARCH}” ({theme})")
    written.append(path)
    h.press("v")  # the selected result's transcript
    h.wait_for("❯ You", 10)
    h.press("pagedown")
    h.settle(0.1)
    path = out / f"transcript-{theme}.svg"
    save_svg(h.screen(), path, f"fdash — a session's transcript ({theme})")
    written.append(path)
    h.press("escape")
    h.press("escape", "4", "a")
    lst = h.state.tabs.sessions
    parent = next((i - 1 for i, depth in enumerate(lst.depths) if depth == 1), 0)
    h.app.loop.call_soon_threadsafe(lambda: (lst.select(parent), h.app.invalidate()))
    h.press("j", "k")  # a parent with its sub-agents under it
    h.wait_until(lambda: "reading the full texts" not in h.text(), 5)
    h.settle(0.1)
    path = out / f"subagents-{theme}.svg"
    save_svg(h.screen(), path, f"fdash — sub-agents under their parent ({theme})")
    written.append(path)
    h.press("a")
    return written


def _budget(root: Path, out: Path, columns: int, rows: int) -> Path:
    """The Overview with [budget] limits, at a fixed moment."""
    from fdash.core.config import load_config
    from fdash.core.source import Source
    from fdash.tui.state import AppState
    from tests.tui.harness import Headless

    config = Path(os.environ["XDG_CONFIG_HOME"]) / "budget.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(BUDGET, encoding="utf-8")
    state = AppState(load_config(config), Source(root), today=TODAY, clock=lambda: NOW)
    path = out / "budget-dark.svg"
    with Headless(state, columns=columns, rows=rows) as h:
        if not h.wait_loaded(120) or not h.wait_for("forecast", 30):
            raise SystemExit(f"take_screenshots: no budget on the Overview: {h.error!r}")
        state.loader.seconds = None
        h.press("1")
        save_svg(h.screen(), path, "fdash — budget on the Overview (dark)")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    parser.add_argument("--wide", default="200x50")
    parser.add_argument("--narrow", default="100x30")
    parser.add_argument("--sessions", type=int, default=600)
    args = parser.parse_args(argv)
    wide = tuple(int(n) for n in args.wide.split("x"))
    narrow = tuple(int(n) for n in args.narrow.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.gettempdir()) / "fdash-screenshots"  # a fixed path: the screens show it
    shutil.rmtree(work, ignore_errors=True)
    try:
        os.environ.update(HOME=str(work / "home"), XDG_CONFIG_HOME=str(work / "config"),
                          XDG_CACHE_HOME=str(work / "cache"), TZ="UTC")
        time.tzset()
        root = work / "sessions"
        _generate(root, args.sessions)
        shots = shoot(root, out, *wide) + shoot(root, out, *narrow, f"-{narrow[0]}", False)
        for path in shots:
            print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
