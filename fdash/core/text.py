"""Untrusted text (titles, prompts, paths, model names) made safe to show.

Terminal escape sequences (CSI, OSC, DCS…), other C0/C1 control characters, bidi
overrides and zero-width characters are removed; line breaks and tabs become spaces
in one-line contexts. Undecodable bytes in file names (Python's surrogate escapes)
become U+FFFD, so the text can always be encoded as UTF-8 (`utf8_safe`).

Rich markup is not a concern here: views always build `rich.text.Text` objects, which
never interpret `[bold]`. Never pass file text to `console.print(str)`, `Table.add_row(str)`
or an f-string inside markup: those parse `[...]`.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC … BEL/ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC … ST
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c]*(?:\x07|\x9c)?"  # 8-bit OSC
)
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\u2028\u2029]+")


def utf8_safe(text: str) -> str:
    """`text` with lone surrogates (undecodable bytes of a file name) as U+FFFD."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")  # C speed; only lone surrogates fail
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


# Characters whose width prompt_toolkit, Rich and terminals disagree on: variation
# selectors (⚠️ is 1 cell to wcwidth, 2 to Rich and to most terminals), emoji skin-tone
# modifiers, tag characters, soft hyphen, combining grapheme joiner. Regional indicators
# (flags) become their letters. Removing them keeps table rows aligned everywhere.
_AMBIGUOUS = re.compile(
    "[\ufe00-\ufe0f\u00ad\u034f\U000e0000-\U000e007f\U000e0100-\U000e01ef\U0001f3fb-\U0001f3ff]"
)
_FLAGS = re.compile("[\U0001f1e6-\U0001f1ff]")


def clean(text: str | None) -> str:
    """Text with escape sequences, invisible controls and characters of disputed width
    removed; line breaks kept."""
    if not text:
        return ""
    text = utf8_safe(text)
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPE.sub("", text)
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.isascii():
        text = _AMBIGUOUS.sub("", text)
        if "\U0001f1e6" <= max(text, default=" "):
            text = _FLAGS.sub(lambda m: chr(ord(m.group()) - 0x1F1E6 + ord("A")), text)
    return text


def notice(message: str) -> str:
    """A message for the terminal (`fdash: …` on stderr): it names paths, titles, keys
    and errors that come from files, so it is made inert and kept on one line."""
    return "fdash: " + one_line(message)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def key_name(key: str) -> str:
    """A key read from a file (a TOML key, say) as it can be shown: bare when it is a
    plain name, else quoted with every character `clean` would remove or change written
    as an escape (`"a\\u001b[31mb"`), so the user sees what to look for and the
    terminal sees nothing to obey."""
    if _BARE_KEY.fullmatch(key):
        return key
    shown = []
    for ch in key:
        if ch == '"' or ch == "\\":
            shown.append("\\" + ch)
        elif clean(ch) != ch or not ch.isprintable():
            code = ord(ch)
            shown.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            shown.append(ch)
    return '"' + "".join(shown) + '"'


def one_line(text: str | None, limit: int | None = None) -> str:
    """`clean` text on one line (breaks become spaces), optionally shortened with `…`."""
    line = " ".join(_BREAKS.sub(" ", clean(text)).split())
    if limit is not None and len(line) > limit:
        return line[: max(0, limit - 1)] + "…"
    return line
