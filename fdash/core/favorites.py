"""`<sessions root>/.favorites`: a JSON array of session ids, shared with droid.

Read tolerantly (a broken file is a warning and no favorites); written atomically,
keeping the ids it already holds — even of sessions that no longer exist — in order.
A file that cannot be parsed is never overwritten.
"""

from __future__ import annotations

import os

import orjson

from fdash.core.atomic import atomic_write
from fdash.core.models import Problem

FILE_NAME = ".favorites"


class FavoritesError(Exception):
    """The favorites file cannot be changed safely; the message is for the user."""


def favorites_path(root: str | os.PathLike[str]) -> str:
    return os.path.join(os.fspath(root), FILE_NAME)


def _parse(data: bytes) -> list[str]:
    ids = orjson.loads(data) if data.strip() else []
    if not isinstance(ids, list):
        raise ValueError(f"expected a JSON array, found {type(ids).__name__}")
    return [i for i in ids if isinstance(i, str)]


def load_favorites(root: str | os.PathLike[str], problems: list[Problem] | None = None) -> set[str]:
    path = favorites_path(root)
    try:
        with open(path, "rb") as handle:
            return {i.lower() for i in _parse(handle.read())}
    except FileNotFoundError:
        return set()
    except (OSError, ValueError) as exc:
        if problems is not None:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            problems.append(Problem(path, f"favorites ignored: {reason.splitlines()[0]}"))
        return set()


def set_favorite(root: str | os.PathLike[str], session_id: str, favorite: bool) -> set[str]:
    """Add or remove one id; returns the new set. Raises FavoritesError when unsafe."""
    path = favorites_path(root)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        ids = _parse(data)
    except FileNotFoundError:
        ids = []
    except OSError as exc:
        raise FavoritesError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise FavoritesError(f"{path} is not a JSON array of ids ({str(exc).splitlines()[0]}); left untouched") from None
    present = [i for i in ids if i.lower() == session_id.lower()]
    if favorite and not present:
        ids.append(session_id)
    elif not favorite and present:
        ids = [i for i in ids if i.lower() != session_id.lower()]
    else:
        return {i.lower() for i in ids}
    try:
        atomic_write(path, orjson.dumps(ids))
    except OSError as exc:
        raise FavoritesError(f"cannot write {path}: {exc.strerror or exc}") from None
    return {i.lower() for i in ids}
