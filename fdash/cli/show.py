"""`fdash show ID`: one session's transcript as text (for pagers and scripts) or records."""

from __future__ import annotations

import sys

from fdash.cli.context import Context, Failure
from fdash.cli.flags import add_zone_flag
from fdash.cli.output import DEMO_BANNER


def register(command) -> None:
    p = command("show", "one session's transcript: prompts, replies, tool calls (ID or a unique start of it)",
                show)
    p.add_argument("session_id", metavar="ID", help="the session id, or enough of its start to be unique")
    p.add_argument("--full", action="store_true",
                   help="unfold everything: thinking, injected context, each tool's input and whole output")
    add_zone_flag(p, "IANA time zone of the times shown")


def find_entry(entries, wanted: str):
    """The one entry whose id is `wanted` or starts with it (any case)."""
    wanted = wanted.strip().lower()
    if not wanted:
        raise Failure("no session id given")
    exact = [e for e in entries if e.session.id.lower() == wanted]
    if exact:
        return exact[0]
    found = [e for e in entries if e.session.id.lower().startswith(wanted)]
    if not found:
        raise Failure(f"no session id starts with {wanted!r}", code=1)
    if len(found) > 1:
        ids = ", ".join(sorted(e.session.id for e in found)[:5])
        raise Failure(f"{len(found)} sessions start with {wanted!r} ({ids}{', …' if len(found) > 5 else ''}); "
                      "give more of the id")
    return found[0]


def show(ctx: Context) -> int:
    from fdash.core.transcript.pager import all_records

    zone = None if ctx.json else ctx.window().zone  # a bad --tz is said before anything is read
    entry = find_entry(ctx.catalog().entries, ctx.args.session_id)
    path = entry.session.transcript_path
    if path is None:
        raise Failure(f"session {entry.session.id} has no transcript", code=1)
    records = all_records(path)
    out = sys.stdout.buffer
    try:
        if ctx.json:
            _write_json(out, entry, records, ctx.demo)
        else:
            if ctx.demo:
                out.write(f"{DEMO_BANNER}\n".encode())
            _write_text(out, entry, records, ctx.args.full, zone)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise Failure(f"cannot read {path}: {exc.strerror or exc}", code=1) from None
    out.flush()
    return 0


def _write_json(out, entry, records, demo: bool) -> None:
    import orjson

    from fdash.core import export

    out.write(b'{"demo": true, ' if demo else b"{")
    out.write(b'"session": ' + orjson.dumps(export.session_record(entry)) + b', "records": [')
    for n, record in enumerate(records):
        out.write((b",\n" if n else b"\n") + orjson.dumps(record.as_dict()))
    out.write(b"\n]}\n")


def _write_text(out, entry, records, full: bool, zone) -> None:
    """The session's head (times local `YYYY-MM-DD HH:MM` in `zone`, as every report
    shows them; --json keeps ISO UTC) and its rows."""
    from fdash import fmt
    from fdash.core.text import one_line
    from fdash.core.transcript.rows import Layout, rows_of
    from fdash.core.transcript.summary import outcome_line, tools_line

    session = entry.session
    head = [
        one_line(session.title) or "(untitled)",
        f"id {session.id} · {one_line(session.project)}"
        + (f" (now in {one_line(session.moved_to)})" if session.moved_to else "") + f" · {one_line(entry.model)}",
        f"{fmt.when(session.first_at_ms, tz=zone.tz)} … {fmt.when(session.last_at_ms, tz=zone.tz)} ({zone.name})",
        tools_line(session),
        outcome_line(session),
    ]
    out.write(("\n".join(head) + "\n").encode("utf-8"))
    layout = Layout(width=None, thinking=full, context=full, output=full)
    line, batch = -1, []
    for record in records:  # rows are laid out per transcript line, like the app does
        if record.line != line and batch:
            _write_rows(out, rows_of(batch, layout))
            batch = []
        line = record.line
        batch.append(record)
    if batch:
        _write_rows(out, rows_of(batch, layout))


def _write_rows(out, rows) -> None:
    out.write("".join(row.text + "\n" for row in rows).encode("utf-8", "replace"))
