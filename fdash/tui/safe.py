"""Untrusted text (titles, prompts, paths, model names) made safe to put on the screen.

`fdash.core.text` removes escape sequences, invisible controls and characters whose
width prompt_toolkit, Rich and terminals disagree on; here tabs become spaces too.
"""

from __future__ import annotations

from fdash.core.text import clean, one_line


def plain(text: str | None, limit: int | None = None) -> str:
    """Untrusted text on one line, safe and of one width everywhere."""
    return one_line(text, limit)


def block(text: str | None) -> str:
    """Untrusted multi-line text (line breaks kept), safe and of one width everywhere."""
    return clean(text).replace("\t", "    ")
