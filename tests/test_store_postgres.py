"""What only the PostgreSQL store has: URLs and server errors (never with the password),
migrations under concurrent openers, a second writer waiting for the first, and many
writers at once: concurrent adds of the same articles, two ingest processes over
overlapping inputs, an ingest killed with SIGKILL and run again.

The rest of the store's behaviour is tested on both backends (test_store.py, test_search.py,
...; test_store_equivalence.py compares them)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date

import pytest

from nyhetsvakt import NewsArchive
from nyhetsvakt.errors import StoreError
from nyhetsvakt.records import Article, Block, Provenance
from nyhetsvakt.store import ArticleFilter, open_store
from store_corpus import write_corpus

pytestmark = pytest.mark.usefixtures("postgres_server")

PASSWORD = "s3cret-Pa55word"


def _articles(n: int, stem: str = "c") -> list[Article]:
    return [Article(id=f"{stem}#{i}", source=Provenance(f"/d/{stem}.txt", i, i), headline=f"Rubrik {i}",
                    language="sv", published=date(2024, 1, 1 + i % 28),
                    blocks=[Block("paragraph", f"Soldaterna i stycke {i} vägrade lyda order.")])
            for i in range(n)]


def _with_password(url: str, dbname: str | None = None) -> str:
    rest = url.split("://", 1)[1]
    user, host = rest.split("@", 1)
    if dbname:
        host = host.rsplit("/", 1)[0] + "/" + dbname
    return f"postgresql://{user}:{PASSWORD}@{host}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- opening -----------------------------------------------------------------------------------

def test_urls_of_both_schemes_open_the_store(pg_url: str) -> None:
    with open_store(pg_url) as store:
        store.add_articles(_articles(2))
    with open_store(pg_url.replace("postgresql://", "postgres://", 1), read_only=True) as store:
        assert store.stats().articles == 2 and store.read_only


@pytest.mark.parametrize("case", ["server down", "no such database", "unparsable"])
def test_errors_name_host_port_and_database_never_the_password(case: str, pg_url: str) -> None:
    if case == "server down":
        url, named = f"postgresql://news:{PASSWORD}@127.0.0.1:{_free_port()}/news", "127.0.0.1"
    elif case == "no such database":
        url, named = _with_password(pg_url, "no_such_db"), "no_such_db"
    else:
        url, named = f"postgresql://news:{PASSWORD}@127.0.0.1:port/news?sslmode=nonsense", "postgresql://"
    for read_only in (False, True):
        with pytest.raises(StoreError) as err:
            open_store(url, read_only=read_only)
        message = str(err.value)
        assert named in message and PASSWORD not in message, message
        assert PASSWORD not in repr(err.value.__cause__ or "")


def test_missing_psycopg_says_what_to_install(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError, match=r"nyhetsvakt\[postgres\]"):
        open_store(pg_url)


def test_migrations_are_applied_once_by_concurrent_openers(postgres_server) -> None:
    url = postgres_server.create_database(migrated=False)
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            open_store(url).close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert not errors, errors
        with open_store(url) as store:
            rows = store.conn.execute(  # type: ignore[attr-defined]
                "SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
        from nyhetsvakt.store.migrate import PG_FOLDER, migrations

        assert rows == [(m.version, m.name) for m in migrations(PG_FOLDER)]
    finally:
        postgres_server.drop_database(url)


def test_read_only_open_of_a_database_without_the_schema_fails(postgres_server) -> None:
    url = postgres_server.create_database(migrated=False)
    try:
        with pytest.raises(StoreError, match="not an up-to-date nyhetsvakt store"):
            open_store(url, read_only=True)
    finally:
        postgres_server.drop_database(url)


def test_text_postgresql_cannot_hold_is_dropped_not_fatal(pg_url: str) -> None:
    a = _articles(1)[0]
    a.headline = "Rubrik\x00 med NUL"
    a.blocks = [Block("paragraph", "Text\x00 med NUL och soldater.")]
    with open_store(pg_url) as store:
        assert store.add_articles([a]).added == 1
        assert store.get_article(a.id).headline == "Rubrik\x00 med NUL"  # the record keeps it
        assert [h.id for h in store.search("soldater").items] == [a.id]


# -- writers -----------------------------------------------------------------------------------

def test_a_second_writer_waits_then_gives_store_error(pg_url: str) -> None:
    from nyhetsvakt.store.postgres import PostgresStore

    with open_store(pg_url) as first, PostgresStore(pg_url, timeout=0.2) as second:
        with first.transaction():
            first.add_articles(_articles(1))
            started = time.monotonic()
            with pytest.raises(StoreError, match="locked") as err:
                second.add_articles(_articles(2, stem="d"))
            assert time.monotonic() - started >= 0.2 and PASSWORD not in str(err.value)
            with open_store(pg_url, read_only=True) as reader:  # readers are never blocked
                assert reader.stats().articles == 0
        # Once the first commits, the second writes.
        assert second.add_articles(_articles(2, stem="d")).added == 2
        assert first.stats().articles == 3


def test_concurrent_adds_of_the_same_articles_store_each_once(pg_url: str) -> None:
    barrier = threading.Barrier(3)
    results, errors = [], []

    def add() -> None:
        try:
            with open_store(pg_url) as store:
                barrier.wait()
                for start in range(0, 120, 20):  # many transactions, interleaved with the others
                    results.append(store.add_articles(_articles(120)[start:start + 20]))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=add) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sum(r.added for r in results) == 120 and sum(r.unchanged for r in results) == 240
    assert not any(r.renamed or r.replaced for r in results)
    with open_store(pg_url, read_only=True) as store:
        ids = [a.id for a in store.iter_articles()]
        assert sorted(ids) == sorted(a.id for a in _articles(120))
        assert len(store.search("soldaterna", limit=500).items) == 120


def _ingest(db: str, paths: list[str]) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "nyhetsvakt", "--db", db, "ingest", "--no-progress", *paths]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _contents(db: str) -> dict[str, tuple]:
    """Every article by id, with what identifies its content (not the story and duplicate
    links, which each process assigns from what it has seen)."""
    with NewsArchive(db, read_only=True) as archive:
        return {a.id: (a.store_key(), a.source.uri, a.headline, a.language, a.published)
                for a in archive.store.iter_articles()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return [str(p) for p in write_corpus(tmp_path_factory.mktemp("corpus"), files=30)]


def test_two_ingest_processes_over_overlapping_inputs_equal_one(corpus: list[str], postgres_server) -> None:
    together, single = postgres_server.create_database(), postgres_server.create_database()
    try:
        procs = [_ingest(together, corpus[:20]), _ingest(together, corpus[10:])]
        for proc in procs:
            _, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
        done = _ingest(single, corpus)
        _, err = done.communicate(timeout=300)
        assert done.returncode == 0, err
        got, expected = _contents(together), _contents(single)
        assert got == expected
        assert not any("~" in aid for aid in got)  # no article was taken for another source's
        with NewsArchive(together, read_only=True) as archive:
            assert archive.stats().files == len(corpus)
    finally:
        postgres_server.drop_database(together)
        postgres_server.drop_database(single)


def test_an_ingest_killed_with_sigkill_loses_and_doubles_nothing(corpus: list[str], postgres_server) -> None:
    from nyhetsvakt.store import fingerprint

    killed, single = postgres_server.create_database(), postgres_server.create_database()
    try:
        done = _ingest(single, corpus)
        _, err = done.communicate(timeout=300)
        assert done.returncode == 0, err
        expected = _contents(single)
        proc = _ingest(killed, corpus)
        deadline = time.monotonic() + 120
        with open_store(killed, read_only=True) as reader:
            while reader.stats().files < 3 and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        with open_store(killed, read_only=True) as reader:
            finished = 0
            for path in corpus:  # each file complete and marked, or not there at all
                stored = {a.id for a in reader.iter_articles(ArticleFilter(source_uri=path))}
                if reader.file_done(path, fingerprint(path)):
                    finished += 1
                    assert stored == {aid for aid, v in expected.items() if v[1] == path}
                else:
                    assert stored == set(), f"{path} is half stored"
            assert finished >= 3
        rerun = _ingest(killed, corpus)
        _, err = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, err
        assert _contents(killed) == expected
    finally:
        postgres_server.drop_database(killed)
        postgres_server.drop_database(single)


# -- how a search runs: a bounded walk of the newest articles, or the GIN index -----------------

def _search_corpus() -> list[Article]:
    """60 articles over 60 days: "soldaterna" in all, "drönare" in every seventh, Norwegian
    "soldatene" in every fifth (those are nb), two dates shared by two articles."""
    out = []
    for i in range(60):
        nb = i % 5 == 0
        words = "Soldatene nektet å adlyde ordre." if nb else "Soldaterna vägrade lyda order."
        if i % 7 == 0:
            words += " Drönare " + ("angrep" if nb else "anföll") + " depån."
        out.append(Article(id=f"s#{i}", source=Provenance("/d/s.txt", i, i), headline=f"Rubrik {i}",
                           language="nb" if nb else "sv", published=date(2024, 1, 1 + i % 30) if i % 29
                           else None, blocks=[Block("paragraph", words)]))
    return out


SEARCHES = [("soldaterna", ArticleFilter()), ("drönare", ArticleFilter()),
            ("soldater -drönare", ArticleFilter()), ("soldatene", ArticleFilter(language="nb")),
            ('"vägrade lyda"', ArticleFilter(since=date(2024, 1, 10))), ("-drönare", ArticleFilter()),
            ("soldaterna", ArticleFilter(until=date(2024, 1, 20)))]


def _all_pages(store, text: str, filters: ArticleFilter, order: str) -> list[tuple[str, float]]:
    seen, cursor = [], None
    while True:
        page = store.search(text, filters, order=order, limit=4, cursor=cursor)
        seen += [(h.id, round(h.score, 6)) for h in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return seen


@pytest.mark.parametrize("order", ["date", "relevance"])
def test_walk_and_index_find_the_same_matches_in_the_same_order(pg_url: str, tmp_path, order: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import nyhetsvakt.store.postgres_search as ps

    articles = _search_corpus()
    with open_store(pg_url) as store:
        store.add_articles(articles)
        store.conn.execute("ANALYZE article_search")
    monkeypatch.setattr(ps, "RANK_WINDOW", 6)  # small enough that walks succeed and fail
    runs = {}
    # estimate "common": walk first; a long walk (succeeds), a short one and a longer one, or a
    # short one and the index; estimate "rare": the index
    common, rare = (float("inf"), float("inf")), (0.0, 60.0)  # (matches, articles) as estimated
    for name, guess, walk, longest in [("walk", common, 1000, 1000), ("walk, walk again", common, 2, 1000),
                                       ("walk, then index", common, 1, 1), ("index", rare, 1000, 1000)]:
        monkeypatch.setattr(ps, "_estimate", lambda *a, guess=guess: guess)
        monkeypatch.setattr(ps, "MIN_WALK", walk)
        monkeypatch.setattr(ps, "MAX_WALK", longest)
        monkeypatch.setattr(ps, "WALK_FACTOR", 1)
        with open_store(pg_url, read_only=True) as store:
            runs[name] = [_all_pages(store, text, f, order) for text, f in SEARCHES]
    assert runs["walk"] == runs["walk, walk again"] == runs["walk, then index"] == runs["index"]
    found = dict(zip([t for t, _ in SEARCHES], runs["walk"], strict=False))
    drones = len([a for a in articles if "Drönare" in a.blocks[0].text])
    assert len(found["drönare"]) == (drones if order == "date" else 6)  # relevance: the 6 newest
    assert not {i for i, _ in found["-drönare"]} & {i for i, _ in found["drönare"]}
    if order == "date":  # newest first, undated last: the same order SQLite gives
        sqlite_url = str(tmp_path / "s.db")
        with open_store(sqlite_url) as store:
            store.add_articles(articles)
            assert [_all_pages(store, t, f, order) for t, f in SEARCHES] == runs["walk"]
    else:
        assert len(found["soldaterna"]) == 6


def test_a_walk_is_bounded_and_search_statements_are_not_prepared(pg_url: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A word the planner thinks common but the newest articles lack falls back to the
    index after the bounded walk; the same search run many times is never prepared."""
    import nyhetsvakt.store.postgres_search as ps

    with open_store(pg_url) as store:
        store.add_articles(_search_corpus())
    statements: list[str] = []
    monkeypatch.setattr(ps, "_estimate", lambda *a: (float("inf"), float("inf")))
    monkeypatch.setattr(ps, "MIN_WALK", 3)
    monkeypatch.setattr(ps, "WALK_FACTOR", 1)
    monkeypatch.setattr(ps, "MAX_WALK", 12)
    from nyhetsvakt.store.postgres import PGConnection

    for method in ("execute_planned", "execute_indexed"):
        real = getattr(PGConnection, method)
        monkeypatch.setattr(PGConnection, method, lambda self, q, p=(), real=real, method=method: (
            statements.append(f"{method}: {q}"), real(self, q, p))[1])
    with open_store(pg_url, read_only=True) as store:
        for _ in range(8):
            hits = store.search("drönare", order="date", limit=4).items
        assert [h.id for h in hits][:2] == ["s#28", "s#56"]
        # the walk: at most max(MIN_WALK, WALK_FACTOR × 5 wanted) articles; then, as the one
        # hit in those says 25 would do, at most MAX_WALK; then the index
        walks = [s.split("DESC LIMIT ")[1].split(")")[0] for s in statements if ") AS w" in s]
        assert walks[:2] == ["5", "12"]
        assert any(s.startswith("execute_indexed") and "MATERIALIZED" in s for s in statements)
        prepared = [row[0] for row in store.conn.execute("SELECT statement FROM pg_prepared_statements")]
        assert not [s for s in prepared if "@@" in s or "ANY($1::bigint[])" in s]
        assert store.conn.execute("SHOW enable_seqscan").fetchone()[0] == "on"
