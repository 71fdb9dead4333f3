"""Phase 1, planning: every session's kind, project, start, model, size and token usage.

Everything that links sessions to each other (forks, sub-agents, favorites, the
size budget) is decided here, before any transcript is built.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from fdash.core.models import DROID_TOKEN_KEYS

from .model_catalog import AUTO_WEIGHT, MODELS, ROUTER_TARGETS, ModelSpec
from .primitives import DAY_MS, HOUR_MS, MIN_MS, new_uuid, quarter, weighted
from .projects import Project, make_projects, project_count

TOKEN_KINDS = DROID_TOKEN_KEYS  # the keys of a settings file's tokenUsage

# Share of sessions per kind / layout (see plan_sessions).
P_EMPTY, P_SUBAGENT, P_FORK, P_ORPHAN_SETTINGS = 0.06, 0.08, 0.03, 0.01
P_NO_SETTINGS, P_BAK, P_ARCHIVED, P_FAVORITE = 0.05, 0.10, 0.04, 0.05
STEP_BYTES = 2600  # transcript bytes per assistant step (sizing heuristic)


@dataclass
class SessionPlan:
    index: int
    id: str
    kind: str  # normal | empty | subagent | fork | orphan_settings
    project: Project
    start_ms: int
    era: str  # old | new  (old: flat layout, embedded reminders, list todos)
    layout: str  # project | flat | both
    model: ModelSpec  # model in use at the end (the routed one for auto)
    settings_model: str  # what settings.json says
    router: dict | str | None = None
    earlier_model: ModelSpec | None = None
    switch_turn: int = 0
    turns: list[int] = field(default_factory=list)  # assistant steps per turn, 0 = failed turn
    context_style: str = "context"  # context | embedded
    resume_turn: int | None = None
    resume_gap_ms: int = 0
    target_bytes: int = 0
    huge_bytes: int = 0
    has_transcript: bool = True
    has_settings: bool = True
    has_bak: bool = False
    archived: bool = False
    favorite: bool = False
    parent: int | None = None  # fork parent (index)
    task_parent: int | None = None  # sub-agent caller (index)
    children: list[int] = field(default_factory=list)
    offset_ms: int = 0  # start relative to the parent's first timestamp
    tokens: dict | None = None
    credits: int | float = 0
    last_call: dict | None = None


def _choose_model(rng: random.Random) -> tuple[ModelSpec, str, dict | str | None]:
    pairs = [(m, m.weight) for m in MODELS] + [(None, AUTO_WEIGHT)]
    spec = weighted(rng, pairs)
    if spec is not None:
        return spec, spec.id, None
    target = rng.choice(ROUTER_TARGETS)
    if rng.random() < 0.12:
        return target, "auto", target.id  # bare-string router model
    effort = rng.choice(("low", "medium", "high"))
    return target, "auto", {"modelId": target.id, "reasoningEffort": effort, "fallbacks": []}


def _plan_turns(rng: random.Random, target: int, kind: str) -> list[int]:
    steps_total = max(1, min(600, round(target / STEP_BYTES)))
    if kind == "subagent":
        n_turns = 1 if rng.random() < 0.8 else 2
    else:
        n_turns = max(1, min(60, round(steps_total**0.55 * rng.uniform(0.5, 1.4))))
    steps = [1] * n_turns
    for _ in range(max(0, steps_total - n_turns)):
        steps[rng.randrange(n_turns)] += 1
    for t in range(n_turns):
        if rng.random() < 0.03 and (t > 0 or n_turns > 1):
            steps[t] = 0  # host notice instead of an answer
    return steps


def plan_tokens(
    rng: random.Random, model: ModelSpec, n_calls: int
) -> tuple[dict, float, dict | None]:
    usage = dict.fromkeys(TOKEN_KINDS, 0)
    if n_calls == 0:
        return usage, 0, None
    ctx = rng.randint(9000, 22000)
    last = None
    for call in range(n_calls):
        out = int(rng.lognormvariate(5.6, 0.9)) + 20
        think = int(rng.lognormvariate(5.5, 1.0)) if rng.random() < model.thinking else 0
        grow = int(rng.lognormvariate(7.2, 1.1))
        if model.provider == "anthropic":
            read = 0 if call == 0 else ctx
            create = ctx if call == 0 else grow + out
            inp = rng.randint(1, 40)
        else:
            read = 0 if call == 0 else int(ctx * rng.uniform(0.7, 0.97)) // 128 * 128
            create = 0
            inp = ctx - read
        usage["inputTokens"] += inp
        usage["outputTokens"] += out
        usage["cacheCreationTokens"] += create
        usage["cacheReadTokens"] += read
        usage["thinkingTokens"] += think
        ctx = min(ctx + grow + out, 170_000)
        last = {"inputTokens": inp, "outputTokens": out, "cacheReadTokens": read}
    credits: int | float = 0
    if not model.byok:
        weighted_tokens = (
            usage["inputTokens"]
            + 5 * (usage["outputTokens"] + usage["thinkingTokens"])
            + 1.25 * usage["cacheCreationTokens"]
            + 0.1 * usage["cacheReadTokens"]
        )
        credits = quarter(weighted_tokens / 2500)
    return usage, credits, last


def plan_sessions(
    n: int, seed: int, avg_kb: float, days: int, now_ms: int
) -> tuple[list[Project], list[SessionPlan]]:
    """Phase 1: decide every session's kind, place, time, model, size and token usage."""
    rng = random.Random(f"{seed}/plan")
    projects = make_projects(project_count(n), rng)
    window = days * DAY_MS
    old_before = now_ms - window // 2
    plans: list[SessionPlan] = []
    by_project: dict[str, list[int]] = {}

    for i in range(n):
        proj = (
            projects[i] if i < len(projects) else weighted(rng, [(p, p.weight) for p in projects])
        )
        start = _plan_start(rng, now_ms, window)
        kind = "normal" if i < len(projects) else _choose_kind(rng)
        model, settings_model, router = _choose_model(rng)
        plan = SessionPlan(
            i, new_uuid(rng), kind, proj, start, "new", "project", model, settings_model, router
        )
        if kind in ("subagent", "fork"):
            _attach_parent(rng, plan, plans, by_project.get(proj.cwd, []))
        plan.era = "old" if plan.start_ms < old_before else "new"
        if plan.era == "old":
            plan.context_style = "embedded" if rng.random() < 0.65 else "context"
            r = rng.random()
            plan.layout = "both" if r < 0.06 else "flat" if r < 0.36 else "project"
        if plan.parent is not None:
            plan.context_style = "context"
        if i < len(projects):
            plan.layout = "project"  # every project (incl. the colliding pair) gets a folder
        plan.has_transcript = kind != "orphan_settings"
        plan.has_settings = kind == "orphan_settings" or rng.random() >= P_NO_SETTINGS
        plan.has_bak = plan.has_settings and rng.random() < P_BAK
        plan.archived = plan.has_settings and rng.random() < P_ARCHIVED
        if kind == "empty" and settings_model == "auto" and rng.random() < 0.5:
            plan.router = None  # never routed: resolved model stays "auto"
        if kind not in ("empty",) and rng.random() < 0.08:
            plan.earlier_model = weighted(rng, [(m, m.weight) for m in MODELS if m is not model])
        plans.append(plan)
        if kind in ("normal", "fork") and plan.has_transcript:
            by_project.setdefault(proj.cwd, []).append(i)

    _plan_sizes(rng, plans, avg_kb, now_ms)
    for plan in plans:
        _plan_usage(rng, plan)
    for plan in plans:  # favorites among sessions a user can see
        plan.favorite = plan.has_transcript and rng.random() < P_FAVORITE
    return projects, plans


