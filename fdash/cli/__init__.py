"""`fdash` command line: one-shot reports, or the full-screen app when no command is given.

    fdash [-d DIR] [--config FILE] [--print] [COMMAND] [--json] [--verbose] [--no-cache]

A command is one function taking a `Context`, registered with its flags by its module's
`register` (the modules are listed in `fdash.cli.parser`). `--json` output imports
neither Rich nor prompt_toolkit: Rich views (`fdash.cli.views`) are imported only when a
table is printed. Exit codes: 0 ok, 2 usage/config/sessions-dir error, 1 anything else
that went wrong (with a message, never a traceback).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        code = _quick_stats(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    if code is not None:
        return code
    from fdash.cli.context import Failure, UsageError
    from fdash.core.text import notice

    try:
        return _main(argv)
    except UsageError as exc:
        print(notice(f"{exc} (see fdash --help)"), file=sys.stderr)
        return exc.code
    except Failure as exc:
        print(notice(str(exc)), file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `fdash export | head`: the reader left, nothing to report
        _silence_stdout()
        return 0
    except Exception as exc:  # a bug: say so in one line; FDASH_DEBUG=1 shows the traceback
        if os.environ.get("FDASH_DEBUG"):
            raise
        print(notice(f"internal error: {type(exc).__name__}: {exc} (FDASH_DEBUG=1 for details)"),
              file=sys.stderr)
        return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed
        return False


def _quick_stats(argv: list[str]) -> int | None:
    """`fdash [-d DIR] [--print] stats --json` with one sessions folder and no config file,
    answered from the index alone without the models or argparse (fdash.core.quick). None:
    anything else, or anything unexpected, which the full command line then handles."""
    words = list(argv)
    folders = []
    while "-d" in words or "--sessions-dir" in words:
        at = words.index("-d") if "-d" in words else words.index("--sessions-dir")
        folders.append(words[at + 1] if at + 1 < len(words) else "-")
        del words[at : at + 2]
    if sorted(words) not in (["--json", "stats"], ["--json", "--print", "stats"], ["--json", "--print"]):
        return None
    if len(folders) > 1 or any(f.startswith("-") for f in folders):
        return None
    from fdash.core import paths

    if any(candidate.is_file() for candidate in paths.config_candidates()):
        return None
    root = paths.expand(folders[0]) if folders else paths.expand(paths.default_sessions_dir())
    if not root.is_dir() or paths.unreadable(root) is not None:
        return None  # the full way says why (or shows the demo data)
    try:
        from fdash.core.quick import dumps, stats

        record, problems = stats(str(root))
        data = dumps(record)
    except Exception:  # noqa: BLE001 (the full way reports it properly)
        return None
    from fdash.cli import output

    output.report_problems(problems, verbose=False)
    sys.stdout.buffer.write(data + b"\n")
    sys.stdout.flush()
    return 0


def _main(argv: list[str]) -> int:
    from fdash.cli.context import Context, Failure
    from fdash.cli.parser import build_parser
    from fdash.core.catalog import SessionsDirError
    from fdash.core.config import ConfigError, load_config
    from fdash.core.source import resolve_source
    from fdash.core.text import notice

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from fdash import __version__

        print(f"fdash {__version__}")
        return 0
    if args.run is None and args.print_mode:  # `fdash --print`: the stats report
        args = parser.parse_args([*argv, "stats"])
    try:
        loaded = load_config(args.config)
    except ConfigError as exc:
        raise Failure(f"config error: {exc}") from None
    for warning in loaded.warnings:
        print(notice(f"warning: {warning}"), file=sys.stderr)
    if args.run is None and not (_terminal(sys.stdin) and _terminal(sys.stdout)):
        raise Failure("the dashboard needs a terminal (its input and output are not one); "
                      "for a report use `fdash --print` (or e.g. `fdash sessions --json`)")
    try:
        source = resolve_source(args.sessions_dir, loaded.config)
    except SessionsDirError as exc:
        raise Failure(str(exc)) from None
    if args.run is None:
        from fdash.core.catalog import Preload

        # the sessions are read while the app's modules (prompt_toolkit) are imported
        use_index = not args.no_cache
        first = Preload(lambda progress: source.load(loaded.config, use_index=use_index, progress=progress))
        from fdash.tui.app import run

        return run(loaded, source, use_index=use_index, first=first)
    return args.run(Context(args, loaded.config, source))
