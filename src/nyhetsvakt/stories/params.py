"""The story clustering parameters: one options object, with defaults set by measurement.

Every default was chosen with ``benchmarks/stories.py`` (``benchmarks/results/stories.md``,
``docs/stories.md``) on a labelled stream of generated rewrites, translations by variation
and follow-ups of seed-like articles among distractors, and checked on the seed files.
"""

from __future__ import annotations

from dataclasses import dataclass

from .features import FAMILIES

__all__ = ["StoryParams"]

# -- deciding ------------------------------------------------------------------------------
# A new article joins the best story whose score reaches this; otherwise it starts one.
# Two articles in different languages share fewer keys: their pair score is scaled by
# JOIN_THRESHOLD / CROSS_JOIN_THRESHOLD, so they join from CROSS_JOIN_THRESHOLD on.
JOIN_THRESHOLD = 0.35
CROSS_JOIN_THRESHOLD = 0.25
# A link to a member whose pair score reaches this is a "rewrite" (the same report
# retold), below it "same_story".
REWRITE_THRESHOLD = 0.45
# The pair score is the cosine of the two articles' tf-idf vectors with each family's part
# weighted, for two articles in one language and for two in different languages (stems
# rarely agree across languages; word beginnings and names carry those pairs). Order:
# features.FAMILIES (terms, grams, entities, numbers, quotes, sources).
WEIGHTS_SAME = (1.0, 1.0, 2.0, 0.25, 0.25, 1.0)
WEIGHTS_CROSS = (0.25, 1.0, 3.0, 0.25, 0.0, 1.0)

# -- time ----------------------------------------------------------------------------------
# A story takes no article dated more than this many days outside its first..last seen.
COLD_AFTER_DAYS = 7
# The score is lowered by up to this share as the gap to the story nears COLD_AFTER_DAYS.
TIME_DECAY = 0.5
# Share taken off the score of an undated article (or story): its gap is unknown.
UNDATED_PENALTY = 0.05

# -- cost ----------------------------------------------------------------------------------
# Keys per article put in (and looked up in) the blocking index: its rarest names,
# numbers and stems by the current document frequencies.
BLOCK_KEYS = 16
# Articles kept per blocking key (the most recent): bounds the candidates of an add.
MAX_POSTINGS = 16
# Candidates scored in full (the most keys shared, weighted by rarity).
MAX_CANDIDATES = 24
# Keys kept in memory per family for an indexed article (the highest tf-idf when added).
KEEP_KEYS = (96, 96, 48, 24, 48, 16)
# At most this many articles are held in memory: past it, the stories last seen earliest
# leave memory (take_closed hands them over). Optionally (None: off) also every story
# untouched for RETAIN_DAYS before the newest date seen; off by default, because input
# comes out of date order (an archive ingested after today's news).
MAX_ACTIVE_ARTICLES = 100_000
RETAIN_DAYS: int | None = None
# Document frequencies: a hashed table of 2**DF_BITS counters, halved each time this many
# articles have been counted since the last halving (recent news weighs most).
DF_BITS = 20
DF_HALF_LIFE = 50_000
# Links reported per assignment.
MAX_LINKS = 5


@dataclass(frozen=True, slots=True)
class StoryParams:
    """Settings for story clustering (passed whole, never field by field)."""

    join_threshold: float = JOIN_THRESHOLD
    cross_join_threshold: float = CROSS_JOIN_THRESHOLD
    rewrite_threshold: float = REWRITE_THRESHOLD
    weights_same: tuple[float, ...] = WEIGHTS_SAME
    weights_cross: tuple[float, ...] = WEIGHTS_CROSS
    cold_after_days: int = COLD_AFTER_DAYS
    time_decay: float = TIME_DECAY
    undated_penalty: float = UNDATED_PENALTY
    block_keys: int = BLOCK_KEYS
    max_postings: int = MAX_POSTINGS
    max_candidates: int = MAX_CANDIDATES
    keep_keys: tuple[int, ...] = KEEP_KEYS
    retain_days: int | None = RETAIN_DAYS
    max_active_articles: int = MAX_ACTIVE_ARTICLES
    df_bits: int = DF_BITS
    df_half_life: int = DF_HALF_LIFE
    max_links: int = MAX_LINKS

    def __post_init__(self) -> None:
        for name in ("weights_same", "weights_cross", "keep_keys"):
            if len(getattr(self, name)) != len(FAMILIES):
                raise ValueError(f"{name} needs one value per family {FAMILIES}")
        if not any(self.weights_same) or not any(self.weights_cross):
            raise ValueError("the family weights must not all be zero")
        for name in ("join_threshold", "cross_join_threshold", "rewrite_threshold"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], not {getattr(self, name)}")
        for name in ("cold_after_days", "block_keys", "max_postings", "max_candidates",
                     "max_active_articles", "df_half_life"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        if not 10 <= self.df_bits <= 28:
            raise ValueError(f"df_bits must be in 10..28, not {self.df_bits}")
        if self.retain_days is not None and self.retain_days < self.cold_after_days:
            raise ValueError("retain_days must be at least cold_after_days")
