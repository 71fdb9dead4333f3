"""Untrusted text (titles, prompts, paths, model names) made safe to put on the screen.

`fdash.core.text` removes escape sequences and invisible controls; on top of that the
screen needs every character to have one width everywhere (prompt_toolkit's layout, Rich's
padding and the terminal must agree, or rows shift and leave debris). No UI imports.
"""

from __future__ import annotations

import re

from fdash.core.text import clean, one_line

# Characters whose width prompt_toolkit, Rich and terminals disagree on: variation
# selectors (⚠️ is 1 cell to wcwidth, 2 to Rich and to most terminals), emoji skin-tone
# modifiers, tag characters, soft hyphen, combining grapheme joiner. Regional indicators
# (flags) become their letters.
_AMBIGUOUS = re.compile(
    "[\ufe00-\ufe0f\u00ad\u034f\U000e0000-\U000e007f\U000e0100-\U000e01ef\U0001f3fb-\U0001f3ff]"
)
_FLAGS = re.compile("[\U0001f1e6-\U0001f1ff]")


def _settle(text: str) -> str:
    text = _AMBIGUOUS.sub("", text)
    if "\U0001f1e6" <= max(text, default=" "):
        text = _FLAGS.sub(lambda m: chr(ord(m.group()) - 0x1F1E6 + ord("A")), text)
    return text


def plain(text: str | None, limit: int | None = None) -> str:
    """Untrusted text on one line, safe and of one width everywhere."""
    return _settle(one_line(text, limit))


def block(text: str | None) -> str:
    """Untrusted multi-line text (line breaks kept), safe and of one width everywhere."""
    return _settle(clean(text)).replace("\t", "    ")
