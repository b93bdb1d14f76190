"""Token features for the CRF: the same code at training time and at run time.

A token's features are its own word features plus those of its neighbours (prefixed
``-1:``, ``+1:``, ``-2:``, ``+2:``). Word features depend on the word alone, so they are
computed once per distinct word and cached; a sentence's features are then list
concatenations, which is what makes the recogniser fast (docs/ner.md, words/s).

The *lexicon* (:class:`Lexicon`) is what the training data says about a word form: how often
it was part of a PER/ORG/LOC/MISC name, and how often its lower-case form was written with a
capital letter inside a sentence. At training time it is built with a jackknife (from the
other folds) so that the CRF learns how far to trust it on words it has not seen.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["FeatureExtractor", "Lexicon", "LexiconCounts", "read_clusters", "word_shape"]

TYPES = ("PER", "ORG", "LOC", "MISC")
# Lexicon buckets: share of a form's occurrences inside a name of one type (set on dev,
# docs/ner.md). A form needs MIN_SEEN occurrences to get a bucket.
SHARE_HIGH = 0.7
SHARE_MID = 0.3
MIN_SEEN = 1
# Tokens after which the next word starts a sentence (capital letters mean less there).
_OPENERS = frozenset({".", "!", "?", ":", "«", '"', "“", "”", "–", "—", "-", "(", "…", "'", "»", "|"})
_SHAPE_RUNS = re.compile(r"(.)\1+")


def word_shape(word: str) -> str:
    """``Oslo`` → ``Xx``, ``NRK`` → ``X``, ``A/S`` → ``X/X``, ``2013`` → ``d``, ``LO-leder`` → ``X-x``."""
    out = []
    for ch in word:
        if ch.isupper():
            out.append("X")
        elif ch.isalpha():
            out.append("x")
        elif ch.isdigit():
            out.append("d")
        else:
            out.append(ch)
    return _SHAPE_RUNS.sub(r"\1", "".join(out))[:8]


@dataclass
class LexiconCounts:
    """Counts from annotated sentences; :meth:`lexicon` turns them into feature strings."""

    seen: Counter = field(default_factory=Counter)                # form -> occurrences
    typed: dict[str, Counter] = field(default_factory=dict)       # form -> type -> occurrences in a name
    cap_inside: Counter = field(default_factory=Counter)          # lower -> capitalised, not sentence-initial
    low_inside: Counter = field(default_factory=Counter)          # lower -> written in lower case

    def add(self, words: Sequence[str], types: Sequence[str | None]) -> None:
        for i, (w, t) in enumerate(zip(words, types, strict=True)):
            self.seen[w] += 1
            if t:
                self.typed.setdefault(w, Counter())[t] += 1
            if not w[:1].isalpha():
                continue
            if w[0].isupper():
                if i > 0 and words[i - 1] not in _OPENERS:
                    self.cap_inside[w.lower()] += 1
            else:
                self.low_inside[w] += 1

    def lexicon(self) -> Lexicon:
        entries: dict[str, tuple[str, ...]] = {}
        for w, n in self.seen.items():
            feats = []
            if n >= MIN_SEEN and w[:1].isupper():
                for t, k in self.typed.get(w, Counter()).items():
                    share = k / n
                    if share >= SHARE_HIGH:
                        feats.append(f"g{t}=hi")
                    elif share >= SHARE_MID:
                        feats.append(f"g{t}=mid")
                    else:
                        feats.append(f"g{t}=lo")
                if not feats and n >= 2:
                    feats.append("g=none")
            low = w.lower()
            cap, lower = self.cap_inside.get(low, 0), self.low_inside.get(low, 0)
            if w[:1].isupper() and cap + lower:
                r = cap / (cap + lower)
                feats.append("c=hi" if r >= 0.9 else "c=mid" if r >= 0.3 else "c=lo")
            if feats:
                entries[w] = tuple(feats)
        return Lexicon(entries)


class Lexicon:
    """Word form → lexicon feature strings (``gPER=hi``, ``c=lo``…)."""

    def __init__(self, entries: dict[str, tuple[str, ...]]) -> None:
        self.entries = entries

    def get(self, word: str) -> tuple[str, ...]:
        return self.entries.get(word, ())

    def to_lines(self) -> Iterable[str]:
        for w in sorted(self.entries):
            yield w + "\t" + " ".join(self.entries[w])

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Lexicon:
        entries = {}
        for line in lines:
            w, _, feats = line.rstrip("\n").partition("\t")
            if w:
                entries[w] = tuple(feats.split())
        return cls(entries)


class FeatureExtractor:
    """Feature lists for token sequences, with a per-word cache.

    ``titles`` are lower-case words that often precede a person's name (langpack
    ``[ner] titles``); ``org_suffixes`` are the forms that end company names (``AB``, ``ASA``,
    ``A/S``; langpack ``[ner] org_suffixes``, matched as written).
    """

    CACHE_LIMIT = 300_000

    def __init__(self, lexicon: Lexicon, titles: Iterable[str] = (), org_suffixes: Iterable[str] = (),
                 clusters: dict[str, tuple[str, ...]] | None = None) -> None:
        self.lexicon = lexicon
        self.clusters = clusters or {}
        self.titles = frozenset(t.lower() for t in titles)
        self.org_suffixes = frozenset(org_suffixes)
        self._cache: dict[str, tuple[list[str], list[str], list[str], list[str], list[str]]] = {}

    def _word(self, w: str) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
        low = w.lower()
        shape = word_shape(w)
        flags = []
        if w[:1].isupper():
            flags.append("T")
        if len(w) > 1 and w.isupper():
            flags.append("U")
        if low in self.titles:
            flags.append("ti")
        if w in self.org_suffixes:
            flags.append("os")
        lex = list(self.lexicon.get(w))
        near = ["w=" + low, "s=" + shape, *flags, *lex, *self.clusters.get(low, ())]
        own = [*near, "p3=" + low[:3], "x2=" + low[-2:], "x3=" + low[-3:], "x4=" + low[-4:],
               "l=" + (str(len(w)) if len(w) < 4 else "4+")]
        far = ["w=" + low, *flags[:1]]
        out = (own, ["-1:" + f for f in near], ["+1:" + f for f in near],
               ["-2:" + f for f in far], ["+2:" + f for f in far])
        if len(self._cache) >= self.CACHE_LIMIT:
            self._cache.clear()
        self._cache[w] = out
        return out

    def sequence(self, words: Sequence[str], lang: str | None = None) -> list[list[str]]:
        """Features of every token of one sequence (a sentence or a whole block)."""
        cache = self._cache
        rows = [cache.get(w) or self._word(w) for w in words]
        n = len(words)
        bias = ["b", f"L={lang}"] if lang else ["b"]
        out = []
        for i in range(n):
            f = [*bias, *rows[i][0]]
            if i == 0:
                f.append("BOS")
                f.append("start")
            else:
                f += rows[i - 1][1]
                prev = words[i - 1]
                if prev in _OPENERS:
                    f.append("start")
                if i > 1:
                    f += rows[i - 2][3]
                f.append("b=" + prev.lower() + "|" + words[i].lower())
            if i + 1 < n:
                f += rows[i + 1][2]
                if i + 2 < n:
                    f += rows[i + 2][4]
            else:
                f.append("EOS")
            out.append(f)
        return out


def read_clusters(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """``word TAB fine TAB coarse`` lines (``clusters.tsv``) → word → (``k=fine``, ``K=coarse``)."""
    out = {}
    for line in lines:
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 3:
            out[parts[0]] = ("k=" + parts[1], "K=" + parts[2])
    return out
