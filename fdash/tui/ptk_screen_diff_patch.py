"""A faster drop-in for prompt_toolkit's screen diff (`renderer._output_screen_diff`).

prompt_toolkit compares the new screen with the previous one cell by cell and, for each
changed cell, moves the cursor, checks the style and writes one character: several
Python calls per cell. When a tab changes, most of the screen changes, and that loop was
most of a repaint (docs/PERFORMANCE.md, "Measured for the app's design"). This version finds the same changed cells but
writes each run of adjacent changed cells of one style with one cursor move, one style
check and one write; and it finds a row's last painted column from its highest index
first (fdash paints every cell) instead of scanning the row. The terminal ends up in the
same state: tests/tui/test_ptk_screen_diff_patch.py checks that with a terminal emulator on random
screens, and every headless test reads the screen through it.

Installed by `install()` only when the function it replaces has the signature it was
written against (prompt_toolkit 3.0.x); otherwise prompt_toolkit's own is kept.
"""

from __future__ import annotations

import inspect
from typing import Any

from prompt_toolkit import renderer
from prompt_toolkit.data_structures import Point, Size
from prompt_toolkit.layout.screen import Screen
from prompt_toolkit.output import ColorDepth, Output

ORIGINAL = renderer._output_screen_diff
EXPECTED = (
    "app", "output", "screen", "current_pos", "color_depth", "previous_screen", "last_style",
    "is_done", "full_screen", "attrs_for_style_string", "style_string_has_style", "size",
    "previous_width",
)


def output_screen_diff(
    app: Any,
    output: Output,
    screen: Screen,
    current_pos: Point,
    color_depth: ColorDepth,
    previous_screen: Screen | None,
    last_style: str | None,
    is_done: bool,
    full_screen: bool,
    attrs_for_style_string: Any,
    style_string_has_style: Any,
    size: Size,
    previous_width: int,
) -> tuple[Point, str | None]:
    width, height = size.columns, size.rows
    write = output.write
    write_raw = output.write_raw
    output.hide_cursor()

    def reset_attributes() -> None:
        nonlocal last_style
        output.reset_attributes()
        last_style = None

    def move_cursor(new: Point) -> Point:  # as prompt_toolkit's
        current_x, current_y = current_pos.x, current_pos.y
        if new.y > current_y:
            reset_attributes()
            write("\r\n" * (new.y - current_y))
            output.cursor_forward(new.x)
            return new
        elif new.y < current_y:
            output.cursor_up(current_y - new.y)
        if current_x >= width - 1:
            write("\r")
            output.cursor_forward(new.x)
        elif new.x < current_x or current_x >= width - 1:
            output.cursor_backward(current_x - new.x)
        elif new.x > current_x:
            output.cursor_forward(new.x - current_x)
        return new

    def last_column(row) -> int:
        """The highest column holding a character or a style (0 for none)."""
        if not row:
            return 0
        last = max(row)
        cell = row[last]
        if cell.char != " " or style_string_has_style[cell.style]:
            return last
        return max(
            (
                i
                for i, cell in row.items()
                if cell.char != " " or style_string_has_style[cell.style]
            ),
            default=0,
        )

    def flush(y: int, start: int, end: int, style: str, text: str) -> None:
        """Write one run of changed cells (columns start..end-1, one style)."""
        nonlocal current_pos, last_style
        current_pos = move_cursor(Point(x=start, y=y))
        if start in escapes:
            write_raw(escapes[start])
        if last_style != style:
            attrs = attrs_for_style_string[style]
            if not last_style or attrs != attrs_for_style_string[last_style]:
                output.set_attributes(attrs, color_depth)
            last_style = style
        write(text)
        current_pos = Point(x=current_pos.x + end - start, y=current_pos.y)

    if not previous_screen:
        reset_attributes()
    if not previous_screen or not full_screen:
        output.disable_autowrap()
    if is_done or not previous_screen or previous_width != width:
        current_pos = move_cursor(Point(x=0, y=0))
        reset_attributes()
        output.erase_down()
        previous_screen = Screen()

    current_height = min(screen.height, height)
    row_count = min(max(screen.height, previous_screen.height), height)
    for y in range(row_count):
        new_row = screen.data_buffer[y]
        previous_row = previous_screen.data_buffer[y]
        escapes = screen.zero_width_escapes[y]
        new_max = min(width - 1, last_column(new_row))
        previous_max = min(width - 1, last_column(previous_row))
        run: list[str] = []
        start = end = 0
        style = ""
        c = 0
        while c <= new_max:
            new_char = new_row[c]
            old_char = previous_row[c]
            char_width = new_char.width or 1
            if new_char is not old_char and (
                new_char.char != old_char.char or new_char.style != old_char.style
            ):
                if run and (c != end or new_char.style != style or c in escapes):
                    flush(y, start, end, style, "".join(run))
                    run = []
                if not run:
                    start, style = c, new_char.style
                run.append(new_char.char)
                end = c + char_width
            c += char_width
        if run:
            flush(y, start, end, style, "".join(run))
        if previous_screen and new_max < previous_max:  # the new line is shorter: trim it
            current_pos = move_cursor(Point(x=new_max + 1, y=y))
            reset_attributes()
            output.erase_end_of_line()

    if current_height > previous_screen.height:
        current_pos = move_cursor(Point(x=0, y=current_height - 1))
    if is_done:
        current_pos = move_cursor(Point(x=0, y=current_height))
        output.erase_down()
    else:
        current_pos = move_cursor(screen.get_cursor_position(app.layout.current_window))
    if is_done or not full_screen:
        output.enable_autowrap()
    reset_attributes()
    if screen.show_cursor:
        output.show_cursor()
    return current_pos, last_style


def compatible() -> bool:
    try:
        names = tuple(inspect.signature(ORIGINAL).parameters)
    except (TypeError, ValueError):
        return False
    return names == EXPECTED


def install() -> bool:
    """Use the faster diff from now on (when prompt_toolkit's is the expected one)."""
    if renderer._output_screen_diff is output_screen_diff:
        return True
    if not compatible():
        return False
    renderer._output_screen_diff = output_screen_diff
    return True
