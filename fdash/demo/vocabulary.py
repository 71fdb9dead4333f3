"""Words and line templates that fill prompts, titles, code and logs.

`fill` replaces {placeholders} in a template with random picks from the vocabulary.
"""

from __future__ import annotations

import random
import re


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


def fill(template: str, rng: random.Random, memo: dict | None = None) -> str:
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
