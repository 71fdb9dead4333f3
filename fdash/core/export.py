"""Plain-data views for scripts: `--json` reports and `export` (JSON or CSV).

Text is passed through as the files hold it (JSON escapes it), except that undecodable
bytes in file names become U+FFFD (JSON and CSV must be valid UTF-8); CSV cells that a
spreadsheet would run as a formula are neutralised. CSV has no escapes of its own, so CSV
printed on a terminal (`terminal=True`) has its terminal escapes and invisible controls
removed, as every table is; in a file or a pipe it keeps the text as the files hold it.
"""

from __future__ import annotations

import csv
import io

from fdash.core.aggregate import Bucket, Totals
from fdash.core.models import Entry, Problem
from fdash.core.text import clean, utf8_safe
from fdash.core.times import ms_to_iso

EXPORT_FIELDS = (
    "id", "title", "cwd", "project", "group", "model", "started_at", "last_activity_at",
    "input_tokens", "output_tokens", "cache_creation_tokens", "cache_read_tokens",
    "thinking_tokens", "total_tokens", "cost_usd", "price_source", "factory_credits", "active_time_ms",
    "user_prompts", "favorite", "empty", "message_count", "settings_model", "parent_id",
    "subagent_parent_id", "subagent_ids", "source", "transcript_path", "tool_calls", "tool_errors",
    "turn_errors", "files_edited", "last_cwd", "models", "dated_by",
)


def _utf8(record: dict) -> dict:
    """Paths (and the project and group names made from them) can hold surrogate
    escapes of undecodable file-name bytes: replace them so the record encodes."""
    return {k: utf8_safe(v) if isinstance(v, str) else v for k, v in record.items()}


def _money(usd: float | None) -> float | None:
    return None if usd is None else round(usd, 6)


def token_fields(tokens) -> dict:
    return {
        "input_tokens": tokens.input,
        "output_tokens": tokens.output,
        "cache_creation_tokens": tokens.cache_write,
        "cache_read_tokens": tokens.cache_read,
        "thinking_tokens": tokens.thinking,
        "total_tokens": tokens.total,
    }


def _credits(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def credit_fields(summed) -> dict:
    """Factory Standard Credits of a sum of sessions (Totals, Bucket, Period): the
    recorded credits, and how many sessions recorded none (not guessed)."""
    return {"factory_credits": _credits(summed.credits), "sessions_without_credits": summed.no_credit_sessions}


def stats_record(totals: Totals, problems: list[Problem] | tuple[Problem, ...]) -> dict:
    return {
        "sessions": totals.sessions,
        "projects": totals.projects,
        "groups": totals.groups,
        **token_fields(totals.tokens),
        "cost_usd": _money(totals.cost_usd),
        "unpriced_sessions": totals.unpriced_sessions,
        "unpriced_models": list(totals.unpriced_models),
        **credit_fields(totals),
        "active_time_ms": totals.active_time_ms,
        "user_prompts": totals.user_prompts,
        "empty_sessions": totals.empty_sessions,
        "warnings": len(problems),
    }


def bucket_record(bucket: Bucket, name: str) -> dict:
    record = {
        name: bucket.key,
        "sessions": bucket.sessions,
        "projects": bucket.projects,
        **token_fields(bucket.tokens),
        "cost_usd": _money(bucket.cost_usd),
        "unpriced_sessions": bucket.unpriced_sessions,
        **credit_fields(bucket),
        "active_time_ms": bucket.active_time_ms,
        "user_prompts": bucket.user_prompts,
        "last_activity_at": ms_to_iso(bucket.last_at_ms),
        "cache_hit_ratio": bucket.tokens.cache_hit_ratio,
    }
    if name == "project":
        record["group"] = bucket.group
    return _utf8(record)


def session_record(entry: Entry) -> dict:
    session = entry.session
    return _utf8({
        "id": session.id,
        "title": session.title,
        "cwd": session.cwd,
        "project": session.project,
        "group": entry.group,
        "model": session.resolved_model or session.model,
        "started_at": ms_to_iso(session.first_at_ms),
        "last_activity_at": ms_to_iso(session.last_at_ms),
        **token_fields(session.usage),
        "cost_usd": _money(entry.cost.usd),
        "price_source": entry.cost.source,
        "factory_credits": _credits(session.credits),
        "active_time_ms": session.active_time_ms,
        "user_prompts": session.user_prompts,
        "favorite": entry.favorite,
        "empty": session.empty,
        "message_count": session.message_count,
        "settings_model": session.model,
        "parent_id": session.parent_id,
        "subagent_parent_id": entry.parent_id,
        "subagent_ids": list(session.child_ids),
        "source": session.source or None,
        "transcript_path": session.transcript_path,
        "tool_calls": session.tool_call_counts,
        "tool_errors": session.tool_errors,
        "turn_errors": session.turn_errors,
        "files_edited": session.files_edited,
        "last_cwd": session.last_cwd,  # where it is now, when it moved (project stays cwd)
        "models": list(session.models),  # every model its replies name ("model" is the last)
        "dated_by": session.dated_by or None,
    })


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        text = " ".join(f"{k}:{v}" for k, v in value.items())
    else:
        text = " ".join(value) if isinstance(value, list) else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not isinstance(value, (int, float)):
        return "'" + text  # a spreadsheet would run it as a formula
    return text


def to_csv(records: list[dict], fields: tuple[str, ...] = EXPORT_FIELDS, terminal: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; a lone \r in a cell gets quoted
    writer.writerow(fields)
    for record in records:
        cells = [_csv_cell(record.get(f)) for f in fields]
        writer.writerow([clean(cell) for cell in cells] if terminal else cells)
    return out.getvalue()


def period_record(period, by: str | None = None) -> dict:
    """One period of `daily` / `weekly` / `monthly` (a `fdash.core.timeline.Period`);
    `by` ("model", "project", "group") adds its breakdown."""
    record = {
        "period": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        **_period_fields(period),
        "partial": period.partial,
    }
    if by:
        record["breakdown"] = [_utf8({by: p.key, **_period_fields(p)}) for p in period.breakdown]
    return record


def _period_fields(period) -> dict:
    return {
        **token_fields(period.tokens),
        "cost_usd": _money(period.cost_usd),
        "unpriced_sessions": period.unpriced_sessions,
        **credit_fields(period),
        "sessions": period.sessions,
        "estimated": period.estimated,
        "estimated_sessions": period.estimated_sessions,
    }


def search_record(hit) -> dict:
    """A search hit for scripts: the session, where it matched, and how to resume it."""
    session = hit.entry.session
    return {
        "id": session.id,
        "title": session.title,
        "project": session.project,
        "cwd": session.cwd,
        "last_activity_at": ms_to_iso(session.last_at_ms),
        "where": hit.where,
        "excerpt": hit.excerpt,
        "spans": [list(span) for span in hit.spans],
        "favorite": hit.entry.favorite,
    }


def budget_record(status) -> dict:
    runs_out = status.runs_out_at
    return {
        "period": status.period,
        "unit": status.unit,
        "limit": status.limit,
        "spent": round(status.spent, 6),
        "used": round(status.used, 6),
        "start": status.start.isoformat(),
        "end": status.end.isoformat(),
        "burn_per_hour": round(status.burn_per_hour, 6),
        "forecast": round(status.forecast, 6),
        "runs_out_at": runs_out.isoformat(timespec="minutes") if runs_out else None,
        "over": status.over,
        "estimated": status.estimated,
        "unpriced_sessions": status.unpriced_sessions,
    }
