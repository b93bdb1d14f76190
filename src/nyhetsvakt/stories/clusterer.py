"""Incremental, time-aware story clustering: :class:`StoryClusterer`.

Adding an article (:meth:`StoryClusterer.add`):

1. *encoding*: every key of every family is hashed to 32 bits (CRC-32, the top three bits
   name the family) and weighted ``(1 + ln tf) * idf``, idf from a fixed-size hashed table
   of document frequencies (halved every ``df_half_life`` articles, so recent news weighs
   most); each family keeps its ``keep_keys`` heaviest keys, stored as a unit vector;
2. *blocking*: its heaviest names, numbers, quote shingles, stems and word beginnings
   (``block_keys`` in all) are looked up in an inverted index of the articles held.
   Each key keeps its ``max_postings`` most recent articles, so an add reads at most
   ``block_keys * max_postings`` postings whatever the corpus size. Members of stories
   that are cold for the new article's date (it falls more than ``cold_after_days``
   outside their first..last seen) are skipped, and the ``max_candidates`` sharing the
   most weight are scored;
3. *scoring*: per family, the cosine of the two tf-idf vectors; the pair score is
   ``sum(w * cos) / sqrt(sum(w the article has) * sum(w the candidate has))`` with the
   family weights ``weights_same`` (one language) or ``weights_cross`` (two; the score is
   then scaled by ``join_threshold / cross_join_threshold``); a story scores its best
   member, lowered by up to ``time_decay`` as the gap to the story nears
   ``cold_after_days`` (undated: ``undated_penalty``);
4. *deciding*: the best story reaching ``join_threshold`` takes the article, else it
   starts a story whose id derives from its article id. Members scoring at least
   ``join_threshold`` are returned as :class:`Link` objects, ``rewrite`` from
   ``rewrite_threshold`` on, with the names, numbers and sources both articles have.

Stories are never merged and an article never moves: ids stay stable, and the same
input in the same order gives the same stories. Memory is bounded: when more than
``max_active_articles`` are held (or, with ``retain_days``, a story is untouched that long
before the newest date seen) the stalest stories leave memory; :meth:`take_closed`
hands them over to whoever keeps them (the store).
"""

from __future__ import annotations

import hashlib
import heapq
import math
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np

from .features import FAMILIES, StoryFeatures, name_key
from .params import StoryParams

__all__ = ["Assignment", "Candidate", "Link", "Story", "StoryClusterer", "cluster", "story_id_for"]

LinkKind = Literal["rewrite", "same_story"]

_F = len(FAMILIES)
_SHIFT = 29  # key id: family index in the top three bits, 29 bits of CRC-32 below
_MASK = (1 << _SHIFT) - 1
_ENTITIES, _NUMBERS, _SOURCES = (FAMILIES.index(n) for n in ("entities", "numbers", "sources"))
# Families whose shared keys are shown as evidence on a link.
_SHOWN = (_ENTITIES, _NUMBERS, _SOURCES)
# Families used for blocking, with the share of block_keys each gets (names and numbers
# find cross-language rewrites; stems, word beginnings and quotes same-language ones).
_BLOCK_SHARE = {FAMILIES.index("entities"): 0.3, _NUMBERS: 0.15, FAMILIES.index("quotes"): 0.15,
                FAMILIES.index("terms"): 0.2, FAMILIES.index("grams"): 0.15, _SOURCES: 0.05}
_GOLDEN = np.uint64(0x9E3779B1)
_FAMILY_STARTS = np.array([fi << _SHIFT for fi in range(_F + 1)], dtype=np.uint64)
# Names whose folded key ids are kept (about 150 bytes each); cleared past this.
NAME_CACHE_SIZE = 200_000


def story_id_for(article_id: str) -> str:
    """The id of a story started by ``article_id``: ``s-`` and 16 hex digits of BLAKE2b."""
    return "s-" + hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).hexdigest()


