"""Where articles are kept: one interface (:class:`Store`), SQLite now, PostgreSQL later.

>>> from nyhetsvakt.store import open_store
>>> with open_store("news.db") as store:                  # doctest: +SKIP
...     store.add_file(uri, fingerprint(uri), articles)
...     page = store.search("ryska soldater", ArticleFilter(language="sv"))
"""

from __future__ import annotations

import os

from ..errors import StoreError, UsageError
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
    "open_store",
    "store_path",
]

_SQLITE = "sqlite:///"


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
    if text.startswith(("postgresql://", "postgres://")):
        raise StoreError(f"{text.split('@')[-1]}: the PostgreSQL store is not available yet")
    if "://" in text:
        raise UsageError(f"unknown store URL {text!r} (use a file path or sqlite:///PATH)")
    return text


def open_store(url_or_path: str | os.PathLike[str], *, read_only: bool = False) -> Store:
    """Open (creating and migrating when writable) the store at a path or URL."""
    return SQLiteStore(store_path(url_or_path), read_only=read_only)
