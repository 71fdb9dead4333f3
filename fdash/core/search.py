"""Search sessions by what was asked in them: titles, projects and user prompts.

Case-insensitive; every word of the query must occur somewhere in the session (title,
project path or any prompt); hits are ranked newest first, each with the best excerpt
(the prompt, else the title, holding most of the words) and the spans to highlight.
Served from the index's prompt texts: no transcript is opened.
"""

from __future__ import annotations

from attrs import frozen

from fdash.core.models import Entry
from fdash.core.text import one_line

EXCERPT_CHARS = 160


@frozen
class Hit:
    entry: Entry
    where: str  # "prompt" | "title" | "project"
    excerpt: str
    spans: tuple[tuple[int, int], ...]  # (start, end) of each match inside `excerpt`


def fold(text: str) -> str:
    """Text as it is compared: lower case, and "İ" as the "i" a user types (its lower case
    is "i" + U+0307, a combining dot no one types)."""
    return text.lower().replace("\u0307", "")


def words_of(query: str) -> list[str]:
    return [w for w in fold(query).split() if w]


class Searcher:
    """Keeps the lower-cased text of each session, so repeated searches are cheap."""

    def __init__(self, entries: tuple[Entry, ...] | list[Entry]):
        self.entries = sorted(entries, key=lambda e: (e.session.last_at_ms or 0, e.session.id), reverse=True)
        self.haystacks = [_haystack(e) for e in self.entries]

    def search(self, query: str, limit: int | None = None) -> list[Hit]:
        words = words_of(query)
        found = self.matching(query)
        return [_hit(e, words) for e in (found if limit is None else found[:limit])]

    def matching(self, query: str) -> list[Entry]:
        """The sessions holding every word, newest first, without excerpts (cheap: a list
        of thousands is shown a screenful at a time, see `hit`)."""
        return [self.entries[i] for i in self.positions(query)]

    def positions(self, query: str, within: list[int] | None = None) -> list[int]:
        """Where in `entries` the sessions holding every word are; `within`: only among
        these positions (a query typed further only narrows the previous one)."""
        words = words_of(query)
        if not words:
            return []
        haystacks = self.haystacks
        found = range(len(haystacks)) if within is None else within
        for word in words:  # one pass per word, over fewer sessions each time
            found = [i for i in found if word in haystacks[i]]
        return list(found)


def hit(entry: Entry, query: str) -> Hit:
    """The excerpt and highlight spans of one session found by `Searcher.matching`."""
    return _hit(entry, words_of(query))


def _haystack(entry: Entry) -> str:
    s = entry.session
    return fold("\n".join((s.title, s.project, *s.prompt_previews)))


def _hit(entry: Entry, words: list[str]) -> Hit:
    s = entry.session
    # previews are stored one-line and clean; titles and paths are made so here, before the
    # spans are measured, so every view can show the excerpt as it is
    candidates = [("prompt", p) for p in s.prompt_previews] + [
        ("title", one_line(s.title)), ("project", one_line(s.project))]
    where, text = max(candidates, key=lambda c: sum(w in fold(c[1]) for w in words))
    excerpt, offset = _window(text, words)
    folded, origin = _fold(excerpt)
    spans = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            end = start + len(word)
            spans.append((origin[start], origin[end - 1] + 1) if origin else (start, end))
            start = folded.find(word, end)
    return Hit(entry, where, excerpt, tuple(sorted(set(spans))))


def _fold(text: str) -> tuple[str, list[int] | None]:
    """`fold(text)`, and where each of its characters came from in `text` when folding
    changed the length (a lone combining dot is dropped; lower case can be longer): a
    match found in the folded text is highlighted on the characters it covers."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, None
    origin = []
    for i, ch in enumerate(text):
        origin.extend([i] * len(fold(ch)))
    return folded, origin


def _window(text: str, words: list[str]) -> tuple[str, int]:
    """A stretch of `text` around the first match, at most EXCERPT_CHARS long."""
    if len(text) <= EXCERPT_CHARS:
        return text, 0
    folded, origin = _fold(text)
    first = min((i for i in (folded.find(w) for w in words) if i != -1), default=0)
    first = origin[first] if origin and first < len(origin) else first
    start = max(0, min(first - EXCERPT_CHARS // 4, len(text) - EXCERPT_CHARS))
    end = start + EXCERPT_CHARS
    # an ellipsis stands in for the character at a cut end, never at the text's own end
    head = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    return head + text[start + len(head) : end - len(tail)].strip() + tail, start