@dataclass(frozen=True, slots=True)
class Link:
    """A member of the story the article was put in, how close, and why.

    ``kind`` is ``rewrite`` (the same report retold: republished, rewritten or translated
    wire copy) or ``same_story``; ``shared`` lists names, numbers and sources both have.
    """

    article_id: str
    score: float
    kind: LinkKind
    shared: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where an added article went: its story, the score that put it there (0.0 for a new
    story), whether the story is new, and its links to members of the story."""

    story_id: str
    score: float
    created: bool
    links: tuple[Link, ...] = ()
    candidates: int = 0


@dataclass(frozen=True, slots=True)
class Candidate:
    """One scored member for an article: its pair score, the score after time (what the
    story gets), each family's cosine (0.0 where a side has none of it) and which
    families both sides have."""

    article_id: str
    story_id: str
    score: float
    pair_score: float
    cosines: tuple[float, ...]
    present: tuple[bool, ...]
    same_language: bool


@dataclass(frozen=True, slots=True)
class Story:
    """A story as the clusterer holds it (the full record: :func:`build_story_record`)."""

    story_id: str
    article_ids: tuple[str, ...]
    first_seen: date | None
    last_seen: date | None
    languages: dict[str, int]
    outlets: dict[str, int]
    title: str
    active: bool


@dataclass(slots=True)
class _Scored:
    """Candidates of one article, best first, with their scores and per-family cosines."""

    members: list[_Member]
    score: np.ndarray  # pair score x time factor
    pair: np.ndarray
    cos: np.ndarray  # (candidates, families)
    q_mask: int  # the families the article has
    same: np.ndarray  # same language


class _Member:
    __slots__ = ("article_id", "centrality", "day", "headline", "ids", "keys", "language", "mask", "seq",
                 "story", "unit", "wsum")

    def __init__(self, article_id: str, seq: int, story: _Story, day: int | None, language: str | None,
                 headline: str, ids: np.ndarray, unit: np.ndarray, mask: int, wsum: tuple[float, float],
                 keys: Iterable[int]) -> None:
        self.article_id = article_id
        self.seq = seq
        self.story = story
        self.day = day
        self.language = language
        self.headline = headline
        self.ids = ids
        # Each family's tf-idf weights scaled to unit length, in half precision (three
        # significant digits are plenty, and it halves what an article costs in memory).
        self.unit = unit.astype(np.float16)
        self.mask = mask  # bit f: the article has keys of family f
        self.wsum = wsum  # the family weights it has: (same language, across languages)
        self.keys = np.fromiter(keys, dtype=np.uint32)
        self.centrality = 0.0


class _Story:
    __slots__ = ("first", "languages", "last", "members", "outlets", "seq", "story_id", "touch")

    def __init__(self, story_id: str, seq: int) -> None:
        self.story_id = story_id
        self.seq = seq
        self.first: int | None = None
        self.last: int | None = None
        self.members: list[_Member] = []
        self.languages: Counter[str] = Counter()
        self.outlets: Counter[str] = Counter()
        self.touch = math.inf  # day the story was last active (for eviction)

    def gap(self, day: int | None) -> int | None:
        """Days from ``day`` to the story's first..last seen (0 inside), None if unknown."""
        if day is None or self.first is None or self.last is None:
            return None
        return self.first - day if day < self.first else max(0, day - self.last)

    def view(self, active: bool) -> Story:
        central = max(self.members, key=lambda m: (m.centrality, -m.seq))
        return Story(self.story_id, tuple(m.article_id for m in self.members),
                     date.fromordinal(self.first) if self.first is not None else None,
                     date.fromordinal(self.last) if self.last is not None else None,
                     dict(self.languages), dict(self.outlets), central.headline, active)


