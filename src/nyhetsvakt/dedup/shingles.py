"""What two texts are compared on: normalised words for exact copies, word shingles for near ones.

- :func:`text_words` folds what differs between copies of one text without changing what
  it says: Unicode composition (NFC), case, every kind of whitespace (NO-BREAK SPACE and
  the thin spaces separate words like a space) and punctuation (curly and straight
  quotes, dashes, ellipses: all of it is dropped, the words are what count). It is the
  search analyzer without stemming, so both agree on what a word is.
- :func:`exact_key` hashes those words: equal keys mean the same words in the same order.
- :func:`text_paragraphs` finds the paragraphs (a blank line, or a line break after a
  sentence end) and :func:`shingle_hashes` hashes each run of ``k`` consecutive words of a
  paragraph (Snowball stems, so inflection does not count) to 32 bits and returns the set
  as a sorted ``uint32`` array.

Hashes are BLAKE2b and fixed integer mixing, never Python's ``hash()`` (salted per
process), so the same text gives the same key and the same shingles in every process.
"""

from __future__ import annotations

import hashlib

import numpy as np

from ..search.analyzer import analyze, stem_words, stemmer_name

__all__ = ["exact_key", "normalize_text", "shingle_hashes", "shingle_set", "text_paragraphs", "text_words",
           "word_ids"]

# Distinct words whose 64-bit ids are kept (about 150 bytes each); cleared past this.
WORD_CACHE_SIZE = 500_000

# A line ending in one of these ends its paragraph even without a blank line after it.
SENTENCE_END = tuple(".!?…:;\"”»’)")

_U64 = np.uint64
# Multiplier of the polynomial that chains word ids into a shingle id (odd, 64-bit).
_CHAIN = _U64(0x9E3779B97F4A7C15)
_EMPTY = np.empty(0, dtype=np.uint32)

# Stemmer algorithm (None: no stemming) -> word -> id of its stem (see word_ids).
_word_ids: dict[str | None, dict[str, int]] = {}


def text_paragraphs(text: str) -> list[list[str]]:
    """The words of each paragraph of ``text``, NFC and lowercase, without punctuation,
    not stemmed.

    A blank line always ends a paragraph; a single line break ends one only after a
    sentence end (:data:`SENTENCE_END`), so a hard-wrapped paragraph reads as one while
    one-paragraph-a-line text keeps its paragraphs.
    """
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for raw in text.split("\n"):
        line = raw.rstrip()
        if line:
            current.extend(analyze(line, None))
            if not line.endswith(SENTENCE_END):
                continue
        if current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def text_words(text: str) -> list[str]:
    """All the words of ``text`` (see :func:`text_paragraphs`), line breaks ignored."""
    return analyze(text, None)


def normalize_text(text: str) -> str:
    """``text`` as its :func:`text_words` separated by single spaces."""
    return " ".join(text_words(text))


def exact_key(text: str, words: list[str] | None = None) -> str:
    """The content hash of a text: 32 hex digits of BLAKE2b over :func:`normalize_text`.

    Line breaks do not count. Pass ``words`` (:func:`text_words` of ``text``) when they
    are at hand already.
    """
    if words is None:
        words = text_words(text)
    return hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=16).hexdigest()


def word_ids(words: list[str], language: str | None = None) -> np.ndarray:
    """A 64-bit id per word (BLAKE2b of its Snowball stem for ``language``), as ``uint64``.

    ``language`` None: the words themselves. A dict per stemmer maps a word straight to
    its stem's id: news vocabulary repeats, and one lookup is much cheaper than stemming
    and hashing (and than a stem cache and an id cache one after the other). Cleared
    when it grows past :data:`WORD_CACHE_SIZE`, so memory stays bounded.
    """
    algorithm = stemmer_name(language)
    known = _word_ids.setdefault(algorithm, {})
    get = known.get
    ids = [get(w) for w in words]
    if None in ids:
        missing = list({w: None for w, v in zip(words, ids, strict=True) if v is None})
        if len(known) + len(missing) > WORD_CACHE_SIZE:
            known.clear()
        blake = hashlib.blake2b
        for w, st in zip(missing, stem_words(missing, algorithm), strict=True):
            known[w] = int.from_bytes(blake(st.encode("utf-8"), digest_size=8).digest(), "little")
        ids = [known[w] for w in words]
    return np.fromiter(ids, dtype=_U64, count=len(ids))


def _mix(h: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, in place: every output bit depends on every input bit."""
    h ^= h >> _U64(30)
    h *= _U64(0xBF58476D1CE4E5B9)
    h ^= h >> _U64(27)
    h *= _U64(0x94D049BB133111EB)
    h ^= h >> _U64(31)
    return h


def shingle_hashes(lines: list[list[str]], k: int, language: str | None = None,
                   across_lines: bool = False) -> np.ndarray:
    """The distinct ``k``-word shingles of ``lines`` (paragraphs as lists of words,
    stemmed for ``language``; None: as they are) as sorted 32-bit hashes (``uint32``).

    Shingles stay inside a paragraph unless ``across_lines``: a paragraph moved elsewhere
    or a boilerplate line put between two paragraphs then changes no shingle of the text
    around it. A paragraph (or, across lines, a text) of fewer than ``k`` words is one shingle.
    """
    words = [w for line in lines for w in line]
    if not words:
        return _EMPTY
    ids = word_ids(words, language)
    lengths = [len(words)] if across_lines else [len(line) for line in lines]
    parts: list[np.ndarray] = []
    n = ids.size - k + 1
    if n >= 1:
        # A polynomial in the word ids of each window (mixed below): order-sensitive.
        h = ids[:n].copy()
        for j in range(1, k):
            h *= _CHAIN
            h += ids[j : j + n]
        if len(lengths) > 1:
            line_of = np.repeat(np.arange(len(lengths)), lengths)
            h = h[line_of[:n] == line_of[k - 1 :]]
        parts.append(h)
    if min(lengths) < k:
        parts.append(_short_lines(ids, lengths, k))
    h = _mix(np.concatenate(parts) if len(parts) > 1 else parts[0])
    # The high half of the mixed value: 32 bits that are uniform whatever the words.
    h = np.sort((h >> _U64(32)).astype(np.uint32))
    # np.unique is seven times slower than sorting and masking on arrays this size.
    keep = np.empty(h.size, dtype=bool)
    keep[0] = True
    np.not_equal(h[1:], h[:-1], out=keep[1:])
    return h[keep]


def _short_lines(ids: np.ndarray, lengths: list[int], k: int) -> np.ndarray:
    """One shingle per line shorter than ``k`` words: the same polynomial over the whole line."""
    out: list[int] = []
    chain, mask = int(_CHAIN), (1 << 64) - 1
    values = ids.tolist()
    start = 0
    for length in lengths:
        if 0 < length < k:
            h = values[start]
            for v in values[start + 1 : start + length]:
                h = (h * chain + v) & mask
            out.append(h)
        start += length
    return np.array(out, dtype=_U64)


def shingle_set(text: str, language: str | None, k: int, stem: bool = True,
                across_lines: bool = False) -> np.ndarray:
    """:func:`shingle_hashes` of the paragraphs of ``text``, stemmed for ``language`` if ``stem``."""
    return shingle_hashes(text_paragraphs(text), k, language if stem else None, across_lines)
