"""Search queries: parse what the user typed, expand it with stemmers, render FTS5.

The syntax is deliberately small and forgiving (every input parses, none raises):

- ``word`` — the word in any inflection (``soldaterna`` finds ``soldater``, ``soldatene``);
- ``"two words"`` — a phrase (an unclosed quote runs to the end);
- ``-word`` / ``-"a phrase"`` — exclude articles containing it;
- ``word*`` — prefix (at least :data:`MIN_PREFIX` characters, else a plain word);
- ``a OR b`` — either (``OR`` in capitals); everything else must all match.

Words that the tokenizer splits (``Nato-trupper``, ``USA:s``) are phrases. Each word is
stemmed with every language's stemmer (or the one of the language filter) and the
stems are OR-ed. Rendered FTS5 text only ever contains our own double-quoted terms,
so nothing the user types reaches FTS5 syntax.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .analyzer import expand, normalize_word, tokenize

__all__ = ["MAX_TERMS", "MIN_PREFIX", "Query", "Term", "parse_query", "render_fts5"]

# Prefixes shorter than this would expand to a large share of the vocabulary.
MIN_PREFIX = 2
# Terms beyond this are ignored: each expands to up to five stems, and an unbounded
# query would let one request occupy the database.
MAX_TERMS = 32


@dataclass(frozen=True, slots=True)
class Term:
    """One query item: a word or a phrase (normalised words), maybe a prefix, maybe excluded."""

    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: all ``clauses`` must match (each an OR of terms), no ``excluded`` may."""

    text: str
    clauses: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.clauses and not self.excluded

    @property
    def positive_terms(self) -> list[Term]:
        return [t for clause in self.clauses for t in clause]


def _term(raw: str, negated: bool) -> Term | None:
    prefix = raw.rstrip().endswith("*")
    words = tuple(normalize_word(t.text) for t in tokenize(raw))
    if not words:
        return None
    if prefix and len(words[-1]) < MIN_PREFIX:
        prefix = False
    return Term(words, prefix=prefix, negated=negated)


def _scan(text: str) -> list[tuple[str, str, bool]]:
    """Split into items: (kind, raw text, negated), kind "item" or "or"."""
    items: list[tuple[str, str, bool]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch == "-" and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
            ch = text[i]
        if ch == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            items.append(("item", text[i + 1:end], negated))
            i = end + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != '"':
            j += 1
        raw = text[i:j]
        if raw == "OR" and not negated:
            items.append(("or", raw, False))
        else:
            items.append(("item", raw, negated))
        i = j
    return items


def parse_query(text: str) -> Query:
    """Parse user input; never raises. Items that hold no word are dropped."""
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    count = 0
    for kind, raw, negated in _scan(text):
        if kind == "or":
            join_next = bool(clauses)
            continue
        term = _term(raw, negated)
        if term is None or count >= MAX_TERMS:
            continue
        count += 1
        if term.negated:
            excluded.append(term)
        elif join_next:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    return Query(text, tuple(tuple(c) for c in clauses), tuple(excluded))


def alternatives(term: Term, algorithms: Sequence[str | None]) -> list[tuple[str, ...]]:
    """The term's word sequences under each stemmer (distinct, in order).

    A prefix term also keeps its unstemmed last word, since a stem is not always a
    prefix of the word ("happy" → "happi").
    """
    seen: dict[tuple[str, ...], None] = {}
    for alg in algorithms:
        seen.setdefault(tuple(expand(w, [alg])[0] for w in term.words), None)
    if term.prefix:
        seen.setdefault(term.words, None)
    return list(seen)


def _quote(words: tuple[str, ...], prefix: bool) -> str:
    body = " ".join(words).replace('"', '""')
    return f'"{body}"' + (" *" if prefix else "")


def _render_term(term: Term, algorithms: Sequence[str | None]) -> str:
    alts = [_quote(a, term.prefix) for a in alternatives(term, algorithms)]
    return alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"


def render_fts5(query: Query, algorithms: Sequence[str | None]) -> tuple[str | None, str | None]:
    """FTS5 MATCH expressions (what must match, what must not); either may be None."""
    positive = None
    if query.clauses:
        parts = []
        for clause in query.clauses:
            rendered = [_render_term(t, algorithms) for t in clause]
            parts.append(rendered[0] if len(rendered) == 1 else "(" + " OR ".join(rendered) + ")")
        positive = " AND ".join(parts)
    negative = None
    if query.excluded:
        negative = " OR ".join(_render_term(t, algorithms) for t in query.excluded)
    return positive, negative
