"""The stores: migrations, idempotent adds, id rules, resumable and crash-safe ingest,
read-only access, write failures, pagination, stats and export streaming.

Tests taking ``store_url`` or ``fresh_store`` run on SQLite and on PostgreSQL; the ones about
SQLite's file (WAL, pragmas, permissions, a full disk) take ``db_path``. PostgreSQL's own
(URLs, server errors, concurrent writers) are in test_store_postgres.py."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from conftest import store_location
from nyhetsvakt.errors import StoreError, UsageError
from nyhetsvakt.records import Article, Block, DroppedLine, Evidence, Provenance
from nyhetsvakt.store import (
    AddResult,
    ArticleFilter,
    FileFingerprint,
    SQLiteStore,
    Store,
    fingerprint,
    open_store,
    store_path,
)
from nyhetsvakt.store import sqlite as sqlite_module
from nyhetsvakt.store import sqlstore as sqlstore_module
from nyhetsvakt.store.migrate import PG_FOLDER, latest_version, migrations
from nyhetsvakt.store.serialize import dumps_record


def make_article(n: int = 1, *, stem: str = "doc", uri: str | None = None, headline: str | None = None,
                 body: tuple[str, ...] = ("Ett stycke text om ingenting särskilt.",),
                 language: str | None = "sv",
                 published: date | None = date(2024, 1, 1), outlet: str | None = "Testposten",
                 dropped: tuple[DroppedLine, ...] = ()) -> Article:
    return Article(
        id=f"{stem}#{n}",
        source=Provenance(uri or f"/data/{stem}.txt", n * 10, n * 10 + 9),
        outlet=outlet,
        headline=headline or f"Rubrik {stem} {n}",
        lead=f"Ingress {n}.",
        published=published,
        language=language,
        blocks=[Block("paragraph", text, line=n * 10 + i) for i, text in enumerate(body)],
        dropped=list(dropped),
    )


FP = FileFingerprint(size=10, mtime_ns=1, sha256="a" * 64)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "news.db"


@pytest.fixture
def fresh_store(store_url: str) -> Iterator[Store]:
    store = open_store(store_url)
    yield store
    store.close()


def count(store: Store) -> int:
    return store.stats().articles


# -- opening and migrations --------------------------------------------------------------------

def test_migrations_are_applied_once_and_recorded(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        rows = store.conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
        assert [tuple(r) for r in rows] == [(m.version, m.name) for m in migrations()]
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    with SQLiteStore(db_path) as store:
        assert store.conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(migrations())


def test_open_store_accepts_paths_and_sqlite_urls(db_path: Path) -> None:
    with open_store(f"sqlite:///{db_path}") as store:  # absolute path: sqlite:////tmp/...
        assert isinstance(store, Store)
        store.add_articles([make_article()])
    with open_store(str(db_path), read_only=True) as store:
        assert count(store) == 1
    assert store_path("sqlite:///rel/news.db") == "rel/news.db"
    with pytest.raises(UsageError):
        open_store("mysql://localhost/news")
    with pytest.raises(UsageError):
        store_path("postgresql://user@127.0.0.1/news")


def test_newer_schema_is_refused(store_url: str) -> None:
    with open_store(store_url) as store:
        store.conn.execute(  # type: ignore[attr-defined]
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', '')")
    with pytest.raises(StoreError, match=r"version 9999 is newer") as err:
        open_store(store_url)
    assert store_location(store_url) in str(err.value)
    with pytest.raises(StoreError, match="newer"):
        open_store(store_url, read_only=True)


def test_read_only_open_of_missing_or_foreign_file_fails(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"missing\.db"):
        SQLiteStore(tmp_path / "missing.db", read_only=True)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database, just bytes " * 100)
    with pytest.raises(StoreError, match=r"junk\.db"):
        SQLiteStore(junk)


# -- adding articles ---------------------------------------------------------------------------

def test_adding_the_same_articles_twice_changes_nothing(fresh_store: Store) -> None:
    articles = [make_article(i) for i in range(1, 4)]
    assert fresh_store.add_articles(articles) == AddResult(added=3)
    again = [make_article(i) for i in range(1, 4)]
    assert fresh_store.add_articles(again) == AddResult(unchanged=3)
    assert count(fresh_store) == 3


def test_same_id_same_source_replaces_the_old_article(fresh_store: Store) -> None:
    fresh_store.add_articles([make_article(1, body=("Gammal text om valutor.",))])
    edited = make_article(1, body=("Ny text om kryptovalutor.",))
    assert fresh_store.add_articles([edited]) == AddResult(replaced=1)
    assert count(fresh_store) == 1
    stored = fresh_store.get_article("doc#1")
    assert stored is not None and stored.blocks[0].text == "Ny text om kryptovalutor."
    # The search index forgot the old text and knows the new.
    assert fresh_store.search("gammal").items == []
    assert [h.id for h in fresh_store.search("kryptovalutor").items] == ["doc#1"]


def test_same_id_from_another_source_keeps_both_under_a_new_id(fresh_store: Store) -> None:
    first = make_article(1, uri="/a/doc.txt", body=("Första källan.",))
    second = make_article(1, uri="/b/doc.txt", body=("Andra källan.",))
    fresh_store.add_articles([first])
    original_key = second.store_key()
    assert fresh_store.add_articles([second]) == AddResult(added=1, renamed=1)
    assert second.id == f"doc#1~{original_key[:8]}"
    assert count(fresh_store) == 2
    assert fresh_store.get_article("doc#1").source.uri == "/a/doc.txt"
    assert fresh_store.get_article(second.id).source.uri == "/b/doc.txt"
    # Ingesting the second file again (ids as the segmenter makes them) changes nothing.
    assert fresh_store.add_articles([make_article(1, uri="/b/doc.txt", body=("Andra källan.",))]) \
        == AddResult(unchanged=1)
    # Editing the second file replaces its renamed article instead of adding a third.
    edited = make_article(1, uri="/b/doc.txt", body=("Andra källan, rättad.",))
    assert fresh_store.add_articles([edited]) == AddResult(replaced=1, renamed=1)
    assert count(fresh_store) == 2
    assert {a.source.uri for a in fresh_store.iter_articles()} == {"/a/doc.txt", "/b/doc.txt"}


def test_a_renamed_article_of_a_file_stays(fresh_store: Store) -> None:
    """add_file prunes what a file no longer holds by the keys as stored: a renamed article
    has the key of its new id."""
    fresh_store.add_file("/a/doc.txt", FP, [make_article(1, uri="/a/doc.txt", body=("Första.",))])
    second = make_article(1, uri="/b/doc.txt", body=("Andra.",))
    assert fresh_store.add_file("/b/doc.txt", FP, [second]) == AddResult(added=1, renamed=1)
    assert count(fresh_store) == 2 and fresh_store.get_article(second.id).source.uri == "/b/doc.txt"
    again = make_article(1, uri="/b/doc.txt", body=("Andra.",))
    assert fresh_store.add_file("/b/doc.txt", FP, [again]) == AddResult(unchanged=1)
    assert count(fresh_store) == 2


def test_stored_key_is_the_stored_articles_own_key(fresh_store: Store) -> None:
    fresh_store.add_articles([make_article(1, uri="/a/x.txt"), make_article(1, uri="/b/x.txt")])
    rows = fresh_store.conn.execute("SELECT key, id FROM articles").fetchall()
    for key, article_id in rows:
        stored = fresh_store.get_article(key)
        assert stored is not None and stored.id == article_id and stored.store_key() == key


def test_records_round_trip_with_every_field(fresh_store: Store) -> None:
    a = make_article(1, dropped=(DroppedLine(3, "ANNONS", "boilerplate"),))
    a.authors = ["Redaktionen"]
    a.related = ["Valuta störtdyker"]
    a.entities = [{"text": "Putin", "type": "PER", "block": 0, "start": 0, "end": 5}]
    a.evidence = [Evidence("dates", "published", date(2024, 1, 1), cue="2024 01 01", line=2, score=1.0)]
    a.language_scores = {"sv": 0.9, "nb": 0.1}
    a.url = "https://example.com/a"
    expected = a.to_record()
    expected["evidence"][0]["value"] = "2024-01-01"  # dates in evidence are stored as ISO strings
    assert json.loads(dumps_record(a)) == expected
    fresh_store.add_articles([a])
    assert fresh_store.get_article("doc#1").to_record() == expected


def test_get_article_by_id_or_key(fresh_store: Store) -> None:
    a = make_article(7)
    fresh_store.add_articles([a])
    assert fresh_store.get_article("doc#7").id == "doc#7"
    assert fresh_store.get_article(a.store_key()).id == "doc#7"
    assert fresh_store.get_article("nope#1") is None


def test_a_failed_batch_leaves_nothing(fresh_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real_insert = type(fresh_store)._insert

    def failing_insert(self: Store, new: list[tuple[Article, str]], *args: object) -> None:
        real_insert(self, new[:2], *args)  # two articles written, then a failure
        raise RuntimeError("boom")

    monkeypatch.setattr(type(fresh_store), "_insert", failing_insert)
    with pytest.raises(RuntimeError):
        fresh_store.add_file("/data/f.txt", FP, [make_article(i) for i in range(1, 5)])
    assert count(fresh_store) == 0
    assert not fresh_store.file_done("/data/f.txt", FP)


def test_nested_transactions_commit_together(fresh_store: Store) -> None:
    with pytest.raises(ValueError), fresh_store.transaction():
        fresh_store.add_articles([make_article(1)])
        fresh_store.mark_file("/data/doc.txt", FP, 1)
        raise ValueError("abort")
    assert count(fresh_store) == 0 and not fresh_store.file_done("/data/doc.txt", FP)


@pytest.mark.parametrize("max_pending", [5000, 2])  # index rows held to the end, or flushed early
def test_a_failed_file_in_a_group_undoes_only_that_file(fresh_store: Store, max_pending: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_module, "MAX_PENDING", max_pending)
    real_insert = type(fresh_store)._insert

    def insert(self: Store, new: list[tuple[Article, str]], *args: object) -> None:
        ids = [a.id for a, _ in new]
        if "bad#2" in ids:
            real_insert(self, new[:ids.index("bad#2")], *args)  # those before it are written
            raise StoreError("simulated failure")
        real_insert(self, new, *args)

    monkeypatch.setattr(type(fresh_store), "_insert", insert)
    files = {stem: [make_article(i, stem=stem, body=(f"Soldaterna i fil {stem}.",)) for i in (1, 2, 3)]
             for stem in ("good1", "bad", "good2")}
    with fresh_store.transaction():
        for stem, articles in files.items():
            try:
                fresh_store.add_file(f"/data/{stem}.txt", FP, articles)
            except StoreError:
                fresh_store.record_error(f"/data/{stem}.txt", "simulated failure")
    assert count(fresh_store) == 6
    assert fresh_store.file_done("/data/good2.txt", FP) and not fresh_store.file_done("/data/bad.txt", FP)
    assert fresh_store.stats().errors == 1
    found = {h.id for h in fresh_store.search("soldaterna", limit=50).items}
    assert found == {a.id for stem in ("good1", "good2") for a in files[stem]}


# -- files, errors, resume ---------------------------------------------------------------------

def test_file_done_needs_size_mtime_and_digest(fresh_store: Store, tmp_path: Path) -> None:
    src = tmp_path / "dump.txt"
    src.write_text("Rubrik\n\n2024 01 01\n\nText.\n", encoding="utf-8")
    fp = fingerprint(src)
    assert fp.size == src.stat().st_size and len(fp.sha256) == 64
    assert not fresh_store.file_done(str(src), fp)
    result = fresh_store.add_file(str(src), fp, [make_article(1, uri=str(src))])
    assert result == AddResult(added=1)
    assert fresh_store.file_done(str(src), fp)
    assert not fresh_store.file_done(str(src), FileFingerprint(fp.size, fp.mtime_ns + 1, fp.sha256))
    assert not fresh_store.file_done(str(src), FileFingerprint(fp.size, fp.mtime_ns, "0" * 64))


def test_errors_are_kept_once_and_cleared_when_the_file_succeeds(fresh_store: Store) -> None:
    fresh_store.record_error("/data/bad.gz", "truncated gzip")
    fresh_store.record_error("/data/bad.gz", "truncated gzip")
    fresh_store.record_error("/data/other.warc", "not a WARC file")
    assert fresh_store.stats().errors == 2
    fresh_store.mark_file("/data/bad.gz", FP, 0)
    assert fresh_store.stats().errors == 1


_CHILD = textwrap.dedent("""
    import sys, time
    from datetime import date
    from nyhetsvakt.records import Article, Block, Provenance
    from nyhetsvakt.store import FileFingerprint, open_store

    def arts(f, n):
        return [Article(id=f"f{f}#{i}", source=Provenance(f"/d/f{f}.txt", i, i), headline=f"Rubrik {f} {i}",
                        language="sv", published=date(2024, 1, 1 + i % 28),
                        blocks=[Block("paragraph", f"Soldaterna i fil {f} stycke {i}. " * 20)])
                for i in range(n)]

    store = open_store(sys.argv[1])
    mode = sys.argv[2]
    if mode == "mid-batch":
        store.add_file("/d/f0.txt", FileFingerprint(1, 1, "0"), arts(0, 30))
        with store.transaction():
            store.add_articles(arts(1, 30)[:10])
            print("MID", flush=True)
            time.sleep(60)
    else:  # "loop": many files, killed at some moment
        for f in range(1000):
            store.add_file(f"/d/f{f}.txt", FileFingerprint(1, 1, str(f)), arts(f, 30))
            print(f"DONE {f}", flush=True)
