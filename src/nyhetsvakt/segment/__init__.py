"""Segmentation and cleaning: raw documents in, articles with fields out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InputError
from ..langpacks import PackSet, load_packs
from ..records import RawDocument
from ..steps.base import Step
from .dump import segment_document

__all__ = ["SegmentStep", "segment_document"]

ARTICLE_FIELDS = frozenset({
    "id", "source", "outlet", "headline", "lead", "published", "updated", "listed", "date_conflict",
    "authors", "photo_credit", "image_caption", "related", "blocks", "dropped",
})


class SegmentStep(Step):
    """RawDocument → Articles. A document that holds no article text is reported, not dropped silently."""

    name = "segment"
    requires = frozenset({"raw"})
    assigns = ARTICLE_FIELDS

    def __init__(self, packs: PackSet | None = None) -> None:
        self.packs = packs

    def setup(self) -> None:
        self.packs = self.packs or load_packs()

    def run(self, records: Iterable[Any]) -> Iterator[Any]:
        for record in records:
            if not isinstance(record, RawDocument):
                yield record
                continue
            articles = segment_document(record, self.packs)
            if not articles:
                yield InputError(record.uri, "no article text found")
            yield from articles
