#!/usr/bin/env python3
"""Deterministic generator of realistic Factory Droid session histories.

Writes a fake ``~/.factory/sessions`` tree (transcripts, settings sidecars,
favorites, stray files) for testing and benchmarking fdash, plus a manifest
holding the ground truth: what a correct scanner must report.

Usage::

    python tools/generate_sessions.py --sessions 3000 --output /tmp/droid-sessions
    python tools/generate_sessions.py --sessions 200 --output /tmp/h --hostile
    python tools/generate_sessions.py --sessions 6000 --avg-kb 100 --output /tmp/big

Options::

    --sessions N          number of normal sessions (ids counted once)
    --output DIR          sessions root to create (must be empty or absent)
    --seed S              random seed (default 0); same seed + args = same bytes
    --avg-kb K            average transcript size in KB (default 30)
    --days D              spread sessions over the last D days (default 120)
    --now ISO             the generator's "now" (default 2026-11-20T12:00:00Z);
                          the clock is never read
    --hostile             add broken / adversarial files (see HOSTILE CASES)
    --huge                with --hostile: add a transcript with a ~50 MB line
    --unreadable          with --hostile: chmod 000 one transcript and one project folder
    --hostile-favorites   write an invalid-JSON .favorites instead of the real one

Library use (tools/ is not a package, load it by path)::

    spec = importlib.util.spec_from_file_location("generate_sessions", path)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    manifest = mod.generate(Path(out), sessions=100, seed=1)

What gets written (all relative to DIR)
  <encoded-cwd>/<uuid>.jsonl + .settings.json   most sessions (droid >= 0.26.7)
  <uuid>.jsonl + .settings.json                  ~15% flat (older sessions)
  both of the above                              ~3%, identical copies; the flat
                                                 copy has the older mtime
  <uuid>.settings.json.bak                       older snapshot, never counted
  .favorites                                     JSON array of ids (+1 unknown id)
  sessions-index.json, notes.txt, README, export-*.jsonl, ...   strays to ignore
  .generator-manifest.json                       the ground truth (below)

The encoded folder name is the cwd with every "/" and "\\" replaced by "-"; a
Windows drive "C:\\x" becomes "-C-x" (drive colon dropped, leading dash kept,
as in the real folder "-C-Users-auzy_-copilot-smoke" seen by
superbased-observer). "/home/ana/projects/my-app" and
"/home/ana/projects/my/app" are both generated and share one folder.

MANIFEST (.generator-manifest.json), computed from what was generated:
  params      the arguments used
  sessions    {id: entry}; one entry per session id, even if in both layouts:
      cwd, title (sessionTitle if non-empty else title), folder, group,
      model (as written in settings), resolved_model (auto -> effective model),
      tokens {inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens,
      thinkingTokens} from tokenUsage, factory_credits, inclusive_tokens,
      children (sub-agent ids named in childInclusiveTokenUsageBySessionId),
      assistant_active_time_ms, user_prompts, prompt_texts (cleaned, <= 200
      chars each), first_ts / last_ts (min / max record timestamp; a fork's
      copy of its parent's first record counts), message_count, favorite, empty,
      has_transcript, has_settings, has_bak, archived, layout
      (flat|project|both), kind (normal|empty|subagent|fork|orphan_settings),
      parent (fork parent id), transcript_bytes, files (relative paths).
      Settings-derived fields are null when the session has no settings file;
      transcript-derived ones are null/0 when it has no transcript.
  totals      sums over `sessions` (null counts as 0)
  projects    [{cwd, folder, group, name, sessions}]
  favorites   the ids written to .favorites (in file order)
  stray_files paths a scanner must ignore
  hostile     [{case, path, session_id, counted, expect, note}] (with --hostile);
              hostile sessions are NOT in `sessions` / `totals`. `counted` is
              true / false / null (either is acceptable); `expect` holds the
              numbers that must hold if the session is listed (`*_range` and
              `*_acceptable` keys list the allowed readings where the right
              answer is a policy choice).

HOSTILE CASES (--hostile; normal files are byte-identical with or without it;
most live in "-home-mallory-hostile/", under 1 MB in all):
  transcripts   truncated last line, garbage line in the middle, invalid UTF-8
                bytes (in an assistant answer and in a prompt), 0-byte file, no
                session_start, non-object JSON lines, 100k-deep nesting
                (RecursionError in Python's json), CRLF, blank lines, UTF-8 BOM,
                malformed messages, odd timestamps, ANSI/bidi/zero-width control
                characters and Rich markup in title and prompt, record-level
                visibility, transcript without settings
  settings      invalid JSON, token values as strings / negative / null / float
                / 1e30, a JSON array, wrong types, settings without transcript,
                a lone .settings.json.bak
  file system   non-uuid names, directories named <uuid>.jsonl, symlink loops
                ("parent-link" -> "..", "loop-to-root" -> ".", a <uuid>.jsonl
                linking to itself), a symlink to a directory outside the root
                ("-mnt-external" -> "..")
  --huge        adds a transcript with one ~50 MB line
  --unreadable  adds a chmod 000 transcript (its settings readable) and a chmod 000
                project folder holding a valid session; root still reads both, so
                `counted`/`expect` allow either reading. Off by default: a
                non-root `rm -rf` cannot remove the locked folder's content.
  --hostile-favorites   .favorites is invalid JSON (all favorite flags false)

A "user prompt" follows shared/FORMAT.md: role user, no visibility llm_only /
user_only, id not starting "context-", and a text block that is non-empty after
removing <system-reminder>...</system-reminder> spans and stripping. The
generator counts the prompts it *intends* (it never re-parses its output).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

DEFAULT_NOW = "2026-11-20T12:00:00Z"
MANIFEST_NAME = ".generator-manifest.json"
TOKEN_KINDS = (
    "inputTokens",
    "outputTokens",
    "cacheCreationTokens",
    "cacheReadTokens",
    "thinkingTokens",
)
SEC_MS = 1000
MIN_MS = 60 * SEC_MS
HOUR_MS = 60 * MIN_MS
DAY_MS = 24 * HOUR_MS

# Share of sessions per kind / layout (see plan_sessions).
P_EMPTY, P_SUBAGENT, P_FORK, P_ORPHAN_SETTINGS = 0.06, 0.08, 0.03, 0.01
P_NO_SETTINGS, P_BAK, P_ARCHIVED, P_FAVORITE = 0.05, 0.10, 0.04, 0.05
STEP_BYTES = 2600  # transcript bytes per assistant step (sizing heuristic)
SLOT_CAP_BYTES = 512 * 1024  # cap of an ordinary tool result (huge ones excepted)

_dumps_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


# --------------------------------------------------------------------------
# Small helpers


def iso_ms(ms: int) -> str:
    """Epoch milliseconds -> '2026-07-28T18:03:10.939Z' (droid's format)."""
    secs, msec = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + f".{msec:03d}Z"


def parse_now(text: str | None) -> datetime:
    dt = datetime.fromisoformat((text or DEFAULT_NOW).replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def new_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def rand_str(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choices(alphabet, k=n))


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"
B64 = ALNUM + "-_"

_DRIVE = re.compile(r"^([A-Za-z]):(?=[\\/]|$)")


def encode_cwd(cwd: str) -> str:
    """Droid's (lossy) project folder name for a working directory."""
    m = _DRIVE.match(cwd)
    if m:
        cwd = "\\" + m.group(1) + cwd[2:]
    return cwd.replace("/", "-").replace("\\", "-")


def split_path(cwd: str) -> list[str]:
    return [p for p in re.split(r"[\\/]", cwd) if p]


def quarter(x: float) -> int | float:
    """Round to 0.25 (exact in binary, so sums stay exact); whole numbers as int."""
    q = math.floor(x * 4 + 0.5) / 4
    return int(q) if q == int(q) else q


def weighted(rng: random.Random, pairs: list[tuple[Any, float]]) -> Any:
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights)[0]


# --------------------------------------------------------------------------
# Vocabulary


def words(text: str) -> tuple[str, ...]:
    """A vocabulary written as a space-separated paragraph."""
    return tuple(text.split())


WORDS = words(
    "user session token cache parser index config route handler client server "
    "request response stream buffer queue worker job task event payload schema "
    "record batch window metric report export import filter sort page limit "
    "offset cursor retry backoff timeout deadline lock mutex thread pool socket "
    "header body status error result value state store view model layout theme "
    "invoice order cart price tax refund account profile avatar upload image"
)
MODULES = words(
    "billing auth api core utils models views storage search sync cli tui "
    "pricing scanner index config reports notifications payments gateway"
)
CLASSES = words(
    "SessionStore TokenCache RouteHandler ConfigLoader PriceTable ScanIndex "
    "ReportView OrderService RetryPolicy EventBus UploadWorker QueryBuilder"
)
FILE_STEMS = words(
    "main app server client routes models views utils config parser index "
    "handlers store cache api schema worker settings cli pricing report"
)
EXTS = ("py", "ts", "tsx", "go", "rs", "js", "md", "toml", "json", "yaml")
FEATURES = (
    "dark mode",
    "CSV export",
    "pagination",
    "rate limiting",
    "retry with backoff",
    "a --json flag",
    "SSO login",
    "webhooks",
    "i18n",
    "dry-run mode",
    "caching",
    "a health endpoint",
    "fuzzy search",
    "keyboard shortcuts",
    "audit logging",
)
ERRORS = (
    "KeyError: 'user_id'",
    "TypeError: Cannot read properties of undefined (reading 'map')",
    "panic: runtime error: index out of range [3] with length 3",
    "sqlite3.OperationalError: database is locked",
    "ECONNRESET",
    "AssertionError: assert 41 == 42",
    "error[E0502]: cannot borrow `self` as mutable",
    "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff",
)
LIBS = ("pydantic", "fastapi", "react", "prisma", "tokio", "sqlalchemy", "vite", "pytest")


def _fill(template: str, rng: random.Random, memo: dict | None = None) -> str:
    """Replace {placeholders} with random vocabulary (unknown braces are kept).

    With `memo`, a placeholder name gets the same value everywhere it is used
    (so a prompt and its title can mention the same file).
    """
    if memo is None:
        return _PLACEHOLDER.sub(lambda m: _FILLERS[m.group(1)](rng), template)

    def value(m: re.Match) -> str:
        if m.group(1) not in memo:
            memo[m.group(1)] = _FILLERS[m.group(1)](rng)
        return memo[m.group(1)]

    return _PLACEHOLDER.sub(value, template)


_FILLERS = {
    "w": lambda r: r.choice(WORDS),
    "a": lambda r: r.choice(WORDS),
    "b": lambda r: r.choice(WORDS) + "_" + r.choice(WORDS),
    "fn": lambda r: (
        r.choice(("get", "load", "parse", "build", "apply", "sync", "fetch"))
        + "_"
        + r.choice(WORDS)
    ),
    "Fn": lambda r: (
        r.choice(("Get", "Load", "Parse", "Build", "Apply", "Sync")) + r.choice(WORDS).title()
    ),
    "Cls": lambda r: r.choice(CLASSES),
    "mod": lambda r: r.choice(MODULES),
    "file": lambda r: f"src/{r.choice(MODULES)}/{r.choice(FILE_STEMS)}.{r.choice(EXTS[:6])}",
    "feature": lambda r: r.choice(FEATURES),
    "error": lambda r: r.choice(ERRORS),
    "lib": lambda r: r.choice(LIBS),
    "n": lambda r: str(r.randint(1, 999)),
    "m": lambda r: str(r.randint(1, 80)),
    "dd": lambda r: f"{r.randint(1, 28):02d}",
    "hh": lambda r: f"{r.randint(0, 23):02d}",
    "mm": lambda r: f"{r.randint(0, 59):02d}",
    "ms": lambda r: f"{r.randint(0, 999):03d}",
    "size": lambda r: str(r.randint(80, 99999)),
    "pct": lambda r: str(r.randint(1, 100)),
    "ver": lambda r: f"{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 20)}",
    "cmd": lambda r: r.choice(
        ("npm test", "pytest -q", "go test ./...", "cargo build", "make lint", "ruff check")
    ),
    "lvl": lambda r: r.choice(("INFO ", "INFO ", "DEBUG", "WARN ", "ERROR")),
}
_PLACEHOLDER = re.compile(r"\{(" + "|".join(_FILLERS) + r")\}")

CODE_LINES = (
    "def {fn}({a}, {b}):",
    '    """Return the {a} for {b}."""',
    "    return {a}.{fn}({b})",
    "    if {a} is None:",
    '        raise ValueError("missing {a}")',
    "import {mod}",
    "from {mod}.{a} import {Cls}",
    "class {Cls}({Cls}):",
    "    def __init__(self, {a}: int) -> None:",
    "        self.{a} = {a}",
    "const {fn} = async ({a}, {b}) => {",
    "  const {a} = await {mod}.{fn}({b});",
    "  if (!{a}) throw new Error('{a} not found');",
    "};",
    "export function {Fn}({a}: string): number {",
    "func (s *{Cls}) {Fn}(ctx context.Context) error {",
    '\tif err != nil { return fmt.Errorf("{fn}: %w", err) }',
    "}",
    "// TODO: handle {a} when {b} is empty",
    "# {a} -> {b} mapping, see {file}",
    "",
    "    for {a} in self.{b}:",
    "        total += {a}.{w}  # {n} ms",
    "    assert {a} == {n}",
    '  return <div className="{a}">{{{a}}}</div>;',
    "pub fn {fn}(&self) -> Result<{Cls}, Error> {",
    "    let {a} = self.{b}.get(&key)?;",
    "SELECT {a}, {b} FROM {w}s WHERE id = ${m};",
    '  "{a}": "{b}",',
    "{a}_{w} = {n}",
    "    # é à ü — keep UTF-8 here: “{a}”",
)
LOG_LINES = (
    "2026-10-{dd}T{hh}:{mm}:{mm}.{ms}Z {lvl} [{mod}] {fn} {a}={n} {b}={m}",
    "tests/test_{mod}.py::test_{fn} PASSED                      [{pct}%]",
    "FAILED tests/test_{mod}.py::test_{fn} - AssertionError: assert {n} == {m}",
    "    at {Fn} (src/{mod}/{a}.ts:{n}:{m})",
    "npm WARN deprecated {a}@{ver}: use {b} instead",
    "-rw-r--r--  1 ana  staff  {size} Oct {dd} {hh}:{mm} {a}_{w}.py",
    "{file}:{n}:    {fn}({a}, {b})",
    "✓ {fn} renders {a} ({n} ms)",
    "  ● {Cls} › {fn} › should {w} the {a}",
    "warning: unused variable `{a}` --> {file}:{n}:{m}",
    "│ {Cls} │ {n} │ {a} {b} │",
    "+    {a} = {fn}({b})",
    "-    {a} = {b}",
    "@@ -{n},{m} +{n},{m} @@",
    "Compiling {a}-{w} v{ver}",
    "   Finished dev [unoptimized + debuginfo] target(s) in {m}.{n}s",
    "{file}",
    "  {a}: {n}",
    "",
)


# --------------------------------------------------------------------------
# Filler text: big pre-generated pools sliced cheaply


class TextPools:
    """Pre-generated text pools (built once per process, independent of seed)."""

    SIZE = 1 << 20

    def __init__(self) -> None:
        rng = random.Random("fdash-generator-pools-v1")
        self.pools = {"code": self._build(rng, CODE_LINES), "log": self._build(rng, LOG_LINES)}
        self.doubled = {k: v + v for k, v in self.pools.items()}
        self.starts = {
            k: [0] + [m.end() for m in re.finditer("\n", v)] for k, v in self.pools.items()
        }
        # bytes per character once JSON-escaped and UTF-8 encoded
        self.ratio = {
            k: len(_dumps_compact(v).encode("utf-8")) / len(v) for k, v in self.pools.items()
        }
        self.b64 = rand_str(rng, B64, 1 << 17)
        # lines for the injected tool / skill lists
        self.tool_lines = [
            f"{_fill('{Fn}', rng)}: {_fill('Use to {fn} the {a} of a {w}', rng)} "
            f"(params: {_fill('{a}* (string), {b} (number)', rng)})"
            for _ in range(200)
        ]
        self.skill_lines = [
            f"{_fill('{a}-{w}', rng)}: {_fill('Helps with {feature} for the {mod} module.', rng)}"
            for _ in range(100)
        ]

    def _build(self, rng: random.Random, templates: tuple[str, ...]) -> str:
        distinct = [_fill(rng.choice(templates), rng) for _ in range(3000)]
        lines = rng.choices(distinct, k=self.SIZE // 30)
        while sum(map(len, lines)) + len(lines) < self.SIZE:
            lines += rng.choices(distinct, k=1000)
        return "\n".join(lines)[: self.SIZE]

    def text(self, style: str, nchars: int, rng: random.Random) -> str:
        """`nchars` characters of `style` text starting at a random line."""
        pool = self.pools[style]
        starts = self.starts[style]
        start = starts[rng.randrange(len(starts))]
        if nchars <= len(pool):
            return self.doubled[style][start : start + nchars]
        reps = nchars // len(pool) + 2
        return (pool * reps)[start : start + nchars]

    def base64(self, rng: random.Random, n: int) -> str:
        start = rng.randrange(len(self.b64) - n) if n < len(self.b64) else 0
        return self.b64[start : start + n]


_POOLS: TextPools | None = None


def pools() -> TextPools:
    global _POOLS
    if _POOLS is None:
        _POOLS = TextPools()
    return _POOLS


# --------------------------------------------------------------------------
# Models


@dataclass(frozen=True)
class ModelSpec:
    id: str
    provider: str  # anthropic | openai | google | generic
    display: str
    weight: float
    thinking: float  # probability of a thinking block per assistant message
    byok: bool = False


MODELS = (
    ModelSpec("claude-opus-4-5-20251101", "anthropic", "Opus 4.5", 16, 0.6),
    ModelSpec("claude-sonnet-4-5-20250929", "anthropic", "Sonnet 4.5", 24, 0.5),
    ModelSpec("claude-haiku-4-5-20251001", "anthropic", "Haiku 4.5", 8, 0.2),
    ModelSpec("gpt-5.1-codex", "openai", "GPT-5.1-Codex", 10, 0.7),
    ModelSpec("gpt-5.2", "openai", "GPT-5.2", 8, 0.7),
    ModelSpec("gemini-3-pro-preview", "google", "Gemini 3 Pro", 6, 0.5),
    ModelSpec("glm-4.6", "generic", "GLM-4.6", 5, 0.4),
    ModelSpec(
        "custom:GPT-5.4-Mini-[OpenAI-BYOK]-0",
        "openai",
        "GPT-5.4 Mini [OpenAI BYOK]",
        4,
        0.6,
        byok=True,
    ),
    ModelSpec(
        "custom:Qwen3-Coder-480B-[Fireworks]-1",
        "generic",
        "Qwen3 Coder 480B [Fireworks]",
        2,
        0.0,
        byok=True,
    ),
    ModelSpec("acme-coder-9", "generic", "Acme Coder 9", 1.5, 0.3),  # not in any price table
)
AUTO_WEIGHT = 12
ROUTER_TARGETS = MODELS[:7]
PROVIDER_LOCK = {
    "anthropic": "anthropic",
    "openai": "openai",
    "google": "google",
    "generic": "generic-chat-completion-api",
}
EFFORTS = ("none", "low", "medium", "high")


# --------------------------------------------------------------------------
# Projects


@dataclass
class Project:
    cwd: str
    owner: str
    host_id: str
    os: str  # linux | mac | windows
    weight: float = 1.0

    @property
    def folder(self) -> str:
        return encode_cwd(self.cwd)

    @property
    def group(self) -> str:
        parts = split_path(self.cwd)
        return parts[-2] if len(parts) > 1 else ""

    @property
    def name(self) -> str:
        return split_path(self.cwd)[-1]

    @property
    def sep(self) -> str:
        return "\\" if self.os == "windows" else "/"


GROUPS = ("acme", "oss", "client-work", "infra", "research", "sandbox", "data.team", "My Stuff")
NAME_HEADS = words(
    "api web shop billing auth ml etl docs cli mobile dashboard search notifier parser infra "
    "site bot sdk"
)
NAME_TAILS = (
    "",
    "-service",
    "-app",
    ".js",
    "-v2",
    " tools",
    " (old)",
    ".core",
    "-worker",
    "_legacy",
)
SPECIAL_NAMES = (
    "fdash",
    "café-pos",
    "api.gateway",
    "data pipeline",
    "web-shop v2",
    "notes.md-site",
)
HOSTS = {"linux": ("ana", "Ubuntu"), "mac": ("bo", "macOS"), "windows": ("cy", "Windows")}
SYSTEMS = {  # os -> (system info line, shell) as shown in the injected context
    "linux": ("linux 6.8.0-49-generic", "bash"),
    "mac": ("darwin 24.6.0", "zsh"),
    "windows": (
        "win32 10.0.26200",
        "Windows PowerShell 5.1 (legacy — does NOT support && or ||; use ; instead)",
    ),
}


def make_projects(count: int, rng: random.Random) -> list[Project]:
    host_ids = {os_: new_uuid(rng) for os_ in HOSTS}

    def project(cwd: str, os_: str) -> Project:
        return Project(cwd, HOSTS[os_][0], host_ids[os_], os_)

    projects = [
        project("/home/ana/projects/my-app", "linux"),
        project("/home/ana/projects/my/app", "linux"),  # same encoded folder as my-app
        project("C:\\Users\\cy\\source\\repos\\Contoso.Web", "windows"),
        project("C:\\Users\\cy\\Documents\\dev tools\\ps-scripts", "windows"),
    ]
    seen = {p.cwd for p in projects}
    groups = GROUPS[: max(2, min(len(GROUPS), count // 5))]
    specials = list(SPECIAL_NAMES)
    while len(projects) < count:
        if specials and rng.random() < 0.3:
            name = specials.pop(0)
        else:
            name = rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS)
        group = rng.choice(groups)
        if rng.random() < 0.6:
            cwd, os_ = f"/home/ana/projects/{group}/{name}", "linux"
        else:
            cwd, os_ = f"/Users/bo/work/{group}/{name}", "mac"
        if cwd not in seen:
            seen.add(cwd)
            projects.append(project(cwd, os_))
    order = list(range(len(projects)))
    rng.shuffle(order)
    for rank, i in enumerate(order):  # Zipf-like popularity
        projects[i].weight = 1.0 / (rank + 1) ** 0.8
    return projects


def project_count(sessions: int) -> int:
    return max(4, round(40 * math.sqrt(max(sessions, 1) / 3000)))


# --------------------------------------------------------------------------
# Planning (phase 1): everything that links sessions to each other


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


def _plan_tokens(
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
    plan.tokens, plan.credits, plan.last_call = _plan_tokens(rng, plan.model, n_calls)


# --------------------------------------------------------------------------
# Conversation content

PROMPTS = (
    ("fix the failing test in {file}", "Fix failing test in {file}"),
    ("Add {feature} to the {mod} module", "Add {feature} to {mod}"),
    ("why is `{cmd}` so slow? profile it and tell me what to change", "Profile slow {cmd}"),
    ("refactor {file} to use dataclasses instead of dicts", "Refactor {file} to dataclasses"),
    ("review my last commit and point out bugs", "Review last commit"),
    ("write docs for the {mod} package, keep it short", "Write {mod} docs"),
    ("I get {error} when I run {cmd}. What's going on?", "Debug {error}"),
    ("upgrade {lib} to the latest version and fix what breaks", "Upgrade {lib}"),
    ("add tests for {fn} in {file}", "Add tests for {fn}"),
    ("rename {a} to {b} everywhere", "Rename {a} to {b}"),
    ("can you explain how {mod} handles {a}?", "Explain {mod} {a} handling"),
    ("set up CI for this repo (lint + tests)", "Set up CI"),
    ("the build is broken on main, please fix", "Fix broken build"),
    ("migrate the {w} table to add a {a} column", "Migrate {w} table"),
    ("make the {mod} CLI print a nicer table", "Improve {mod} CLI output"),
    ("Give me a summary of this folder", "Summarize folder"),
    ("QUick summary of the project", "Project summary"),
    ("implement {feature} behind a feature flag", "Implement {feature}"),
)
UNICODE_PROMPTS = (
    (
        "Corrige le bug d'encodage des accents (é, è, ç) dans {file}",
        "Corriger l'encodage des accents",
    ),
    ("请帮我修复登录页面的样式问题", "修复登录页面样式"),
    ("ログのタイムスタンプをUTCに統一して", "ログのタイムスタンプ統一"),
    ("Añade paginación a la API 🚀", "Paginación en la API 🚀"),
    ("Почини падающие тесты в {mod}", "Починить тесты {mod}"),
    ("deploy to staging 🎉🔥 and tell me when it's done", "Deploy to staging 🎉"),
    ("Überarbeite die Café-Ansicht ☕ und prüfe die Umlaute äöü", "Café-Ansicht überarbeiten ☕"),
    ("코드 리뷰 부탁해요: {file}", "코드 리뷰"),
)
FOLLOW_UPS = (
    "continue",
    "yes",
    "go ahead",
    "run the tests again",
    "looks good, commit it",
    "hm, that broke the build — can you check?",
    "now update the README",
    "thanks!",
    "why?",
    "undo that last change",
    "ok",
    "do it",
    "what about windows?",
    "can you make it faster?",
    "also handle the empty case",
    "nice 👍",
)
OPENERS = ("hi", "hello", "--update", "?")
MANUAL_TITLES = (
    "🚀 release prep",
    "调试内存泄漏",
    "Café ☕ refactor",
    "Q3 billing cleanup",
    "perf – index rebuild",
    "Ünïcödé hell",
    "hotfix/prod-incident-42",
    "naïve résumé parser",
    "⚠️ do not delete",
    "日本語のテスト",
)
SUBAGENT_TYPES = ("worker", "explorer", "code-reviewer")
TODO_ITEMS = (
    "Inspect repository contents",
    "Reproduce the failure",
    "Write a failing test",
    "Implement the fix",
    "Run the test suite",
    "Update documentation",
    "Summarize findings",
    "Check edge cases",
    "Clean up debug output",
    "Verify on Windows paths",
)
NOTICE_NO_SUB = (
    "No active subscription found.\nSubscribe to start using Droid.\nThis is re-checked on every "
    "message, so if your limit was raised or has reset, send another message to continue. "
    "Run `/limits` to review usage."
)
NOTICE_CLEARED = "Your credit limit has cleared. Continuing the session."
TODO_NAG = (
    "<system-reminder>IMPORTANT: TodoWrite was not called yet. You must call it for any "
    "non-trivial task requested by the user. It would benefit overall performance. Make sure to "
    "keep the todo list up to date to the state of the conversation. Performance tip: call the "
    "TodoWrite tool in parallel to the main flow related tool calls to save user's time and "
    "tokens.</system-reminder>"
)
TOOLS_REMINDER = (
    "<system-reminder>\nThe tools listed below are available in this environment, but their "
    "schemas may be omitted from the current tool list to save context.\nOnly use ToolSearch for "
    "tools that appear in the Deferred tools list below.\n\nDeferred tools:\n{tools}\n"
    "</system-reminder>"
)
DATE_REMINDER_OLD = (
    "<system-reminder>IMPORTANT - Current date for web search relevance:\n- Today's date is "
    "{date}. Use this date when WebSearch needs the current year for recent information, "
    "documentation, or current events.</system-reminder>"
)
DATE_REMINDER = (
    "<system-reminder>Current date: {date}. Use it for time-sensitive web searches."
    "</system-reminder>"
)
SKILLS_REMINDER = (
    "<system-reminder>\nAvailable skills for the Skill tool are listed below.\n\n{skills}\n"
    "</system-reminder>"
)
SYSTEM_INFO_REMINDER = (
    "<system-reminder>\n\nUser system info ({os_line})\nShell: {shell}\nModel: {model}\n"
    "Today's date: {date}\nUser language: en\n\n# The commands below were executed at the start "
    "of all sessions to gather context.\n\n% pwd\n{cwd}\n\n% ls\n{listing}\n\n"
    "% git status -b --porcelain | head -n1\n## main...origin/main\n</system-reminder>"
)
TODO_SUGGEST = (
    "<system-reminder>TodoWrite has not been called. If the task requires 3 or more distinct "
    "actions or tool calls, create a list and keep it current; otherwise ignore this "
    "reminder.</system-reminder>"
)
THINK_HEADS = (
    "Planning the fix",
    "Inspecting the repository",
    "Analyzing the failure",
    "Summarizing findings",
    "Checking edge cases",
    "Organizing my tasks",
)
SENTENCES = (
    "I need to look at {file} first.",
    "The {a} handling in {mod} looks suspicious.",
    "Running {cmd} should confirm it.",
    "It seems {fn} is called twice per request.",
    "I should keep the change small and add a test.",
    "The {w} cache is never invalidated.",
    "Maybe the {b} field is optional in older records.",
    "I'll check how {Cls} is constructed.",
)
ANSWERS = (
    "Done. I updated `{file}` so that {fn} no longer drops the {a}; `{cmd}` passes now.",
    "The problem was in `{file}`: {fn} assumed {b} is always set. Added a guard and a test.",
    (
        "Here's a summary:\n\n- `{mod}` owns {a} parsing\n- `{file}` wires the routes\n"
        "- tests live under `tests/`\n\nNothing looks broken."
    ),
    "I couldn't reproduce {error} locally. Can you share the full log?",
    "✅ Added {feature}. Run `{cmd}` to verify → all green.",
    "Renamed everything and ran the suite: {n} passed, 0 failed.",
)
TOOL_WEIGHTS = (
    ("Read", 30),
    ("Execute", 25),
    ("Grep", 12),
    ("Edit", 12),
    ("LS", 5),
    ("Create", 4),
    ("Glob", 4),
    ("TodoWrite", 5),
    ("WebSearch", 1),
    ("FetchUrl", 1),
)
# tool -> (filler style, weight of its share of the transcript budget)
FILLABLE = {
    "Read": ("code", 1.0),
    "Execute": ("log", 1.0),
    "Grep": ("log", 0.4),
    "FetchUrl": ("code", 0.8),
    "WebSearch": ("log", 0.3),
    "Task": ("log", 0.3),
    "Glob": ("log", 0.1),
    "LS": ("log", 0.1),
}


def clean_title(text: str) -> str:
    """Droid-style automatic title from a prompt: whitespace collapsed, cut at ~150 chars."""
    flat = " ".join(text.split())
    if len(flat) <= 150:
        return flat
    return flat[:146].rsplit(" ", 1)[0] + " ..."


# --------------------------------------------------------------------------
# Transcript building (phase 2)


@dataclass
class TranscriptInfo:
    data: bytes
    prompts: list[str]
    title: str
    message_count: int
    first_ms: int | None
    last_ms: int | None
    active_ms: int
    first_context: tuple[dict, int] | None  # (record, epoch ms) a fork of this session copies
    first_assistant_ms: int | None


class TranscriptBuilder:
    """Builds one session's records; tool outputs are filled to hit a byte target."""

    def __init__(
        self,
        plan: SessionPlan,
        rng: random.Random,
        now_ms: int,
        fork_source: tuple[dict, int] | None = None,
        start_ms: int | None = None,
        parent_id: str | None = None,
    ):
        self.plan, self.rng, self.now_ms = plan, rng, now_ms
        self.parent_id = parent_id
        self.pools = pools()
        self.proj = plan.project
        self.records: list[dict] = []
        self.slots: list[tuple[dict, str, float]] = []  # (tool_result block, style, weight)
        self.clock = start_ms if start_ms is not None else plan.start_ms
        self.prev_id: str | None = None
        self.compaction_id: str | None = None
        self.prompts: list[str] = []
        self.messages = 0
        self.active_ms = 0
        self.first_context: dict | None = None  # first llm_only context record (a fork copies it)
        self.first_assistant_ms: int | None = None
        self.fork_source = fork_source
        self.first_prompt: str | None = None
        self.summary_title: str | None = None  # short title matching the last generated prompt
        self.effective_title = ""
        self.reasoning_id = ""
        self.todo_items: list[tuple[int, str, str]] = []
        self.model = plan.earlier_model or plan.model
        self.desktop = plan.era == "new" and self.proj.os != "linux" and rng.random() < 0.35
        self.effort = rng.choice(EFFORTS)
        self.children_left = list(plan.children)
        self.compact_before = (
            rng.randint(2, len(plan.turns) - 1)
            if len(plan.turns) > 6 and rng.random() < 0.3
            else None
        )

    # -- primitives -------------------------------------------------------

    def uuid(self) -> str:
        return new_uuid(self.rng)

    def tick(self, lo_ms: int, hi_ms: int) -> None:
        self.clock += self.rng.randint(lo_ms, hi_ms)

    def idle(self, median_ms: int, cap_ms: int) -> None:
        self.clock += min(cap_ms, int(self.rng.lognormvariate(math.log(median_ms), 1.0)))

    def path(self, rel: str) -> str:
        return self.proj.cwd + self.proj.sep + rel.replace("/", self.proj.sep)

    def message(
        self,
        role: str,
        content: list,
        *,
        msg_id: str | None = None,
        visibility: str | None = None,
        extra: dict | None = None,
    ) -> dict:
        msg_id = msg_id or self.uuid()
        body: dict[str, Any] = {"role": role, "content": content}
        if visibility:
            body["visibility"] = visibility
        if extra:
            body.update(extra)
        rec: dict[str, Any] = {"type": "message", "id": msg_id}
        if self.desktop:  # desktop files put parentId before timestamp
            if self.prev_id:
                rec["parentId"] = self.prev_id
            rec["timestamp"] = self.clock
            rec["message"] = body
        else:
            rec["timestamp"] = self.clock
            rec["message"] = body
            if self.prev_id:
                rec["parentId"] = self.prev_id
        if self.compaction_id:
            rec["compactionSummaryId"] = self.compaction_id
        self.records.append(rec)
        self.prev_id = msg_id
        self.messages += 1
        return rec

    # -- session_start ----------------------------------------------------

    def session_start(self, first_prompt: str | None) -> dict:
        plan, rng = self.plan, self.rng
        rec: dict[str, Any] = {"type": "session_start", "id": plan.id}
        manual = False
        if first_prompt is None:
            title = "New Session"
        elif plan.kind == "subagent":
            title = clean_title(first_prompt)
        else:
            r = rng.random()
            if r < 0.10:
                title, manual = rng.choice(MANUAL_TITLES), True
            elif r < 0.13:
                title = "New Session"
            elif r < 0.55:
                title = self.summary_title or clean_title(first_prompt)
            else:
                title = clean_title(first_prompt)
        rec["title"] = title
        session_title = None
        if first_prompt is not None and rng.random() < 0.10:
            session_title = "" if rng.random() < 0.3 else rng.choice(MANUAL_TITLES)
            rec["sessionTitle"] = session_title
        rec["owner"] = self.proj.owner
        if self.desktop or rng.random() < 0.2:
            rec["organizationId"] = rand_str(random.Random(self.proj.host_id), ALNUM, 20)
        rec["version"] = 2
        rec["cwd"] = self.proj.cwd
        rec["hostId"] = self.proj.host_id
        if first_prompt is not None:
            rec["isSessionTitleManuallySet"] = manual
        if self.fork_source is not None:
            rec["parent"] = self.parent_id
            rec["forkedAtMessageId"] = self.fork_source[0]["id"]
        if first_prompt is not None and not manual and rng.random() < 0.5:
            rec["sessionTitleAutoStage"] = "first_message"
        self.effective_title = session_title if session_title else title
        return rec

    # -- context / reminders ----------------------------------------------

    def reminder_blocks(self, first: bool) -> list[str]:
        """Texts of injected <system-reminder> blocks (bigger for the first turn)."""
        rng, plan = self.rng, self.plan
        date = time.strftime("%Y-%m-%d", time.gmtime(self.clock // 1000))
        scale = min(1.0, plan.target_bytes / 60000) if first else 0.15
        tools = "\n".join(rng.sample(self.pools.tool_lines, max(3, int(40 * scale))))
        blocks = [TOOLS_REMINDER.format(tools=tools)]
        blocks.append((DATE_REMINDER_OLD if plan.era == "old" else DATE_REMINDER).format(date=date))
        if first:
            skills = "\n".join(rng.sample(self.pools.skill_lines, max(2, int(20 * scale))))
            blocks.append(SKILLS_REMINDER.format(skills=skills))
            blocks.append(self.system_info(date))
            if rng.random() < 0.5:
                blocks.append(TODO_NAG)
        return blocks

    def system_info(self, date: str) -> str:
        os_line, shell = SYSTEMS[self.proj.os]
        listing = "\n".join(
            sorted({_fill("{a}.{w}", self.rng) for _ in range(6)} | {"README.md", ".git"})
        )
        return SYSTEM_INFO_REMINDER.format(
            os_line=os_line,
            shell=shell,
            model=self.model.display,
            date=date,
            cwd=self.proj.cwd,
            listing=listing,
        )

    def context_message(self, prompt_id: str, first: bool) -> None:
        blocks = [{"type": "text", "text": t} for t in self.reminder_blocks(first)]
        rec = self.message("user", blocks, msg_id="context-" + prompt_id, visibility="llm_only")
        if self.first_context is None:
            self.first_context = rec
        self.tick(2, 30)

    def reminder_only_message(self) -> None:
        """Old-style user message made only of reminders: not a prompt."""
        text = self.rng.choice(
            (
                TODO_NAG,
                TODO_NAG + "\n",
                f"<system-reminder>Opened {self.rng.choice(FILE_STEMS)}.py</system-reminder>\n  ",
                "<system-reminder>a</system-reminder>\n<system-reminder>b</system-reminder>",
            )
        )
        self.message("user", [{"type": "text", "text": text}])
        self.tick(5, 200)

    # -- prompts ----------------------------------------------------------

    def next_prompt(self, first: bool) -> str:
        rng, plan = self.rng, self.plan
        self.summary_title = None
        if plan.kind == "subagent" and first:
            task = _fill(rng.choice(PROMPTS)[0], rng)
            return (
                f"# Task Tool Invocation\n\nSubagent type: {rng.choice(SUBAGENT_TYPES)}\n\n"
                f"## Task\n{task}\n\n## Context\nWorking directory: {self.proj.cwd}\n"
                "Return a concise report of what you found."
            )
        if not first and rng.random() < 0.45:
            return rng.choice(FOLLOW_UPS)
        r = rng.random()
        if first and r < 0.04:
            return rng.choice(OPENERS)
        if r < 0.10:
            template, title = rng.choice(UNICODE_PROMPTS)
        else:
            template, title = rng.choice(PROMPTS)
        memo: dict[str, str] = {}
        text = _fill(template, rng, memo)
        self.summary_title = _fill(title, rng, memo)
        if rng.random() < 0.07:  # pasted stack trace: a long prompt
            trace = self.pools.text("log", rng.randint(200, 1500), rng)
            text += f"\n\n```\nTraceback (most recent call last):\n{trace}\n```"
        if self.desktop and "\n" in text:
            text = text.replace("\n", "\r\n")
        elif self.desktop and rng.random() < 0.3:
            text += " \r\n\r\nAlso keep the diff small."
        return text

    def prompt_message(self, prompt_id: str, text: str, first: bool) -> None:
        """A real user prompt, possibly wrapped in system-reminder spans."""
        rng = self.rng
        content: list[dict]
        if self.plan.context_style == "embedded" and (first or rng.random() < 0.3):
            reminders = "\n".join(self.reminder_blocks(first))
            if rng.random() < 0.5:
                content = [{"type": "text", "text": reminders + "\n\n" + text}]
            elif rng.random() < 0.5:
                content = [{"type": "text", "text": reminders + "\n" + text + "\n\n" + TODO_NAG}]
            else:
                content = [{"type": "text", "text": reminders}, {"type": "text", "text": text}]
        elif rng.random() < 0.04:
            content = [
                {
                    "type": "text",
                    "text": text + "\n\n<system-reminder>Current date changed.</system-reminder>",
                }
            ]
        else:
            content = [{"type": "text", "text": text}]
        extra = (
            {"userMessageSource": "desktop", "interactionMode": "auto"} if self.desktop else None
        )
        self.message("user", content, msg_id=prompt_id, extra=extra)
        self.prompts.append(text.strip())

    # -- assistant side ---------------------------------------------------

    def assistant_extra(self, thinking: dict | None, final: bool) -> dict:
        rng, prov = self.rng, self.model.provider
        extra: dict[str, Any] = {"userMessageSource": "desktop"} if self.desktop else {}
        if prov == "openai":
            if final:
                extra["openaiMessageId"] = "msg_" + rand_str(rng, HEX, 50)
                extra["openaiPhase"] = "final_answer"
            if thinking is not None:
                extra["openaiEncryptedContent"] = "gAAAAAB" + self.pools.base64(
                    rng, rng.randint(600, 1400)
                )
                extra["openaiReasoningId"] = self.reasoning_id
                extra["openaiReasoningSummary"] = thinking["thinking"]
        elif prov == "generic":
            extra["openaiMessageId"] = (
                f"gen-{rng.randint(10**9, 10**10 - 1)}-{rand_str(rng, ALNUM, 20)}"
            )
            if thinking is not None:
                extra["chatCompletionReasoningField"] = "reasoning"
                extra["chatCompletionReasoningContent"] = thinking["thinking"]
        extra["modelId"] = self.model.id
        extra["reasoningEffort"] = self.effort
        return extra

    def thinking_block(self) -> dict:
        rng, prov = self.rng, self.model.provider
        sentences = " ".join(_fill(rng.choice(SENTENCES), rng) for _ in range(rng.randint(2, 6)))
        text = f"**{rng.choice(THINK_HEADS)}**\n\n{sentences}"
        dur = rng.randint(300, 9000)
        if prov == "openai":
            self.reasoning_id = "rs_" + rand_str(rng, HEX, 50)
            sig = _dumps_compact(
                {
                    "id": self.reasoning_id,
                    "type": "reasoning",
                    "content": [],
                    "encrypted_content": "gAAAAAB" + self.pools.base64(rng, rng.randint(900, 1700)),
                    "summary": [{"type": "summary_text", "text": text}],
                }
            )
            provider = "openai"
        elif prov == "generic":
            sig, provider = "reasoning", "generic-chat-completion-api"
        else:
            sig, provider = self.pools.base64(rng, rng.randint(200, 900)), prov
        return {
            "type": "thinking",
            "signature": sig,
            "signatureProvider": provider,
            "durationMs": dur,
            "thinking": text,
        }

    def tool_input(self, name: str) -> dict:
        rng = self.rng
        rel = _fill("{file}", rng)
        if name == "Read":
            inp: dict[str, Any] = {"file_path": self.path(rel)}
            if rng.random() < 0.3:
                inp.update(offset=rng.randint(0, 400), limit=rng.choice((100, 200, 220, 500)))
            return inp
        if name == "Execute":
            inp = {
                "command": _fill("{cmd}", rng),
                "riskLevel": rng.choice(("low", "low", "medium")),
                "riskLevelReason": "Runs the project's own test/build tooling; no system changes.",
            }
            if rng.random() < 0.4:
                inp = {"summary": _fill("Run {cmd}", rng), **inp}
            return inp
        if name == "Grep":
            return {"pattern": _fill("{fn}", rng), "path": self.proj.cwd, "output_mode": "content"}
        if name == "LS":
            return {"directory_path": self.proj.cwd, "ignorePatterns": [".git/**"]}
        if name == "Glob":
            return {"patterns": [f"**/*.{rng.choice(EXTS[:6])}"], "folder": self.proj.cwd}
        if name == "Edit":
            return {
                "file_path": self.path(rel),
                "old_str": self.pools.text("code", rng.randint(30, 400), rng),
                "new_str": self.pools.text("code", rng.randint(30, 500), rng),
            }
        if name == "Create":
            return {
                "file_path": self.path(rel),
                "content": self.pools.text("code", rng.randint(100, 2500), rng),
            }
        if name == "TodoWrite":
            return {"todos": self.todo_string()}
        if name == "WebSearch":
            return {"query": _fill("{lib} {error}", rng)}
        if name == "FetchUrl":
            return {"url": _fill("https://docs.example.com/{lib}/{a}", rng)}
        return {
            "subagent_type": rng.choice(SUBAGENT_TYPES),
            "description": _fill("Investigate {a} in {mod}", rng),
            "prompt": _fill(
                "Find where {fn} is defined and report how {b} flows through {mod}.", rng
            ),
        }

    def todo_string(self) -> str:
        rng = self.rng
        items = rng.sample(TODO_ITEMS, rng.randint(2, 6))
        done = rng.randint(0, len(items))
        self.todo_items = [
            (i + 1, item, "completed" if i < done else "in_progress" if i == done else "pending")
            for i, item in enumerate(items)
        ]
        return "\n".join(f"{n}. [{status}] {item}" for n, item, status in self.todo_items)

    def todo_state(self) -> None:
        self.tick(5, 60)
        if self.plan.era == "old" or self.desktop:
            todos: Any = [
                {
                    "id": str(n),
                    "status": s,
                    "content": item,
                    "priority": self.rng.choice(("high", "medium")),
                }
                for n, item, s in self.todo_items
            ]
        else:
            todos = "\n".join(f"{n}. [{s}] {item}" for n, item, s in self.todo_items)
        self.records.append(
            {
                "type": "todo_state",
                "id": self.uuid(),
                "timestamp": self.clock,
                "todos": {"todos": todos},
                "messageIndex": len(self.prompts),
            }
        )

    def tool_result(self, use_id: str, name: str, inp: dict) -> dict:
        rng = self.rng
        block: dict[str, Any] = {
            "type": "tool_result",
            "tool_use_id": use_id,
            "is_error": False,
            "content": "",
        }
        if name in FILLABLE:
            style, weight = FILLABLE[name]
            if name == "Execute" and rng.random() < 0.05:
                block["is_error"] = True
            self.slots.append((block, style, weight * rng.lognormvariate(0, 1.3)))
        elif name == "TodoWrite":
            block["content"] = "TODO List Updated"
        elif name == "Edit":
            block["content"] = _dumps_compact(
                {
                    "success": True,
                    "file_path": inp["file_path"],
                    "linesAdded": rng.randint(1, 30),
                    "linesRemoved": rng.randint(0, 20),
                }
            )
        else:
            block["content"] = _dumps_compact({"success": True, "file_path": inp["file_path"]})
        return block

    def tool_step(self) -> None:
        rng = self.rng
        self.tick(800, 12000)
        n_tools = weighted(rng, [(1, 70), (2, 22), (3, 8)])
        names = [weighted(rng, list(TOOL_WEIGHTS)) for _ in range(n_tools)]
        if self.children_left and rng.random() < 0.5:
            names[0] = "Task"
            self.children_left.pop()
        if self.plan.huge_bytes and not self.slots:
            names.insert(0, "Execute")  # slot 0 receives the huge output
        blocks: list[dict] = []
        thinking = self.thinking_block() if rng.random() < self.model.thinking else None
        if thinking:
            blocks.append(thinking)
        if rng.random() < 0.35:
            blocks.append({"type": "text", "text": _fill(rng.choice(SENTENCES), rng)})
        uses = []
        for name in names:
            if self.model.provider == "anthropic":
                use_id = "toolu_01" + rand_str(rng, ALNUM, 22)
            else:
                use_id = "call_" + rand_str(rng, ALNUM, 24)
            inp = self.tool_input(name)
            blocks.append({"type": "tool_use", "id": use_id, "name": name, "input": inp})
            uses.append((use_id, name, inp))
        self.message("assistant", blocks, extra=self.assistant_extra(thinking, final=False))
        self.note_assistant()
        if "TodoWrite" in names:
            self.todo_state()
        self.tick(20, 4000 if "Execute" not in names else 90000)
        self.message("user", [self.tool_result(*u) for u in uses])
        if self.plan.era == "new" and rng.random() < 0.04:
            self.tick(5, 40)
            self.message(
                "user",
                [{"type": "text", "text": TODO_SUGGEST}],
                msg_id="todo-suggest-" + self.uuid(),
                visibility="llm_only",
            )

    def final_answer(self) -> None:
        rng = self.rng
        self.tick(900, 15000)
        thinking = self.thinking_block() if rng.random() < self.model.thinking * 0.6 else None
        text = _fill(rng.choice(ANSWERS), rng)
        if rng.random() < 0.3:
            text += "\n\n" + " ".join(
                _fill(rng.choice(SENTENCES), rng) for _ in range(rng.randint(2, 8))
            )
        blocks = ([thinking] if thinking else []) + [{"type": "text", "text": text}]
        self.message("assistant", blocks, extra=self.assistant_extra(thinking, final=True))
        self.note_assistant()

    def note_assistant(self) -> None:
        if self.first_assistant_ms is None:
            self.first_assistant_ms = self.clock

    def outcome(self, turn_id: str, reason: str) -> None:
        self.records.append(
            {
                "type": "agent_turn_outcome",
                "turnId": turn_id,
                "reason": reason,
                "resultKind": "text",
            }
        )

    def compaction(self) -> None:
        rng = self.rng
        self.tick(500, 4000)
        summary = (
            "USER: "
            + "\nUSER: ".join(self.prompts[-5:])
            + "\nASSISTANT: "
            + self.pools.text("log", min(12000, max(300, self.plan.target_bytes // 20)), rng)
        )
        rec_id = self.uuid()
        self.records.append(
            {
                "type": "compaction_state",
                "id": rec_id,
                "timestamp": self.clock,
                "summaryText": summary,
                "summaryTokens": len(summary) // 4,
                "summaryKind": "provider_switch_serialization",
                "anchorMessage": {"id": self.prev_id, "index": self.messages - 1},
                "removedCount": max(1, self.messages - rng.randint(1, 4)),
                "systemInfo": {
                    "osName": SYSTEMS[self.proj.os][0],
                    "directoryInfo": [{"cmd": "pwd", "out": self.proj.cwd}],
                    "gitInfo": [{"cmd": "git status -b --porcelain | head -n1", "out": "main"}],
                    "guidelinesInfo": [],
                    "designGuidelinesInfo": [],
                },
            }
        )
        self.compaction_id = rec_id

    # -- turns ------------------------------------------------------------

    def turn(self, t: int, steps: int) -> None:
        rng, plan = self.rng, self.plan
        first = t == 0
        if not first:
            if plan.resume_turn == t:
                self.clock += plan.resume_gap_ms
            else:
                self.idle(70 * SEC_MS, 50 * MIN_MS)
            if plan.earlier_model is not None and t == plan.switch_turn:
                self.model = plan.model
            if self.compact_before == t:
                self.compaction()
        prompt_id = self.uuid()
        text = self.first_prompt if first else self.next_prompt(False)
        if plan.context_style == "context" and (first or rng.random() < 0.35):
            self.context_message(prompt_id, first)
        elif plan.context_style == "embedded" and not first and rng.random() < 0.2:
            self.reminder_only_message()
        self.prompt_message(prompt_id, text, first)
        turn_start = self.clock
        if steps == 0:
            self.tick(800, 3000)
            self.message("user", [{"type": "text", "text": NOTICE_NO_SUB}], visibility="user_only")
            self.outcome(prompt_id, "error" if rng.random() < 0.7 else "model_usage_exhausted")
            return
        for _ in range(steps - 1):
            self.tool_step()
        self.final_answer()
        self.active_ms += self.clock - turn_start
        if rng.random() < 0.02:
            self.tick(2, 20)
            self.message("user", [{"type": "text", "text": NOTICE_CLEARED}], visibility="user_only")
        if plan.era == "new" or rng.random() < 0.9:
            self.outcome(prompt_id, "completed")

    def build_records(self) -> dict:
        plan = self.plan
        start_rec: dict
        if plan.kind == "empty":
            start_rec = self.session_start(None)
            variant = self.rng.random()
            if variant < 0.25:
                self.context_message(self.uuid(), True)
            elif variant < 0.40:
                self.reminder_only_message()
            return start_rec
        self.first_prompt = self.next_prompt(True)
        start_rec = self.session_start(self.first_prompt)
        if self.fork_source is not None:
            copied = self.fork_source[0]
            self.records.append(copied)  # the parent's record, same id and timestamp
            self.messages += 1
            self.prev_id = copied["id"]
        for t, steps in enumerate(plan.turns):
            self.turn(t, steps)
        return start_rec

    # -- output -----------------------------------------------------------

    def build(self, target_bytes: int) -> TranscriptInfo:
        start_rec = self.build_records()
        own = [r for r in self.records if isinstance(r.get("timestamp"), int)]  # not a fork's copy
        self.keep_in_past(own)
        stamps = [r["timestamp"] for r in own]
        first_context = None
        if self.fork_source is not None:
            stamps.insert(0, self.fork_source[1])
            first_context = self.fork_source
        elif self.first_context is not None:
            first_context = (self.first_context, self.first_context["timestamp"])
        for r in own:
            r["timestamp"] = iso_ms(r["timestamp"])
        records = [start_rec] + self.records
        self.fill_slots(records, target_bytes)
        data = ("\n".join(map(_dumps_compact, records)) + "\n").encode("utf-8")
        return TranscriptInfo(
            data=data,
            prompts=self.prompts,
            title=self.effective_title,
            message_count=self.messages,
            first_ms=min(stamps) if stamps else None,
            last_ms=max(stamps) if stamps else None,
            active_ms=self.active_ms,
            first_context=first_context,
            first_assistant_ms=self.first_assistant_ms,
        )

    def keep_in_past(self, own: list[dict]) -> None:
        """Shift a session ending after "now" back in time (never before a fork's copied record)."""
        if not own or own[-1]["timestamp"] <= self.now_ms - MIN_MS:
            return
        shift = own[-1]["timestamp"] - (self.now_ms - MIN_MS)
        if self.fork_source is not None:
            shift = min(shift, own[0]["timestamp"] - self.fork_source[1] - SEC_MS)
        for r in own:
            r["timestamp"] -= shift
        if self.first_assistant_ms is not None:
            self.first_assistant_ms -= shift

    def fill_slots(self, records: list[dict], target_bytes: int) -> None:
        """Give tool outputs heavy-tailed sizes so the file is ~target_bytes long."""
        if not self.slots:
            return
        rng = self.rng
        minimum = [rng.randint(20, 300) for _ in self.slots]
        skeleton = sum(len(_dumps_compact(r).encode("utf-8")) + 1 for r in records)
        huge_index = 0 if self.plan.huge_bytes else -1
        spare = target_bytes - skeleton - self.plan.huge_bytes - sum(minimum) * 1.1
        total_weight = sum(w for i, (_, _, w) in enumerate(self.slots) if i != huge_index) or 1.0
        for i, (block, style, weight) in enumerate(self.slots):
            ratio = self.pools.ratio[style]
            if i == huge_index:
                nbytes = self.plan.huge_bytes
            else:
                nbytes = min(SLOT_CAP_BYTES, max(0.0, spare) * weight / total_weight)
            nchars = minimum[i] + int(nbytes / ratio)
            text = self.pools.text(style, nchars, rng)
            if block["is_error"]:
                text += "\n\n[Process exited with code 1]"
            elif style == "log" and rng.random() < 0.5:
                text += "\n\n[Process exited with code 0]"
            block["content"] = text


# --------------------------------------------------------------------------
# Settings


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


# --------------------------------------------------------------------------
# Writing


class TreeWriter:
    """Writes files under the root; one write call per file, deterministic mtimes."""

    def __init__(self, root: Path):
        self.root = root
        self.made: set[Path] = set()

    def write(self, rel: str, data: bytes | str, mtime_ms: int | None = None) -> Path:
        path = self.root / rel
        if path.parent not in self.made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(path.parent)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if mtime_ms is not None:
            ns = mtime_ms * 1_000_000
            os.utime(path, ns=(ns, ns))
        return path


def session_locations(plan: SessionPlan) -> list[tuple[str, str]]:
    """(layout, relative directory) pairs where the session's files live."""
    folder = plan.project.folder
    if plan.layout == "both":
        return [("project", folder), ("flat", "")]
    return [("flat", "")] if plan.layout == "flat" else [("project", folder)]


def _rel(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name


def write_session(
    writer: TreeWriter,
    plan: SessionPlan,
    info: TranscriptInfo | None,
    settings: dict | None,
    bak: dict | None,
    rng: random.Random,
    now_ms: int,
) -> list[str]:
    """Write the session's files (twice for layout "both"); mtimes follow its last timestamp."""
    files = []
    last = info.last_ms if info and info.last_ms else plan.start_ms
    flat_mtime = last + rng.randint(1, 5) * SEC_MS
    for layout, directory in session_locations(plan):
        mtime = flat_mtime
        if (
            plan.layout == "both" and layout == "project"
        ):  # migrated later: newer than the flat copy
            mtime = max(
                flat_mtime + SEC_MS, min(now_ms - HOUR_MS, last + rng.randint(1, 30) * DAY_MS)
            )
        if info is not None:
            files.append(_rel(directory, plan.id + ".jsonl"))
            writer.write(files[-1], info.data, mtime)
        if settings is not None:
            files.append(_rel(directory, plan.id + ".settings.json"))
            writer.write(files[-1], settings_text(settings), mtime + 800)
            if bak is not None:
                files.append(files[-1] + ".bak")
                writer.write(files[-1], settings_text(bak), mtime - rng.randint(MIN_MS, DAY_MS))
    return files


# --------------------------------------------------------------------------
# Manifest


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
        "tokens": {k: settings["tokenUsage"][k] for k in TOKEN_KINDS} if settings else None,
        "factory_credits": settings["tokenUsage"]["factoryCredits"] if settings else None,
        "inclusive_tokens": {k: settings["inclusiveTokenUsage"][k] for k in TOKEN_KINDS}
        if settings
        else None,
        "children": [plans[c].id for c in plan.children] if settings else [],
        "assistant_active_time_ms": settings["assistantActiveTimeMs"] if settings else None,
        "user_prompts": len(info.prompts) if info else 0,
        "prompt_texts": [p[:200] for p in info.prompts] if info else [],
        "first_ts": iso_ms(info.first_ms) if info and info.first_ms is not None else None,
        "last_ts": iso_ms(info.last_ms) if info and info.last_ms is not None else None,
        "message_count": info.message_count if info else 0,
        "favorite": plan.favorite,
        "empty": not (info and info.prompts),
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


# --------------------------------------------------------------------------
# Favorites and stray files


def write_favorites(
    writer: TreeWriter, plans: list[SessionPlan], rng: random.Random, now_ms: int
) -> list[str]:
    ids = [p.id for p in plans if p.favorite]
    ids.insert(rng.randint(0, len(ids)), new_uuid(rng))  # a deleted session
    writer.write(".favorites", json.dumps(ids), now_ms - DAY_MS)
    return ids


def write_strays(
    writer: TreeWriter,
    projects: list[Project],
    plans: list[SessionPlan],
    rng: random.Random,
    now_ms: int,
) -> list[str]:
    t = now_ms - 2 * DAY_MS
    sample = [p for p in plans if p.has_transcript][:5]
    index = {"version": 1, "sessions": [{"id": p.id, "cwd": p.project.cwd} for p in sample]}
    strays = {
        "sessions-index.json": json.dumps(index, indent=2),
        "notes.txt": "todo: clean up old sessions\n",
        "README": "Droid sessions live here. Do not edit by hand.\n",
    }
    if sample:
        # a non-uuid .jsonl holding a copy of a real session's first line: must be ignored
        src = sample[0]
        strays["export-2026-10-01.jsonl"] = (
            _dumps_compact(
                {
                    "type": "session_start",
                    "id": src.id,
                    "title": "exported copy",
                    "owner": src.project.owner,
                    "version": 2,
                    "cwd": src.project.cwd,
                }
            )
            + "\n"
        )
    folder = projects[0].folder
    strays[f"{folder}/.DS_Store"] = bytes(rng.getrandbits(8) for _ in range(64))
    strays[f"{folder}/scratch.md"] = "# scratch\n"
    strays["-home-ana-projects-deleted-project/" + new_uuid(rng) + ".settings.json.bak"] = "{}"
    for rel, data in strays.items():
        writer.write(rel, data, t)
    (writer.root / "-home-ana-projects-empty-folder").mkdir(exist_ok=True)
    return sorted(strays) + ["-home-ana-projects-empty-folder/"]


# --------------------------------------------------------------------------
# Hostile corpus


class HostileCorpus:
    """Broken and adversarial files, each recorded with what a scanner should do.

    Every case is one method; `build()` runs them in a fixed order. Sessions are
    small valid ones (see `session`) that a case then damages.
    """

    FOLDER = "-home-mallory-hostile"
    CWD = "/home/mallory/hostile"

    def __init__(
        self, writer: TreeWriter, seed: int, now_ms: int, huge: bool, unreadable: bool = False
    ):
        self.w, self.now_ms, self.huge, self.unreadable = writer, now_ms, huge, unreadable
        self.rng = random.Random(f"{seed}/hostile")
        self.entries: list[dict] = []
        self.project = Project(self.CWD, "mallory", new_uuid(self.rng), "linux")
        self.clock = now_ms - 10 * DAY_MS

    def build(self) -> list[dict]:
        cases = [
            self.truncated_last_line,
            self.invalid_json_line_middle,
            self.invalid_utf8_in_text,
            self.invalid_utf8_in_prompt,
            self.zero_byte_transcript,
            self.no_session_start,
            self.non_object_lines,
            self.deep_nesting_line,
            self.crlf_line_endings,
            self.blank_lines,
            self.utf8_bom,
            self.odd_message_shapes,
            self.odd_timestamps,
            self.control_chars,
            self.toplevel_visibility,
            self.transcript_without_settings,
            self.bad_settings_cases,
            self.orphan_settings,
            self.bak_only,
            self.non_uuid_names,
            self.directories_named_like_sessions,
            self.symlinks,
        ]
        if self.huge:
            cases.append(self.huge_line)
        if self.unreadable:
            cases.append(self.unreadable_file_and_folder)
        for case in cases:
            case()
        return self.entries

    # -- helpers ----------------------------------------------------------

    def session(self) -> tuple[SessionPlan, list[dict], TranscriptInfo]:
        """A small valid 3-turn session; returns its records (timestamps as strings)."""
        self.clock += HOUR_MS
        model = MODELS[1]
        plan = SessionPlan(
            0,
            new_uuid(self.rng),
            "normal",
            self.project,
            self.clock,
            "new",
            "project",
            model,
            model.id,
            turns=[2, 2, 2],
            target_bytes=5000,
        )
        plan.tokens, plan.credits, plan.last_call = _plan_tokens(self.rng, model, sum(plan.turns))
        info = TranscriptBuilder(plan, random.Random(self.rng.getrandbits(64)), self.now_ms).build(
            5000
        )
        records = [json.loads(line) for line in info.data.decode("utf-8").splitlines()]
        return plan, records, info

    def settings(self, plan: SessionPlan, info: TranscriptInfo | None) -> dict:
        return build_settings(
            plan, [plan], info, random.Random(self.rng.getrandbits(64)), self.now_ms
        )

    def write(self, name: str, data: bytes | str, folder: str | None = None) -> str:
        rel = _rel(self.FOLDER if folder is None else folder, name)
        self.w.write(rel, data, self.clock)
        return rel

    def add(
        self,
        case: str,
        path: str,
        session_id: str | None,
        counted: bool | None,
        note: str,
        **expect: Any,
    ) -> None:
        self.entries.append(
            {
                "case": case,
                "path": path,
                "session_id": session_id,
                "counted": counted,
                "expect": expect,
                "note": note,
            }
        )

    @staticmethod
    def text(records: list[dict], sep: str = "\n") -> str:
        return sep.join(_dumps_compact(r) for r in records) + sep

    def user_message(self, content: Any, timestamp: Any, **top: Any) -> dict:
        return {
            "type": "message",
            "id": new_uuid(self.rng),
            "timestamp": timestamp,
            **top,
            "message": {"role": "user", "content": content},
        }

    @classmethod
    def expected(cls, info: TranscriptInfo, settings: dict | None = None, **over: Any) -> dict:
        exp = {
            "user_prompts": len(info.prompts),
            "prompt_texts": [p[:200] for p in info.prompts],
            "cwd": cls.CWD,
            "title": info.title,
        }
        if settings is not None:
            exp["tokens"] = {k: settings["tokenUsage"][k] for k in TOKEN_KINDS}
        exp.update(over)
        return exp

    def damaged_transcript(
        self, case: str, damage, note: str, drop: tuple[str, ...] = (), **over: Any
    ) -> None:
        """A session whose transcript is `damage(records)` (str or bytes), with valid settings."""
        plan, records, info = self.session()
        settings = self.settings(plan, info)
        path = self.write(plan.id + ".jsonl", damage(records))
        self.write(plan.id + ".settings.json", settings_text(settings))
        expect = self.expected(info, settings, **over)
        for key in drop:
            expect.pop(key)
        self.add(case, path, plan.id, True, note, **expect)

    # -- transcript cases -------------------------------------------------

    def truncated_last_line(self) -> None:
        """A last prompt cut mid-JSON (droid still writing): the earlier prompts count."""

        def damage(records: list[dict]) -> str:
            last = _dumps_compact(
                self.user_message(
                    [{"type": "text", "text": "and one more thing: " * 20}],
                    records[-2]["timestamp"],
                )
            )
            return self.text(records) + last[: len(last) // 2]

        self.damaged_transcript(
            "truncated_last_line", damage, "file ends inside a JSON line (no newline)"
        )

    def invalid_json_line_middle(self) -> None:
        garbage = '{"type":"message","id":"oops", this is not json}'
        self.damaged_transcript(
            "invalid_json_line_middle",
            lambda rs: self.text(rs[:3]) + garbage + "\n" + self.text(rs[3:]),
            "one garbage line in the middle; skip it, keep the rest",
        )

    def invalid_utf8_in_text(self) -> None:
        def damage(records: list[dict]) -> bytes:
            raw = self.text(records).encode("utf-8")
            marker = b'"type":"text","text":"'
            at = raw.rfind(marker) + len(marker)  # the final assistant answer
            return raw[:at] + b"\xff\xfe\xc3(bad bytes) " + raw[at:]

        self.damaged_transcript(
            "invalid_utf8_in_text",
            damage,
            "bytes ff fe c3 inside an assistant text block; decode with errors='replace' or "
            "skip that line, never drop the file",
        )

    def first_prompt(self, records: list[dict]) -> dict:
        """The first record that is a real user prompt (not context, not a notice)."""
        return next(
            r
            for r in records
            if r.get("type") == "message"
            and r["message"]["role"] == "user"
            and "visibility" not in r["message"]
            and not r["id"].startswith("context-")
            and isinstance(r["message"]["content"], list)
            and r["message"]["content"][0].get("type") == "text"
        )

    def invalid_utf8_in_prompt(self) -> None:
        """Bytes ff fe at the start of the first prompt: it still counts, shown with U+FFFD."""
        plan, records, info = self.session()
        marker = "@@INVALID-UTF8@@"
        block = self.first_prompt(records)["message"]["content"][0]
        block["text"] = marker + block["text"]
        data = self.text(records).encode("utf-8").replace(marker.encode(), b"\xff\xfe", 1)
        settings = self.settings(plan, info)
        path = self.write(plan.id + ".jsonl", data)
        self.write(plan.id + ".settings.json", settings_text(settings))
        prompts = ["\ufffd\ufffd" + info.prompts[0]] + info.prompts[1:]
        self.add(
            "invalid_utf8_in_prompt",
            path,
            plan.id,
            True,
            "bytes ff fe inside the first user prompt: decode with errors='replace' (two U+FFFD)",
            **self.expected(info, settings, prompt_texts=[p[:200] for p in prompts]),
        )

    def zero_byte_transcript(self) -> None:
        sid = new_uuid(self.rng)
        path = self.write(sid + ".jsonl", b"")
        self.add(
            "zero_byte_transcript",
            path,
            sid,
            None,
            "0-byte transcript, no settings",
            user_prompts=0,
        )

    def no_session_start(self) -> None:
        plan, records, info = self.session()
        path = self.write(plan.id + ".jsonl", self.text(records[1:]))
        self.add(
            "no_session_start",
            path,
            plan.id,
            True,
            "first line is a message; cwd falls back to the folder",
            **self.expected(info, None, cwd=None, title=None, folder=self.FOLDER),
        )

    def non_object_lines(self) -> None:
        junk = '[1, 2, 3]\n"just a string"\nnull\n42\ntrue\n'
        self.damaged_transcript(
            "non_object_lines",
            lambda rs: self.text(rs[:2]) + junk + self.text(rs[2:]),
            "valid JSON lines that are not objects",
        )

    def deep_nesting_line(self) -> None:
        bomb = "[" * 100_000 + "]" * 100_000 + "\n"
        self.damaged_transcript(
            "deep_nesting_line",
            lambda rs: self.text(rs[:2]) + bomb + self.text(rs[2:]),
            "100k nested arrays: Python's json raises RecursionError, not ValueError",
        )

    def crlf_line_endings(self) -> None:
        self.damaged_transcript(
            "crlf_line_endings", lambda rs: self.text(rs, "\r\n"), "CRLF line endings"
        )

    def blank_lines(self) -> None:
        self.damaged_transcript(
            "blank_lines",
            lambda rs: self.text(rs[:2]) + "\n   \n\t\n" + self.text(rs[2:]) + "\n\n",
            "blank and whitespace-only lines",
        )

    def utf8_bom(self) -> None:
        self.damaged_transcript(
            "utf8_bom",
            lambda rs: "\ufeff" + self.text(rs),
            "UTF-8 BOM before session_start (json.loads rejects it unless read as utf-8-sig): "
            "cwd/title may come from that line or be missing",
            drop=("cwd", "title"),
            cwd_acceptable=[self.CWD, None],
        )

    def odd_message_shapes(self) -> None:
        """Malformed messages; only the well-formed prompts must count."""
        plan, records, info = self.session()
        ts = records[1]["timestamp"]
        odd = [
            {"type": "message", "id": new_uuid(self.rng), "timestamp": ts, "message": None},
            {
                "type": "message",
                "id": new_uuid(self.rng),
                "timestamp": ts,
                "message": {"content": [{"type": "text", "text": "no role"}]},
            },
            self.user_message([None, 5, {"type": "text"}, {"type": "text", "text": 123}], ts),
            self.user_message({"type": "text", "text": "content is an object"}, ts),
            {
                "type": "message",
                "timestamp": ts,
                "message": {"role": "assistant", "content": "plain string"},
            },
            {
                "type": "message",
                "id": None,
                "timestamp": ts,
                "message": {"role": "assistant", "content": []},
            },
            {"type": 7, "id": new_uuid(self.rng)},
            {"no_type": True},
            self.user_message("a plain-string prompt", ts),  # may or may not count
        ]
        path = self.write(plan.id + ".jsonl", self.text(records[:2] + odd + records[2:]))
        expect = self.expected(info)
        expect["user_prompts_range"] = [expect.pop("user_prompts"), len(info.prompts) + 1]
        self.add(
            "odd_message_shapes",
            path,
            plan.id,
            True,
            "message null, no role, non-dict blocks, content as object / string, numeric type; "
            "the user message whose content is a plain string may or may not count",
            **expect,
        )

    def odd_timestamps(self) -> None:
        plan, records, info = self.session()
        messages = [r for r in records if r.get("type") == "message"]
        for rec, value in zip(
            messages[2:],
            [
                "2026-07-28T18:03:10Z",
                "2026-07-28T18:03:10.939+00:00",
                None,
                "not a date",
                1785000000000,
            ],
        ):
            if value is None:
                del rec["timestamp"]
            else:
                rec["timestamp"] = value
        path = self.write(plan.id + ".jsonl", self.text(records))
        self.add(
            "odd_timestamps",
            path,
            plan.id,
            True,
            "timestamps without millis, with +00:00, missing, garbage, numeric: none may crash",
            **self.expected(info),
        )

    def control_chars(self) -> None:
        """ANSI escapes / BEL / bidi overrides in a title and a prompt (terminal injection)."""
        plan, records, info = self.session()
        title = (
            "\x1b[2J\x1b[31mRED\x1b[0m\x07 \u202eevil\u202c\nsecond line\t[bold]markup[/bold]"
            " zero\u200bwidth \u2067rtl\u2069 \x9b31mC1 " + "W" * 5000
        )
        prefix = "\x1b]0;pwned\x07fix \u202etxt.exe\u202c [red]x[/red] "
        records[0]["title"] = title
        first = self.first_prompt(records)
        first["message"]["content"][0]["text"] = prefix + first["message"]["content"][0]["text"]
        prompts = [prefix + info.prompts[0]] + info.prompts[1:]
        path = self.write(plan.id + ".jsonl", self.text(records))
        self.add(
            "control_chars",
            path,
            plan.id,
            True,
            "ANSI escapes, BEL, bidi override, newline, 5000-char title: the display must sanitize",
            **self.expected(info, None, prompt_texts=[p[:200] for p in prompts], title=title),
        )

    def toplevel_visibility(self) -> None:
        plan, records, info = self.session()
        injected = self.user_message(
            [{"type": "text", "text": "injected context, not typed by the user"}],
            records[1]["timestamp"],
            visibility="llm_only",
        )
        path = self.write(plan.id + ".jsonl", self.text(records[:2] + [injected] + records[2:]))
        self.add(
            "toplevel_visibility",
            path,
            plan.id,
            True,
            "llm_only visibility at the record level on a non-context id: not a prompt",
            **self.expected(info),
        )

    def transcript_without_settings(self) -> None:
        plan, records, info = self.session()
        path = self.write(plan.id + ".jsonl", self.text(records), folder="")
        self.add(
            "transcript_without_settings",
            path,
            plan.id,
            True,
            "flat transcript, no settings: no token numbers; the model may be taken from "
            "the transcript's assistant messages",
            **self.expected(info, None, tokens=None, model_acceptable=[None, plan.model.id]),
        )

    def huge_line(self) -> None:
        def damage(records: list[dict]) -> str:
            block = {
                "type": "tool_result",
                "tool_use_id": "call_huge",
                "is_error": False,
                "content": pools().text("log", 50 * 1024 * 1024, self.rng),
            }
            big = self.user_message([block], records[-2]["timestamp"])
            return self.text(records[:-1] + [big] + records[-1:])

        self.damaged_transcript("huge_line", damage, "one ~50 MB tool_result line")

    # -- settings cases ---------------------------------------------------

    def bad_settings(self, case: str, make, note: str, acceptable, **over: Any) -> None:
        """A valid transcript beside broken settings; `acceptable(tokens)`: allowed readings."""
        plan, records, info = self.session()
        good = self.settings(plan, info)
        tokens = {k: good["tokenUsage"][k] for k in TOKEN_KINDS}
        path = self.write(plan.id + ".jsonl", self.text(records))
        settings_path = self.write(plan.id + ".settings.json", make(good))
        self.add(
            case,
            settings_path,
            plan.id,
            True,
            f"{note} (transcript: {path})",
            **self.expected(info, None, tokens_acceptable=acceptable(tokens), **over),
        )

    @staticmethod
    def with_token_values(fn):
        """A settings maker replacing every token value v by fn(v)."""

        def make(good: dict) -> str:
            bad = json.loads(json.dumps(good))
            for key in ("tokenUsage", "inclusiveTokenUsage"):
                bad[key] = {k: fn(v) for k, v in bad[key].items()}
            return settings_text(bad)

        return make

    def bad_settings_cases(self) -> None:
        zeros = dict.fromkeys(TOKEN_KINDS, 0)
        wrong_types = {
            "model": 42,
            "tokenUsage": "lots",
            "inclusiveTokenUsage": [],
            "effectiveFactoryRouterModel": 7,
            "assistantActiveTimeMs": "slow",
        }
        self.bad_settings(
            "settings_invalid_json",
            lambda g: settings_text(g)[: len(settings_text(g)) // 2],
            "settings cut in half: no token numbers",
            lambda t: [None],
            model_acceptable=[None, MODELS[1].id],  # the transcript's model may stand in
        )
        self.bad_settings(
            "settings_token_strings",
            self.with_token_values(str),
            'token values are strings like "1234"',
            lambda t: [None, t, zeros],
        )
        self.bad_settings(
            "settings_token_negative",
            self.with_token_values(lambda v: -abs(v) - 1),
            "negative token values: ignore them, never subtract",
            lambda t: [None, zeros],
        )
        self.bad_settings(
            "settings_token_null",
            self.with_token_values(lambda v: None),
            "null token values",
            lambda t: [None, zeros],
        )
        self.bad_settings(
            "settings_token_float",
            self.with_token_values(lambda v: v + 0.5),
            "float token values like 1234.5",
            lambda t: [None, t, zeros],
        )
        self.bad_settings(
            "settings_token_huge",
            self.with_token_values(lambda v: 1e30),
            "absurd token values (1e30)",
            lambda t: [None, zeros],
        )
        self.bad_settings(
            "settings_is_array",
            lambda g: settings_text([g]),
            "settings is a JSON array",
            lambda t: [None],
            model_acceptable=[None, MODELS[1].id],  # the transcript's model may stand in
        )
        self.bad_settings(
            "settings_wrong_types",
            lambda g: settings_text({**g, **wrong_types}),
            "model is a number, tokenUsage a string",
            lambda t: [None],
            model_acceptable=[None, MODELS[1].id],  # the transcript's model may stand in
        )

    def orphan_settings(self) -> None:
        plan, _, info = self.session()
        settings = self.settings(plan, info)
        path = self.write(plan.id + ".settings.json", settings_text(settings))
        self.add(
            "orphan_settings",
            path,
            plan.id,
            None,
            "settings with no transcript (deleted or never written)",
            tokens={k: settings["tokenUsage"][k] for k in TOKEN_KINDS},
            user_prompts=0,
        )

    def bak_only(self) -> None:
        plan, _, info = self.session()
        path = self.write(plan.id + ".settings.json.bak", settings_text(self.settings(plan, info)))
        self.add("bak_only", path, None, False, "a lone .settings.json.bak is not a session file")

    # -- file system cases ------------------------------------------------

    def non_uuid_names(self) -> None:
        plan, records, _ = self.session()
        body = self.text(records)  # a valid session whose id appears nowhere else
        for name in (
            "not-a-session.jsonl",
            plan.id + "-copy.jsonl",
            plan.id.upper() + ".jsonl.tmp",
            "notes.settings.json",
        ):
            path = self.write(name, body)
            self.add(
                "non_uuid_name", path, None, False, "not named <uuid>.jsonl / <uuid>.settings.json"
            )

    def directories_named_like_sessions(self) -> None:
        for name in (new_uuid(self.rng) + ".jsonl", new_uuid(self.rng) + ".settings.json"):
            folder = _rel(self.FOLDER, name)
            self.write("inner.txt", "I am a directory named like a session file\n", folder=folder)
            self.add("directory_named_like_session", folder, None, False, "a directory, not a file")

    def symlinks(self) -> None:
        root = self.w.root
        os.symlink("..", root / self.FOLDER / "parent-link", target_is_directory=True)
        self.add(
            "symlink_loop",
            _rel(self.FOLDER, "parent-link"),
            None,
            False,
            "dir symlink to its parent (loop)",
        )
        os.symlink(".", root / "loop-to-root", target_is_directory=True)
        self.add(
            "symlink_loop",
            "loop-to-root",
            None,
            False,
            "root-level symlink to the root: read as a project folder, it repeats flat sessions",
        )
        sid = new_uuid(self.rng)
        os.symlink(sid + ".jsonl", root / self.FOLDER / (sid + ".jsonl"))
        self.add(
            "symlink_loop",
            _rel(self.FOLDER, sid + ".jsonl"),
            sid,
            False,
            "a <uuid>.jsonl symlink pointing at itself (ELOOP on open/stat)",
        )
        os.symlink("..", root / "-mnt-external", target_is_directory=True)
        self.add(
            "symlink_outside",
            "-mnt-external",
            None,
            False,
            "root-level dir symlink to the root's parent (outside the sessions root)",
        )


    def unreadable_file_and_folder(self) -> None:
        """chmod 000 on a transcript (settings stay readable) and on a project folder.
        Root reads both anyway: the expectations allow either reading."""
        plan, records, info = self.session()
        settings = self.settings(plan, info)
        path = self.write(plan.id + ".jsonl", self.text(records))
        self.write(plan.id + ".settings.json", settings_text(settings))
        expect = self.expected(info, settings)
        expect["user_prompts_range"] = [0, expect.pop("user_prompts")]
        for key in ("prompt_texts", "cwd", "title"):
            expect.pop(key)
        self.add("unreadable_file", path, plan.id, True, "transcript chmod 000", **expect)
        os.chmod(self.w.root / path, 0)

        folder = "-home-mallory-locked"
        plan, records, info = self.session()
        settings = self.settings(plan, info)
        self.write(plan.id + ".jsonl", self.text(records), folder=folder)
        self.write(plan.id + ".settings.json", settings_text(settings), folder=folder)
        self.add(
            "unreadable_folder",
            folder,
            plan.id,
            None,
            "project folder chmod 000 holding a valid session: listed only if readable",
            **self.expected(info, settings),
        )
        os.chmod(self.w.root / folder, 0)


# --------------------------------------------------------------------------
# Orchestration


def write_sessions(
    writer: TreeWriter, plans: list[SessionPlan], seed: int, avg_kb: float, now_ms: int
) -> dict[str, dict]:
    """Phase 2: build and write every planned session; returns the manifest entries."""
    entries: dict[str, dict] = {}
    first_contexts: dict[int, tuple[dict, int]] = {}  # what a fork of that session copies
    first_ms: dict[int, int] = {}  # sub-agents start shortly after their caller
    planned_left = sum(p.target_bytes for p in plans if p.has_transcript)
    budget_left = sum(1 for p in plans if p.has_transcript) * avg_kb * 1024
    for plan in plans:
        rng = random.Random(f"{seed}/session/{plan.index}")
        info = None
        if plan.has_transcript:
            start = fork_source = parent_id = None
            if plan.parent is not None:
                fork_source = first_contexts[plan.parent]
                start = fork_source[1] + plan.offset_ms
                parent_id = plans[plan.parent].id
            elif plan.task_parent is not None and plan.task_parent in first_ms:
                start = first_ms[plan.task_parent] + plan.offset_ms
            # steer sizes so that the running total tracks the budget
            factor = min(4.0, max(0.25, budget_left / planned_left)) if planned_left > 0 else 1.0
            target = plan.huge_bytes + int((plan.target_bytes - plan.huge_bytes) * factor)
            info = TranscriptBuilder(plan, rng, now_ms, fork_source, start, parent_id).build(target)
            planned_left -= plan.target_bytes
            budget_left -= len(info.data)
            if info.first_context is not None:
                first_contexts[plan.index] = info.first_context
            if info.first_ms is not None:
                first_ms[plan.index] = info.first_ms
        settings = bak = None
        if plan.has_settings:
            settings = build_settings(plan, plans, info, rng, now_ms)
            bak = older_snapshot(settings, plan, rng) if plan.has_bak else None
        files = write_session(writer, plan, info, settings, bak, rng, now_ms)
        entries[plan.id] = manifest_entry(plan, info, settings, files, plans)
    return entries


def generate(
    output: Path,
    sessions: int,
    seed: int = 0,
    hostile: bool = False,
    avg_kb: float = 30,
    days: int = 120,
    now: datetime | None = None,
    *,
    huge: bool = False,
    unreadable: bool = False,
    hostile_favorites: bool = False,
) -> dict:
    """Write a session tree to `output` and return the manifest (also written there)."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise FileExistsError(f"output directory is not empty: {output}")
    output.mkdir(parents=True, exist_ok=True)
    now_ms = int((now or parse_now(None)).timestamp() * 1000)

    projects, plans = plan_sessions(sessions, seed, avg_kb, days, now_ms)
    writer = TreeWriter(output)
    entries = write_sessions(writer, plans, seed, avg_kb, now_ms)
    extras_rng = random.Random(f"{seed}/extras")
    favorites = write_favorites(writer, plans, extras_rng, now_ms)
    strays = write_strays(writer, projects, plans, extras_rng, now_ms)

    hostile_entries = HostileCorpus(writer, seed, now_ms, huge, unreadable).build() if hostile else []
    if hostile_favorites:
        writer.write(".favorites", '["' + plans[0].id + '", ' if plans else '["', now_ms - DAY_MS)
        hostile_entries.append(
            {
                "case": "favorites_invalid_json",
                "path": ".favorites",
                "session_id": None,
                "counted": False,
                "expect": {"favorites": []},
                "note": "unreadable favorites: no session is a favorite",
            }
        )
        for entry in entries.values():
            entry["favorite"] = False
        favorites = []

    manifest = {
        "generator": "tools/generate_sessions.py",
        "params": {
            "sessions": sessions,
            "seed": seed,
            "avg_kb": avg_kb,
            "days": days,
            "now": iso_ms(now_ms),
            "hostile": hostile,
            "huge": huge,
            "unreadable": unreadable,
            "hostile_favorites": hostile_favorites,
        },
        "sessions": entries,
        "totals": compute_totals(entries),
        "projects": _project_rows(projects, entries),
        "favorites": favorites,
        "stray_files": strays,
        "hostile": hostile_entries,
    }
    writer.write(MANIFEST_NAME, json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", now_ms)
    return manifest


def _project_rows(projects: list[Project], sessions: dict[str, dict]) -> list[dict]:
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Generate a deterministic fake ~/.factory/sessions tree."
    )
    ap.add_argument("--sessions", type=int, required=True, help="number of sessions")
    ap.add_argument(
        "--output", type=Path, required=True, help="sessions root to create (empty or absent)"
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hostile", action="store_true", help="add broken / adversarial files")
    ap.add_argument("--huge", action="store_true", help="with --hostile: add a ~50 MB line")
    ap.add_argument(
        "--unreadable",
        action="store_true",
        help="with --hostile: chmod 000 one transcript and one project folder",
    )
    ap.add_argument(
        "--hostile-favorites", action="store_true", help="write an invalid-JSON .favorites"
    )
    ap.add_argument("--avg-kb", type=float, default=30.0, help="average transcript size in KB")
    ap.add_argument("--days", type=int, default=120, help="spread sessions over this many days")
    ap.add_argument("--now", default=DEFAULT_NOW, help="the generator's current time (ISO 8601)")
    args = ap.parse_args(argv)
    if args.sessions < 0 or args.avg_kb <= 0 or args.days < 1:
        ap.error("--sessions must be >= 0, --avg-kb > 0 and --days >= 1")
    if (args.huge or args.unreadable) and not args.hostile:
        ap.error("--huge and --unreadable need --hostile")
    try:
        manifest = generate(
            args.output,
            args.sessions,
            seed=args.seed,
            hostile=args.hostile,
            avg_kb=args.avg_kb,
            days=args.days,
            now=parse_now(args.now),
            huge=args.huge,
            unreadable=args.unreadable,
            hostile_favorites=args.hostile_favorites,
        )
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    t = manifest["totals"]
    print(
        f"{t['sessions']} sessions in {t['projects']} projects, "
        f"{t['transcript_bytes'] / 1e6:.1f} MB of transcripts (avg {t['avg_transcript_kb']} KB), "
        f"{len(manifest['hostile'])} hostile files -> {args.output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
