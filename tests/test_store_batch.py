"""``add_articles`` stores a batch in a few statements (one look-up, a statement per table):
what it stores must be what adding the same articles one at a time stores, on both backends.

Batches mix new, unchanged, replaced and renamed articles, the same id twice, copies, and
teasers that name articles stored before them, in the same batch or later. A PostgreSQL writer
also refreshes the planner's statistics as a new store grows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from nyhetsvakt.records import Article, Block, DroppedLine, Provenance
from nyhetsvakt.store import AddResult, Store, open_store

HEADLINES = ["Putin varnar Nato", "Putin varnar Nato igen", "Valuta störtdyker", "Valuta störtdyker – rasat",
             "Regeringen faller", "Putin"]
TEASERS = ["Putin varnar Nato", "Valuta störtdyker", "Putin", "Regeringen faller", "Putin varnar",
           "Okänd rubrik här"]

# Each table as (columns, order): rows in the order they were written.
TABLES = {
    "articles": ("doc, key, id, source_uri, outlet, language, published, content_hash, duplicate_of", "doc"),
    "article_records": ("doc, record", "doc"),
    "dropped_lines": ("key, line, text, reason", "key, line, text"),
    "headline_prefixes": ("doc, prefix, published", "doc, prefix"),
    "teasers": ("rowid, doc, teaser, key, target", "rowid"),
    "entity_mentions": ("rowid, doc, entity_id, canonical, key, type, text, block", "rowid"),
    "quotes": ("rowid, doc, speaker, speaker_key, kind, block, text", "rowid"),
    "source_citations": ("rowid, doc, canonical, key, type, cue, block", "rowid"),
    "claims": ("rowid, doc, value, unit, source, status, conflict, block, text", "rowid"),
}


def _spec(rng: random.Random, n: int) -> dict[str, Any]:
    """One of few ids, sources, texts and headlines, so that batches replace and rename."""
    return {"n": n, "id": f"{rng.choice('ab')}#{rng.randrange(3)}", "uri": f"/data/{rng.choice('xyz')}.txt",
            "outlet": rng.choice(["Testposten", "NRK"]), "body": rng.randrange(3),
            "headline": rng.choice(HEADLINES), "related": rng.sample(TEASERS, rng.randrange(3)),
            "day": rng.choice([None, 1, 5, 9]), "attribution": rng.random() < 0.5,
            "dropped": rng.random() < 0.3}


def _article(spec: dict[str, Any]) -> Article:
    body = spec["body"]
    a = Article(
        id=spec["id"], source=Provenance(spec["uri"], spec["n"], spec["n"] + 1), outlet=spec["outlet"],
        headline=spec["headline"], lead=f"Ingress {body}.", language="sv",
        published=date(2024, 1, spec["day"]) if spec["day"] else None, related=list(spec["related"]),
        blocks=[Block("paragraph", f"Soldater och valutor, version {body}.", line=1)],
    )
    if spec["attribution"]:
        a.entities = [{"text": "Putin", "type": "PER", "block": 0},
                      {"text": "Nato", "type": "ORG", "block": 0}]
        a.quotes = [{"speaker": "Putin", "text": f"Vi varnar {body}.", "kind": "direct", "block": 0}]
        a.sources = [{"name": "TT", "type": "agency", "cue": "enligt", "block": 0}]
        a.claims = [{"value": float(body), "unit": "procent", "source": "SCB", "text": f"{body} procent"}]
    if spec["dropped"]:
        a.dropped = [DroppedLine(5, "ANNONS", "boilerplate"), DroppedLine(6, f"Foto {body}", "credit")]
    return a


def _articles(seed: int, n: int = 60) -> list[Article]:
    """New articles, and again articles seen before (unchanged, or renamed the same way)."""
    rng = random.Random(seed)
    specs: list[dict[str, Any]] = []
    for i in range(n):
        specs.append(rng.choice(specs) if specs and rng.random() < 0.3 else _spec(rng, i))
    return [_article(spec) for spec in specs]


def _batches(articles: list[Article], seed: int) -> Iterator[list[Article]]:
    rng = random.Random(seed + 1000)
    start = 0
    while start < len(articles):
        size = rng.randrange(1, 15)
        yield articles[start:start + size]
        start += size


def _snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    conn = store.conn  # type: ignore[attr-defined]
    tables = {name: [tuple(r) for r in conn.execute(f"SELECT {cols} FROM {name} ORDER BY {order}").fetchall()]
              for name, (cols, order) in TABLES.items()}
    tables["search"] = [tuple(h.id for h in store.search(q, limit=100).items)
                        for q in ("soldater", "putin", "valutor version 2")]
    return tables


def _by_ids(snapshot: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """The snapshot with row numbers (which SQLite may reuse) named by article ids, and the
    articles found, not their order (the backends rank differently)."""
    ids = {row[0]: row[2] for row in snapshot["articles"]}
    out: dict[str, list[tuple[Any, ...]]] = {"search": [tuple(sorted(found)) for found in snapshot["search"]]}
    for name, rows in snapshot.items():
        columns = [c.strip() for c in TABLES[name][0].split(",")] if name in TABLES else []
        if "doc" in columns:
            at = columns.index("doc")
            rows = [tuple(ids[v] if i == at else v for i, v in enumerate(row) if columns[i] != "rowid")
                    for row in rows]
        out.setdefault(name, rows)
    return out


@pytest.fixture
def two_stores(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Store, Store]]:
    if backend == "sqlite":
        urls = [str(tmp_path / "one.db"), str(tmp_path / "batch.db")]
    else:
        server = request.getfixturevalue("postgres_server")
        urls = [server.create_database(), server.create_database()]
    stores = [open_store(url) for url in urls]
    yield stores[0], stores[1]
    for store in stores:
        store.close()
    if backend != "sqlite":
        for url in urls:
            server.drop_database(url)


def _load(one: Store, batched: Store, seed: int) -> tuple[AddResult, AddResult, list[str], list[str]]:
    singles, batches = _articles(seed), _articles(seed)
    one_result, batch_result = AddResult(), AddResult()
    for a in singles:
        one_result += one.add_articles([a])
    for batch in _batches(batches, seed):
        batch_result += batched.add_articles(batch)
    return one_result, batch_result, [a.id for a in singles], [a.id for a in batches]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_batch_stores_what_one_by_one_stores(two_stores: tuple[Store, Store], seed: int) -> None:
    one, batched = two_stores
    one_result, batch_result, one_ids, batch_ids = _load(one, batched, seed)
    # The mix the batches must hold to mean anything.
    assert one_result.added and one_result.unchanged and one_result.replaced and one_result.renamed
    assert batch_result == one_result
    assert batch_ids == one_ids  # renamed articles get the same new ids
    expected = _snapshot(one)
    assert any(target for *_, target in expected["teasers"])
    assert _snapshot(batched) == expected


def test_a_batch_of_teasers_naming_each_other(store_url: str) -> None:
    def art(i: int, headline: str, day: int, related: tuple[str, ...] = ()) -> Article:
        return Article(id=f"t#{i}", source=Provenance(f"/t/{i}.txt", 1, 1), headline=headline,
                       published=date(2024, 1, day), blocks=[Block("paragraph", f"text {i}")],
                       related=list(related))

    with open_store(store_url) as store:
        store.add_articles([art(1, "Putin varnar Nato", 1)])
        store.add_articles([
            art(2, "Annat", 10, related=("Putin varnar Nato", "Regeringen faller")),  # stored; a later one
            art(3, "Regeringen faller i dag", 3),
            art(4, "Putin varnar Nato igen", 5, related=("Regeringen faller",)),  # earlier in the batch
            art(5, "Mer", 12, related=("Putin varnar Nato",)),  # the latest before it: t#4
        ])
        refs = {i: {x.teaser: x.target for x in store.cross_references(f"t#{i}")} for i in (2, 4, 5)}
    assert refs == {2: {"Putin varnar Nato": "t#1", "Regeringen faller": "t#3"},
                    4: {"Regeringen faller": "t#3"},
                    5: {"Putin varnar Nato": "t#4"}}


@pytest.mark.usefixtures("postgres_server")
def test_sqlite_and_postgresql_store_the_same_batches(tmp_path: Path, pg_url: str) -> None:
    snapshots = []
    for url in (str(tmp_path / "news.db"), pg_url):
        with open_store(url) as store:
            for batch in _batches(_articles(7), 7):
                store.add_articles(batch)
            snapshots.append(_by_ids(_snapshot(store)))
    assert snapshots[0] == snapshots[1]


def test_a_writer_analyzes_as_the_articles_double(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Statements a writer prepared while the store was small get plans for its size."""
    from nyhetsvakt.store import postgres as postgres_module

    monkeypatch.setattr(postgres_module, "ANALYZE_FROM", 4)
    articles = iter(_article(_spec(random.Random(i), i) | {"id": f"g#{i}"}) for i in range(8))
    estimates = []
    with open_store(pg_url) as store:
        for size in (4, 3, 1):  # analyzed at 4 articles, and at 8, not at 7
            store.add_articles([next(articles) for _ in range(size)])
            estimates.append(store.conn.execute(  # type: ignore[attr-defined]
                "SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass").fetchone()[0])
    assert estimates == [4, 4, 8]