class StoryClusterer:
    """Groups articles into stories, one article at a time."""

    def __init__(self, params: StoryParams | None = None) -> None:
        self.params = p = params or StoryParams()
        self._w_same = np.asarray(p.weights_same, dtype=np.float64)
        self._w_cross = np.asarray(p.weights_cross, dtype=np.float64)
        self._cross_scale = p.join_threshold / p.cross_join_threshold if p.cross_join_threshold else 1.0
        self._df = np.zeros(1 << p.df_bits, dtype=np.float32)
        self._df_shift = np.uint64(32 - p.df_bits)
        self._n = 0.0  # articles counted in _df (halved with it)
        self._since_halving = 0
        self._seq = 0
        self._postings: dict[int, list[_Member]] = {}
        self._name_ids: tuple[dict[str, int], dict[str, int]] = ({}, {})  # entities, sources
        self._block_caps = tuple(max(1, round(_BLOCK_SHARE.get(fi, 0.0) * p.block_keys)) if fi in _BLOCK_SHARE
                                 else 0 for fi in range(_F))
        self._members: dict[str, _Member] = {}
        self._stories: dict[str, _Story] = {}
        self._closed: dict[str, Story] = {}
        self._where_closed: dict[str, str] = {}
        self._heap: list[tuple[float, int, int, _Story]] = []
        self._high_water: int | None = None
        self.stats: Counter[str] = Counter()

    # -- public ----------------------------------------------------------------------------
    def add(self, article_id: str, features: StoryFeatures) -> Assignment:
        """Put an article in a story (an existing one or a new one) and index it.

        Adding an article id again changes nothing and returns its story.
        """
        known = self.story_of(article_id)
        if known is not None:
            return Assignment(known, 1.0, False)
        p = self.params
        ids, weights, shown = self._encode(features)
        keys = self._block_keys(ids, weights)
        scored = self._score(ids, weights, features, keys)
        self.stats["added"] += 1
        best = 0 if scored is not None and scored.score[0] >= p.join_threshold else None
        if best is None:
            story, created, score = self._new_story(article_id), True, 0.0
        else:
            assert scored is not None
            story, created, score = scored.members[0].story, False, float(scored.score[0])
        member = self._insert(article_id, features, story, ids, weights, keys)
        links = []
        if scored is not None and best is not None:
            for other, pair in zip(scored.members, scored.pair.tolist(), strict=True):
                if other.story is not story or pair < p.join_threshold:
                    continue
                member.centrality += pair
                other.centrality += pair
                if len(links) < p.max_links:
                    kind: LinkKind = "rewrite" if pair >= p.rewrite_threshold else "same_story"
                    links.append(Link(other.article_id, round(pair, 4), kind, _shared(ids, other.ids, shown)))
        self.stats["created" if created else "joined"] += 1
        self._evict()
        return Assignment(story.story_id, round(score, 4), created, tuple(links),
                          0 if scored is None else len(scored.members))

    def query(self, features: StoryFeatures) -> list[Candidate]:
        """The scored candidates for an article, best first, without adding it."""
        ids, weights, _ = self._encode(features)
        scored = self._score(ids, weights, features, self._block_keys(ids, weights))
        if scored is None:
            return []
        return [Candidate(m.article_id, m.story.story_id, float(scored.score[i]), float(scored.pair[i]),
                          tuple(float(x) for x in scored.cos[i]),
                          tuple(bool(scored.q_mask & m.mask & (1 << fi)) for fi in range(_F)),
                          bool(scored.same[i]))
                for i, m in enumerate(scored.members)]

    def restore(self, article_id: str, features: StoryFeatures, story_id: str) -> None:
        """Index an article already assigned to ``story_id`` (from the store), deciding nothing.

        Restore the still-active window in date order before adding new articles.
        """
        if article_id in self._members:
            return
        story = self._stories.get(story_id)
        if story is None:
            story = self._stories[story_id] = _Story(story_id, self._next_seq())
        ids, weights, _ = self._encode(features)
        self._insert(article_id, features, story, ids, weights, self._block_keys(ids, weights))
        self.stats["restored"] += 1
        self._evict()

    def observe(self, features: StoryFeatures) -> None:
        """Count an article in the document frequencies only (no story, no postings).

        A store-backed run restores the active window with :meth:`restore`; observing the
        older articles before it gives the key weights the statistics of the whole corpus, as a
        single run over everything would have.
        """
        ids, _, _ = self._encode(features)
        self._count(ids, +1.0)

    def story_of(self, article_id: str) -> str | None:
        """The story of an article added or restored (and not yet handed over closed)."""
        member = self._members.get(article_id)
        return member.story.story_id if member is not None else self._where_closed.get(article_id)

    def stories(self) -> list[Story]:
        """Every story held: active ones and closed ones not yet taken, oldest first."""
        active = [s.view(True) for s in sorted(self._stories.values(), key=lambda s: s.seq)]
        return list(self._closed.values()) + active

    def membership(self) -> dict[str, str]:
        """Article id -> story id, for every article held."""
        out = dict(self._where_closed)
        out.update((a, m.story.story_id) for a, m in self._members.items())
        return out

    def take_closed(self) -> list[Story]:
        """Stories that left memory since the last call; forgets them."""
        out = list(self._closed.values())
        self._closed.clear()
        self._where_closed.clear()
        return out

    @property
    def active_articles(self) -> int:
        return len(self._members)

    # -- encoding ---------------------------------------------------------------------------
    def _encode(self, f: StoryFeatures) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
        """Sorted key ids and their tf-idf weights (each family cut to its ``keep_keys``
        heaviest), and the written form of name, number and source keys."""
        all_ids: list[int] = []
        all_counts: list[int] = []
        shown: dict[int, str] = {}
        crc = zlib.crc32
        for fi, family in enumerate(FAMILIES):
            keys = f.family(family)
            if not keys:
                continue
            top = fi << _SHIFT
            if fi in (_ENTITIES, _SOURCES):
                fam_ids = [self._name_id(fi, k) for k in keys]
            else:  # hashing is cheaper than a cache lookup here
                fam_ids = [top | (crc(k.encode("utf-8")) & _MASK) for k in keys]
            all_ids.extend(fam_ids)
            all_counts.extend(keys.values())
            if fi in _SHOWN:
                for k, i in zip(keys, fam_ids, strict=True):
                    shown.setdefault(i, k)
        ids = np.array(all_ids, dtype=np.int64)
        counts = np.array(all_counts, dtype=np.float32)
        keep = ids >= 0
        ids, counts = ids[keep].astype(np.uint32), counts[keep]
        order = np.argsort(ids, kind="stable")
        ids, counts = ids[order], counts[order]
        if len(ids) > 1 and (ids[1:] == ids[:-1]).any():  # spellings of one name (or a rare CRC clash)
            ids, inverse = np.unique(ids, return_inverse=True)
            counts = np.bincount(inverse, counts).astype(np.float32)
        tf = 1.0 + np.log(counts)
        weights = tf * self._idf(ids)
        keep_idx = self._heaviest(ids, weights, self.params.keep_keys)
        return ids[keep_idx], weights[keep_idx], shown

    def _name_id(self, fi: int, name: str) -> int:
        """The id of a name's folded key (-1 for none), cached: folding costs more than hashing."""
        cache = self._name_ids[fi == _SOURCES]
        kid = cache.get(name)
        if kid is None:
            if len(cache) > NAME_CACHE_SIZE:
                cache.clear()
            norm = " ".join(name_key(w) for w in name.split()) if fi == _SOURCES else name_key(name)
            kid = cache[name] = (fi << _SHIFT) | (zlib.crc32(norm.encode("utf-8")) & _MASK) if norm else -1
        return kid

    @staticmethod
    def _heaviest(ids: np.ndarray, weights: np.ndarray, caps: Sequence[int]) -> np.ndarray:
        """Indices (ascending) of each family's ``caps[family]`` heaviest keys in sorted ``ids``
        (ties: the smaller id)."""
        bounds = np.searchsorted(ids, _FAMILY_STARTS)
        parts = []
        for fi, cap in enumerate(caps):
            lo, hi = int(bounds[fi]), int(bounds[fi + 1])
            if hi - lo <= cap:
                if hi > lo and cap:
                    parts.append(np.arange(lo, hi))
            elif cap:
                parts.append(lo + np.sort(np.argsort(-weights[lo:hi], kind="stable")[:cap]))
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.intp)

    def _slots(self, ids: np.ndarray) -> np.ndarray:
        return ((ids.astype(np.uint64) * _GOLDEN) & np.uint64(0xFFFFFFFF)) >> self._df_shift

    def _idf(self, ids: np.ndarray) -> np.ndarray:
        d = self._df[self._slots(ids)].astype(np.float64)
        return np.log1p((np.maximum(self._n - d, 0.0) + 0.5) / (d + 0.5))

    def _block_keys(self, ids: np.ndarray, weights: np.ndarray) -> dict[int, float]:
        """The heaviest keys of the blocking families (each family its share of
        ``block_keys``) with their tf-idf weights."""
        idx = self._heaviest(ids, weights, self._block_caps)
        return dict(zip(ids[idx].tolist(), weights[idx].tolist(), strict=True))

    # -- scoring ----------------------------------------------------------------------------
    def _score(self, ids: np.ndarray, q_w: np.ndarray, f: StoryFeatures,
               keys: dict[int, float]) -> _Scored | None:
        """Candidates from the blocking index, scored all at once; None without any.

        ``q_w``: the article's tf-idf weights; ``keys``: its blocking keys and their weights.
        """
        p = self.params
        hits: dict[_Member, float] = {}
        found = 0
        get = hits.get
        postings = self._postings
        for kid, weight in keys.items():
            posting = postings.get(kid)
            if posting:
                found += len(posting)
                for m in posting:
                    hits[m] = get(m, 0.0) + weight
        self.stats["postings_seen"] += found
        if not hits:
            return None
        day, cold = f.day, p.cold_after_days
        gaps: dict[_Story, int | None] = {}
        cands: list[_Member] = []
        # most shared weight first (a stable sort: ties in the order the postings gave them)
        for m, _ in sorted(hits.items(), key=_second, reverse=True):
            story = m.story
            if story not in gaps:
                gaps[story] = story.gap(day)
            gap = gaps[story]
            if gap is None or gap <= cold:
                cands.append(m)
                if len(cands) == p.max_candidates:
                    break
        if not cands:
            return None

        # Per (candidate, family), the cosine of the two tf-idf vectors, all candidates at
        # once. A candidate's vector is weighted as when it was added (idf moves slowly;
        # re-weighting it would cost a random read per key).
        q_unit, q_mask = self._unit(ids, q_w)
        lengths = [len(m.ids) for m in cands]
        c_ids = np.concatenate([m.ids for m in cands])
        c_unit = np.concatenate([m.unit for m in cands])
        cell = np.repeat(np.arange(len(cands)) * _F, lengths) + (c_ids >> _SHIFT).astype(np.intp)
        if len(ids):
            pos = np.searchsorted(ids, c_ids)
            pos[pos >= len(ids)] = 0
            hit = ids[pos] == c_ids
            cos = np.bincount(cell[hit], c_unit[hit] * q_unit[pos[hit]], minlength=len(cands) * _F)
            cos = cos.reshape(-1, _F)
        else:
            cos = np.zeros((len(cands), _F))
        # The pair score: sum(w * cos) / sqrt(sum(w the article has) * sum(w the candidate
        # has)), the cosine of the two articles with every family a unit vector scaled by
        # sqrt(w). A small family (a few names) counts as much as a large one (hundreds of
        # stems) of the same weight; a family only one side has counts against the pair as
        # an unmatched part of that side.
        language = f.language
        same = np.fromiter((m.language == language for m in cands), dtype=bool, count=len(cands))
        weights = np.where(same[:, None], self._w_same, self._w_cross)
        q_sums = (self._w_same @ _bits(q_mask), self._w_cross @ _bits(q_mask))
        scale = np.sqrt(np.fromiter((q_sums[0] * m.wsum[0] if m.language == language
                                     else q_sums[1] * m.wsum[1] for m in cands),
                                    dtype=np.float64, count=len(cands)))
        pair = np.divide((weights * cos).sum(axis=1), scale, out=np.zeros(len(cands)), where=scale > 0)
        # one threshold for both: a cross-language score is scaled to the same-language scale
        pair = np.where(same, pair, np.minimum(1.0, pair * self._cross_scale))
        factor = np.fromiter((1.0 - p.undated_penalty if (g := gaps[m.story]) is None
                              else 1.0 - p.time_decay * min(g, cold) / cold for m in cands),
                             dtype=np.float64, count=len(cands))
        seq = np.fromiter((m.seq for m in cands), dtype=np.int64, count=len(cands))
        score = pair * factor
        order = np.lexsort((seq, -score))
        self.stats["candidates_scored"] += len(cands)
        return _Scored([cands[i] for i in order], score[order], pair[order], cos[order], q_mask, same[order])

    def _unit(self, ids: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, int]:
        """Each family's part of ``w`` scaled to unit length, and the mask of families present."""
        fam = (ids >> _SHIFT).astype(np.intp)
        norm = np.sqrt(np.bincount(fam, w * w, minlength=_F))
        mask = sum(1 << fi for fi in range(_F) if norm[fi] > 0)
        return w / np.where(norm > 0, norm, 1.0)[fam], mask

    # -- bookkeeping ------------------------------------------------------------------------
    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _new_story(self, article_id: str) -> _Story:
        story_id = story_id_for(article_id)
        n = 1
        while story_id in self._stories or story_id in self._closed:  # 64-bit ids: practically never
            n += 1
            story_id = f"{story_id_for(article_id)}-{n}"
        story = self._stories[story_id] = _Story(story_id, self._next_seq())
        return story

    def _insert(self, article_id: str, f: StoryFeatures, story: _Story, ids: np.ndarray, weights: np.ndarray,
                keys: dict[int, float]) -> _Member:
        unit, mask = self._unit(ids, weights)
        wsum = (float(self._w_same @ _bits(mask)), float(self._w_cross @ _bits(mask)))
        member = _Member(article_id, self._next_seq(), story, f.day, f.language, f.headline, ids, unit, mask,
                         wsum, keys)
        self._members[article_id] = member
        story.members.append(member)
        if f.language:
            story.languages[f.language] += 1
        if f.outlet:
            story.outlets[f.outlet] += 1
        if f.day is not None:
            story.first = f.day if story.first is None else min(story.first, f.day)
            story.last = f.day if story.last is None else max(story.last, f.day)
            self._high_water = f.day if self._high_water is None else max(self._high_water, f.day)
        story.touch = story.last if story.last is not None else (
            self._high_water if self._high_water is not None else math.inf)
        heapq.heappush(self._heap, (story.touch, story.seq, member.seq, story))
        cap = self.params.max_postings
        for kid in member.keys.tolist():
            posting = self._postings.setdefault(kid, [])
            posting.append(member)
            if len(posting) > cap:
                del posting[0]
        self._count(ids, +1.0)
        return member

    def _count(self, ids: np.ndarray, sign: float) -> None:
        # Two keys of one article in one slot count once there: the table is approximate anyway.
        self._df[self._slots(ids)] += sign
        self._n += sign
        if sign > 0:
            self._since_halving += 1
            if self._since_halving >= self.params.df_half_life:
                self._df *= 0.5
                self._n *= 0.5
                self._since_halving = 0

    def _evict(self) -> None:
        p = self.params
        while self._heap:
            touch, _, mseq, story = self._heap[0]
            if story.story_id not in self._stories or self._stories[story.story_id] is not story or (
                    touch != story.touch or mseq != story.members[-1].seq):
                heapq.heappop(self._heap)  # stale entry: the story moved on or is gone
                continue
            too_many = len(self._members) > p.max_active_articles
            too_old = (p.retain_days is not None and self._high_water is not None
                       and touch < self._high_water - p.retain_days)
            if not (too_many or too_old):
                break
            heapq.heappop(self._heap)
            self._close(story)

    def _close(self, story: _Story) -> None:
        self._closed[story.story_id] = story.view(False)
        del self._stories[story.story_id]
        for m in story.members:
            del self._members[m.article_id]
            self._where_closed[m.article_id] = story.story_id
            for kid in m.keys.tolist():
                posting = self._postings.get(kid)
                if posting is None:
                    continue
                try:
                    posting.remove(m)
                except ValueError:
                    pass  # already pushed out of a full posting list
                if not posting:
                    del self._postings[kid]
        self.stats["closed"] += 1


def _second(item: tuple[object, float]) -> float:
    return item[1]


def _bits(mask: int) -> np.ndarray:
    """A family mask as a 0/1 vector (one entry per family)."""
    return np.array([(mask >> fi) & 1 for fi in range(_F)], dtype=np.float64)


def _shared(a: np.ndarray, b: np.ndarray, shown: dict[int, str]) -> tuple[str, ...]:
    """Names, numbers and sources (as the new article writes them) that both have."""
    both = np.intersect1d(a, b, assume_unique=True).tolist()
    return tuple(dict.fromkeys(shown[k] for k in both if k in shown))


def cluster(items: Iterable[tuple[str, StoryFeatures]], params: StoryParams | None = None) -> dict[str, str]:
    """Batch: article id -> story id, adding in the order given."""
    clusterer = StoryClusterer(params)
    for article_id, features in items:
        clusterer.add(article_id, features)
    return clusterer.membership()
