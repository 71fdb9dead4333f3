"""The manifest: the ground truth a correct scanner must report (see the package docstring)."""

from __future__ import annotations

from fdash.demo.plans import TOKEN_KINDS, SessionPlan
from fdash.demo.primitives import iso_ms
from fdash.demo.projects import Project
from fdash.demo.transcript import TranscriptInfo

MANIFEST_NAME = ".generator-manifest.json"


def token_counts(usage: dict) -> dict:
    """The token numbers of a settings usage object, in TOKEN_KINDS order."""
    return {k: usage[k] for k in TOKEN_KINDS}


def prompt_texts(prompts: list[str]) -> list[str]:
    """Prompts as the manifest records them: at most 200 characters each."""
    return [p[:200] for p in prompts]


def manifest_entry(
    plan: SessionPlan,
    info: TranscriptInfo | None,
    settings: dict | None,
    files: list[str],
    plans: list[SessionPlan],
) -> dict:
    model = resolved = None
    if settings is not None:
        model = plan.settings_model
        router = settings.get("effectiveFactoryRouterModel")
        resolved = (router if isinstance(router, str) else router["modelId"]) if router else model
    return {
        "cwd": plan.project.cwd if info else None,
        "title": info.title if info else None,
        "folder": plan.project.folder if plan.layout != "flat" else None,
        "group": plan.project.group,
        "model": model,
        "resolved_model": resolved,
        "tokens": token_counts(settings["tokenUsage"]) if settings else None,
        "factory_credits": settings["tokenUsage"]["factoryCredits"] if settings else None,
        "inclusive_tokens": token_counts(settings["inclusiveTokenUsage"]) if settings else None,
        "children": [plans[c].id for c in plan.children] if settings else [],
        "assistant_active_time_ms": settings["assistantActiveTimeMs"] if settings else None,
        "user_prompts": len(info.prompts) if info else 0,
        "prompt_texts": prompt_texts(info.prompts) if info else [],
        "first_ts": iso_ms(info.first_ms) if info and info.first_ms is not None else None,
        "last_ts": iso_ms(info.last_ms) if info and info.last_ms is not None else None,
        "message_count": info.message_count if info else 0,
        "favorite": plan.favorite,
        "empty": not (info and info.prompts) and plan.kind != "subagent",
        "has_transcript": info is not None,
        "has_settings": settings is not None,
        "has_bak": plan.has_bak and settings is not None,
        "archived": bool(settings and "archivedAt" in settings),
        "layout": plan.layout,
        "kind": plan.kind,
        "parent": plans[plan.parent].id if plan.parent is not None else None,
        "transcript_bytes": len(info.data) if info else 0,
        "files": files,
    }


def compute_totals(sessions: dict[str, dict]) -> dict:
    def count(pred) -> int:
        return sum(1 for e in sessions.values() if pred(e))

    def total(key: str) -> int | float:
        return sum(e[key] or 0 for e in sessions.values())

    tokens = {k: sum((e["tokens"] or {}).get(k, 0) for e in sessions.values()) for k in TOKEN_KINDS}
    models: dict[str, int] = {}
    for e in sessions.values():
        if e["resolved_model"]:
            models[e["resolved_model"]] = models.get(e["resolved_model"], 0) + 1
    files = [f for e in sessions.values() for f in e["files"]]
    return {
        "sessions": len(sessions),
        "with_transcript": count(lambda e: e["has_transcript"]),
        "with_settings": count(lambda e: e["has_settings"]),
        "empty": count(lambda e: e["empty"]),
        "non_empty": count(lambda e: not e["empty"]),
        "favorites": count(lambda e: e["favorite"]),
        "forks": count(lambda e: e["parent"] is not None),
        "user_prompts": total("user_prompts"),
        "messages": total("message_count"),
        "tokens": tokens,
        "factory_credits": total("factory_credits"),
        "assistant_active_time_ms": total("assistant_active_time_ms"),
        "transcript_bytes": total("transcript_bytes"),
        "avg_transcript_kb": round(
            total("transcript_bytes") / 1024 / max(1, count(lambda e: e["has_transcript"])), 2
        ),
        "layouts": {k: count(lambda e, k=k: e["layout"] == k) for k in ("project", "flat", "both")},
        "kinds": {
            k: count(lambda e, k=k: e["kind"] == k)
            for k in ("normal", "empty", "subagent", "fork", "orphan_settings")
        },
        "projects": len({e["cwd"] for e in sessions.values() if e["cwd"]}),
        "models": dict(sorted(models.items())),
        "files": {
            "jsonl": sum(f.endswith(".jsonl") for f in files),
            "settings": sum(f.endswith(".settings.json") for f in files),
            "bak": sum(f.endswith(".settings.json.bak") for f in files),
        },
    }


def project_rows(projects: list[Project], sessions: dict[str, dict]) -> list[dict]:
    counts: dict[str, int] = {}
    for e in sessions.values():
        if e["cwd"]:
            counts[e["cwd"]] = counts.get(e["cwd"], 0) + 1
    return [
        {
            "cwd": p.cwd,
            "folder": p.folder,
            "group": p.group,
            "name": p.name,
            "sessions": counts.get(p.cwd, 0),
        }
        for p in projects
    ]
