"""Fixed texts of a conversation: prompts and their titles, follow-ups, manual titles,
injected <system-reminder> blocks, host notices and the assistant's sentences."""

from __future__ import annotations

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
