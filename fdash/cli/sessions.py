"""`fdash sessions` (newest first) and `fdash export` (every session as JSON or CSV)."""

from __future__ import annotations

import sys

from fdash.cli import output
from fdash.cli.context import Context
from fdash.cli.flags import add_limit, add_range_flags
from fdash.core import export as records
from fdash.core.text import notice


def register(command) -> None:
    p = command("sessions", "sessions, newest first", sessions)
    add_limit(p, "sessions")
    add_range_flags(p)
    p = command("export", "every session as JSON or CSV", export)
    p.add_argument("--format", choices=("json", "csv"), default="json")
    p.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    add_range_flags(p)


def newest_first(entries) -> list:
    return sorted(entries, key=lambda e: (e.session.last_at_ms or 0, e.session.id), reverse=True)


def sessions(ctx: Context) -> int:
    entries, time_scope = ctx.entries(whole=True)
    shown = newest_first(entries)[: ctx.limit]
    if ctx.json:
        return ctx.print_json([records.session_record(e) for e in shown])
    from fdash.cli.views.sessions import SessionsView

    return ctx.show(SessionsView(shown), time_scope.note() if time_scope else None)


def export(ctx: Context) -> int:
    entries, _scope = ctx.entries(whole=True)
    rows = [records.session_record(e) for e in newest_first(entries)]
    if ctx.demo:
        rows = output.mark_demo(rows)
    if ctx.args.format == "csv":
        fields = (*records.EXPORT_FIELDS, "demo") if ctx.demo else records.EXPORT_FIELDS
        on_terminal = ctx.args.output in (None, "-") and sys.stdout.isatty()
        data = records.to_csv(rows, fields, terminal=on_terminal).encode("utf-8")
    else:
        import orjson

        data = orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n"
    target = ctx.args.output
    if target in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    try:
        output.write_file(target, data)
    except OSError as exc:
        print(notice(f"cannot write {target}: {exc.strerror or exc}"), file=sys.stderr)
        return 1
    print(notice(f"wrote {len(rows)} sessions to {target}"), file=sys.stderr)
    return 0
