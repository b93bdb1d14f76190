"""Articles as the JSON the stores keep (``Article.to_record()``), fast.

``to_record`` builds its nested dicts with ``dataclasses.asdict``, whose deep copies
cost more than the rest of storing an article; the record is serialised at once, so
nothing needs copying. ``tests/test_store.py`` checks that the two stay equal.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date
from functools import cache
from typing import Any

from ..records import Article

__all__ = ["dumps_record", "record_of"]


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _flat(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in _field_names(type(obj))}


def record_of(a: Article) -> dict[str, Any]:
    """Equal to ``a.to_record()``, about four times faster (shares the article's values)."""
    out = a.to_contract()
    out["blocks"] = [_flat(b) for b in a.blocks]
    out["url"] = a.url
    out["dropped"] = [_flat(d) for d in a.dropped]
    out["evidence"] = [_flat(e) for e in a.evidence]
    out["language_scores"] = dict(a.language_scores)
    return out


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
    return _ENCODER.encode(record_of(a))
