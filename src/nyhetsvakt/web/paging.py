"""Cursors for the web's lists, and JSON responses.

Articles and search hits page with the store's own keyset cursors. The other lists
(stories, entities, quotes, sources, claims) are aggregates the store returns up to a
limit; their cursor holds the position reached, with a digest of the query so a cursor
is refused by any other query. Pages end at :data:`MAX_DEPTH` items (narrow the filters
to go further).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from starlette.responses import JSONResponse

from ..errors import UsageError
from ..store.cursor import decode_cursor, encode_cursor, query_digest

__all__ = ["MAX_DEPTH", "JsonResponse", "offset_page", "to_json"]

T = TypeVar("T")
# The store's largest limit.
MAX_DEPTH = 10_000


def offset_page(
    fetch: Callable[[int], list[T]], limit: int, cursor: str | None, *query: Any
) -> tuple[list[T], str | None]:
    """A page of ``fetch(n)`` (the first ``n`` items) after ``cursor``."""
    digest = query_digest("web-offset", *query)
    offset = 0
    if cursor:
        key = decode_cursor(cursor, digest)
        if len(key) != 1 or not isinstance(key[0], int) or not 0 <= key[0] < MAX_DEPTH:
            raise UsageError("invalid cursor")
        offset = key[0]
    want = min(offset + limit + 1, MAX_DEPTH)
    rows = fetch(want)
    items = rows[offset : offset + limit]
    more = len(rows) > offset + limit and offset + limit < MAX_DEPTH
    return items, encode_cursor(digest, [offset + limit]) if more else None


def to_json(value: Any) -> Any:
    """Dataclasses, dates and tuples as JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


class JsonResponse(JSONResponse):
    """UTF-8 JSON, å/ä/ö/æ/ø as themselves."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(
            to_json(content), ensure_ascii=False, separators=(",", ":"), allow_nan=False
        ).encode("utf-8")
