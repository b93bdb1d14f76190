"""The dedup parameters: one options object, with defaults set by measurement.

Every default below was chosen with ``benchmarks/dedup.py`` on a labelled set of
generated variants (light edits, added boilerplate, truncation to 60-80 %, reordered
paragraphs, and hard negatives sharing paragraphs); the table and the reasons are in
``benchmarks/results/dedup.md`` and ``docs/dedup.md``. Changing a value that shapes the
signature (shingle size, stemming, permutations, seed) makes stored signatures
incomparable: :meth:`DedupParams.signature_version` names them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DedupParams"]

# Measured by `python benchmarks/dedup.py` (benchmarks/results/dedup.md, parameter grid
# on 10,022 labelled articles; precision / recall in %).
#
# Words per shingle. k=3 and 4 recall a little more (99.6 against 99.3) but link more
# distinct articles (precision 71.8 and 78.2 against 78.8) and check 2.5-3.6 times as many
# candidates exactly; k=7 loses light edits (recall 89) and republished copies (93).
SHINGLE_WORDS = 5
# Shingle on Snowball stems (the search analyzer's), so "soldaterna"/"soldaten" match:
# light edits 98.6 stemmed, 96.8 on words.
STEM = True
# Shingles stay inside a paragraph (a blank line, or a line break after a sentence end,
# ends one): reordered paragraphs and boilerplate lines between paragraphs change no
# shingle of the text around them. Across paragraphs, reordered copies are lost (38).
ACROSS_LINES = False
# MinHash permutations, 4 bytes each in the signature (512 bytes). 64 lose truncated
# copies (93.6); 256 gain 0.3 on them for 1.5 times the time.
NUM_PERM = 128
# LSH banding: a pair collides in some band with probability 1 - (1 - J**ROWS)**BANDS,
# 50 % at J = 0.42 and 99 % at J = 0.62, so truncated copies (J about 0.6) become
# candidates (16 x 8 finds 59 % of them); the exact check below decides.
BANDS = 32
ROWS = 4
# A candidate is a near-duplicate when the Jaccard similarity of the shingle sets
# reaches JACCARD_THRESHOLD (0.6: precision 68.8; 0.8: light edits 80.1) ...
JACCARD_THRESHOLD = 0.7
# ... or when the smaller set is CONTAINMENT_THRESHOLD contained in the larger (a
# truncated copy: 99.3 found, 51.6 without) and the Jaccard similarity still reaches
# CONTAINMENT_MIN_JACCARD (so a short piece that is one paragraph of a long article is
# not its duplicate). Containment 0.8: precision 65.6.
CONTAINMENT_THRESHOLD = 0.9
CONTAINMENT_MIN_JACCARD = 0.5
# Texts with fewer shingles are only ever exact duplicates (a one-line article says too
# little for a near-duplicate to mean anything).
MIN_SHINGLES = 8
# Candidates whose MinHash estimate is this far below both thresholds are not checked
# exactly (2.3 standard deviations of the estimate at 128 permutations, at worst).
ESTIMATE_MARGIN = 0.1
# Articles kept per LSH bucket: bounds the candidates (at most BANDS x MAX_BUCKET), so the
# cost of an add does not grow with the corpus when many articles share a paragraph.
# 4, 8, 16 and no limit give the same precision and recall; 8 checks a third of the
# candidates of no limit.
MAX_BUCKET = 8
# Seeds the permutations: fixed, so signatures agree across processes and runs.
HASH_SEED = 0x6E79686574


@dataclass(frozen=True, slots=True)
class DedupParams:
    """Settings for exact and near-duplicate detection (passed whole, never field by field)."""

    shingle_words: int = SHINGLE_WORDS
    stem: bool = STEM
    across_lines: bool = ACROSS_LINES
    num_perm: int = NUM_PERM
    bands: int = BANDS
    rows: int = ROWS
    jaccard_threshold: float = JACCARD_THRESHOLD
    containment_threshold: float = CONTAINMENT_THRESHOLD
    containment_min_jaccard: float = CONTAINMENT_MIN_JACCARD
    min_shingles: int = MIN_SHINGLES
    estimate_margin: float = ESTIMATE_MARGIN
    max_bucket: int = MAX_BUCKET
    seed: int = HASH_SEED

    def __post_init__(self) -> None:
        if self.shingle_words < 1:
            raise ValueError(f"shingle_words must be at least 1, not {self.shingle_words}")
        if self.bands < 1 or self.rows < 1 or self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands x rows ({self.bands} x {self.rows}) must fit in num_perm "
                             f"({self.num_perm})")
        for name in ("jaccard_threshold", "containment_threshold", "containment_min_jaccard"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], not {value}")
        if self.max_bucket < 1:
            raise ValueError(f"max_bucket must be at least 1, not {self.max_bucket}")

    def signature_version(self) -> str:
        """What a stored signature depends on: signatures of two versions cannot be compared."""
        stem = "stem" if self.stem else "word"
        scope = "text" if self.across_lines else "line"
        return f"minhash32/{stem}{self.shingle_words}-{scope}/p{self.num_perm}/s{self.seed:x}"
