"""`fdash` command line: one-shot reports, or the full-screen app when no command is given.

    fdash [-d DIR] [--config FILE] [--print] [COMMAND] [--json] [--verbose] [--no-cache]

Commands: stats, tokens, groups, projects, sessions, export, daily, weekly, monthly
(time options in `fdash.cli_time`). `--json` output imports
neither Rich nor prompt_toolkit. Exit codes: 0 ok, 2 usage/config/sessions-dir error,
1 anything else that went wrong (with a message, never a traceback).
"""

from __future__ import annotations

import argparse
import os
import sys

COMMANDS = ("stats", "tokens", "groups", "projects", "sessions", "export", "daily", "weekly", "monthly",
            "search", "budget", "watch")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # exit 2 with a one-line message, like argparse, no usage dump
        raise UsageError(message)


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    flag_default = argparse.SUPPRESS if suppress else False
    parser.add_argument("-d", "--sessions-dir", metavar="DIR", default=default, action="append",
                        help="Droid sessions folder (default: ~/.factory/sessions); give it "
                             "several times to merge histories from several machines")
    parser.add_argument("--config", metavar="FILE", default=default, help="config file to use")
    parser.add_argument("--json", action="store_true", default=flag_default, help="machine-readable output")
    parser.add_argument("-v", "--verbose", action="store_true", default=flag_default,
                        help="list every warning (path and reason) on stderr")
    parser.add_argument("--no-cache", action="store_true", default=flag_default,
                        help="read every file, ignoring (and not updating) the index")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="fdash", description="Fast, exact dashboard for Factory.ai Droid sessions.")
    _common(parser, suppress=False)
    parser.add_argument("--print", action="store_true", dest="print_mode",
                        help="print a report instead of opening the dashboard (default report: stats)")
    parser.add_argument("--version", action="store_true", help="show the version")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p, suppress=True)
        return p

    p = command("stats", "totals: sessions, projects, tokens, cost, active time")
    p.add_argument("--group", help="only sessions of this group")
    p.add_argument("--project", help="only sessions of this project (path or folder name)")
    p = command("tokens", "tokens and cost by model")
    p.add_argument("--limit", type=int, default=None, metavar="N")
    command("groups", "tokens and cost by group")
    command("projects", "tokens and cost by project")
    p = command("sessions", "sessions, newest first")
    p.add_argument("--limit", type=int, default=None, metavar="N")
    p = command("export", "every session as JSON or CSV")
    p.add_argument("--format", choices=("json", "csv"), default="json")
    p.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    from fdash import cli_time

    for name in COMMANDS[:6]:
        cli_time.add_range_flags(sub.choices[name])
    cli_time.add_commands(command)
    p = command("search", "find sessions by words in their prompts, title or project (newest first)")
    p.add_argument("words", nargs="+", metavar="WORD", help="every word must occur (case-insensitive)")
    p.add_argument("--limit", type=int, default=None, metavar="N")
    p = command("budget", "spent vs your [budget] limits, burn rate and when they run out")
    p.add_argument("--tz", metavar="ZONE", help="IANA time zone (default: [reports] timezone, else local)")
    p = command("watch", "a compact summary of today that refreshes itself (Ctrl-C to stop)")
    p.add_argument("--interval", type=float, default=5.0, metavar="SECONDS", help="refresh every (default 5)")
    p.add_argument("--tz", metavar="ZONE", help="IANA time zone (default: [reports] timezone, else local)")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    except UsageError as exc:
        print(f"fdash: {exc} (see fdash --help)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `fdash export | head`: the reader left, nothing to report
        _silence_stdout()
        return 0
    except Exception as exc:  # a bug: say so in one line; FDASH_DEBUG=1 shows the traceback
        if os.environ.get("FDASH_DEBUG"):
            raise
        print(f"fdash: internal error: {type(exc).__name__}: {exc} (FDASH_DEBUG=1 for details)",
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


def _main(argv: list[str]) -> int:
    from fdash.core.catalog import SessionsDirError
    from fdash.core.config import ConfigError, load_config
    from fdash.core.source import resolve_source

    args = build_parser().parse_args(argv)
    if args.version:
        from fdash import __version__

        print(f"fdash {__version__}")
        return 0
    if getattr(args, "limit", None) is not None and args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    try:
        loaded = load_config(args.config)
    except ConfigError as exc:
        print(f"fdash: config error: {exc}", file=sys.stderr)
        return 2
    for warning in loaded.warnings:
        print(f"fdash: warning: {warning}", file=sys.stderr)
    command = args.command or ("stats" if args.print_mode else None)
    try:
        source = resolve_source(args.sessions_dir, loaded.config)
    except SessionsDirError as exc:
        print(f"fdash: {exc}", file=sys.stderr)
        return 2
    if command is None:
        return _run_app(loaded, source, args)
    if command == "watch":
        from fdash.watch import watch

        return watch(source, loaded.config, args)
    if source.note:
        print(f"fdash: {source.note}", file=sys.stderr)
    return _report(command, args, loaded.config, source)


def _run_app(loaded, source, args) -> int:
    try:
        from fdash.tui.app import run
    except ImportError:  # the full-screen app is not built yet in this checkout
        print("fdash: the full-screen app is not available; try `fdash --print stats`", file=sys.stderr)
        return 1
    return run(loaded, source, use_index=not args.no_cache)


def _report(command: str, args, config, source) -> int:
    from fdash import cli_time
    from fdash.core import aggregate
    from fdash.core.catalog import SessionsDirError

    win = None  # the time zone and day range, worked out only when a report needs them
    if (command in cli_time.PERIOD_COMMANDS or command == "budget"
            or (command == "stats" and not args.json and _has_budget(config))
            or any(getattr(args, flag, None) for flag in ("tz", "since", "until"))):
        from fdash.core.timeline import TimeError

        try:
            win = cli_time.window(args, config)
        except TimeError as exc:
            raise UsageError(str(exc)) from None
    try:
        catalog = source.load(config, use_index=not args.no_cache, progress=_progress_reporter(args))
    except SessionsDirError as exc:
        print(f"fdash: {exc}", file=sys.stderr)
        return 2
    entries = list(catalog.entries)
    if command in ("search", "budget"):
        _report_problems(catalog.problems, args.verbose)
        return _search(entries, args, catalog.demo) if command == "search" else _budget(entries, args, config, win)
    scope = ""
    if command == "stats":
        entries, scope = _filter(entries, getattr(args, "group", None), getattr(args, "project", None))
    problems = catalog.problems
    _report_problems(problems, args.verbose)
    if command in cli_time.PERIOD_COMMANDS:
        view = cli_time.periods(command, entries, args, config, win, catalog.demo)
        return _print_json(view) if args.json else (_console().print(view) or 0)
    entries, time_scope = cli_time.restrict(command, entries, win)
    if time_scope and command == "stats":
        scope = ", ".join(filter(None, (scope, time_scope.label())))

    if command == "export":
        return _export(entries, args)
    if args.json:
        data = _json_report(command, entries, problems, args)
        if time_scope and command == "stats":
            data.update(time_scope.record())
        return _print_json(data)

    from fdash import report

    if command == "stats":
        view = report.stats_view(aggregate.totals(entries), len(problems), catalog.demo, scope)
        if _has_budget(config) and not time_scope:
            from fdash.core.budget import budget_status

            _console().print(view)
            view = report.budget_view(budget_status(catalog.entries, config.budget, config.reports, win.zone))
    elif command == "tokens":
        buckets = aggregate.by_model(entries)[: _limit(args)]
        view = report.tokens_view(buckets, catalog.demo, _price_sources(entries))
    elif command == "groups":
        view = report.groups_view(aggregate.by_group(entries), catalog.demo)
    elif command == "projects":
        view = report.projects_view(aggregate.by_project(entries), catalog.demo)
    else:
        view = report.sessions_view(_newest_first(entries)[: _limit(args)], catalog.demo)
    _console().print(view)
    if time_scope and command != "stats":
        _console().print(time_scope.note(), style="dim", markup=False)
    return 0


def _search(entries, args, demo: bool) -> int:
    from fdash.core.search import Searcher

    hits = Searcher(entries).search(" ".join(args.words), limit=_limit(args))
    if args.json:
        from fdash.core import export

        return _print_json([export.search_record(h) for h in hits])
    from fdash import report

    _console().print(report.search_view(hits, " ".join(args.words), demo))
    return 0


def _has_budget(config) -> bool:
    from attrs import astuple

    return any(v is not None for v in astuple(config.budget))


def _budget(entries, args, config, win) -> int:
    from fdash.core.budget import budget_status

    if not _has_budget(config):
        print("fdash: no [budget] in the config; add e.g. `[budget]` `daily_usd = 20` (see README)",
              file=sys.stderr)
        return 2
    statuses = budget_status(entries, config.budget, config.reports, win.zone)
    if args.json:
        from fdash.core import export

        return _print_json([export.budget_record(b) for b in statuses])
    from fdash import report

    _console().print(report.budget_view(statuses))
    return 0


def _filter(entries, group: str | None, project: str | None):
    scope = []
    if group is not None:
        entries = [e for e in entries if e.group == group]
        scope.append(f"group {group}")
    if project is not None:
        def matches(e) -> bool:
            p = e.session.project
            return p == project or p.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1] == project

        entries = [e for e in entries if matches(e)]
        scope.append(f"project {project}")
    return entries, ", ".join(scope)


def _newest_first(entries):
    return sorted(entries, key=lambda e: (e.session.last_at_ms or 0, e.session.id), reverse=True)


def _price_sources(entries) -> dict[str, str]:
    sources: dict[str, set[str]] = {}
    for e in entries:
        if e.cost.source != "none":
            sources.setdefault(e.model, set()).add(e.cost.source)
    return {model: "/".join(sorted(s)) for model, s in sources.items()}


def _json_report(command: str, entries, problems, args):
    from fdash.core import aggregate, export

    if command == "stats":
        return export.stats_record(aggregate.totals(entries), problems)
    if command == "tokens":
        sources = _price_sources(entries)
        rows = []
        for b in aggregate.by_model(entries)[: _limit(args)]:
            row = export.bucket_record(b, "model")
            row["price_source"] = sources.get(b.key, "none")
            rows.append(row)
        return rows
    if command == "groups":
        return [export.bucket_record(b, "group") for b in aggregate.by_group(entries)]
    if command == "projects":
        return [export.bucket_record(b, "project") for b in aggregate.by_project(entries)]
    return [export.session_record(e) for e in _newest_first(entries)[: _limit(args)]]


def _limit(args) -> int | None:
    return getattr(args, "limit", None)


def _print_json(data) -> int:
    import orjson

    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()
    return 0


def _export(entries, args) -> int:
    from fdash.core import export

    records = [export.session_record(e) for e in _newest_first(entries)]
    if args.format == "csv":
        data = export.to_csv(records).encode("utf-8")
    else:
        import orjson

        data = orjson.dumps(records, option=orjson.OPT_INDENT_2) + b"\n"
    if args.output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    try:
        _write_output(args.output, data)
    except OSError as exc:
        print(f"fdash: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"fdash: wrote {len(records)} sessions to {args.output}", file=sys.stderr)
    return 0


def _write_output(path: str, data: bytes) -> None:
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


def _report_problems(problems, verbose: bool) -> None:
    if not problems:
        return
    if verbose:
        from fdash.core.text import one_line

        for p in problems:
            print(f"fdash: warning: {one_line(p.path)}: {one_line(p.reason)}", file=sys.stderr)
    else:
        noun = "warning" if len(problems) == 1 else "warnings"
        print(f"fdash: {len(problems)} {noun} about unreadable data (--verbose lists them)", file=sys.stderr)


def _progress_reporter(args):
    """A Rich progress bar on stderr for long scans (a terminal, not --json)."""
    if args.json or not sys.stderr.isatty():
        return None
    from fdash.progress import StderrProgress

    return StderrProgress()


def _console():
    """Rich console for people; piped output is wide (COLUMNS, else 160) rather than 80."""
    from rich.console import Console

    width = None
    if not sys.stdout.isatty():
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) if columns.isdigit() and int(columns) > 20 else 160
    return Console(highlight=False, soft_wrap=False, width=width)
