"""Articles as the JSON the stores keep (``Article.to_record()``), compact."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..records import Article

__all__ = ["dumps_json", "dumps_record"]


def _json_default(value: Any) -> Any:
    """Values steps may leave in evidence (dates, sets) as JSON."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_json_default)


def dumps_record(a: Article) -> str:
    """The article's record as compact JSON (UTF-8 kept, dates in evidence as ISO strings)."""
    return _ENCODER.encode(a.to_record())


def dumps_json(value: Any) -> str:
    """Any JSON value the way records are written (compact, UTF-8 kept)."""
    return _ENCODER.encode(value)
