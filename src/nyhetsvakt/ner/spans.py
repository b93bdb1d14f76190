"""Entity spans: decoding tags, tidying span edges, and one article's names made consistent.

Document-level consistency (:func:`make_consistent`) follows how news is written: a name is
introduced in full once ("statsminister Jonas Gahr Støre") and repeated, often by surname
alone ("Støre sa"), further down. A name the tagger found once is tagged wherever it recurs
in the article's blocks, a person's surname too, and (``unify_types``) a surface form gets one
type throughout the article (the majority; ties go to the first mention).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["ENTITY_TYPES", "EntitySpan", "decode", "make_consistent", "trim"]

EntityType = Literal["PER", "ORG", "LOC", "MISC"]
ENTITY_TYPES: tuple[EntityType, ...] = ("PER", "ORG", "LOC", "MISC")

# Characters never at the edge of a name: quotes, dashes, brackets, sentence punctuation.
_EDGE = set("«»\"“”„‘’'‹›-–—―()[]{}.,:;!?…*/|·•")
_OPENING = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """A name in a block: ``text == block[start:end]``."""

    start: int
    end: int
    type: EntityType
    text: str


def decode(tags: Sequence[str], offsets: Sequence[tuple[int, int]]) -> list[tuple[int, int, int, int, str]]:
    """IOB2 tags to (first token, end token, start char, end char, type); a stray I- opens a name."""
    out = []
    start, typ = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and not (tag[0] == "I" and tag[2:] == typ):
            out.append((start, i, offsets[start][0], offsets[i - 1][1], typ))
            start = -1
        if tag[0] == "B" or (tag[0] == "I" and start < 0):
            start, typ = i, tag[2:]
    return out


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Span edges without quotes, dashes, unbalanced brackets or trailing punctuation.

    A final period stays after a single letter ("J.K."); a closing bracket stays when the
    span opened it ("Arbeiderpartiet (Ap)").
    """
    while start < end:
        ch = text[start]
        if ch.isspace() or (ch in _EDGE and not (ch in _OPENING and _OPENING[ch] in text[start:end])):
            start += 1
        else:
            break
    while end > start:
        ch = text[end - 1]
        if ch.isspace():
            end -= 1
        elif ch == "." and end - start >= 2 and text[end - 2].isalpha() and (
                end - start == 2 or not text[end - 3].isalnum()):
            break  # an initial: "J.", "J.K."
        elif ch in ")]}" and {")": "(", "]": "[", "}": "{"}[ch] in text[start:end]:
            break
        elif ch in _EDGE:
            end -= 1
        else:
            break
    return start, end


# A mention is only propagated when it looks like a name: starts with a capital letter and
# has at least this many characters (so "A" or "EU"-like two-letter tokens need the tagger).
MIN_PROPAGATE_CHARS = 3


def make_consistent(blocks: Sequence[Sequence[str]], spans: list[list[tuple[int, int, str]]],
                    unify_types: bool = True, surnames: bool = True) -> list[list[tuple[int, int, str]]]:
    """One article's token spans made consistent across its blocks.

    ``blocks`` are the token lists of the blocks; ``spans`` the tagger's (first token, end
    token, type) per block. Returns new span lists: types unified per surface form, and
    untagged recurrences of tagged names (and of persons' surnames) added.
    """
    votes: dict[tuple[str, ...], Counter] = {}
    first: dict[tuple[str, ...], str] = {}
    for words, found in zip(blocks, spans, strict=True):
        for i, j, t in found:
            key = tuple(words[i:j])
            votes.setdefault(key, Counter())[t] += 1
            first.setdefault(key, t)
    if not votes:
        return spans

    def majority(key: tuple[str, ...]) -> str:
        c = votes[key]
        top = max(c.values())
        return first[key] if c[first[key]] == top else next(t for t, n in c.items() if n == top)

    known = {key: majority(key) for key in votes}
    if surnames:
        for key, t in list(known.items()):
            if t == "PER" and len(key) >= 2:
                for form in (key[-1], key[-1] + "s"):
                    known.setdefault((form,), "PER")
    known = {k: t for k, t in known.items()
             if k[0][:1].isupper() and sum(map(len, k)) >= MIN_PROPAGATE_CHARS}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in sorted(known, key=len, reverse=True):
        by_first.setdefault(key[0], []).append(key)

    out = []
    for words, found in zip(blocks, spans, strict=True):
        new = [(i, j, known.get(tuple(words[i:j]), t) if unify_types else t) for i, j, t in found]
        taken = [False] * len(words)
        for i, j, _ in found:
            for k in range(i, j):
                taken[k] = True
        i = 0
        while i < len(words):
            cands = by_first.get(words[i]) if not taken[i] else None
            hit = None
            for key in cands or ():
                j = i + len(key)
                if tuple(words[i:j]) == key and not any(taken[i:j]):
                    hit = (i, j, known[key])
                    break
            if hit:
                new.append(hit)
                i = hit[1]
            else:
                i += 1
        out.append(sorted(new))
    return out
