"""``story_id`` for articles as they arrive: in one run (:class:`StoryAssigner`) or
continuing the stories already stored (:class:`StoreStoryAssigner`).

A store-backed assigner first restores, in date order, the articles published within the
clusterer's cold window (``StoryParams.cold_after_days``) before the newest stored one: only
those stories can still take a new article, so memory and the cost of an add stay bounded
however large the store grows. Story records are rebuilt for the stories an ingest touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..records import Article
from .clusterer import StoryClusterer
from .features import FEATURES_VERSION, StoryFeatures, features_of
from .params import StoryParams

if TYPE_CHECKING:
    from ..store.base import Store

__all__ = ["Assigned", "StoreStoryAssigner", "StoryAssigner"]

STEP = "stories"
# Days before the active window whose articles are counted in the document frequencies.
OBSERVE_DAYS = 365


@dataclass
class Assigned:
    """What one batch of articles did: features and links to keep, stories to rebuild."""

    features: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    computed: dict[str, StoryFeatures] = field(default_factory=dict)  # the same, by article id
    links: list[tuple[str, str, float, str, Sequence[str]]] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)


class StoryAssigner:
    """Puts each article in a story (an existing one or a new one), in arrival order."""

    def __init__(self, params: StoryParams | None = None) -> None:
        self.params = params or StoryParams()
        self.clusterer = StoryClusterer(self.params)

    def assign(self, articles: Sequence[Article],
               features: Sequence[StoryFeatures] | None = None) -> Assigned:
        """``features`` made elsewhere (by a worker, one per article) are used when they are
        of this version; otherwise they are computed here."""
        usable = features is not None and all(f.version == FEATURES_VERSION for f in features)
        out = Assigned()
        for i, a in enumerate(articles):
            f = features[i] if usable else features_of(a)
            got = self.clusterer.add(a.id, f)
            a.story_id = got.story_id
            cue = "new story" if got.created else f"joined, {got.candidates} candidates compared"
            a.note(STEP, "story_id", got.story_id, cue=cue, score=got.score)
            out.features.append((a.id, f.to_dict()))
            out.computed[a.id] = f
            out.links.extend((a.id, ln.article_id, ln.score, ln.kind, ln.shared) for ln in got.links)
            out.touched.add(got.story_id)
        return out


class StoreStoryAssigner(StoryAssigner):
    """A :class:`StoryAssigner` that continues the stories of a store."""

    def __init__(self, store: Store, params: StoryParams | None = None) -> None:
        super().__init__(params)
        self.store = store
        self._warm = False

    def warm(self) -> int:
        """Restore the articles of the stories that can still grow; returns how many.

        The :data:`OBSERVED` articles before that window are counted in the document
        frequencies only, so key weights are those of the corpus, not of a few days.
        """
        self._warm = True
        newest = self.store.newest_published()
        since = (newest - timedelta(days=self.params.cold_after_days)).isoformat() if newest else ""
        history = since and (newest - timedelta(days=OBSERVE_DAYS)).isoformat()
        n = 0
        for key, published, story_id, data in self.store.active_story_features(history, FEATURES_VERSION):
            features = StoryFeatures.from_dict(data)
            if published and published < since:
                self.clusterer.observe(features)
            elif story_id:
                self.clusterer.restore(key, features, story_id)
                n += 1
        return n

    def assign(self, articles: Sequence[Article],
               features: Sequence[StoryFeatures] | None = None) -> Assigned:
        if not self._warm:
            self.warm()
        return super().assign(articles, features)
