"""Which articles a listing, search or export covers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

__all__ = ["ArticleFilter"]


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Conditions that all must hold; ``None`` means "any".

    ``since``/``until`` bound the publication date (inclusive); articles without one are
    left out when either is given. ``ids`` holds article ids or store keys. Entity filters
    come with the entities table; every backend builds its own query from this object.
    """

    language: str | None = None
    since: date | None = None
    until: date | None = None
    outlet: str | None = None
    source_uri: str | None = None
    content_hash: str | None = None
    story: str | None = None
    ids: tuple[str, ...] | None = field(default=None)

    def __post_init__(self) -> None:
        if self.ids is not None and not isinstance(self.ids, tuple):
            object.__setattr__(self, "ids", tuple(self._as_iterable(self.ids)))

    @staticmethod
    def _as_iterable(ids: Iterable[str] | str) -> Iterable[str]:
        return [ids] if isinstance(ids, str) else ids

    @property
    def empty(self) -> bool:
        return self == ArticleFilter()
