"""The features the Scandinavian model sees: lower-cased words and their character n-grams.

Every feature lives inside one word (the word itself and the 1–5-grams of ``" word "``),
so a text's score is the sum of its words' scores. That lets the model cache one score
per distinct word and makes scoring a text a dictionary look-up per token, which is what
keeps language ID far below a millisecond per paragraph in pure Python. Training
(``scripts/train_langid.py``) and inference use this one module, so they cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["MAX_NGRAM", "MIN_NGRAM", "WORD_PREFIX", "tokens", "word_features"]

# Character n-gram orders (the brief asks for 1–5; 1-grams carry æøå/äö).
MIN_NGRAM = 1
MAX_NGRAM = 5
# Marks whole-word features so "en" the word and "en" the bigram stay apart.
WORD_PREFIX = "\x01"
# Letters only: digits, punctuation and symbols say nothing about sv/da/nb/nn.
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def tokens(text: str) -> list[str]:
    """Lower-cased letter words of ``text`` (hyphenated and apostrophe words kept whole)."""
    return _WORD_RE.findall(text.lower())


def word_features(word: str) -> Iterator[str]:
    """The features of one lower-cased word: the word and the n-grams of ``" word "``."""
    yield WORD_PREFIX + word
    padded = f" {word} "
    size = len(padded)
    for n in range(MIN_NGRAM, MAX_NGRAM + 1):
        for i in range(size - n + 1):
            gram = padded[i:i + n]
            if gram != " ":
                yield gram
