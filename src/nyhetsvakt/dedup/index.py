"""The incremental duplicate index: exact keys, LSH buckets, exact confirmation, origins.

Adding an article (:meth:`NearDuplicateIndex.add`):

1. its exact key is looked up: a hit is an exact duplicate (similarity 1.0);
2. otherwise the LSH bands of its MinHash signature are looked up; every article sharing
   a band is a candidate, candidates whose signature estimate is far below both
   thresholds are dropped, and of the rest the closest of each duplicate group is
   confirmed on the shingle sets themselves (Jaccard, or containment for a truncated
   copy), all candidates in one vectorised pass;
3. a confirmed article belongs to a duplicate group whose *origin* is its earliest
   article (by date; undated articles after dated ones; ties by arrival). The new
   article joins the group with the earliest origin, and ``add`` returns a
   :class:`DuplicateMatch` naming that origin, the article actually matched and the
   similarity. If the new article is earlier than every origin it matched, it becomes
   their origin instead: ``add`` returns None and :meth:`~NearDuplicateIndex.take_regrouped`
   hands over the articles whose ``duplicate_of`` changed.

Groups are never merged through a chain of matches: an article joins one group, so two
unrelated texts are never linked through a third that resembles both.

Cost per add does not grow with the corpus: a bucket keeps at most ``max_bucket``
articles (the first to arrive), so an add checks at most ``bands * max_bucket`` candidates.
Memory per article is constant: the signature (``4 * num_perm`` bytes), the shingle set
(4 bytes a shingle) and one bucket entry per band.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np

from ..records import Article
from .fingerprint import Fingerprint, Fingerprinter, article_text
from .params import DedupParams

__all__ = ["DuplicateMatch", "NearDuplicateIndex", "find_duplicates"]

DuplicateKind = Literal["exact", "near"]
SimilarityMeasure = Literal["hash", "jaccard", "containment"]

_EXACT, _JACCARD, _CONTAINMENT = 1, 2, 3
_KINDS: dict[int, tuple[DuplicateKind, SimilarityMeasure]] = {
    _EXACT: ("exact", "hash"), _JACCARD: ("near", "jaccard"), _CONTAINMENT: ("near", "containment")}
# Sorts undated articles after every date (date.max.toordinal() is 3 652 059).
_UNDATED = 1 << 23
_INITIAL_CAPACITY = 1024

# (article id, similarity, kind) of one confirmed match
_Found = tuple[int, float, int]


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """Why an article is a duplicate: of which origin, through which article, how similar.

    ``duplicate_of`` is the origin (the earliest article of the group); ``matched`` is
    the article the similarity was measured against (often the origin itself);
    ``measure`` says which similarity: ``hash`` (equal exact keys, 1.0), ``jaccard``
    (shingle sets) or ``containment`` (share of the smaller set inside the larger).
    """

    duplicate_of: str
    matched: str
    similarity: float
    kind: DuplicateKind
    measure: SimilarityMeasure


class NearDuplicateIndex:
    """Exact and near-duplicate detection over a growing set of articles."""

    def __init__(self, params: DedupParams | None = None) -> None:
        self.params = p = params or DedupParams()
        self.fingerprinter = Fingerprinter(p)
        self._width = p.bands * p.rows
        rng = np.random.Generator(np.random.PCG64(p.seed + 1))
        self._band_mult = rng.integers(0, 2**64, size=p.rows, dtype=np.uint64, endpoint=False) | np.uint64(1)
        self._bands: list[dict[int, int | list[int]]] = [{} for _ in range(p.bands)]
        self._exact: dict[int, int] = {}
        self._keys: list[str] = []
        self._ids: dict[str, int] = {}
        cap = _INITIAL_CAPACITY
        self._sigs = np.empty((cap, p.num_perm), dtype=np.uint32)
        self._order = np.empty(cap, dtype=np.int64)
        self._origin = np.empty(cap, dtype=np.int64)
        self._sh_start = np.empty(cap, dtype=np.int64)
        self._sh_end = np.empty(cap, dtype=np.int64)
        self._shingles = np.empty(cap * 256, dtype=np.uint32)
        self._sh_used = 0
        self._found: dict[int, _Found] = {}  # duplicate -> what it matched
        self._members: dict[int, list[int]] = {}  # origin -> its duplicates
        self._regrouped: set[int] = set()
        # Counted as they happen (adds and queries): added, exact, near, regrouped (articles
        # moved to an earlier origin), candidates (from the buckets), rejected_estimate
        # (dropped on the MinHash estimate), same_group (not checked: a closer candidate of
        # its group was), checked (exactly), rejected_exact (checked, below the thresholds),
        # too_short (fewer than min_shingles shingles), bucket_full (band entries not kept).
        self.stats: Counter[str] = Counter()

    # -- public API ---------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def add(self, key: str, text: str, when: date | None = None,
            language: str | None = None) -> DuplicateMatch | None:
        """Index ``text`` under ``key``; return what it duplicates, or None if nothing earlier.

        ``when`` orders articles (the earliest of a group is its origin); ``language``
        picks the stemmer. Adding a key again changes nothing and returns its current match.
        """
        if key in self._ids:
            return self.match(key)
        return self.add_fingerprint(key, self.fingerprinter.fingerprint(text, language), when)

    def add_fingerprint(self, key: str, fp: Fingerprint, when: date | None = None) -> DuplicateMatch | None:
        """:meth:`add` for a fingerprint made already (by this index's :attr:`fingerprinter`)."""
        if key in self._ids:
            return self.match(key)
        band_keys = self._band_keys(fp.signature)
        found, twin = self._find(fp, band_keys)
        new = self._append(key, fp, when, twin, band_keys)
        self.stats["added"] += 1
        if not found:
            return None
        match = self._join(new, found)
        if match is not None:
            self.stats[match.kind] += 1
        return match

    def query(self, text: str, language: str | None = None) -> DuplicateMatch | None:
        """What ``text`` would duplicate (the earliest origin it matches), without adding it."""
        return self.query_fingerprint(self.fingerprinter.fingerprint(text, language))

    def query_fingerprint(self, fp: Fingerprint) -> DuplicateMatch | None:
        found, _ = self._find(fp, self._band_keys(fp.signature))
        if not found:
            return None
        groups = self._by_group(found)
        origin = min(groups, key=self._order.__getitem__)
        return self._as_match(origin, groups[origin])

    def match(self, key: str) -> DuplicateMatch | None:
        """The current match of an indexed article (None: it is an origin). KeyError if unknown."""
        i = self._ids[key]
        origin = int(self._origin[i])
        return None if origin == i else self._as_match(origin, self._found[i])

    def origin(self, key: str) -> str:
        """The origin of the group ``key`` belongs to (``key`` itself for an origin)."""
        return self._keys[int(self._origin[self._ids[key]])]

    def matches(self) -> dict[str, DuplicateMatch]:
        """Every duplicate in the index with its current match, in order of arrival."""
        out: dict[str, DuplicateMatch] = {}
        for i in sorted(self._found):
            origin = int(self._origin[i])
            if origin != i:
                out[self._keys[i]] = self._as_match(origin, self._found[i])
        return out

    def take_regrouped(self) -> dict[str, DuplicateMatch]:
        """Articles whose ``duplicate_of`` changed after they were added (an earlier article
        arrived and became their origin), with their new match; cleared by the call."""
        out = {self._keys[i]: self._as_match(int(self._origin[i]), self._found[i])
               for i in sorted(self._regrouped)}
        self._regrouped.clear()
        return out

    # -- finding ------------------------------------------------------------------------

    def _find(self, fp: Fingerprint, band_keys: list[int]) -> tuple[list[_Found], int | None]:
        """Confirmed matches of a fingerprint, and its exact twin if it has one."""
        twin = self._exact.get(int(fp.exact[:16], 16))
        if twin is not None:
            return [(twin, 1.0, _EXACT)], twin
        return self._confirmed(fp, band_keys), None

    def _band_keys(self, signature: np.ndarray) -> list[int]:
        bands = signature[: self._width].reshape(self.params.bands, self.params.rows).astype(np.uint64)
        bands *= self._band_mult
        return bands.sum(axis=1, dtype=np.uint64).tolist()

    def _candidates(self, band_keys: list[int]) -> list[int]:
        out: set[int] = set()
        for table, band_key in zip(self._bands, band_keys, strict=True):
            bucket = table.get(band_key)
            if bucket is None:
                continue
            if type(bucket) is int:
                out.add(bucket)
            else:
                out.update(bucket)
        return list(out)

    def _confirmed(self, fp: Fingerprint, band_keys: list[int]) -> list[_Found]:
        p = self.params
        n_a = fp.shingles.size
        if n_a < p.min_shingles:
            self.stats["too_short"] += 1
            return []
        candidates = self._candidates(band_keys)
        if not candidates:
            return []
        self.stats["candidates"] += len(candidates)
        ids = np.array(candidates, dtype=np.int64)
        est = np.count_nonzero(self._sigs[ids] == fp.signature, axis=1) / p.num_perm
        n_b = self._sh_end[ids] - self._sh_start[ids]
        # Containment from the Jaccard estimate and the set sizes: |A ∩ B| = J (|A| + |B|) / (1 + J).
        est_c = est * (n_a + n_b) / ((1.0 + est) * np.minimum(n_a, n_b))
        m = p.estimate_margin
        keep = (est >= p.jaccard_threshold - m) | (
            (est_c >= p.containment_threshold - m) & (est >= p.containment_min_jaccard - m))
        ids, n_b, est = ids[keep], n_b[keep], est[keep]
        self.stats["rejected_estimate"] += len(candidates) - ids.size
        if ids.size > 1:
            # One candidate per group, the closest by the estimate: a wire story republished
            # fifty times is one group, checked once.
            origins = self._origin[ids]
            order = np.lexsort((-est, origins))
            first = np.empty(order.size, dtype=bool)
            first[0] = True
            np.not_equal(origins[order[1:]], origins[order[:-1]], out=first[1:])
            pick = order[first]
            self.stats["same_group"] += ids.size - pick.size
            ids, n_b = ids[pick], n_b[pick]
        self.stats["checked"] += ids.size
        if not ids.size:
            return []
        # The exact check, for all the remaining candidates at once: their shingles one
        # after the other, each looked up in the new (sorted) set.
        starts = self._sh_start[ids]
        ends = np.cumsum(n_b)
        gather = np.arange(ends[-1]) + np.repeat(starts - (ends - n_b), n_b)
        theirs = self._shingles[gather]
        pos = np.searchsorted(fp.shingles, theirs)
        pos[pos == n_a] = 0
        inter = np.add.reduceat(fp.shingles[pos] == theirs, ends - n_b, dtype=np.int64)
        jaccard = inter / (n_a + n_b - inter)
        containment = inter / np.minimum(n_a, n_b)
        by_jaccard = jaccard >= p.jaccard_threshold
        by_containment = ~by_jaccard & (containment >= p.containment_threshold) & (
            jaccard >= p.containment_min_jaccard)
        found = [(i, j, _JACCARD) for i, j in zip(ids[by_jaccard].tolist(), jaccard[by_jaccard].tolist(),
                                                  strict=True)]
        found += [(i, c, _CONTAINMENT) for i, c in zip(ids[by_containment].tolist(),
                                                       containment[by_containment].tolist(), strict=True)]
        self.stats["rejected_exact"] += ids.size - len(found)
        return found

    def _shingles_of(self, i: int) -> np.ndarray:
        return self._shingles[self._sh_start[i] : self._sh_end[i]]

    def _similarity(self, a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
        """(Jaccard, containment) of two sorted sets of distinct values."""
        small, large = (a, b) if a.size <= b.size else (b, a)
        if not small.size:
            return 0.0, 0.0
        pos = np.searchsorted(large, small)
        pos[pos == large.size] = 0
        inter = int(np.count_nonzero(large[pos] == small))
        return inter / (a.size + b.size - inter), inter / small.size

    def _similar(self, shingles: np.ndarray, i: int) -> tuple[float, int] | None:
        p = self.params
        jaccard, containment = self._similarity(shingles, self._shingles_of(i))
        if jaccard >= p.jaccard_threshold:
            return jaccard, _JACCARD
        if containment >= p.containment_threshold and jaccard >= p.containment_min_jaccard:
            return containment, _CONTAINMENT
        return None

    # -- storing ------------------------------------------------------------------------

    def _append(self, key: str, fp: Fingerprint, when: date | None, twin: int | None,
                band_keys: list[int]) -> int:
        i = len(self._keys)
        if i == self._sigs.shape[0]:
            self._grow()
        self._keys.append(key)
        self._ids[key] = i
        self._sigs[i] = fp.signature
        self._order[i] = ((when.toordinal() if when is not None else _UNDATED) << 32) | i
        self._origin[i] = i
        if twin is not None:
            # An exact copy shares its twin's shingles and adds nothing to the buckets.
            self._sh_start[i], self._sh_end[i] = self._sh_start[twin], self._sh_end[twin]
            return i
        self._exact[int(fp.exact[:16], 16)] = i
        n = fp.shingles.size
        if self._sh_used + n > self._shingles.size:
            self._shingles = np.resize(self._shingles, max(2 * self._shingles.size, self._sh_used + n))
        self._shingles[self._sh_used : self._sh_used + n] = fp.shingles
        self._sh_start[i], self._sh_end[i] = self._sh_used, self._sh_used + n
        self._sh_used += n
        if n >= self.params.min_shingles:
            self._insert_bands(i, band_keys)
        return i

    def _insert_bands(self, i: int, band_keys: list[int]) -> None:
        cap = self.params.max_bucket
        for table, band_key in zip(self._bands, band_keys, strict=True):
            bucket = table.get(band_key)
            if bucket is None:
                table[band_key] = i  # most buckets hold one article: no list for them
            elif type(bucket) is int:
                if cap > 1:
                    table[band_key] = [bucket, i]
                else:
                    self.stats["bucket_full"] += 1
            elif len(bucket) < cap:
                bucket.append(i)
            else:
                self.stats["bucket_full"] += 1

    def _grow(self) -> None:
        cap = 2 * self._sigs.shape[0]
        self._sigs = np.resize(self._sigs, (cap, self._sigs.shape[1]))
        for name in ("_order", "_origin", "_sh_start", "_sh_end"):
            setattr(self, name, np.resize(getattr(self, name), cap))

    # -- groups -------------------------------------------------------------------------

    def _by_group(self, found: list[_Found]) -> dict[int, _Found]:
        """The best match (highest similarity) in each group the matches fall in."""
        groups: dict[int, _Found] = {}
        for hit in found:
            origin = int(self._origin[hit[0]])
            best = groups.get(origin)
            if best is None or hit[1] > best[1]:
                groups[origin] = hit
        return groups

    def _join(self, new: int, found: list[_Found]) -> DuplicateMatch | None:
        groups = self._by_group(found)
        order = self._order
        earliest = min(groups, key=order.__getitem__)
        if order[earliest] < order[new]:
            self._origin[new] = earliest
            self._members.setdefault(earliest, []).append(new)
            self._found[new] = groups[earliest]
            return self._as_match(earliest, groups[earliest])
        # The new article is earlier than every origin it matched: it becomes theirs.
        members = self._members.setdefault(new, [])
        new_shingles = self._shingles_of(new)
        for old, (matched, similarity, kind) in groups.items():
            moved = [old, *self._members.pop(old, [])]
            for j in moved:
                self._origin[j] = new
                self._regrouped.add(j)
            self.stats["regrouped"] += len(moved)
            members.extend(moved)
            if matched != old:
                # The old origin is measured against the new one directly (the group was
                # found through one of its members).
                hit = self._similar(new_shingles, old)
                if hit is not None:
                    similarity, kind = hit
                else:
                    similarity, kind = self._similarity(new_shingles, self._shingles_of(old))[0], _JACCARD
            self._found[old] = (new, similarity, kind)
        return None

    def _as_match(self, origin: int, hit: _Found) -> DuplicateMatch:
        kind, measure = _KINDS[hit[2]]
        return DuplicateMatch(self._keys[origin], self._keys[hit[0]], round(hit[1], 4), kind, measure)


def find_duplicates(articles: Iterable[Article],
                    params: DedupParams | None = None) -> dict[str, DuplicateMatch]:
    """Every duplicate among ``articles`` by id, each pointing at its group's origin.

    Articles are added oldest first (``published``, else ``listed``; undated last; ties
    in input order), so the result equals adding them one by one to a
    :class:`NearDuplicateIndex` in that order.
    """
    items = list(articles)
    index = NearDuplicateIndex(params)

    def when(a: Article) -> date | None:
        return a.published or a.listed

    ordered = sorted(range(len(items)), key=lambda i: (when(items[i]) is None, when(items[i]) or date.min, i))
    for i in ordered:
        a = items[i]
        index.add(a.id, article_text(a), when(a), a.language)
    return index.matches()
