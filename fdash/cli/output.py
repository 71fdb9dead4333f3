"""Where reports go: JSON and files without any UI library, Rich tables on a console,
warnings and a progress bar on stderr."""

from __future__ import annotations

import os
import sys

DEMO_BANNER = ("DEMO DATA: generated sessions, not your history (there is no Droid sessions folder; "
               "-d DIR reads one)")


def mark_demo(data):
    """Demo data never passes as real: an object gets `"demo": true`, so does each record
    of a list."""
    if isinstance(data, dict):
        return {**data, "demo": True}
    if isinstance(data, list):
        return [mark_demo(item) if isinstance(item, dict) else item for item in data]
    return data


def print_json(data) -> int:
    import orjson

    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()
    return 0


def console():
    """Rich console for people; piped output is wide (COLUMNS, else 160) rather than 80."""
    from rich.console import Console

    width = None
    if not sys.stdout.isatty():
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) if columns.isdigit() and int(columns) > 20 else 160
    return Console(highlight=False, soft_wrap=False, width=width)


def show(view, note: str | None = None, banner: str | None = None) -> int:
    """Print a Rich renderable for people: a banner line first, a dim note under it."""
    out = console()
    if banner:
        out.print(banner, style="bold reverse", markup=False)
    if hasattr(view, "parts"):  # a long list, printed as it is made
        for part in view.parts(out.width):
            out.print(part)
    else:
        out.print(view)
    if note:
        out.print(note, style="dim", markup=False)
    return 0


def write_file(path: str, data: bytes) -> None:
    """A file is replaced atomically; a device or pipe (`-o /dev/stdout`) is written to."""
    import stat

    from fdash.core.atomic import atomic_write

    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = 0
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        atomic_write(path, data)
        return
    with open(path, "wb") as out:
        out.write(data)


def report_settings_only(entries) -> None:
    """--verbose: how many sessions are a settings file without its transcript (droid
    writes both; the transcript was deleted or not copied). Not a warning: they are read
    and counted with their tokens, only their prompts and replies are gone."""
    alone = sum(1 for e in entries if e.session.transcript_path is None and e.session.settings_path)
    if alone:
        noun = "session is a settings file" if alone == 1 else "sessions are settings files"
        print(f"fdash: info: {alone} {noun} without a transcript (deleted or not copied): "
              "counted with their tokens, no prompts to show", file=sys.stderr)


def report_problems(problems, verbose: bool) -> None:
    if not problems:
        return
    if verbose:
        from fdash.core.text import notice

        for p in problems:
            print(notice(f"warning: {p.path}: {p.reason}"), file=sys.stderr)
    else:
        noun = "warning" if len(problems) == 1 else "warnings"
        print(f"fdash: {len(problems)} {noun} about unreadable data (--verbose lists them)", file=sys.stderr)


def progress_reporter():
    """A progress bar on stderr for long scans, when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    from fdash.cli.progress import StderrProgress

    return StderrProgress()