def _choose_kind(rng: random.Random) -> str:
    return weighted(
        rng,
        [
            ("empty", P_EMPTY),
            ("subagent", P_SUBAGENT),
            ("fork", P_FORK),
            ("orphan_settings", P_ORPHAN_SETTINGS),
            ("normal", 1 - P_EMPTY - P_SUBAGENT - P_FORK - P_ORPHAN_SETTINGS),
        ],
    )


def _plan_start(rng: random.Random, now_ms: int, window: int) -> int:
    day0 = (now_ms - window) // DAY_MS * DAY_MS
    day = day0 + rng.randrange(max(1, window // DAY_MS) + 1) * DAY_MS
    if rng.random() < 0.03:
        minute = rng.randint(23 * 60 + 10, 23 * 60 + 58)  # late night: crosses midnight
    else:
        minute = int(min(max(rng.gauss(14.5 * 60, 3.2 * 60), 0), 23 * 60 + 59))
    start = day + minute * MIN_MS + rng.randrange(MIN_MS)
    if start > now_ms - 3 * HOUR_MS:
        start = now_ms - rng.randint(3 * HOUR_MS, 9 * HOUR_MS)
    return start


def _attach_parent(
    rng: random.Random, plan: SessionPlan, plans: list[SessionPlan], candidates: list[int]
) -> None:
    """Make `plan` a fork or sub-agent of an earlier session of the same project."""
    if plan.kind == "fork":
        candidates = [c for c in candidates if plans[c].context_style == "context"]
    else:
        candidates = [c for c in candidates if len(plans[c].children) < 4]
    if not candidates:
        plan.kind = "normal"
        return
    parent = plans[rng.choice(candidates[-12:])]
    if plan.kind == "fork":
        plan.parent = parent.index
        plan.offset_ms = rng.randint(HOUR_MS, 3 * DAY_MS)
    else:
        plan.task_parent = parent.index
        parent.children.append(plan.index)
        plan.offset_ms = rng.randint(2 * MIN_MS, 40 * MIN_MS)
    plan.start_ms = parent.start_ms + plan.offset_ms


def _plan_sizes(rng: random.Random, plans: list[SessionPlan], avg_kb: float, now_ms: int) -> None:
    """Lognormal transcript sizes scaled so that the mean is ~avg_kb; a few huge lines."""
    sized = [p for p in plans if p.kind not in ("empty",)]
    with_transcript = sum(1 for p in plans if p.has_transcript)
    n_huge = 0 if len(plans) < 200 else max(1, len(plans) // 1000)
    huge_pool = [p for p in sized if p.kind == "normal" and p.has_transcript]
    for p in rng.sample(huge_pool, min(n_huge, len(huge_pool))):
        hi = 3.0 if len(plans) >= 1000 else 1.5
        p.huge_bytes = int(rng.uniform(1.0, hi) * 1024 * 1024)
    budget = with_transcript * avg_kb * 1024 - sum(p.huge_bytes for p in plans)
    budget -= 1500 * sum(1 for p in plans if p.kind == "empty")
    weights = [rng.lognormvariate(0, 1.1) for _ in sized]
    scale = max(budget, 0) / max(sum(weights), 1e-9)
    for p, w in zip(sized, weights):
        p.target_bytes = max(3000, int(w * scale))
        p.turns = _plan_turns(rng, p.target_bytes, p.kind) if p.kind != "empty" else []
        if p.huge_bytes and max(p.turns) < 2:
            p.turns[0] = 2  # the huge output needs a tool call
        p.target_bytes += p.huge_bytes
        if len(p.turns) > 2 and rng.random() < 0.04:
            gap = rng.randint(1, 20) * DAY_MS + rng.randint(0, 8) * HOUR_MS
            if p.start_ms + gap < now_ms - DAY_MS and p.parent is None and not p.children:
                p.resume_turn = rng.randint(1, len(p.turns) - 1)
                p.resume_gap_ms = gap
        if len(p.turns) > 1 and p.earlier_model is not None:
            p.switch_turn = rng.randint(1, len(p.turns) - 1)
        else:
            p.earlier_model = None


def _plan_usage(rng: random.Random, plan: SessionPlan) -> None:
    n_calls = sum(plan.turns)
    plan.tokens, plan.credits, plan.last_call = plan_tokens(rng, plan.model, n_calls)
