"""The text analyzer shared by indexing, querying and snippets.

Text is split into Unicode words (letters and digits; punctuation, NO-BREAK SPACE and
every other space separate words), each word is NFC-normalised, lowercased and stemmed
with the Snowball stemmer named by the article's language pack. Diacritics are never
folded: in Scandinavian languages "mål" (goal) and "mal" (moth), "får" (sheep) and "far"
(father), "øl" (beer) and "ol" are different words. A language without a pack gets no
stemming.

The same function analyses a document for the index and a query word for search, so
both sides always agree; :data:`ANALYZER_VERSION` is stored with the index and a change
to this module must bump it (the store then rebuilds its index).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import Stemmer

from ..langpacks import available_languages, load_pack

__all__ = ["ANALYZER_VERSION", "WORD_PATTERN", "Token", "analyze", "expand", "index_text",
           "normalize_word", "search_languages", "stem_words", "stemmer_name", "tokenize"]

# Bump whenever tokenising or stemming changes: stored indexes built by another version
# are rebuilt, because a contentless index can only delete rows it can re-analyse.
ANALYZER_VERSION = "1"
# Words per language kept in the stem cache (about 100 bytes each).
STEM_CACHE_SIZE = 200_000

# A word: a letter or digit, then letters, digits and combining marks (a decomposed "å"
# stays one word). Underscore is excluded from \w on purpose.
WORD_PATTERN = r"[^\W_][^\W_\u0300-\u036f]*(?:[\u0300-\u036f]+[^\W_]*)*"
_WORD = re.compile(WORD_PATTERN)
# Punctuation often stuck to a word's ends; stripping it is cheaper than the regex.
_EDGE_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”„«»‹›–—…‘’‚•·°"


@dataclass(frozen=True, slots=True)
class Token:
    """A word as it stands in the text: its form and character offsets."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """The words of ``text`` with their offsets into ``text`` (not normalised)."""
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def normalize_word(word: str) -> str:
    """NFC and lowercase: the form a word is compared in before stemming."""
    if not word.isascii():
        word = unicodedata.normalize("NFC", word)
    return word.lower()


@cache
def stemmer_name(language: str | None) -> str | None:
    """The Snowball algorithm of a language's pack, or None (no pack: no stemming)."""
    if not language:
        return None
    try:
        return load_pack(language).stemmer
    except KeyError:
        return None


@cache
def _stemmer(algorithm: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(algorithm)


@cache
def _stem_cache(algorithm: str) -> dict[str, str]:
    return {}


def stem_words(words: list[str], algorithm: str | None) -> list[str]:
    """Stem normalised words with one Snowball algorithm (None: unchanged).

    A plain dict in front of the stemmer: news vocabulary repeats, and a dict lookup is
    four times cheaper than PyStemmer's own cache. Cleared when it grows past
    :data:`STEM_CACHE_SIZE` words, so memory stays bounded.
    """
    if algorithm is None:
        return words
    known = _stem_cache(algorithm)
    get = known.get
    out = [get(w) for w in words]
    if None in out:
        missing = list({w: None for w, st in zip(words, out, strict=True) if st is None})
        if len(known) + len(missing) > STEM_CACHE_SIZE:
            known.clear()
        known.update(zip(missing, _stemmer(algorithm).stemWords(missing), strict=True))
        out = [known[w] for w in words]
    return out


def analyze(text: str, language: str | None) -> list[str]:
    """The index terms of ``text`` in ``language``, in order."""
    # Normalising the whole text at once is much faster than word by word and gives the
    # same words (case and composition never change across a word boundary).
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    # Most whitespace-separated pieces are already one word or one word in punctuation;
    # only the rest ("USA:s", "Nato-trupper") go through the regex. Twice as fast as
    # running the regex over everything, with the same words.
    words: list[str] = []
    append, extend, findall = words.append, words.extend, _WORD.findall
    for piece in text.lower().split():
        if piece.isalnum():
            append(piece)
            continue
        core = piece.strip(_EDGE_PUNCTUATION)  # "krig." "“Vi" "(AP)"
        if core.isalnum():
            append(core)
        elif core:
            extend(findall(core))
    return stem_words(words, stemmer_name(language))


def index_text(text: str | None, language: str | None) -> str:
    """``text`` as the space-separated terms the full-text index stores."""
    return " ".join(analyze(text, language)) if text else ""


def search_languages(language: str | None = None) -> list[str | None]:
    """The stemmers a query word is expanded with: one language's, or every pack's.

    ``None`` in the list stands for "no stemming" (articles in a language without a pack).
    """
    if language:
        return [stemmer_name(language)]
    seen: dict[str | None, None] = {}
    for code in available_languages():
        seen.setdefault(stemmer_name(code), None)
    seen.setdefault(None, None)
    return list(seen)


def expand(word: str, algorithms: Iterable[str | None]) -> list[str]:
    """A normalised query word's distinct stems under several algorithms."""
    out: dict[str, None] = {}
    for alg in algorithms:
        out.setdefault(stem_words([word], alg)[0], None)
    return list(out)
