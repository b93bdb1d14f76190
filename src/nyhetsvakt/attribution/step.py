"""Pipeline steps: entities first (NER or the fallback), then quotes, sources and claims."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from ..records import Article
from ..steps.base import ArticleStep, Step
from .claims import find_claims
from .cues import Gazetteer, cues_for, load_gazetteer
from .entities import Entity, Mention, build_entities, fallback_spans
from .extract import read_article
from .text import name_spans

__all__ = ["AttributionStep", "EntityStep", "attribute_article"]

log = logging.getLogger(__name__)
NER_BATCH = 32


def _load_recognizer() -> Any | None:
    try:
        from ..ner import load_recognizer
    except ImportError:
        return None
    try:
        return load_recognizer()
    except (OSError, ValueError) as exc:  # a missing or unreadable model: fall back, say why
        log.warning("NER model not available (%s); entities come from capitalised words", exc)
        return None


def _supports(recognizer: Any, language: str | None) -> bool:
    if recognizer is None or not language:
        return False
    supports = getattr(recognizer, "supports", None)
    return bool(supports(language)) if callable(supports) else language in ("sv", "nb", "nn", "da")


class EntityStep(Step):
    """Named entities (PER, ORG, LOC, MISC) grouped into canonical entities with stable ids.

    Uses the NER model shipped in :mod:`nyhetsvakt.ner` for the languages it serves (in
    batches), and runs of capitalised words typed by the gazetteer elsewhere.
    """

    name = "entities"
    requires = frozenset({"blocks"})
    assigns = frozenset({"entities"})

    def __init__(self, *, use_model: bool = True, aliases: str | None = None) -> None:
        self.use_model = use_model
        self.aliases = aliases
        self.recognizer: Any | None = None
        self.gaz: Gazetteer | None = None

    def setup(self) -> None:
        self.gaz = load_gazetteer(self.aliases)
        if self.use_model:
            self.recognizer = _load_recognizer()

    def run(self, records: Iterable[Any]) -> Iterator[Any]:
        if self.gaz is None:
            self.setup()
        batch: list[Any] = []
        for record in records:
            batch.append(record)
            if len(batch) >= NER_BATCH:
                yield from self._flush(batch)
                batch = []
        yield from self._flush(batch)

    def _flush(self, batch: list[Any]) -> Iterator[Any]:
        articles = [r for r in batch if isinstance(r, Article)]
        model_docs = [a for a in articles if _supports(self.recognizer, a.language)]
        spans: dict[int, list[list[tuple[int, int, str]]]] = {}
        if model_docs:
            assert self.recognizer is not None
            found = self.recognizer.recognize_many(
                [([b.text for b in a.blocks], a.language) for a in model_docs]
            )
            for a, doc in zip(model_docs, found, strict=True):
                spans[id(a)] = [
                    _extend_to_known_names(b.text, [(s.start, s.end, s.type) for s in row], self.gaz)
                    for b, row in zip(a.blocks, doc, strict=True)]
        for a in articles:
            self.assign(a, spans.get(id(a)))
        yield from batch

    def assign(self, article: Article, spans: list[list[tuple[int, int, str]]] | None = None) -> list[Entity]:
        assert self.gaz is not None
        texts = [b.text for b in article.blocks]
        cues = cues_for(article.language) if article.language else None
        from_model = spans is not None
        if spans is None:
            spans = fallback_spans(texts, cues, self.gaz)
        mentions, entities = build_entities(texts, spans, cues, self.gaz, from_model=from_model)
        article.entities = [dict(m.as_dict(), genitive=m.genitive, base=m.base) for m in mentions]
        return entities


Spans = list[tuple[int, int, str]]


def _extend_to_known_names(text: str, row: Spans, gaz: Gazetteer) -> Spans:
    """Widen a model's span to the known name around it ("Institute" -> "Institute for the
    Study of War"): a linear model cuts names at lower-case connectors."""
    if not row:
        return row
    runs = [r for r in name_spans(text, gaz.connectors) if " " in r.text]
    if not runs:
        return row
    out: list[tuple[int, int, str]] = []
    for start, end, etype in row:
        for r in runs:
            if r.start <= start and end <= r.end and (r.start, r.end) != (start, end):
                known = gaz.alias(r.text) or gaz.source_type(r.text)
                if known:
                    start, end = r.start, r.end
                    etype = known[1] if isinstance(known, tuple) else "ORG"
                break
        if out and out[-1][0] == start and out[-1][1] == end:
            continue  # two pieces of one name
        out.append((start, end, etype))
    return out


class AttributionStep(ArticleStep):
    """Quotes, cited sources and claims, from the language pack's cue words."""

    name = "attribution"
    requires = frozenset({"blocks", "entities"})
    assigns = frozenset({"quotes", "sources", "claims"})

    def __init__(self, *, aliases: str | None = None) -> None:
        self.aliases = aliases
        self.gaz: Gazetteer | None = None

    def setup(self) -> None:
        self.gaz = load_gazetteer(self.aliases)

    def process(self, article: Article) -> None:
        if self.gaz is None:
            self.setup()
        assert self.gaz is not None
        attribute_article(article, self.gaz)


def _mentions_from(article: Article) -> list[Mention]:
    by_id: dict[str, Entity] = {}
    out = []
    for e in article.entities:
        ent = by_id.get(e["entity_id"])
        if ent is None:
            ent = by_id[e["entity_id"]] = Entity(e["canonical"], e["type"], e["entity_id"])
        m = Mention(
            e["block"],
            e["start"],
            e["end"],
            e["text"],
            e["type"],
            e.get("base") or e["text"],
            bool(e.get("genitive")),
            True,
            ent,
        )
        ent.mentions.append(m)
        out.append(m)
    return out


def attribute_article(article: Article, gaz: Gazetteer | None = None) -> None:
    """Fill ``quotes``, ``sources`` and ``claims`` of an article whose ``entities`` are set."""
    gaz = gaz or load_gazetteer()
    cues = cues_for(article.language) if article.language else None
    if cues is None:
        article.quotes, article.sources, article.claims = [], [], []
        return
    blocks = [(b.kind, b.text) for b in article.blocks]
    reading = read_article(blocks, _mentions_from(article), cues, gaz)
    article.quotes = [q.as_dict() for q in reading.quotes]
    article.sources = [c.as_dict() for c in reading.citations]
    article.claims = [c.as_dict() for c in find_claims(blocks, reading, cues, article.language)]
