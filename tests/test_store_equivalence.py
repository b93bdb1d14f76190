"""SQLite and PostgreSQL hold the same thing: the seeds and a generated corpus ingested into
each give the same exported articles, stories, duplicates, cross-references and the same
entities, quotes, sources and claims (and the web pages' tables). Search is not compared:
each backend ranks with its own engine (docs/postgres.md)."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from nyhetsvakt import NewsArchive
from nyhetsvakt.pipeline import PipelineOptions
from nyhetsvakt.store import ArticleFilter
from store_corpus import write_corpus

OPTS = PipelineOptions(ner_model=False)


def _snapshot(archive: NewsArchive) -> dict[str, Any]:
    store = archive.store
    out = io.StringIO()
    archive.export("jsonl", out)
    articles = [json.loads(line) for line in out.getvalue().splitlines()]
    stories = store.list_stories(limit=1000)
    entities = store.entities(limit=1000)
    sources = [s.canonical for s in store.sources(limit=20)]
    totals, by_source = store.claims_by_source(ArticleFilter())
    return {
        "articles": articles,
        "stats": asdict(store.stats()),
        "stories": [asdict(s) for s in stories],
        "story records": [store.get_story(s.story_id) for s in stories],
        "entities": [asdict(e) for e in entities],
        "quotes": [asdict(q) for q in store.quotes(limit=1000)],
        "quotes by speaker": [asdict(q) for q in store.quotes(speaker="Zelenskyj", limit=1000)],
        "sources": [asdict(s) for s in store.sources(limit=1000)],
        "claims": [asdict(c) for c in store.claims(limit=1000)],
        "unverified claims": [asdict(c) for c in store.claims(status="unverified", limit=1000)],
        "duplicates": [asdict(g) for g in store.duplicate_groups(limit=1000)],
        "cross references": {a["id"]: [asdict(x) for x in store.cross_references(a["id"])] for a in articles},
        "entity pages": [asdict(d) for e in entities[:10] if (d := store.entity_detail(e.entity_id))],
        "citations": store.citation_matrix(ArticleFilter(), sources),
        "claims by source": (totals, [asdict(r) for r in by_source]),
        "story members": [[asdict(r) for r in store.story_members(s.story_id)] for s in stories],
        "outlets": store.outlet_names(),
        "newest": store.newest_published(),
        "by date": [a.id for a in store.iter_articles_by_date()],
    }


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> list[str]:
    corpus = write_corpus(tmp_path_factory.mktemp("corpus"), files=20)
    return [str(examples_dir), *(str(p) for p in corpus)]


@pytest.fixture(scope="module")
def sqlite_snapshot(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with NewsArchive(tmp_path_factory.mktemp("sqlite") / "news.db") as archive:
        archive.ingest(inputs, options=OPTS)
        return _snapshot(archive)


@pytest.fixture(scope="module")
def postgres_snapshot(inputs: list[str], postgres_server) -> dict[str, Any]:
    url = postgres_server.create_database()
    try:
        with NewsArchive(url) as archive:
            archive.ingest(inputs, options=OPTS)
            return _snapshot(archive)
    finally:
        postgres_server.drop_database(url)


def test_the_corpus_exercises_every_table(sqlite_snapshot: dict[str, Any]) -> None:
    s = sqlite_snapshot
    assert len(s["articles"]) > 60 and len({a["language"] for a in s["articles"]}) >= 4
    assert s["duplicates"] and s["quotes"] and s["unverified claims"] and s["entity pages"]
    assert any(size > 1 for size in (st["size"] for st in s["stories"]))
    assert any(refs and refs[0]["target"] for refs in s["cross references"].values())


@pytest.mark.parametrize("part", ["articles", "stats", "stories", "story records", "entities", "quotes",
                                  "quotes by speaker", "sources", "claims", "unverified claims", "duplicates",
                                  "cross references", "entity pages", "citations", "claims by source",
                                  "story members", "outlets", "newest", "by date"])
def test_sqlite_and_postgres_hold_the_same(part: str, sqlite_snapshot: dict[str, Any],
                                           postgres_snapshot: dict[str, Any]) -> None:
    assert postgres_snapshot[part] == sqlite_snapshot[part]


def test_recluster_gives_the_same_stories(inputs: list[str], tmp_path: Path, postgres_server) -> None:
    got = []
    url = postgres_server.create_database()
    try:
        for db in (str(tmp_path / "news.db"), url):
            with NewsArchive(db) as archive:
                archive.ingest(inputs[:1], options=OPTS)
                n = archive.recluster()
                got.append((n, [asdict(s) for s in archive.stories(limit=100)],
                            sorted((a.id, a.story_id) for a in archive.store.iter_articles())))
    finally:
        postgres_server.drop_database(url)
    assert got[0] == got[1]
