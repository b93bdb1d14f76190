"""What a search returns per article."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["SearchHit"]


@dataclass(slots=True)
class SearchHit:
    """One matching article: enough to list it, plus a highlighted snippet.

    ``score`` is higher for better matches (negated bm25); 0.0 when ordered by date or
    when the query only excludes. ``highlights`` are (start, end) offsets into ``snippet``,
    ``headline_highlights`` into ``headline``. Both texts are plain, never escaped.
    """

    id: str
    key: str
    headline: str | None
    outlet: str | None
    language: str | None
    published: date | None
    score: float
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)
    headline_highlights: list[tuple[int, int]] = field(default_factory=list)
