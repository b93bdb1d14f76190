"""Where articles are kept: one interface (:class:`Store`), SQLite and PostgreSQL.

>>> from nyhetsvakt.store import open_store
>>> with open_store("news.db") as store:                  # doctest: +SKIP
...     # or open_store("postgresql://user@host/news") with the postgres extra
...     store.add_file(uri, fingerprint(uri), articles)
...     page = store.search("ryska soldater", ArticleFilter(language="sv"))
"""

from __future__ import annotations

import os

from ..errors import UsageError
from ..search.hits import SearchHit
from .base import LIST_ORDERS, SEARCH_ORDERS, AddResult, Page, Store, StoreStats
from .filters import ArticleFilter
from .fingerprint import FileFingerprint, fingerprint
from .sqlite import SQLiteStore

__all__ = [
    "LIST_ORDERS",
    "SEARCH_ORDERS",
    "AddResult",
    "ArticleFilter",
    "FileFingerprint",
    "Page",
    "SQLiteStore",
    "SearchHit",
    "Store",
    "StoreStats",
    "fingerprint",
    "is_postgres_url",
    "open_store",
    "store_path",
]

_SQLITE = "sqlite:///"
_POSTGRES = ("postgresql://", "postgres://")


def store_path(url_or_path: str | os.PathLike[str]) -> str:
    """The SQLite file named by a path or a ``sqlite:///`` URL.

    URLs follow SQLAlchemy: ``sqlite:///news.db`` is relative, ``sqlite:////srv/news.db``
    absolute, ``sqlite:///:memory:`` in memory.
    """
    text = os.fspath(url_or_path)
    if text.startswith(_SQLITE):
        path = text[len(_SQLITE):]
        if not path:
            raise UsageError(f"no database file in {text!r}")
        return path
    if is_postgres_url(text):
        raise UsageError("a PostgreSQL URL names no file")
    if "://" in text:
        raise UsageError(f"unknown store URL {text.split('://')[0]}://… (use a file path, sqlite:///PATH "
                         "or postgresql://USER@HOST/DBNAME)")
    return text


def is_postgres_url(url_or_path: str | os.PathLike[str]) -> bool:
    return os.fspath(url_or_path).startswith(_POSTGRES)


def open_store(url_or_path: str | os.PathLike[str], *, read_only: bool = False) -> Store:
    """Open (creating and migrating when writable) the store at a path or URL.

    ``postgresql://`` and ``postgres://`` URLs open a :class:`~.postgres.PostgresStore`
    (the ``postgres`` extra); anything else is a SQLite file.
    """
    if is_postgres_url(url_or_path):
        from .postgres import PostgresStore  # psycopg is optional: imported only when used

        return PostgresStore(os.fspath(url_or_path), read_only=read_only)
    return SQLiteStore(store_path(url_or_path), read_only=read_only)
