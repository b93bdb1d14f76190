"""Opaque keyset-pagination cursors.

A cursor carries the sort key of the last row of a page, so the next page starts
strictly after it: stable while articles are added, unlike OFFSET. It also carries a
digest of the query that made it, so a cursor is refused by any other query.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from ..errors import UsageError

__all__ = ["decode_cursor", "encode_cursor", "query_digest"]


def query_digest(*parts: Any) -> str:
    """A short digest of everything that defines a result order (query, filters, order)."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:12]


def encode_cursor(digest: str, key: list[Any]) -> str:
    raw = json.dumps([digest, key], separators=(",", ":"), ensure_ascii=True)
    return base64.urlsafe_b64encode(raw.encode("ascii")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, digest: str) -> list[Any]:
    """The sort key in ``cursor``; UsageError if it is malformed or from another query."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        got, key = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise UsageError(f"invalid cursor {cursor[:40]!r}") from None
    if got != digest or not isinstance(key, list):
        raise UsageError("this cursor belongs to another query, filter or order; start from the first page")
    return key
