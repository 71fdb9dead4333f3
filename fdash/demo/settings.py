"""The .settings.json sidecar of a session (token usage, model, provider lock) and its .bak."""

from __future__ import annotations

import json
import random
from typing import Any

from .model_catalog import EFFORTS, PROVIDER_LOCK
from .plans import SessionPlan
from .primitives import DAY_MS, MIN_MS, SEC_MS, iso_ms, quarter
from .transcript import TranscriptInfo


def usage_dict(tokens: dict, credits: float) -> dict:
    return {**tokens, "factoryCredits": credits}


def build_settings(
    plan: SessionPlan,
    plans: list[SessionPlan],
    info: TranscriptInfo | None,
    rng: random.Random,
    now_ms: int,
) -> dict:
    """The .settings.json object for a session (key order varies as in real files)."""
    own = usage_dict(plan.tokens, plan.credits)
    inclusive = dict(own)
    children = {}
    for c in plan.children:
        child = plans[c]
        children[child.id] = usage_dict(child.tokens, child.credits)
        for k in inclusive:
            inclusive[k] += children[child.id][k]
    active = info.active_ms if info else rng.randint(5000, 900000)
    lock_ms = info.first_assistant_ms if info else None
    if plan.settings_model.startswith("custom:"):
        # BYOK: both values seen for the same custom OpenAI model
        lock = "generic-chat-completion-api"
        if plan.model.provider == "openai":
            lock = rng.choice(("openai", lock))
    else:
        lock = PROVIDER_LOCK[plan.model.provider]
    fields: dict[str, Any] = {
        "assistantActiveTimeMs": active,
        "model": plan.settings_model,
        "reasoningEffort": rng.choice(EFFORTS),
        "interactionMode": "auto",
        "autonomyLevel": rng.choice(("off", "low", "medium")),
        "autonomyMode": rng.choice(("normal", "auto-low", "auto-medium")),
        "compactionThresholdCheckEnabled": True,
        "tokenUsage": own,
        "childInclusiveTokenUsageBySessionId": children,
        "inclusiveTokenUsage": inclusive,
    }
    if lock_ms is not None:
        fields["providerLock"] = lock
        fields["providerLockTimestamp"] = iso_ms(lock_ms + rng.randint(0, 50))
    if plan.last_call:
        fields["lastCallTokenUsage"] = plan.last_call
    if plan.router is not None:
        fields["effectiveFactoryRouterModel"] = plan.router
    if rng.random() < 0.15:
        fields["specModeModel"] = plan.settings_model
        fields["specModeReasoningEffort"] = rng.choice(EFFORTS)
    if rng.random() < 0.3:
        fields["toolExecutionMode"] = "direct_only"
        fields["allowSubagentsInScripts"] = False
    if plan.archived and info and info.last_ms:
        fields["archivedAt"] = iso_ms(
            min(now_ms - SEC_MS, info.last_ms + rng.randint(MIN_MS, 3 * DAY_MS))
        )
    if rng.random() < 0.4:  # the desktop app's key order
        order = (
            "model",
            "reasoningEffort",
            "interactionMode",
            "autonomyLevel",
            "autonomyMode",
            "providerLock",
            "providerLockTimestamp",
            "assistantActiveTimeMs",
            "tokenUsage",
            "inclusiveTokenUsage",
            "childInclusiveTokenUsageBySessionId",
            "toolExecutionMode",
            "allowSubagentsInScripts",
            "compactionThresholdCheckEnabled",
        )
        fields = {**{k: fields[k] for k in order if k in fields}, **fields}
    return fields


def older_snapshot(settings: dict, plan: SessionPlan, rng: random.Random) -> dict:
    """A .settings.json.bak: the same keys with smaller numbers (maybe another model)."""
    f = rng.uniform(0.2, 0.9)
    bak = json.loads(json.dumps(settings))
    for key in ("tokenUsage", "inclusiveTokenUsage"):
        bak[key] = {
            k: (quarter(v * f) if k == "factoryCredits" else int(v * f))
            for k, v in bak[key].items()
        }
    bak["childInclusiveTokenUsageBySessionId"] = {}
    bak["inclusiveTokenUsage"] = dict(bak["tokenUsage"])
    bak["assistantActiveTimeMs"] = int(bak["assistantActiveTimeMs"] * f)
    if plan.earlier_model is not None:
        bak["model"] = plan.earlier_model.id
    bak.pop("archivedAt", None)
    return bak


def settings_text(settings: Any) -> str:
    return json.dumps(settings, indent=2, ensure_ascii=False)
