"""The test corpus: a deterministic Factory Droid session history with its ground truth.

The realistic sessions come from `fdash.demo` (what fdash shows a new user as demo
data); this package adds what only tests and benchmarks need: stray files a scanner
must ignore, the hostile cases, and a manifest holding the ground truth: what a
correct scanner must report.

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

Library use (with the repository's root on sys.path, as in the tests)::

    from tools.sessiongen import generate
    manifest = generate(Path(out), sessions=100, seed=1)

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
      cwd, title (title; sessionTitle only where title is empty or a sub-agent's
      handoff, never "New Session"), folder, group,
      model (as written in settings), resolved_model (auto -> effective model),
      tokens {inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens,
      thinkingTokens} from tokenUsage, factory_credits, inclusive_tokens,
      children (sub-agent ids named in childInclusiveTokenUsageBySessionId),
      assistant_active_time_ms, user_prompts (a sub-agent's handoff is not one),
      prompt_texts (cleaned, <= 200 chars each), first_ts / last_ts (min / max
      record timestamp; a fork's copy of its parent's record does not count, nor
      in message_count), message_count, favorite, empty (no prompt, not a sub-agent),
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

A "user prompt" follows docs/FORMAT.md: role user, no visibility llm_only /
user_only, id not starting "context-", and a text block that is non-empty after
removing <system-reminder>...</system-reminder> spans and stripping. The
generator counts the prompts it *intends* (it never re-parses its output).

Modules: generate (`generate`: the whole run), strays, hostile, hostile_kit and
hostile_transcripts (the --hostile corpus), manifest (the ground truth), cli (`main`).
The realistic sessions: see fdash/demo/__init__.py.
"""

from __future__ import annotations

from fdash.demo.primitives import DEFAULT_NOW, parse_now
from fdash.demo.projects import encode_cwd

from .cli import main
from .generate import generate
from .hostile import HostileCorpus
from .manifest import MANIFEST_NAME

__all__ = [
    "DEFAULT_NOW",
    "MANIFEST_NAME",
    "HostileCorpus",
    "encode_cwd",
    "generate",
    "main",
    "parse_now",
]
