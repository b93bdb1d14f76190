"""Exact and near-duplicate detection: republished copies grouped, the earliest kept as origin.

- :mod:`.shingles` — the normalised text and exact key, and word shingles (stemmed);
- :mod:`.minhash` — MinHash signatures in 32-bit arithmetic, compact as bytes;
- :mod:`.fingerprint` — :class:`Fingerprint` (exact key, signature, shingles) of a text;
- :mod:`.index` — :class:`NearDuplicateIndex` (LSH buckets, exact confirmation, origins)
  and :func:`find_duplicates` for a batch;
- :mod:`.params` — :class:`DedupParams`, with the defaults chosen by ``benchmarks/dedup.py``.

See ``docs/dedup.md``.
"""

from __future__ import annotations

from .fingerprint import Fingerprint, Fingerprinter, article_text
from .index import DuplicateMatch, NearDuplicateIndex, find_duplicates
from .minhash import MinHasher, estimate_jaccard, signature_from_bytes, signature_to_bytes
from .params import DedupParams
from .shingles import exact_key, normalize_text, shingle_set

__all__ = [
    "DedupParams",
    "DuplicateMatch",
    "Fingerprint",
    "Fingerprinter",
    "MinHasher",
    "NearDuplicateIndex",
    "article_text",
    "estimate_jaccard",
    "exact_key",
    "find_duplicates",
    "normalize_text",
    "shingle_set",
    "signature_from_bytes",
    "signature_to_bytes",
]
