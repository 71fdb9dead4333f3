"""fdash's screen diff leaves the terminal exactly as prompt_toolkit's does: random
screens (wide characters, styles, escapes, shorter rows, resizes) are drawn frame after
frame by both, each into its own terminal emulator, and the emulators must agree."""

from __future__ import annotations

import io
import random
from types import SimpleNamespace

import pyte
import pytest
from prompt_toolkit.data_structures import Point, Size
from prompt_toolkit.layout.screen import _CHAR_CACHE, Screen
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.output.vt100 import Vt100_Output
from prompt_toolkit.renderer import _StyleStringHasStyleCache, _StyleStringToAttrsCache
from prompt_toolkit.styles import DummyStyleTransformation, Style

from fdash.tui import ptk_screen_diff_patch as patch

STYLES = ["", "class:a", "class:b", "bg:#203040", "#ff8800 bold", "[transparent]", "reverse",
          "bg:#203040 underline"]
CHARS = ["a", "b", " ", " ", "█", "界", "é", "^["]


def random_screen(rng: random.Random, columns: int, rows: int) -> Screen:
    screen = Screen()
    for y in range(rows):
        if rng.random() < 0.15:
            continue  # an empty row
        row = screen.data_buffer[y]
        length = rng.randint(0, columns)
        style = rng.choice(STYLES)
        for x in range(length):
            if rng.random() < 0.2:
                style = rng.choice(STYLES)
            row[x] = _CHAR_CACHE[rng.choice(CHARS), style]
        if rng.random() < 0.1 and length:
            screen.zero_width_escapes[y][rng.randrange(length)] = "\x1b]8;;x\x1b\\"
    screen.height = rows
    return screen


class Terminal:
    def __init__(self, diff, columns: int, rows: int):
        self.diff = diff
        self.buffer = io.StringIO()
        self.size = Size(rows=rows, columns=columns)
        self.output = Vt100_Output(self.buffer, lambda: self.size, term="xterm-256color")
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)
        style = Style.from_dict({"a": "#00ff00", "b": "bg:#0000ff italic"})
        self.attrs = _StyleStringToAttrsCache(
            style.get_attrs_for_style_str, DummyStyleTransformation()
        )
        self.has_style = _StyleStringHasStyleCache(self.attrs)
        self.previous: Screen | None = None
        self.previous_width = 0
        self.pos, self.last_style = Point(0, 0), None

    def draw(self, screen: Screen, is_done: bool = False) -> None:
        app = SimpleNamespace(layout=SimpleNamespace(current_window=None))
        self.pos, self.last_style = self.diff(
            app, self.output, screen, self.pos, ColorDepth.DEPTH_24_BIT, self.previous,
            self.last_style, is_done, True, self.attrs, self.has_style, self.size,
            self.previous_width,
        )
        self.output.flush()
        self.stream.feed(self.buffer.getvalue())
        self.buffer.seek(0)
        self.buffer.truncate()
        self.previous, self.previous_width = screen, self.size.columns

    def state(self):
        return [
            [(c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.reverse) for c in row.values()]
            for row in (self.screen.buffer[y] for y in range(self.screen.lines))
        ]


@pytest.mark.parametrize("seed", range(12))
def test_the_same_terminal_state_frame_after_frame(seed):
    rng = random.Random(seed)
    columns, rows = rng.choice([(20, 6), (40, 10), (80, 24)])
    theirs = Terminal(patch.ORIGINAL, columns, rows)
    ours = Terminal(patch.output_screen_diff, columns, rows)
    for frame in range(8):
        if frame == 5:  # a resize: both redraw everything
            columns += 3
            theirs.size = ours.size = Size(rows=rows, columns=columns)
            theirs.screen.resize(rows, columns)
            ours.screen.resize(rows, columns)
        screen = random_screen(rng, columns, rows)
        if frame and rng.random() < 0.5:  # a few cells changed: the common case
            screen = theirs.previous
            copy = Screen()
            for y, row in screen.data_buffer.items():
                copy.data_buffer[y].update(row)
            for _ in range(rng.randint(1, 30)):
                y, x = rng.randrange(rows), rng.randrange(columns)
                copy.data_buffer[y][x] = _CHAR_CACHE[rng.choice(CHARS), rng.choice(STYLES)]
            copy.height = rows
            screen = copy
        theirs.draw(screen)
        ours.draw(screen)
        assert ours.state() == theirs.state(), f"seed {seed}, frame {frame}"
        assert (ours.screen.cursor.x, ours.screen.cursor.y) == (
            theirs.screen.cursor.x,
            theirs.screen.cursor.y,
        )


def test_installed_for_this_prompt_toolkit():
    assert patch.compatible()
    assert patch.install()
    from prompt_toolkit import renderer

    assert renderer._output_screen_diff is patch.output_screen_diff
