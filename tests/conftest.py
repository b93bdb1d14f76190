"""Shared fixtures.

``shared_dir`` locates the evaluation data beside the repository (``../shared``, or
``$NYHETSVAKT_SHARED``); tests that need it skip with a clear reason where it is absent.
``store_url`` runs a test once on SQLite and once on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from nyhetsvakt._evaldata import find_shared

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


SHARED = find_shared()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if SHARED is None:
        pytest.skip("evaluation data not found: put the shared/ folder beside the repository "
                    "or set NYHETSVAKT_SHARED (CI always has it)")
    return SHARED


@pytest.fixture(scope="session")
def gold() -> dict:
    """The hand-made answer key for the seed files (a copy is kept as a fixture)."""
    return json.loads((FIXTURES / "gold_seeds.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


# -- stores: SQLite and PostgreSQL -------------------------------------------------------------
# Tests of the store interface take ``store_url`` (or ``module_store_url``) and run once per
# backend, ids "sqlite" and "postgres". The PostgreSQL runs skip, saying why, where no server
# can be had (see tests/pg.py).

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def postgres_server():
    import pg

    context = pg.server()
    try:
        server = context.__enter__()
    except pg.Unavailable as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    yield server
    context.__exit__(None, None, None)


@pytest.fixture
def pg_url(postgres_server) -> Iterator[str]:
    """A new PostgreSQL database with the schema (dropped after the test)."""
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def store_url(backend: str, tmp_path: Path, request) -> str:
    """Where a new, empty store is: a SQLite file path, or a PostgreSQL URL."""
    if backend == "sqlite":
        return str(tmp_path / "news.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="module", params=BACKENDS)
def module_store_url(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """As ``store_url``, one per module and backend."""
    if request.param == "sqlite":
        yield str(tmp_path_factory.mktemp("store") / "news.db")
        return
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


def store_location(url: str) -> str:
    """What a store's error messages name: the file, or postgresql://host:port/dbname."""
    if url.startswith("postgresql://"):
        from nyhetsvakt.store.postgres import describe_url

        return describe_url(url)[0]
    return url
