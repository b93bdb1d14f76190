"""Snippets and highlights, computed in Python from the stored text.

FTS5's own ``snippet()`` needs the indexed text, which here is stems in a contentless
index; and it could not point at the inflected words anyway. So: find the words whose
stem (in the article's language) a query term accepts, which is the same test the index
applied, and cut the window of about :data:`WINDOW_WORDS` words holding the most
distinct terms. Highlights are (start, end) offsets into the returned plain text;
escaping is the web layer's job.

Speed matters (20 hits a search): ``str.find`` first finds the few words that start like
some accepted stem (a Snowball stem keeps the word's first letters), and only those are
normalised and stemmed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .analyzer import WORD_PATTERN, normalize_word, stem_words, stemmer_name
from .query import Query, Term, alternatives

__all__ = ["ELLIPSIS", "WINDOW_WORDS", "Matcher", "Snippet", "make_snippet"]

WINDOW_WORDS = 30
ELLIPSIS = "…"
# Characters of text per word, for choosing the window before counting its words.
_CHARS_PER_WORD = 7
# Leading characters shared by a word and its stem (Snowball only rewrites endings).
_STEM_PREFIX = 3

_WORD = re.compile(WORD_PATTERN)


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    highlights: list[tuple[int, int]]


class _TermMatcher:
    """Tests analysed words against one term (positionally, for phrases)."""

    def __init__(self, term: Term, algorithms: Sequence[str | None]) -> None:
        alts = alternatives(term, algorithms)
        self.size = len(term.words)
        self.prefix = term.prefix
        # Per word position, the stems any alternative accepts there.
        self.positions = [frozenset(a[i] for a in alts) for i in range(self.size)]

    def accepts(self, i: int, norm: str, stem: str) -> bool:
        accepted = self.positions[i]
        if self.prefix and i == self.size - 1:
            return any(stem.startswith(p) or norm.startswith(p) for p in accepted)
        return stem in accepted


class Matcher:
    """Finds where a query's positive terms occur in a text of a given language."""

    def __init__(self, query: Query, algorithms: Sequence[str | None]) -> None:
        self.terms = [_TermMatcher(t, algorithms) for t in query.positive_terms]
        self._starts = sorted({s[:_STEM_PREFIX] for tm in self.terms for s in tm.positions[0]})

    def _candidates(self, text: str) -> list[re.Match[str]]:
        """Words of ``text`` that begin like some accepted first word (case-insensitive)."""
        low = text.lower()
        if len(low) != len(text):  # a rare letter whose lowercase is longer: regex instead
            pattern = "|".join(re.escape(s) for s in self._starts)
            return list(re.finditer(rf"(?<![^\W_])(?=(?:{pattern})){WORD_PATTERN}", text, re.IGNORECASE))
        # str.find is far faster than a regex tried at every position.
        positions: set[int] = set()
        for start in self._starts:
            i = low.find(start)
            while i >= 0:
                if i == 0 or not low[i - 1].isalnum():
                    positions.add(i)
                i = low.find(start, i + 1)
        found = (_WORD.match(text, i) for i in sorted(positions))
        return [m for m in found if m is not None]

    def find(self, text: str, language: str | None) -> list[tuple[int, int, int]]:
        """Matches in ``text`` as (start, end, term index), in order, not overlapping."""
        if not self._starts:
            return []
        found = self._candidates(text)
        if not found:
            return []
        algorithm = stemmer_name(language)
        norms = [normalize_word(m.group()) for m in found]
        stems = stem_words(norms, algorithm)
        matches: list[tuple[int, int, int]] = []
        last_end = -1
        for m, norm, stem in zip(found, norms, stems, strict=True):
            if m.start() < last_end:
                continue
            for ti, tm in enumerate(self.terms):
                if not tm.accepts(0, norm, stem):
                    continue
                end = m.end() if tm.size == 1 else self._phrase_end(text, m.end(), tm, algorithm)
                if end is not None:
                    matches.append((m.start(), end, ti))
                    last_end = end
                    break
        return matches

    @staticmethod
    def _phrase_end(text: str, pos: int, tm: _TermMatcher, algorithm: str | None) -> int | None:
        """Where a phrase whose first word ends at ``pos`` ends, if the next words match."""
        for i in range(1, tm.size):
            m = _WORD.search(text, pos)
            if m is None:
                return None
            norm = normalize_word(m.group())
            if not tm.accepts(i, norm, stem_words([norm], algorithm)[0]):
                return None
            pos = m.end()
        return pos

    def highlight(self, text: str, language: str | None) -> list[tuple[int, int]]:
        """Offsets of every match in ``text`` (for short texts such as headlines)."""
        return [(a, b) for a, b, _ in self.find(text, language)]


def _densest(matches: list[tuple[int, int, int]], width: int) -> tuple[int, int]:
    """The character span of the matches that fit in ``width`` with the most distinct terms."""
    best: tuple[int, int] | None = None
    span = (0, 0)
    lo = 0
    for hi in range(len(matches)):
        while matches[hi][1] - matches[lo][0] > width:
            lo += 1
        inside = matches[lo:hi + 1]
        key = (len({m[2] for m in inside}), len(inside))
        if best is None or key > best:  # ties: the earliest window wins
            best = key
            span = (matches[lo][0], matches[hi][1])
    return span


def _word_start_before(text: str, pos: int) -> int:
    """The start of the word at or before ``pos`` (so a window never opens mid-word)."""
    while pos > 0 and not text[pos - 1].isspace():
        pos -= 1
    return pos


def make_snippet(text: str, language: str | None, matcher: Matcher, width: int = WINDOW_WORDS) -> Snippet:
    """The best window of about ``width`` words of ``text``, with highlight offsets into it."""
    matches = matcher.find(text, language)
    start = 0
    if matches:
        first, last = _densest(matches, width * _CHARS_PER_WORD)
        # Centre the matched span in the window.
        slack = width * _CHARS_PER_WORD - (last - first)
        start = _word_start_before(text, max(0, first - max(0, slack) // 2))
    words = 0
    end = start
    for m in _WORD.finditer(text, start):
        end = m.end()
        words += 1
        if words == width:
            break
    if words < width and start > 0:
        # Near the end: open the window earlier instead of showing fewer words.
        start = _word_start_before(text, max(0, start - (width - words) * _CHARS_PER_WORD))
    # Keep closing punctuation right after the last word ("krig." not "krig").
    stop = end
    while end < len(text) and end - stop < 3 and not text[end].isspace() and not text[end].isalnum():
        end += 1
    head = ELLIPSIS if start > 0 else ""
    tail = ELLIPSIS if text[end:].strip() else ""
    body = text[start:end]
    shift = len(head) - start
    highlights = [(a + shift, b + shift) for a, b, _ in matches if a >= start and b <= end]
    return Snippet(head + body + tail, highlights)
