"""Everything fdash knows about a sessions folder (or several merged), seen through the
user's config."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from pathlib import Path

from attrs import evolve, frozen

from fdash.core.config import Config, price_book
from fdash.core.favorites import load_favorites
from fdash.core.grouping import Grouper
from fdash.core.models import TOKEN_KINDS, Entry, Problem, Session, TokenUsage
from fdash.core.paths import unreadable
from fdash.core.scan import ScanResult, found_again, merge, scan, still
from fdash.core.text import one_line

Progress = Callable[[int, int], None]  # (done, total); may raise (e.g. Cancelled) to stop


class Cancelled(Exception):
    """Raised by a progress callback to stop loading (nothing is written to the index)."""


class SessionsDirError(Exception):
    """The sessions root is missing or not a folder; the message is for the user."""


@frozen
class Catalog:
    root: Path  # the (first) sessions folder
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    duplicates: int = 0  # ids found in both layouts (or several folders), counted once
    demo: bool = False  # generated demo data, not the user's history
    roots: tuple[Path, ...] = ()  # every folder read, when several were merged

    def root_of(self, entry: Entry) -> Path:
        """The sessions folder holding this session (where its favorite mark is kept)."""
        return Path(entry.session.source) if entry.session.source else self.root

    def by_id(self, session_id: str) -> Entry | None:
        for entry in self.entries:
            if entry.session.id == session_id:
                return entry
        return None


class Preload:
    """A catalog read started at once on its own thread (the app's first read runs while
    prompt_toolkit is being imported); `result()` waits for it. The reader may take over
    its progress reports (`forward`) and stop it (`cancel`)."""

    def __init__(self, read: Callable[[Progress], Catalog]) -> None:
        self.forward: Progress | None = None
        self._cancelled = threading.Event()
        self._done = threading.Event()
        self._outcome: tuple[Catalog | None, BaseException | None] = (None, None)
        threading.Thread(target=self._run, args=(read,), name="fdash-preload", daemon=True).start()

    def _run(self, read: Callable[[Progress], Catalog]) -> None:
        try:
            self._outcome = (read(self._progress), None)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the result
            self._outcome = (None, exc)
        finally:
            self._done.set()

    def _progress(self, done: int, total: int) -> None:
        if self._cancelled.is_set():
            raise Cancelled()
        if self.forward is not None:
            self.forward(done, total)

    def result(self) -> Catalog:
        self._done.wait()
        catalog, error = self._outcome
        if error is not None:
            raise error
        return catalog

    def cancel(self) -> None:
        self._cancelled.set()


def check_root(root: str | os.PathLike[str], origin: str = "") -> Path:
    """`root` if it is a folder fdash can list; else SessionsDirError saying why (missing,
    not a folder and unreadable are the same kind of answer: exit code 2)."""
    path = Path(root)
    shown = one_line(str(path)) + (f" ({origin})" if origin else "")
    if not path.exists():
        raise SessionsDirError(f"sessions folder {shown} does not exist")
    if not path.is_dir():
        raise SessionsDirError(f"sessions folder {shown} is not a folder")
    why = unreadable(path)
    if why is not None:
        raise SessionsDirError(f"cannot read sessions folder {shown}: {why}")
    return path


def subagent_parents(sessions: list[Session]) -> dict[str, str]:
    """child id → parent id, from either side: the parent's settings
    (`childInclusiveTokenUsageBySessionId`), the child's own first line
    (`session_start.callingSessionId`) or its settings' `subagent` tag. Only parents that
    are sessions here count (a sub-agent whose parent is gone stays unlinked, though its
    title and tag show what it is)."""
    known = {s.id for s in sessions}
    parents = {child: s.id for s in sessions for child in s.child_ids if child in known and child != s.id}
    for s in sessions:
        named = s.calling_session_id or s.tagged_parent_id
        if named and named in known and named != s.id:
            parents.setdefault(s.id, named)
    return parents


def subtract_inherited(sessions: list[Session]) -> list[Session]:
    """A session droid's /compress started carries its parent's totals in its own
    `tokenUsage` (and credits): each is counted once, in the parent. Its own part is its
    totals less its parent's as recorded (never below 0; if the parent went on after the
    compaction, its later tokens are subtracted too: a warning-free under-count, rare)."""
    raw = {s.id: s for s in sessions}
    fixed = []
    for s in sessions:
        parent = raw.get(s.parent_id) if s.inherits_tokens and s.parent_id else None
        if parent is None or parent.tokens is None or s.tokens is None:
            fixed.append(s)
            continue
        own = TokenUsage(*(max(0, getattr(s.tokens, k) - getattr(parent.tokens, k)) for k in TOKEN_KINDS))
        credits = s.credits
        if credits is not None and parent.credits is not None:
            credits = max(0.0, credits - parent.credits)
        fixed.append(evolve(s, tokens=own, credits=credits))
    return fixed


def adopt_orphans(sessions: list[Session]) -> list[Session]:
    """A settings file without a transcript in a project folder names no cwd: it belongs
    to the cwd its folder's other sessions carry (the most common one), not to a
    project named after the encoded folder."""
    by_folder: dict[str, dict[str, int]] = {}
    for s in sessions:
        if s.folder and s.cwd:
            counts = by_folder.setdefault(s.folder, {})
            counts[s.cwd] = counts.get(s.cwd, 0) + 1
    if not by_folder:
        return sessions
    adopted = []
    for s in sessions:
        counts = by_folder.get(s.folder) if s.transcript_path is None and s.folder else None
        adopted.append(evolve(s, folder_cwd=max(counts, key=lambda c: (counts[c], c))) if counts else s)
    return adopted


def make_entries(sessions: list[Session], config: Config, favorites: set[str]) -> tuple[Entry, ...]:
    """Attach group, cost, favorite mark and sub-agent parent to sessions (cheap; redone
    when the config changes)."""
    book = price_book(config)
    grouper = Grouper(config.grouping.rules)
    parents = subagent_parents(sessions)
    return tuple(
        Entry(s, grouper.group_of(s.project), book.cost(s), s.id in favorites, parents.get(s.id))
        for s in sessions
    )


def load_catalog(
    root: str | os.PathLike[str],
    config: Config,
    *,
    use_index: bool = True,
    demo: bool = False,
    progress: Progress | None = None,
    more_roots: tuple[str | os.PathLike[str], ...] = (),
) -> Catalog:
    """Scan `root` (and `more_roots`, merged: each session id once) and read every session
    through the persistent index (one per folder) unless told not to."""
    # Loading creates a few objects per session and keeps all of them: the cyclic garbage
    # collector would rescan them again and again for nothing (a third of a warm start).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(root, config, use_index, demo, progress, more_roots)
    finally:
        if collecting:
            gc.enable()


def _load(root, config: Config, use_index: bool, demo: bool, progress, more_roots) -> Catalog:
    paths = [check_root(r) for r in (root, *more_roots)]
    paths = list(dict.fromkeys(p.resolve() for p in paths)) if more_roots else paths
    several = len(paths) > 1
    from fdash.core.index import Index  # noqa: PLC0415 (keeps start-up light)

    indexes: dict[Path, Index] = {}
    again = None if several or not use_index else _found_again(paths[0], indexes)
    if again is not None:  # nothing changed since the index was written: no scan
        scans = [("", again)]
    else:
        # The indexes are decoded in a thread while the folders are scanned: stat() calls
        # release the interpreter, so the two overlap.
        loader = threading.Thread(
            target=lambda: indexes.update((p, Index(p, fresh=not use_index)) for p in paths if p not in indexes))
        loader.start()
        try:
            scans = [(str(p) if several else "", scan(p)) for p in paths]
        finally:
            loader.join()
    result = merge(scans)
    problems = list(result.problems)
    for path, (_key, found) in zip(paths, scans):
        if not found.sessions and not found.problems:  # a wrong folder (`/`, a typo'd copy)?
            problems.append(Problem(str(path), "no droid session files (<id>.jsonl) in this folder"))
    sessions = []
    for path in paths:
        mine = [f for f in result.sessions if f.root == (str(path) if several else "")]
        index = indexes[path]
        try:
            sessions += index.read_all(mine, problems, progress, () if several else result.listing)
        finally:
            unsaved = index.save()
        if unsaved is not None:
            problems.append(unsaved)
    favorites = set()
    for path in paths:
        favorites |= load_favorites(path, problems)
    entries = make_entries(adopt_orphans(subtract_inherited(sessions)), config, favorites)
    return Catalog(paths[0], entries, tuple(problems), result.duplicates, demo, tuple(paths) if several else ())


def _found_again(root: Path, indexes: dict) -> ScanResult | None:
    """What the scan of `root` would find, from its index when nothing changed since it
    was written (`scan.still`: a stat per file and folder instead of a scan); None else."""
    from fdash.core.index import Index  # noqa: PLC0415
    from fdash.core.indexfile import listing  # noqa: PLC0415

    index = indexes[root] = Index(root)
    stored = index.stored
    if stored is None or len(stored.rows) != len(stored.columns["id"]):
        return None
    found = listing(stored)
    if not still(found):
        return None
    columns = stored.columns
    return found_again(found, stored.rows, columns["folder"], columns["transcript"], columns["settings"])


def with_config(catalog: Catalog, config: Config) -> Catalog:
    """The same sessions seen through a changed config (no re-reading)."""
    sessions = [e.session for e in catalog.entries]
    favorites = {e.session.id for e in catalog.entries if e.favorite}
    return evolve(catalog, entries=make_entries(sessions, config, favorites))
