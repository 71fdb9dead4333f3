"""JSON values read leniently: bad UTF-8 repaired, errors summed up on one line."""

from __future__ import annotations

import orjson


def loads_lenient(data: bytes) -> tuple[object, bool]:
    """(decoded JSON, whether invalid UTF-8 had to be replaced); raises JSONDecodeError
    with the error of the original bytes when even the repaired text is not JSON."""
    try:
        return orjson.loads(data), False
    except orjson.JSONDecodeError as exc:
        try:
            return orjson.loads(data.decode("utf-8", "replace")), True
        except orjson.JSONDecodeError:
            raise exc from None


def text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def error_summary(exc: Exception) -> str:
    return str(exc).split("\n")[0][:120]
