"""Realistic, deterministic Factory Droid session histories: the demo data fdash shows a
new user who has no sessions yet (and the sessions of the test corpus, tools/sessiongen).

`write_history(output, sessions, seed)` writes a `~/.factory/sessions`-like tree:
transcripts and settings in both of Droid's layouts (a few sessions in both, the flat
copy older), settings `.bak` snapshots, forks, sub-agents, empty sessions, archived
ones, `auto` and custom (BYOK) models, and a .favorites. Same arguments, same bytes;
the clock is never read (`now` defaults to a fixed moment, `parse_now`).

Modules (in the order a run uses them)
  primitives     time units, timestamp format, seeded ids, random picks
  vocabulary, text_pools, phrases   words, filler text pools, fixed conversation texts
  model_catalog, projects           the models and the working directories
  plans          phase 1: kinds, links, times, models, sizes, token usage
  transcript, assistant_messages    phase 2: one session's records
  settings       the .settings.json sidecar and its .bak
  layout         files on disk: both layouts, mtimes, .favorites
  history        `write_history`: the whole run
"""

from __future__ import annotations

from .history import History, write_history

__all__ = ["History", "write_history"]