""")


def _run_child(db: str, mode: str, wait_for: str) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(db), mode], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(wait_for):
                break
        else:
            pytest.fail(f"child ended early: {proc.stderr.read() if proc.stderr else ''}")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
    assert proc.returncode == -signal.SIGKILL


def _check_files_all_or_nothing(store: Store, files: int) -> int:
    """Every file is either marked done with all its articles stored, or has none stored."""
    done = 0
    for f in range(files):
        stored = store.list_articles(ArticleFilter(source_uri=f"/d/f{f}.txt"), limit=100).items
        if store.file_done(f"/d/f{f}.txt", FileFingerprint(1, 1, str(f))):
            assert len(stored) == 30
            done += 1
        else:
            assert stored == [], f"file {f} is half stored"
    return done


def _intact(store: Store) -> None:
    if isinstance(store, SQLiteStore):
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_kill_9_mid_batch_loses_nothing_committed_and_leaves_no_half_file(store_url: str) -> None:
    open_store(store_url).close()
    _run_child(store_url, "mid-batch", "MID")
    with open_store(store_url) as store:
        _intact(store)
        assert store.file_done("/d/f0.txt", FileFingerprint(1, 1, "0"))
        assert count(store) == 30  # file 0 complete, nothing of file 1
        assert store.list_articles(ArticleFilter(source_uri="/d/f1.txt")).items == []
        assert len(store.search("soldaterna", limit=100).items) == 30
        # The rerun completes file 1.
        arts = [make_article(i, stem="f1", uri="/d/f1.txt") for i in range(30)]
        assert store.add_file("/d/f1.txt", FileFingerprint(1, 1, "1"), arts).added == 30
        assert count(store) == 60


def test_kill_9_at_any_moment_keeps_files_all_or_nothing(store_url: str) -> None:
    open_store(store_url).close()
    _run_child(store_url, "loop", "DONE 3")
    with open_store(store_url) as store:
        _intact(store)
        assert _check_files_all_or_nothing(store, 1000) >= 4


# -- read-only access and write failures -------------------------------------------------------

def test_read_only_store_cannot_write(store_url: str) -> None:
    with open_store(store_url) as writer:
        writer.add_articles([make_article(1)])
        with open_store(store_url, read_only=True) as reader:
            assert count(reader) == 1
            with pytest.raises(StoreError, match="read-only"):
                reader.add_articles([make_article(2)])
            with pytest.raises(StoreError, match="read-only"):
                reader.reindex()
            with pytest.raises(StoreError, match=r"read-?only"):
                reader.put_story_links([("doc#1", "doc#1", 1.0, "rewrite", [])])
            # Even the raw connection cannot write: SQLite's query_only, PostgreSQL's
            # default_transaction_read_only.
            with pytest.raises(Exception, match=r"readonly|read-only|query_only") as err:
                reader.conn.execute("DELETE FROM articles")  # type: ignore[attr-defined]
            assert isinstance(err.value, sqlite3.OperationalError) or "ReadOnly" in type(err.value).__name__
            # A reader sees what the writer commits (WAL: readers never block the writer).
            writer.add_articles([make_article(3)])
            assert count(reader) == 2


@contextmanager
def _write_protected(path: Path) -> Iterator[None]:
    """Make a file or directory unwritable, even for root (via the immutable attribute)."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"running as root and cannot make {path} immutable: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_read_only_database_file_gives_store_error_with_path(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        store.add_articles([make_article(1)])
    assert not Path(f"{db_path}-wal").exists()
    with _write_protected(db_path), pytest.raises(StoreError) as err:
        SQLiteStore(db_path)
    assert str(db_path) in str(err.value) and "readonly" in str(err.value)


def test_read_only_directory_gives_store_error_with_path(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with _write_protected(folder), pytest.raises(StoreError) as err:
        SQLiteStore(folder / "news.db")
    assert str(folder / "news.db") in str(err.value)


def test_a_second_writer_waits_then_gives_store_error(db_path: Path) -> None:
    with SQLiteStore(db_path) as first, first.transaction():
        first.add_articles([make_article(1)])
        with pytest.raises(StoreError, match="locked") as err:
            SQLiteStore(db_path, timeout=0.2)
        assert str(db_path) in str(err.value)
        with SQLiteStore(db_path, read_only=True) as reader:  # readers are never blocked
            assert count(reader) == 0


def test_disk_full_gives_store_error_and_keeps_what_was_committed(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        store.add_articles([make_article(1)])
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        big = [make_article(i, body=(f"Långt stycke nummer {i}. " * 400,)) for i in range(2, 40)]
        with pytest.raises(StoreError, match="full") as err:
            store.add_articles(big)
        assert str(store.path) in str(err.value)
        assert count(store) == 1


# -- reading -----------------------------------------------------------------------------------

def _dated_articles(n: int) -> list[Article]:
    out = []
    for i in range(n):
        published = None if i % 7 == 0 else date(2020 + i % 5, 1 + i % 12, 1 + i % 28)
        out.append(make_article(i, stem=f"p{i % 4}", published=published, language=["sv", "nb", "da"][i % 3],
                                outlet=["A", "B"][i % 2]))
    return out


@pytest.mark.parametrize("order", ["published", "ingested"])
@pytest.mark.parametrize("filters", [ArticleFilter(), ArticleFilter(language="nb"),
                                     ArticleFilter(since=date(2021, 1, 1), until=date(2023, 6, 30))])
def test_cursor_pagination_covers_every_article_once(fresh_store: Store, order: str,
                                                     filters: ArticleFilter) -> None:
    articles = _dated_articles(57)
    fresh_store.add_articles(articles)
    seen: list[Article] = []
    cursor = None
    while True:
        page = fresh_store.list_articles(filters, order=order, limit=10, cursor=cursor)
        seen.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
        # Articles added between pages neither repeat nor shift what follows.
        fresh_store.add_articles([make_article(1000 + len(seen), stem="late", published=None)])
    expected = {a.id for a in articles if _matches(a, filters)}
    ids = [a.id for a in seen if not a.id.startswith("late")]
    assert len(ids) == len(set(ids)) and set(ids) == expected
    if order == "published":
        keys = [a.published.isoformat() if a.published else "" for a in seen]
        assert keys == sorted(keys, reverse=True)  # newest first, undated last


def _matches(a: Article, f: ArticleFilter) -> bool:
    if f.language and a.language != f.language:
        return False
    if f.since and (a.published is None or a.published < f.since):
        return False
    return not (f.until and (a.published is None or a.published > f.until))


def test_bad_order_limit_or_cursor_is_a_usage_error(fresh_store: Store) -> None:
    fresh_store.add_articles(_dated_articles(5))
    page = fresh_store.list_articles(limit=2)
    with pytest.raises(UsageError):
        fresh_store.list_articles(order="random")
    with pytest.raises(UsageError):
        fresh_store.list_articles(limit=0)
    with pytest.raises(UsageError, match="another query"):
        fresh_store.list_articles(ArticleFilter(language="sv"), limit=2, cursor=page.next_cursor)
    with pytest.raises(UsageError, match="invalid cursor"):
        fresh_store.list_articles(cursor="not-a-cursor!")


def test_filters_by_outlet_source_hash_and_ids(fresh_store: Store) -> None:
    articles = _dated_articles(12)
    fresh_store.add_articles(articles)
    assert {a.outlet for a in fresh_store.iter_articles(ArticleFilter(outlet="A"))} == {"A"}
    assert len(list(fresh_store.iter_articles(ArticleFilter(source_uri="/data/p1.txt")))) == 3
    target = articles[5]
    assert [a.id for a in fresh_store.iter_articles(ArticleFilter(content_hash=target.content_hash()))] \
        == [target.id]
    got = fresh_store.iter_articles(ArticleFilter(ids=[articles[1].id, articles[2].store_key()]))
    assert sorted(a.id for a in got) == sorted([articles[1].id, articles[2].id])


def test_stats_counts(fresh_store: Store) -> None:
    arts = [make_article(1, language="sv", outlet="A", dropped=(DroppedLine(2, "ANNONS", "boilerplate"),
                                                                  DroppedLine(3, "Foto: X", "photo_credit"))),
            make_article(2, language="nb", outlet="A", dropped=(DroppedLine(5, "ANNONSE", "boilerplate"),)),
            make_article(3, language=None, outlet=None)]
    fresh_store.add_file("/data/doc.txt", FP, arts)
    fresh_store.record_error("/data/broken.gz", "truncated gzip")
    stats = fresh_store.stats()
    assert stats.articles == 3
    assert stats.languages == {"sv": 1, "nb": 1, None: 1}
    assert stats.outlets == {"A": 2, None: 1}
    assert stats.dropped_lines == {"boilerplate": 2, "photo_credit": 1}
    assert (stats.errors, stats.files) == (1, 1)
    # Replacing an article replaces its dropped lines too.
    fresh_store.add_articles([make_article(1, language="sv", outlet="A", body=("Ändrad.",))])
    assert fresh_store.stats().dropped_lines == {"boilerplate": 1}


def test_export_iteration_streams_in_chunks(fresh_store: Store,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlstore_module, "EXPORT_CHUNK", 7)
    fresh_store.add_articles(_dated_articles(30))
    it = fresh_store.iter_articles()
    assert isinstance(it, Iterator)
    first = next(it)
    # Added after the export started, with a higher row number: still reached.
    fresh_store.add_articles([make_article(99, stem="late")])
    rest = list(it)
    ids = [first.id, *(a.id for a in rest)]
    assert len(ids) == 31 and len(set(ids)) == 31 and ids[-1] == "late#99"
    assert sum(1 for _ in fresh_store.iter_articles(ArticleFilter(language="da"))) == 10


def test_changed_analyzer_version_rebuilds_the_index(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        store.add_articles([make_article(1, body=("Soldaterna vägrade.",))])
        store.conn.execute("UPDATE store_meta SET value = 'old' WHERE name = 'index_version'")
        store.conn.execute("INSERT INTO article_search (article_search) VALUES ('delete-all')")
        assert store.search("soldater").items == []
    with SQLiteStore(db_path, read_only=True) as reader:  # cannot rebuild: lists from the table
        assert [a.id for a in reader.list_articles().items] == ["doc#1"]
    with SQLiteStore(db_path) as store:
        assert [h.id for h in store.search("soldater").items] == ["doc#1"]


def test_latest_version_matches_the_migration_files() -> None:
    assert latest_version() == max(m.version for m in migrations()) >= 1
    assert json.dumps([m.name for m in migrations()])
    # PostgreSQL's migrations mirror SQLite's: the same versions and names.
    assert [(m.version, m.name) for m in migrations(PG_FOLDER)] == [(m.version, m.name) for m in migrations()]


def test_edited_file_that_lost_articles_is_pruned(store_url: str, tmp_path: Path) -> None:
    """Re-ingesting an edited dump that now holds fewer articles removes the ones it lost."""
    from nyhetsvakt import NewsArchive

    dump = tmp_path / "edited.txt"
    two = "Rubrik ett\n\n2022 05 23\n\nText ett.\n\n\nRubrik två\n\n2022 05 24\n\nText två.\n"
    dump.write_text(two, "utf-8")
    with NewsArchive(store_url) as archive:
        archive.ingest([str(dump)])
        assert archive.stats().articles == 2
        dump.write_text("Rubrik ett\n\n2022 05 23\n\nText ett, rättad.\n", "utf-8")
        archive.ingest([str(dump)])
        ids = [a.id for a in archive.articles().items]
        assert ids == ["edited#1"] and "rättad" in archive.show("edited#1").blocks[0].text


def test_schema_8_files_the_headlines_of_an_older_store_under_their_prefixes(store_url: str) -> None:
    """Migration 8 turns schema 7's headline_keys into headline_prefixes: the same rows as a
    store writes for new articles (one- and many-word headlines, undated, repeated)."""
    from nyhetsvakt.store.migrate import PG_FOLDER, migrations, statements
    from nyhetsvakt.store.xref import _key

    headlines = ["Valuta störtdyker", "Valuta störtdyker – rasat 30 procent", "Ensam", "Valuta störtdyker",
                 "JUST NU: Ryska soldater vägrar strida vid fronten i natt enligt källor"]
    articles = [make_article(i, headline=h, published=None if i == 3 else date(2024, 1, i + 1))
                for i, h in enumerate(headlines)]
    postgres = not store_url.endswith(".db")
    with open_store(store_url) as store:
        store.add_articles(articles)
        conn = store.conn  # type: ignore[attr-defined]
        rows = "SELECT prefix, published, doc FROM headline_prefixes ORDER BY prefix, published, doc"
        written = [tuple(r) for r in conn.execute(rows).fetchall()]
        # As a store written before schema 8 holds its headlines:
        conn.execute("DROP TABLE headline_prefixes")
        conn.execute("CREATE TABLE headline_keys (doc BIGINT PRIMARY KEY, key TEXT NOT NULL)")
        ids = {a.id: a for a in articles}
        insert = "INSERT INTO headline_keys (doc, key) VALUES " + ("(%s, %s)" if postgres else "(?, ?)")
        for doc, article_id in conn.execute("SELECT doc, id FROM articles").fetchall():
            conn.execute(insert, (doc, _key(ids[article_id].headline)))
        sql = next(m.sql for m in migrations(PG_FOLDER if postgres else "migrations") if m.version == 8)
        for statement in [sql] if postgres else statements(sql):
            conn.execute(statement)
        migrated = [tuple(r) for r in conn.execute(rows).fetchall()]
    assert migrated == written
    assert len(written) == 1 + 4 + 0 + 1 + 11  # the dash folds away; "Ensam" has no two words
