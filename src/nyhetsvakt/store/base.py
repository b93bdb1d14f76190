"""The store interface: what every backend (SQLite, PostgreSQL) provides.

The store is the source of truth for articles; the search index is derived from it and
:meth:`Store.reindex` rebuilds it. Articles are identified by
:meth:`~nyhetsvakt.records.Article.store_key` (id plus content), so adding the same
article twice changes nothing. Article ids stay unique in a store:

- an incoming article whose id is stored under another key, from the same source uri,
  replaces it (the file was edited);
- from another uri, both are kept: the incoming id becomes ``f"{id}~{key[:8]}"``.

Errors: every backend raises :class:`~nyhetsvakt.errors.StoreError` (with the location
and the reason) when the database cannot be opened or written, and
:class:`~nyhetsvakt.errors.UsageError` for a bad order or cursor.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..records import Article
from ..search.hits import SearchHit
from .filters import ArticleFilter
from .fingerprint import FileFingerprint

if TYPE_CHECKING:
    from ..dedup.fingerprint import Fingerprint
    from .attribution import ClaimRow, EntitySummary, QuoteRow, SourceSummary
    from .browse import ArticleRow, EntityDetail, SourceClaims
    from .stories import StorySummary
    from .xref import CrossReference

__all__ = ["LIST_ORDERS", "SEARCH_ORDERS", "AddResult", "Page", "Store", "StoreStats"]

T = TypeVar("T")

# "published": newest first, undated last; "ingested": in the order they were stored.
LIST_ORDERS = ("published", "ingested")
# "relevance": best match first (bm25, headline above lead above body); "date": newest first.
SEARCH_ORDERS = ("relevance", "date")

_NO_FILTER = ArticleFilter()


@dataclass(slots=True)
class AddResult:
    """What :meth:`Store.add_articles` did. ``renamed`` counts added articles whose id was
    suffixed because another source already used it (they are in ``added`` too)."""

    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    renamed: int = 0
    removed: int = 0  # articles an edited file no longer holds (see add_file)

    def __iadd__(self, other: AddResult) -> AddResult:
        self.added += other.added
        self.unchanged += other.unchanged
        self.replaced += other.replaced
        self.removed += other.removed
        self.renamed += other.renamed
        return self


@dataclass(slots=True)
class Page(Generic[T]):
    """One page of results; pass ``next_cursor`` back for the next (None: last page)."""

    items: list[T]
    next_cursor: str | None = None


@dataclass(slots=True)
class DuplicateMember:
    id: str
    published: str | None
    outlet: str | None
    language: str | None


@dataclass(slots=True)
class DuplicateGroup:
    """An origin (the earliest article) and the stored copies of it."""

    origin: DuplicateMember
    copies: list[DuplicateMember] = field(default_factory=list)


@dataclass(slots=True)
class StoreStats:
    """Counts for ``nyhetsvakt stats``. Dict keys are None where the value is unknown."""

    articles: int = 0
    languages: dict[str | None, int] = field(default_factory=dict)
    outlets: dict[str | None, int] = field(default_factory=dict)
    dropped_lines: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    files: int = 0


class Store(ABC):
    """A database of articles with full-text search. Use as a context manager."""

    read_only: bool = False

    # -- writing -------------------------------------------------------------------------
    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """A write transaction; calls inside it join it (nesting is flattened).

        Everything written inside is committed at the end, or nothing if it raises.
        """

    @abstractmethod
    def add_articles(self, articles: Sequence[Article]) -> AddResult:
        """Store articles in one transaction (see the module docstring for id rules).

        An article whose id had to change gets the new id set on it.
        """

    @abstractmethod
    def file_done(self, uri: str, fingerprint: FileFingerprint) -> bool:
        """True if ``uri`` was fully ingested with exactly this size, mtime and digest."""

    @abstractmethod
    def mark_file(self, uri: str, fingerprint: FileFingerprint, articles: int) -> None:
        """Record ``uri`` as fully ingested (and clear its earlier errors)."""

    @abstractmethod
    def record_error(self, uri: str, reason: str) -> None:
        """Keep an input that failed, with its reason (once per uri and reason)."""

    def add_file(self, uri: str, fingerprint: FileFingerprint, articles: Sequence[Article]) -> AddResult:
        """A file's articles and its completion marker, atomically: after a crash the file
        is either fully stored and marked, or not marked (and the next run redoes it)."""
        with self.transaction():
            result = self.add_articles(articles)
            # The keys as stored: an article renamed (id~key8) has the key of its new id.
            keep = {a.store_key() for a in articles}
            result.removed = self.remove_stale(uri, keep)
            self.mark_file(uri, fingerprint, len(articles))
        return result

    @abstractmethod
    def remove_stale(self, uri: str, keep: set[str]) -> int:
        """Delete the articles read from ``uri`` (or its records, ``uri#…`` and ``uri:…``)
        whose keys are not in ``keep``: an edited file that lost articles. Returns how many."""

    @abstractmethod
    def reindex(self) -> int:
        """Rebuild the search index from the stored records; returns articles indexed."""

    # -- reading -------------------------------------------------------------------------
    @abstractmethod
    def get_article(self, id_or_key: str) -> Article | None:
        """The article with this id or store key, or None."""

    @abstractmethod
    def list_articles(self, filters: ArticleFilter = _NO_FILTER, *, order: str = "published", limit: int = 50,
                      cursor: str | None = None) -> Page[Article]:
        """A page of articles in ``order`` (one of :data:`LIST_ORDERS`), keyset-paginated."""

    @abstractmethod
    def iter_articles(self, filters: ArticleFilter = _NO_FILTER) -> Iterator[Article]:
        """Every matching article, streamed in ingest order (for exports)."""

    @abstractmethod
    def search(self, query: str, filters: ArticleFilter = _NO_FILTER, *, order: str = "relevance",
               limit: int = 20, cursor: str | None = None) -> Page[SearchHit]:
        """Full-text search (syntax: :mod:`nyhetsvakt.search.query`); never raises on odd input."""

    # -- entities, quotes, sources, claims (see store/attribution.py) ------------------------
    @abstractmethod
    def entities(self, filters: ArticleFilter = _NO_FILTER, *, name: str | None = None,
                 etype: str | None = None, limit: int = 50) -> list[EntitySummary]:
        """Entities by articles naming them; ``name`` matches any spelling of one entity."""

    @abstractmethod
    def quotes(self, filters: ArticleFilter = _NO_FILTER, *, speaker: str | None = None,
               kind: str | None = None, limit: int = 50) -> list[QuoteRow]:
        """Quotes, newest article first."""

    @abstractmethod
    def sources(self, filters: ArticleFilter = _NO_FILTER, *, cited: str | None = None,
                stype: str | None = None, limit: int = 50) -> list[SourceSummary]:
        """Cited sources by articles citing them."""

    @abstractmethod
    def claims(self, filters: ArticleFilter = _NO_FILTER, *, status: str | None = None,
               source: str | None = None, conflicts: bool = False, limit: int = 50) -> list[ClaimRow]:
        """Numeric claims, newest article first."""

    # -- what the web pages browse (see store/browse.py) ---------------------------------------
    @abstractmethod
    def article_rows(self, ids: Sequence[str]) -> list[ArticleRow]:
        """List rows of the given articles, in the given order (unknown ids left out)."""

    @abstractmethod
    def story_members(self, story_id: str, limit: int = 500) -> list[ArticleRow]:
        """A story's articles, oldest first (undated last)."""

    @abstractmethod
    def story_member_ids(self, story_id: str, limit: int = 20_000) -> list[str]:
        """Ids of a story's articles."""

    @abstractmethod
    def story_summary(self, story_id: str) -> dict[str, Any] | None:
        """A story's ``id``, ``title`` and ``size``, without its record."""

    @abstractmethod
    def copies_of(self, article_id: str, limit: int = 50) -> list[ArticleRow]:
        """Stored copies of an article (``duplicate_of`` pointing at it)."""

    @abstractmethod
    def entity_article_ids(self, entity_id: str, limit: int = 20_000) -> list[str]:
        """Ids of the newest articles naming an entity."""

    @abstractmethod
    def entity_detail(self, entity_id: str) -> EntityDetail | None:
        """An entity's page: names, months, stories, co-occurring entities, recent articles."""

    @abstractmethod
    def entity_name(self, entity_id: str) -> str | None:
        """An entity's longest canonical name."""

    @abstractmethod
    def outlet_names(self, limit: int = 1000) -> list[str]:
        """Outlet names, sorted."""

    @abstractmethod
    def citation_matrix(self, filters: ArticleFilter, sources: Sequence[str], outlets: int = 12
                        ) -> tuple[list[str | None], dict[tuple[str | None, str], int]]:
        """The outlets citing the given sources most, and ``{(outlet, source): citations}``."""

    @abstractmethod
    def claims_by_source(self, filters: ArticleFilter, limit: int = 30
                         ) -> tuple[dict[str, int], list[SourceClaims]]:
        """Claim counts by status, and per source (most unverified first)."""

    @abstractmethod
    def article_ids_from(self, uri: str, limit: int = 1000) -> list[str]:
        """Ids of the articles read from a file (or its records), in ingest order."""

    @abstractmethod
    def count_articles(self) -> int:
        """How many articles are stored."""

    # -- duplicates (see nyhetsvakt.dedup.assign) -----------------------------------------
    @abstractmethod
    def put_fingerprints(self, items: Sequence[tuple[str, Fingerprint]], version: str) -> None:
        """Keep the dedup fingerprints of stored articles (by article id)."""

    @abstractmethod
    def recent_fingerprints(self, since: str, version: str) -> Iterator[tuple[str, str, Fingerprint]]:
        """``(id, published, fingerprint)`` of articles published on or after ``since`` (ISO
        date; '' for all) and undated ones, oldest first, made with ``version``."""

    @abstractmethod
    def exact_origin(self, exact: str, exclude_id: str) -> str | None:
        """The origin of the earliest stored exact copy of a text, other than ``exclude_id``."""

    @abstractmethod
    def set_duplicates(self, changes: dict[str, str | None]) -> None:
        """Point stored articles to a new origin (``{id: origin}``)."""

    @abstractmethod
    def duplicate_groups(self, limit: int = 50) -> list[DuplicateGroup]:
        """Groups of copies, newest origin first."""

    @abstractmethod
    def iter_articles_by_date(self) -> Iterator[Article]:
        """Every article, oldest first (undated last)."""

    # -- stories (see nyhetsvakt.stories) -----------------------------------------------------
    @abstractmethod
    def put_story_features(self, items: Sequence[tuple[str, dict[str, Any]]], version: str) -> None:
        """Keep what the story clusterer compares, per article id."""

    @abstractmethod
    def active_story_features(self, since: str, version: str
                              ) -> Iterator[tuple[str, str, str | None, dict[str, Any]]]:
        """``(id, published, story_id, features)`` of articles published on or after ``since``."""

    @abstractmethod
    def set_story_ids(self, changes: dict[str, str | None]) -> None:
        """Put stored articles in stories (``{id: story_id}``)."""

    @abstractmethod
    def put_story_records(self, records: Sequence[dict[str, Any]]) -> None:
        """Write story records (a record without articles deletes its story)."""

    @abstractmethod
    def put_story_links(self, links: Sequence[tuple[str, str, float, str, Sequence[str]]]) -> None:
        """Keep ``(article, other, score, kind, shared)`` links found when articles joined."""

    @abstractmethod
    def get_story(self, story_id: str) -> dict[str, Any] | None:
        """One story record with its links."""

    @abstractmethod
    def list_stories(self, *, since: str | None = None, language: str | None = None, min_size: int = 1,
                     limit: int = 50) -> list[StorySummary]:
        """Stories, most recently seen first."""

    @abstractmethod
    def stories_of(self, article_ids: Sequence[str]) -> set[str]:
        """The stories the given stored articles are in."""

    @abstractmethod
    def clear_stories(self) -> None:
        """Forget every story (before a recluster)."""

    @abstractmethod
    def cross_references(self, article_id: str) -> list[CrossReference]:
        """The article's teaser titles, each with the stored article it names (or None)."""

    @abstractmethod
    def newest_published(self) -> date | None:
        """The latest publication date stored (None: nothing dated)."""

    @abstractmethod
    def stats(self) -> StoreStats:
        """Counts of articles by language and outlet, dropped lines by reason, errors, files."""

    # -- lifecycle -----------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None:
        """Release the connection. Safe to call twice."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
