"""The Python API. Same verbs as the CLI: ``ingest``, ``analyze``, ``articles``, ``show``,
``search``, ``export``, ``stats``, ``reindex``.

>>> from nyhetsvakt import NewsArchive
>>> with NewsArchive("news.db") as archive:          # doctest: +SKIP
...     report = archive.ingest(["scraped/"])
...     hits = archive.search("ryska soldater", language="sv")
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import IO, BinaryIO

from . import export as _export
from .dedup.assign import Deduplicator, StoreDeduplicator
from .errors import InputError, UsageError
from .executors import make_executor
from .pipeline import FileResult, PipelineOptions
from .readers import expand_inputs
from .records import Article
from .settings import setting
from .store import (
    ArticleFilter,
    FileFingerprint,
    Page,
    SearchHit,
    Store,
    StoreStats,
    fingerprint,
    open_store,
)
from .store.attribution import ClaimRow, EntitySummary, QuoteRow, SourceSummary
from .store.base import DuplicateGroup
from .store.stories import StorySummary
from .store.xref import CrossReference
from .stories import FEATURES_VERSION, build_story_record
from .stories.assign import StoreStoryAssigner, StoryAssigner
from .stories.features import StoryFeatures

__all__ = ["IngestReport", "NewsArchive", "analyze"]

# Files are committed in groups: one commit per 20-article file costs about twice as much
# per article as groups of several hundred (benchmarks/results/search.md, "Loading").
# A group closes at this many articles or after this many seconds, so a killed run loses
# at most a few seconds of work (those files are not marked done and are redone).
COMMIT_ARTICLES = 1000
COMMIT_SECONDS = 2.0
# Story features kept from the assigner for rebuilding story records (the newest articles').
FEATURES_KEPT = 20_000


@dataclass
class IngestReport:
    files: int = 0  # inputs processed in this run
    skipped: int = 0  # inputs already ingested (same size, time and content): resumed runs skip them
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    errors: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def __iadd__(self, other: IngestReport) -> IngestReport:
        self.files += other.files
        self.skipped += other.skipped
        self.added += other.added
        self.unchanged += other.unchanged
        self.replaced += other.replaced
        self.errors.extend(other.errors)
        return self


def analyze(paths: Sequence[str], *, options: PipelineOptions | None = None, executor: str = "local",
            workers: int | None = None, stdin: BinaryIO | None = None,
            address: str | None = None) -> Iterator[FileResult]:
    """Run the pipeline over inputs without a store; one :class:`FileResult` per input, in order.

    ``address``: the Ray cluster for the ``ray`` executor (default: ``RAY_ADDRESS``, or a
    local Ray on 127.0.0.1).

    ``duplicate_of`` points to an earlier article of the same run (a later, earlier-dated
    copy does not change what was already yielded).
    """
    files = expand_inputs(paths)
    options = options or PipelineOptions()
    dedup = Deduplicator() if options.dedup else None
    stories = StoryAssigner() if options.stories else None
    for result in make_executor(executor, workers, address).run(options, files, stdin=stdin):
        if dedup is not None:
            dedup.assign(result.articles, result.fingerprints, result.fingerprint_version)
        if stories is not None:
            stories.assign(result.articles, result.story_features)
        yield result


def _filters(language: str | None = None, since: date | None = None, until: date | None = None,
             outlet: str | None = None) -> ArticleFilter:
    return ArticleFilter(language=language, since=since, until=until, outlet=outlet)


class NewsArchive:
    """A store of articles, opened lazily; usable as a context manager."""

    def __init__(self, db: str | Path | None = None, *, read_only: bool = False) -> None:
        self.db = str(db or setting("db").value())
        self.read_only = read_only
        self._store: Store | None = None
        self._deduplicator: StoreDeduplicator | None = None
        self._story_assigner: StoreStoryAssigner | None = None
        self._touched: set[str] = set()
        self._features: OrderedDict[str, StoryFeatures] = OrderedDict()
        self._options_dedup = True
        self._options_stories = True

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.db, read_only=self.read_only)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        self._deduplicator = None
        self._story_assigner = None

    def __enter__(self) -> NewsArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------
    def ingest(self, paths: Sequence[str], *, options: PipelineOptions | None = None,
               executor: str = "local", workers: int | None = None, stdin: BinaryIO | None = None,
               on_file: Callable[[str, FileResult | None], None] | None = None,
               address: str | None = None) -> IngestReport:
        """Read, process and store inputs. Files already stored unchanged are skipped.

        Each file's articles are committed together with the record that the file is done,
        so an interrupted run loses nothing committed and the next run resumes after it.
        ``address``: the Ray cluster for the ``ray`` executor (as :func:`analyze`).
        """
        report = IngestReport()
        store = self.store
        self._set_options(options)
        todo: list[str] = []
        prints: dict[str, FileFingerprint] = {}
        missing: list[InputError] = []
        for path in expand_inputs(paths, missing):
            if path != "-" and stat.S_ISREG(os.stat(path).st_mode):  # pipes are read like stdin
                try:
                    prints[path] = fingerprint(path)
                except OSError as exc:
                    missing.append(InputError(path, f"cannot read: {exc.strerror or exc}"))
                    continue
                if store.file_done(path, prints[path]):
                    report.skipped += 1
                    if on_file:
                        on_file(path, None)
                    continue
            todo.append(path)
        for error in missing:
            store.record_error(error.uri, error.reason)
            report.errors.append(error)
            if on_file:
                on_file(error.uri, FileResult(error.uri, errors=[error]))
        results = make_executor(executor, workers, address).run(options or PipelineOptions(), todo,
                                                                stdin=stdin)
        self._store_all(results, prints, report, on_file)
        return report

    def ingest_results(self, results: Iterable[FileResult], *, options: PipelineOptions | None = None,
                       on_file: Callable[[str, FileResult | None], None] | None = None,
                       prints: Mapping[str, FileFingerprint] | None = None) -> IngestReport:
        """Store what the pipeline already made of some files (``nyhetsvakt run`` with both
        ``--output`` and ``--db`` processes each file once), as :meth:`ingest` would: a file
        the store holds unchanged is skipped, duplicates and stories are assigned against
        the store, and each file is committed with its done-marker. ``options``: those the
        results were made with; ``prints``: the files' fingerprints taken before they were
        read (the others are read here)."""
        report = IngestReport()
        store = self.store
        self._set_options(options)
        given = prints or {}
        known: dict[str, FileFingerprint] = {}

        def fresh() -> Iterator[FileResult]:
            for result in results:
                path = result.uri
                fp = given.get(path)
                if fp is None and path != "-" and os.path.isfile(path):
                    try:
                        fp = fingerprint(path)
                    except OSError:
                        pass  # stored without a marker: a rerun redoes it
                if fp is not None:
                    known[path] = fp
                    if store.file_done(path, fp):
                        report.skipped += 1
                        if on_file:
                            on_file(path, None)
                        continue
                # Ids assigned by another pass (a run's own, corpus-wide) are the store's to assign.
                result.articles = [replace(a, duplicate_of=None, story_id=None) for a in result.articles]
                yield result

        self._store_all(fresh(), known, report, on_file)
        return report

    def _set_options(self, options: PipelineOptions | None) -> None:
        self._options_dedup = (options or PipelineOptions()).dedup
        self._options_stories = (options or PipelineOptions()).stories

    def _store_all(self, results: Iterator[FileResult], prints: dict[str, FileFingerprint],
                   report: IngestReport, on_file: Callable[[str, FileResult | None], None] | None) -> None:
        """Store results in transactions of up to COMMIT_ARTICLES articles or COMMIT_SECONDS."""
        store = self.store
        finished = False
        while not finished:
            finished = True
            with store.transaction():
                articles, started = 0, time.monotonic()
                for result in results:
                    articles += self._store_result(result, prints.get(result.uri), report)
                    if on_file:
                        on_file(result.uri, result)
                    if articles >= COMMIT_ARTICLES or time.monotonic() - started >= COMMIT_SECONDS:
                        finished = False
                        break
                self._rebuild_stories()

    def _stories(self) -> StoreStoryAssigner:
        if self._story_assigner is None:
            self._story_assigner = StoreStoryAssigner(self.store)
        return self._story_assigner

    def _rebuild_stories(self) -> None:
        """Rebuild the records of the stories that changed (in the open transaction)."""
        touched, self._touched = self._touched, set()
        records = []
        for story_id in sorted(touched):
            members = list(self.store.iter_articles(ArticleFilter(story=story_id)))
            records.append(build_story_record(story_id, members, self._features))
        if records:
            self.store.put_story_records(records)

    def recluster(self) -> int:
        """Rebuild every story from scratch with the current settings; returns how many."""
        store = self.store
        assigner = StoryAssigner()
        with store.transaction():
            store.clear_stories()
            changes: dict[str, str | None] = {}
            batch: list[Article] = []
            for article in store.iter_articles_by_date():
                batch.append(article)
                if len(batch) >= COMMIT_ARTICLES:
                    self._recluster_batch(assigner, batch, changes)
                    batch = []
            self._recluster_batch(assigner, batch, changes)
            store.set_story_ids(changes)
            self._touched = set(changes.values()) - {None}
            self._rebuild_stories()
        # The search index filters by story: its rows still hold the old ids.
        store.reindex()
        return len({s for s in changes.values() if s})

    def _recluster_batch(self, assigner: StoryAssigner, batch: list[Article],
                         changes: dict[str, str | None]) -> None:
        got = assigner.assign(batch)
        self._keep_features(got.computed)
        self.store.put_story_features(got.features, FEATURES_VERSION)
        self.store.put_story_links(got.links)
        changes.update({a.id: a.story_id for a in batch})

    def stories(self, *, since: date | None = None, language: str | None = None, min_size: int = 1,
                limit: int = 50) -> list[StorySummary]:
        """Stories, most recently seen first; ``min_size=2`` hides one-article stories."""
        return self.store.list_stories(since=since.isoformat() if since else None, language=language,
                                       min_size=min_size, limit=limit)

    def story(self, story_id: str) -> dict | None:
        """One story record: title, dates, articles, languages, outlets, entities, sources,
        quotes, claims and conflicts, timeline, and the links found between its articles."""
        return self.store.get_story(story_id)

    def _store_result(self, result: FileResult, fp: FileFingerprint | None, report: IngestReport) -> int:
        """Store one file's articles (with its done-marker) and errors; returns the articles stored."""
        store = self.store
        report.files += 1
        prints = (self._dedup().assign(result.articles, result.fingerprints, result.fingerprint_version)
                  if self._options_dedup else [])
        storied = (self._stories().assign(result.articles, result.story_features)
                   if self._options_stories else None)
        if fp is not None and result.articles:
            added = store.add_file(result.uri, fp, result.articles)
        else:  # stdin, or a file that gave nothing: not marked done, so a rerun retries it
            added = store.add_articles(result.articles)
        if prints:
            store.put_fingerprints(prints, self._dedup().fingerprinter.version)
            store.set_duplicates(self._dedup().regrouped())
        if storied is not None:
            store.put_story_features(storied.features, FEATURES_VERSION)
            store.put_story_links(storied.links)
            self._touched |= storied.touched
            self._keep_features(storied.computed)
        for error in result.errors:  # after add_file, which clears the file's earlier errors
            store.record_error(error.uri, error.reason)
            report.errors.append(error)
        report.added += added.added
        report.unchanged += added.unchanged
        report.replaced += added.replaced
        return len(result.articles)

    def _keep_features(self, computed: dict[str, StoryFeatures]) -> None:
        kept = self._features
        kept.update(computed)
        while len(kept) > FEATURES_KEPT:
            kept.popitem(last=False)

    def _dedup(self) -> StoreDeduplicator:
        if self._deduplicator is None:
            self._deduplicator = StoreDeduplicator(self.store)
        return self._deduplicator

    def cross_references(self, article_id: str) -> list[CrossReference]:
        """The article's teasers ("LÄS OCKSÅ: …"), each with the stored article it names."""
        return self.store.cross_references(article_id)

    def duplicates(self, *, limit: int = 50) -> list[DuplicateGroup]:
        """Groups of copies: each origin (the earliest article) with its stored copies."""
        return self.store.duplicate_groups(limit)

    def reindex(self) -> int:
        """Rebuild the search index from the stored articles."""
        return self.store.reindex()

    # -- reading ---------------------------------------------------------------------------
    def articles(self, *, language: str | None = None, since: date | None = None, until: date | None = None,
                 outlet: str | None = None, order: str = "published", limit: int = 50,
                 cursor: str | None = None) -> Page[Article]:
        return self.store.list_articles(_filters(language, since, until, outlet), order=order, limit=limit,
                                        cursor=cursor)

    def show(self, article_id: str) -> Article | None:
        return self.store.get_article(article_id)

    def search(self, query: str, *, language: str | None = None, since: date | None = None,
               until: date | None = None, outlet: str | None = None, order: str = "relevance",
               limit: int = 20, cursor: str | None = None) -> Page[SearchHit]:
        return self.store.search(query, _filters(language, since, until, outlet), order=order, limit=limit,
                                 cursor=cursor)

    def entities(self, *, name: str | None = None, etype: str | None = None, language: str | None = None,
                 since: date | None = None, until: date | None = None, outlet: str | None = None,
                 limit: int = 50) -> list[EntitySummary]:
        """Entities by the number of articles naming them (``name``: one entity, any spelling)."""
        return self.store.entities(_filters(language, since, until, outlet), name=name, etype=etype,
                                   limit=limit)

    def quotes(self, *, speaker: str | None = None, kind: str | None = None, language: str | None = None,
               since: date | None = None, until: date | None = None, outlet: str | None = None,
               limit: int = 50) -> list[QuoteRow]:
        """Quotes, newest first; ``speaker`` matches any spelling of the name."""
        return self.store.quotes(_filters(language, since, until, outlet), speaker=speaker, kind=kind,
                                 limit=limit)

    def sources(self, *, cited: str | None = None, stype: str | None = None, language: str | None = None,
                since: date | None = None, until: date | None = None, outlet: str | None = None,
                limit: int = 50) -> list[SourceSummary]:
        """Cited sources by the number of articles citing them, with the outlets that cite them."""
        return self.store.sources(_filters(language, since, until, outlet), cited=cited, stype=stype,
                                  limit=limit)

    def claims(self, *, status: str | None = None, source: str | None = None, conflicts: bool = False,
               language: str | None = None, since: date | None = None, until: date | None = None,
               outlet: str | None = None, limit: int = 50) -> list[ClaimRow]:
        """Claims with their status (asserted, attributed, hedged, unverified, denied)."""
        return self.store.claims(_filters(language, since, until, outlet), status=status, source=source,
                                 conflicts=conflicts, limit=limit)

    def export(self, fmt: str, out: str | Path | IO[str] | IO[bytes] | None = None, *,
               language: str | None = None, since: date | None = None, until: date | None = None,
               outlet: str | None = None) -> int:
        """Write every (filtered) article as ``jsonl``, ``csv`` or ``parquet``; returns the count."""
        if fmt not in _export.FORMATS:
            raise UsageError(f"unknown export format {fmt!r} (choose from {', '.join(_export.FORMATS)})")
        articles = self.store.iter_articles(_filters(language, since, until, outlet))
        if fmt == "parquet":
            if out is None or out == "-":
                raise UsageError("parquet export needs an output file (-o FILE)")
            return _export.write_parquet(articles, str(out) if isinstance(out, Path) else out)  # type: ignore[arg-type]
        if out is None or out == "-":
            return _write_text(fmt, articles, sys.stdout)
        if isinstance(out, (str, Path)):
            with open(out, "w", encoding="utf-8", newline="") as fh:
                return _write_text(fmt, articles, fh)
        return _write_text(fmt, articles, out)  # type: ignore[arg-type]

    def stats(self) -> StoreStats:
        return self.store.stats()


def _write_text(fmt: str, articles: Iterator[Article], out: IO[str]) -> int:
    return _export.write_jsonl(articles, out) if fmt == "jsonl" else _export.write_csv(articles, out)
