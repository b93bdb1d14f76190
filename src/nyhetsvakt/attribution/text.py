"""Sentences, words and name-like spans of one block, with character offsets.

Everything here works on a block's text as stored (NO-BREAK SPACE included), so every
offset handed on points into ``blocks[i].text``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "DASHES",
    "Word",
    "dash_led",
    "fold",
    "is_capitalised",
    "last_match",
    "name_spans",
    "sentences",
    "words",
]

DASHES = "–—‒―-"
_DASH_LEAD = re.compile(rf"^\s*[{re.escape(DASHES)}]\s+")

# A word: letters/digits joined by inner hyphens, apostrophes, colons ("USA:s"), dots in
# abbreviations ("bl.a") and ampersands are separate tokens.
_WORD = re.compile(r"[^\W_](?:[\w]|[-'’:.](?=[^\W_]))*|&")

_SENTENCE_END = re.compile(rf"(?<=[.!?…])[\"”»’)]*\s+(?=[\"“”«»'‘(]?[{re.escape(DASHES)}\d\w])")
_INITIAL = re.compile(r"(?:^|\s)(?:\w|\w\w)\.$")


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of ``text[start:end]`` with offsets into ``text``."""
    end = len(text) if end is None else end
    return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)``; a sentence ends at ``.!?…`` before a capital or digit.

    Initials and short abbreviations ("F. Andrejevic", "ca. 500") do not end a sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        head = text[start : m.start()]
        nxt = text[m.end() : m.end() + 1]
        if _INITIAL.search(head) and not head.endswith(("!", "?")):
            continue
        if nxt.islower():
            continue
        spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        end = len(text.rstrip())
        if end > start:
            spans.append((start, end))
    return spans


def last_match(matches: Iterator[re.Match[str]]) -> re.Match[str] | None:
    """The last of a run of matches (the cue nearest the end), or None."""
    last = None
    for last in matches:  # noqa: B007 - the last one is wanted
        pass
    return last


def dash_led(text: str) -> int | None:
    """Where the text after a leading quote dash begins ("– Vi var …"), or None."""
    m = _DASH_LEAD.match(text)
    return m.end() if m else None


def is_capitalised(word: str) -> bool:
    return bool(word) and (word[0].isupper() or (word[0].isdigit() and any(c.isupper() for c in word)))


_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case-folded, accents removed, punctuation as spaces: the key names are compared by."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = text.replace("ø", "o").replace("æ", "ae").replace("ß", "ss").replace("đ", "d").replace("ł", "l")
    if not text.isascii():
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", text).split())


@dataclass(frozen=True, slots=True)
class NameSpan:
    start: int
    end: int
    text: str
    sentence_initial: bool


def name_spans(text: str, connectors: frozenset[str]) -> list[NameSpan]:
    """Runs of capitalised words ("Institute for the Study of War", "Kassym-Jomart Tokayev").

    ``connectors`` are the lower-case words allowed inside a name when a capitalised word
    follows them ("for", "the", "of", "al", "von"); "&" always joins ("Jem & fix" stays one).
    """
    out: list[NameSpan] = []
    toks = words(text)
    sentence_starts = {s for s, _ in sentences(text)}
    i = 0
    while i < len(toks):
        w = toks[i]
        if not is_capitalised(w.text):
            i += 1
            continue
        j = i + 1
        while j < len(toks):
            t = toks[j]
            gap = text[toks[j - 1].end : t.start]
            if gap.strip() not in ("", "&") or "\n" in gap:
                break
            if is_capitalised(t.text):
                j += 1
                continue
            if t.text == "&" or (t.lower in connectors and _capital_follows(toks, j, connectors)):
                k = j
                while k < len(toks) and (toks[k].text == "&" or toks[k].lower in connectors):
                    k += 1
                if k < len(toks) and (is_capitalised(toks[k].text) or toks[j].text == "&"):
                    j = k + 1
                    continue
            break
        initial = w.start in sentence_starts or _after_quote_dash(text, w.start)
        out.append(NameSpan(w.start, toks[j - 1].end, text[w.start : toks[j - 1].end], initial))
        i = j
    return out


def _capital_follows(toks: list[Word], j: int, connectors: frozenset[str]) -> bool:
    k = j
    while k < len(toks) and toks[k].lower in connectors:
        k += 1
    return k < len(toks) and is_capitalised(toks[k].text)


def _after_quote_dash(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return before == "" or before[-1] in DASHES + '"“”«»:'
