"""`<sessions root>/.favorites`: a JSON array of session ids, shared with droid.

Read tolerantly (a broken file is a warning and no favorites); written atomically,
keeping the ids it already holds — even of sessions that no longer exist — in order.
A file that cannot be parsed is never overwritten, and one that droid changed while we
were editing it is read again (never clobbered).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from fdash.core.atomic import ChangedUnderneath, atomic_write, unchanged
from fdash.core.lock import LockTimeout, locked
from fdash.core.problems import Problem
from fdash.core.regular import read_regular

FILE_NAME = ".favorites"


class FavoritesError(Exception):
    """The favorites file cannot be changed safely; the message is for the user."""


def favorites_path(root: str | os.PathLike[str]) -> str:
    return os.path.join(os.fspath(root), FILE_NAME)


def _orjson_loads(data: bytes):
    import orjson  # noqa: PLC0415 (a warm `stats` parses with the standard library, see fdash.core.quick)

    return orjson.loads(data)


def _parse(data: bytes | None, loads: Callable[[bytes], object] = _orjson_loads) -> list:
    """The array as written (items that are not ids are kept, and ignored)."""
    items = loads(data) if data is not None and data.strip() else []
    if not isinstance(items, list):
        raise ValueError(f"expected a JSON array, found {type(items).__name__}")
    return items


def _ids(items: list) -> set[str]:
    return {i.lower() for i in items if isinstance(i, str)}


def _read(path: str) -> bytes | None:
    """The file's bytes; None when there is none."""
    try:
        return read_regular(path)
    except FileNotFoundError:
        return None


def load_favorites(root: str | os.PathLike[str], problems: list[Problem] | None = None,
                   loads: Callable[[bytes], object] = _orjson_loads) -> set[str]:
    """The ids in `.favorites` (none, and a warning, when it cannot be read); `loads`
    decodes JSON (orjson's rules: a decoder that might decide otherwise raises something
    other than ValueError)."""
    path = favorites_path(root)
    try:
        return _ids(_parse(_read(path), loads))
    except (OSError, ValueError) as exc:
        if problems is not None:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            problems.append(Problem(path, f"favorites ignored: {reason.splitlines()[0]}"))
        return set()


def set_favorite(root: str | os.PathLike[str], session_id: str, favorite: bool, attempts: int = 5) -> set[str]:
    """Add or remove one id; returns the new set. Raises FavoritesError when unsafe."""
    path = favorites_path(root)
    try:
        with locked(path):  # another fdash starring at the same time waits its turn
            for _ in range(attempts):
                try:
                    return _set_once(path, session_id, favorite)
                except ChangedUnderneath:  # droid (which takes no lock) wrote it meanwhile
                    continue
    except LockTimeout as exc:
        raise FavoritesError(f"{path}: {exc.strerror}; try again") from None
    raise FavoritesError(f"{path} kept changing while saving; try again")


def set_favorite_in(
    roots: Sequence[str | os.PathLike[str]], home: str | os.PathLike[str], session_id: str, favorite: bool
) -> set[str]:
    """Star or un-star a session of several merged sessions folders, where a mark in any
    folder's `.favorites` counts: a star goes to the session's own folder (`home`); a
    removal is made in every folder that holds the id (else the next read would bring
    it back). Returns the favorites of all the folders after the change."""
    if favorite:
        set_favorite(home, session_id, True)
    else:
        for root in roots:
            if os.fspath(root) == os.fspath(home) or session_id.lower() in load_favorites(root):
                set_favorite(root, session_id, False)
    found: set[str] = set()
    for root in roots:
        found |= load_favorites(root)
    return found


def _set_once(path: str, session_id: str, favorite: bool) -> set[str]:
    try:
        data = _read(path)
        items = _parse(data)
    except OSError as exc:
        raise FavoritesError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        reason = str(exc).splitlines()[0]
        raise FavoritesError(f"{path} is not a JSON array of ids ({reason}); left untouched") from None
    key = session_id.lower()
    present = key in _ids(items)
    if favorite and not present:
        items.append(session_id)
    elif not favorite and present:
        items = [i for i in items if not (isinstance(i, str) and i.lower() == key)]
    else:
        return _ids(items)
    try:
        import orjson  # noqa: PLC0415

        atomic_write(path, orjson.dumps(items), before_replace=unchanged(path, data))
    except OSError as exc:
        raise FavoritesError(f"cannot write {path}: {exc.strerror or exc}") from None
    return _ids(items)
