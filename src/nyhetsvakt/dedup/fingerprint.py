"""A text's fingerprint: its exact key, MinHash signature and shingle set.

The fingerprint is all the dedup index keeps of an article. A store can keep the exact
key (32 hex digits) and the signature (``4 * num_perm`` bytes, see
:func:`~.minhash.signature_to_bytes`) per article; the shingle set, needed only to
confirm a candidate exactly, is rebuilt from the text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..records import Article
from ..search.analyzer import ANALYZER_VERSION
from .minhash import MinHasher
from .params import DedupParams
from .shingles import exact_key, shingle_hashes, text_paragraphs

__all__ = ["Fingerprint", "Fingerprinter", "article_text"]


def article_text(article: Article) -> str:
    """What an article says, for dedup: headline, lead and every block, a blank line between.

    Dates, outlet and authors are left out: a republished copy keeps the text and
    changes those.
    """
    parts = [article.headline or "", article.lead or ""]
    parts.extend(block.text for block in article.blocks)
    return "\n\n".join(p for p in parts if p)


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    """``exact``: :func:`~.shingles.exact_key`; ``signature``: ``uint32[num_perm]``;
    ``shingles``: the sorted distinct shingle hashes (``uint32``)."""

    exact: str
    signature: np.ndarray
    shingles: np.ndarray


class Fingerprinter:
    """Turns texts into :class:`Fingerprint` objects with one set of :class:`DedupParams`."""

    def __init__(self, params: DedupParams | None = None) -> None:
        self.params = params or DedupParams()
        self._hasher = MinHasher(self.params.num_perm, self.params.seed)

    @property
    def version(self) -> str:
        """Names what the signatures depend on (parameters and analyzer): store it with them."""
        return f"{self.params.signature_version()}/analyzer{ANALYZER_VERSION}"

    def shingles(self, text: str, language: str | None = None) -> np.ndarray:
        """The shingle set of ``text``; ``language`` picks the stemmer (None: no stemming)."""
        return self._shingles(text_paragraphs(text), language)

    def sign(self, shingles: np.ndarray) -> np.ndarray:
        """The MinHash signature of a shingle set."""
        return self._hasher.sign(shingles)

    def fingerprint(self, text: str, language: str | None = None) -> Fingerprint:
        """The fingerprint of ``text``; ``language`` picks the stemmer (None: no stemming)."""
        lines = text_paragraphs(text)
        shingles = self._shingles(lines, language)
        words = [w for line in lines for w in line]
        return Fingerprint(exact_key(text, words), self._hasher.sign(shingles), shingles)

    def _shingles(self, lines: list[list[str]], language: str | None) -> np.ndarray:
        p = self.params
        return shingle_hashes(lines, p.shingle_words, language if p.stem else None, p.across_lines)
