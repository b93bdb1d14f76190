"""``duplicate_of`` for articles as they arrive: in a run (:class:`Deduplicator`) or
against everything stored before (:class:`StoreDeduplicator`).

Copies are found in two ways. Exact copies (the same normalised text) are found at any
age, through the store's index of exact keys. Near copies are found by the in-memory
:class:`~.index.NearDuplicateIndex`, which a store-backed run first warms with the
fingerprints of the articles published in the last :data:`WINDOW_DAYS` days before the
newest stored one: republished wire copy runs within days, and memory stays bounded
however large the store grows.

When an earlier article arrives after its copies (an archive ingested out of order), it
becomes their origin and :meth:`Deduplicator.regrouped` says which stored articles now
point to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..records import Article
from .fingerprint import Fingerprint, article_text
from .index import DuplicateMatch, NearDuplicateIndex
from .params import DedupParams

if TYPE_CHECKING:
    from ..store.base import Store

__all__ = ["WINDOW_DAYS", "Deduplicator", "StoreDeduplicator"]

WINDOW_DAYS = 30
STEP = "dedup"


class Deduplicator:
    """Sets ``duplicate_of`` on articles in arrival order, the earliest of a group as origin."""

    def __init__(self, params: DedupParams | None = None) -> None:
        self.index = NearDuplicateIndex(params)
        self.fingerprinter = self.index.fingerprinter

    def assign(self, articles: Sequence[Article], fingerprints: Sequence[Fingerprint] | None = None,
               version: str | None = None) -> list[tuple[str, Fingerprint]]:
        """Fingerprint and match each article; returns ``(id, fingerprint)`` for storing.

        ``fingerprints`` made elsewhere (by a worker, one per article) are used when they
        were made with this deduplicator's ``version``; otherwise they are made here.
        """
        usable = fingerprints is not None and version == self.fingerprinter.version
        out = []
        for i, a in enumerate(articles):
            fp = fingerprints[i] if usable else self.fingerprinter.fingerprint(article_text(a), a.language)
            match = self.index.add_fingerprint(a.id, fp, a.published)
            origin = match.duplicate_of if match is not None else self.older_exact(fp, a)
            _set(a, origin, match)
            out.append((a.id, fp))
        return out

    def older_exact(self, fp: Fingerprint, article: Article) -> str | None:
        """An exact copy the index does not hold (older than its window): none in a run."""
        return None

    def regrouped(self) -> dict[str, str]:
        """Articles whose origin changed since the last call: ``{id: new origin}``."""
        return {key: m.duplicate_of for key, m in self.index.take_regrouped().items()}


class StoreDeduplicator(Deduplicator):
    """A :class:`Deduplicator` that knows what the store holds already."""

    def __init__(self, store: Store, params: DedupParams | None = None,
                 window_days: int = WINDOW_DAYS) -> None:
        super().__init__(params)
        self.store = store
        self.window_days = window_days
        self._warm = False

    def warm(self) -> int:
        """Load the fingerprints of the recent stored articles into the index; returns how many."""
        self._warm = True
        newest = self.store.newest_published()
        since = (newest - timedelta(days=self.window_days)).isoformat() if newest else ""
        n = 0
        for key, published, fp in self.store.recent_fingerprints(since, self.fingerprinter.version):
            self.index.add_fingerprint(key, fp, date.fromisoformat(published) if published else None)
            n += 1
        self.index.take_regrouped()  # stored assignments are what they are
        return n

    def assign(self, articles: Sequence[Article], fingerprints: Sequence[Fingerprint] | None = None,
               version: str | None = None) -> list[tuple[str, Fingerprint]]:
        if not self._warm:
            self.warm()
        return super().assign(articles, fingerprints, version)

    def older_exact(self, fp: Fingerprint, article: Article) -> str | None:
        origin = self.store.exact_origin(fp.exact, article.id)
        # A copy the index holds was weighed by it already (the new article may be the earlier one).
        return None if origin is None or origin in self.index else origin


def _set(article: Article, origin: str | None, match: DuplicateMatch | None) -> None:
    article.duplicate_of = origin if origin != article.id else None
    if article.duplicate_of is None:
        return
    if match is not None:
        article.note(STEP, "duplicate_of", origin, cue=f"{match.kind} ({match.measure}) of {match.matched}",
                     score=round(match.similarity, 4))
    else:
        article.note(STEP, "duplicate_of", origin, cue="exact (hash), stored earlier", score=1.0)
