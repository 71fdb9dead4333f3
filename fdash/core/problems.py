"""`Problem`: something fdash could not read as expected (no attrs: the warm start's
modules use it without importing the models)."""

from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """Something fdash could not read as expected: shown as a warning, never raised."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
