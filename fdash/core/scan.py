"""Find the session files under a sessions root, in both of Droid's layouts.

The old layout keeps `<uuid>.jsonl` / `<uuid>.settings.json` flat in the root; since
droid v0.26.7 they sit in one folder per working directory. The same id can exist in
both: it is counted once (the project-folder copy wins, then the newer transcript).
Everything that is not a session file is ignored; symlinked folders are not followed
(a warning says so); what cannot be read becomes a `Problem`, never an exception.
"""

from __future__ import annotations

import os
import re
import stat
import time
from typing import NamedTuple

from fdash.core.problems import Problem
from fdash.core.regular import read_regular

# Droid's keys in a settings file's `tokenUsage`, in the order of models.TOKEN_KINDS
DROID_TOKEN_KEYS = ("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "thinkingTokens")
# A session id (a UUID, any case); used with fullmatch: `$` would also accept a name
# ending in a newline.
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
SESSION_FILE = re.compile(rf"({UUID.pattern})\.(jsonl|settings\.json)")  # a session's file name (fullmatch)


class FileStat(NamedTuple):
    """Enough of a stat to know whether a file changed (the index's key)."""

    path: str
    size: int
    mtime_ns: int
    inode: int


class SessionFiles(NamedTuple):
    """The files of one session id, after choosing between duplicate copies."""

    id: str
    folder: str  # "" for the flat layout
    transcript: FileStat | None
    settings: FileStat | None
    root: str = ""  # the sessions folder it came from, when several are read together


_FORMAT, _REGULAR = stat.S_IFMT(0o177777), stat.S_IFREG  # st_mode & _FORMAT == _REGULAR: a regular file


class ScanResult(NamedTuple):
    sessions: tuple[SessionFiles, ...]
    problems: tuple[Problem, ...]
    duplicates: int  # ids seen in more than one place and counted once
    # what a later run can check instead of scanning again (`still`): (when the scan
    # began, each folder listed with its mtime before listing, the names of the session
    # files in each, and their sizes, mtimes and inodes, three numbers a file, flat: compact
    # to store and to load; the duplicates); () when the scan found problems
    listing: tuple = ()


def _list_dir(path: str, problems: list[Problem], folders: list | None = None) -> list[os.DirEntry[str]]:
    try:
        if folders is not None:
            folders.append((path, os.stat(path).st_mtime_ns))  # before listing: a change after it shows
        with os.scandir(path) as it:
            return list(it)
    except OSError as exc:
        problems.append(Problem(path, f"cannot list folder: {exc.strerror or exc}"))
        return []


def scan(root: str | os.PathLike[str]) -> ScanResult:
    """List every session under `root`. `root` must be an existing directory.

    One `stat` per session file, nothing per other file, and as little Python per file
    as can be: this runs on every start, warm ones included (6,000 sessions: ~20 ms)."""
    root = os.fspath(root)
    began = time.time_ns()
    problems: list[Problem] = []
    folders: list[tuple[str, int]] = []
    names: list[list[str]] = []  # per folder listed
    keys: list[int] = []
    first: dict[str, list] = {}  # id -> [folder, transcript, settings] of where it was first seen
    more: dict[str, dict[str, dict[str, FileStat]]] = {}  # id -> folder -> kind -> file, when in several
    match, stat_, new = SESSION_FILE.fullmatch, os.stat, tuple.__new__  # (looked up once)

    def visit(folder: str, entries: list[os.DirEntry[str]]) -> list[os.DirEntry[str]]:
        """Note the session files among `entries`; returns the others."""
        others = []
        here: list[str] = []
        names.append(here)
        for entry in entries:
            m = match(entry.name)
            if m is None:
                others.append(entry)
                continue
            path = entry.path
            try:
                st = stat_(path)  # a symlink to a file is followed
            except OSError as exc:
                problems.append(Problem(path, f"cannot stat: {exc.strerror or exc}"))
                continue
            if st.st_mode & _FORMAT != _REGULAR:
                problems.append(Problem(path, "named like a session file but is not a regular file"))
                continue
            here.append(entry.name)
            keys.extend((st.st_size, st.st_mtime_ns, st.st_ino))
            found = new(FileStat, (path, st.st_size, st.st_mtime_ns, st.st_ino))
            sid, kind = m[1].lower(), m[2]
            seen = first.get(sid)
            if seen is None:
                first[sid] = [folder, found, None] if kind == "jsonl" else [folder, None, found]
            elif seen[0] == folder and sid not in more:
                seen[1 if kind == "jsonl" else 2] = found
            else:
                places = more.setdefault(sid, {seen[0]: {k: f for k, f in (("jsonl", seen[1]),
                                                                       ("settings.json", seen[2])) if f}})
                places.setdefault(folder, {})[kind] = found
        return others

    for entry in visit("", _list_dir(root, problems, folders)):
        if _is_real_dir(entry, problems):
            visit(entry.name, _list_dir(entry.path, problems, folders))
    sessions = [
        _choose(sid, more[sid], problems) if sid in more else SessionFiles(sid, *first[sid])
        for sid in sorted(first)
    ]
    listing = () if problems or len(names) != len(folders) else (
        began, tuple(folders), tuple(map(tuple, names)), tuple(keys), len(more))
    return ScanResult(tuple(sessions), tuple(problems), len(more), listing)


RACY_NS = 2_000_000_000  # a file or folder changed this close to a scan may change again unseen
# (its mtime is as coarse as the file system's clock: up to 2 s on FAT, 1 s on some others)


def still(listing: tuple) -> bool:
    """Whether a scan now would find what `listing` (ScanResult.listing) says: no folder's
    mtime moved (no file added, removed or renamed), none had changed within RACY_NS of
    that scan, and every session file has the same size, mtime and inode. One stat per
    file and folder, nothing else: how a warm start that finds nothing changed begins."""
    if not listing:
        return False
    began, folders, names, keys, _duplicates = listing
    settled_ns = began - RACY_NS
    if max(keys[1::3], default=0) >= settled_ns:
        return False
    stat_, sep = os.stat, os.sep
    at = 0
    try:
        for (folder, mtime), here in zip(folders, names):
            now = stat_(folder).st_mtime_ns
            if now != mtime or now >= settled_ns:
                return False
            base = folder + sep
            for name in here:
                st = stat_(base + name)
                if st.st_size != keys[at] or st.st_mtime_ns != keys[at + 1] or st.st_ino != keys[at + 2]:
                    return False
                at += 3
    except OSError:
        return False
    return True


def found_again(listing: tuple, rows: dict[str, int], folders: list, transcripts: list,
                settings: list) -> ScanResult | None:
    """What a scan would find again when `listing` is `still`: the sessions the index holds
    (`rows`: id → row; their folders and file keys, as stored) with their files' paths
    from the listing — the file of a row's id, kind and key (a transcript in the row's
    folder). None when a row's file is not there (then scan)."""
    _began, listed, names, keys, duplicates = listing
    paths: list = [None] * (2 * len(folders))  # a row's transcript, then its settings
    at = 0
    for number, ((folder, _mtime), here) in enumerate(zip(listed, names)):
        base = folder if folder.endswith(os.sep) else folder + os.sep  # as os.path.join, DirEntry.path
        folder_name = os.path.basename(folder) if number else ""  # the root is listed first
        for name in here:
            row = rows.get(name[:36].lower())  # the scan that listed it matched SESSION_FILE
            key = keys[at : at + 3]
            at += 3
            if row is None:
                return None
            if name[37:] == "jsonl":
                if transcripts[row] == key and folders[row] == folder_name:
                    paths[2 * row] = base + name
            elif settings[row] == key and (paths[2 * row + 1] is None or folders[row] == folder_name):
                paths[2 * row + 1] = base + name
    sessions = []
    new = tuple.__new__
    for sid, row in rows.items():
        t, st, t_path, s_path = transcripts[row], settings[row], paths[2 * row], paths[2 * row + 1]
        if (t and t_path is None) or (st and s_path is None):
            return None
        sessions.append(new(SessionFiles, (sid, folders[row], t_path and new(FileStat, (t_path, *t)),
                                            s_path and new(FileStat, (s_path, *st)), "")))
    return ScanResult(tuple(sessions), (), duplicates, listing)


def settled(listing: tuple) -> bool:
    """Every folder and file of `listing` had last changed RACY_NS before its scan."""
    if not listing:
        return False
    began, folders, _names, keys, _duplicates = listing
    return max((m for _f, m in folders), default=0) < began - RACY_NS and max(keys[1::3], default=0) < began - RACY_NS


def merge(results: list[tuple[str, ScanResult]]) -> ScanResult:
    """Several sessions folders (e.g. copies from several machines) as one: each id once,
    the copy chosen as within one folder (a transcript, a project folder, the newest)."""
    if len(results) == 1:
        return results[0][1]
    chosen: dict[str, SessionFiles] = {}
    duplicates = 0
    problems: list[Problem] = []
    for root, result in results:
        problems += result.problems
        duplicates += result.duplicates
        for files in result.sessions:
            files = files._replace(root=root)
            other = chosen.get(files.id)
            if other is None:
                chosen[files.id] = files
                continue
            duplicates += 1
            if _rank(files) > _rank(other):
                chosen[files.id] = files
    sessions = sorted(chosen.values(), key=lambda f: f.id)
    return ScanResult(tuple(sessions), tuple(problems), duplicates)


def _rank(files: SessionFiles) -> tuple[bool, bool, int]:
    newest = files.transcript or files.settings
    return (files.transcript is not None, files.folder != "", newest.mtime_ns if newest else 0)


def _is_real_dir(entry: os.DirEntry[str], problems: list[Problem]) -> bool:
    """A directory that is not a symlink (symlinked folders are not followed: they can
    loop, or lead outside the sessions root)."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return True
        if entry.is_symlink() and entry.is_dir():
            problems.append(Problem(entry.path, "a symbolic link to a folder; not followed"))
    except OSError as exc:
        problems.append(Problem(entry.path, f"cannot stat: {exc.strerror or exc}"))
    return False


def _choose(sid: str, places: dict[str, dict[str, FileStat]], problems: list[Problem]) -> SessionFiles:
    """Pick one copy of a session. Evidence first: droid's token totals only grow, so of
    copies whose settings differ, the one with the larger totals is the current one
    (copies that contradict each other are warned about). Then a copy with a transcript,
    a project folder over the flat root, the newest."""
    if len(places) == 1:
        (folder, files), = places.items()
        return SessionFiles(sid, folder, files.get("jsonl"), files.get("settings.json"))
    totals = _current_by_totals(places, problems)

    def rank(folder: str) -> tuple[bool, bool, bool, int]:
        files = places[folder]
        transcript = files.get("jsonl")
        return (
            folder in totals,
            transcript is not None,
            folder != "",
            transcript.mtime_ns if transcript else files["settings.json"].mtime_ns,
        )

    best = max(places, key=rank)
    transcript = places[best].get("jsonl")
    settings = places[best].get("settings.json")
    if settings is None:  # a settings file kept in another place still belongs to it
        others = [places[f]["settings.json"] for f in places if "settings.json" in places[f]]
        settings = max(others, key=lambda s: s.mtime_ns) if others else None
    return SessionFiles(sid, best, transcript, settings)


def _totals(st: FileStat) -> tuple[int, ...] | None:
    """The tokenUsage of a settings copy (a few KB, read only when copies compete)."""
    import orjson  # noqa: PLC0415 (only when copies compete: not on a warm start's way)

    try:
        doc = orjson.loads(read_regular(st.path, limit=1024 * 1024))
    except (OSError, ValueError):
        return None
    usage = doc.get("tokenUsage") if isinstance(doc, dict) else None
    if not isinstance(usage, dict):
        return None
    values = tuple(usage.get(k) for k in DROID_TOKEN_KEYS)
    return values if all(isinstance(v, int) and not isinstance(v, bool) for v in values) else None


def _current_by_totals(places: dict[str, dict[str, FileStat]], problems: list[Problem]) -> set[str]:
    """The folders holding the copy whose token totals cover every other copy's, when
    copies differ; empty when they agree or cannot be read (then the usual order decides)."""
    found = {f: t for f in places if "settings.json" in places[f] and (t := _totals(places[f]["settings.json"]))}
    if len(set(found.values())) < 2:
        return set()
    covering = {f for f, t in found.items() if all(all(a >= b for a, b in zip(t, u)) for u in found.values())}
    if not covering:
        paths = ", ".join(sorted(places[f]["settings.json"].path for f in found))
        problems.append(Problem(paths, "copies of one session disagree (neither holds the other's tokens); "
                                "the newest copy is counted"))
    return covering
