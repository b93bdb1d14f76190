"""The records that flow through the pipeline.

A reader yields :class:`RawDocument` objects (one per file, page, WARC response or
JSON line); the segmenter turns each into one or more :class:`Article` objects;
later steps fill fields on the article. :meth:`Article.to_contract` renders the
public output contract (``nyhetsvakt.article/1``, see ``docs/schema.md``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache
from typing import Any, Literal

SCHEMA_VERSION = "nyhetsvakt.article/1"

DocumentKind = Literal["text", "html", "article"]
BlockKind = Literal["paragraph", "subheading"]


@dataclass(slots=True)
class DocumentHints:
    """Metadata a container already knows about its document (JSONL fields, HTML meta).

    A hint is taken over what the segmenter would guess from the text itself.
    """

    id: str | None = None
    url: str | None = None
    headline: str | None = None
    published: date | None = None
    updated: date | None = None
    outlet: str | None = None
    language: str | None = None
    authors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RawDocument:
    """One unit of input text as a reader found it.

    ``kind`` tells the segmenter what to expect: ``text`` may hold many articles
    (a scraped dump), ``html`` is the main text of one page, ``article`` is exactly
    one article (a JSON line) whose ``hints.headline``, when given, means the text
    is body only.
    """

    uri: str
    text: str
    kind: DocumentKind = "text"
    first_line: int = 1
    hints: DocumentHints = field(default_factory=DocumentHints)
    # Stable name used to build article ids ("<stem>#<n>"); defaults to the file stem.
    stem: str = ""


@dataclass(slots=True)
class Provenance:
    uri: str
    line_start: int
    line_end: int


@dataclass(slots=True)
class Block:
    kind: BlockKind
    text: str
    line: int = 0
    language: str | None = None


@dataclass(slots=True)
class DroppedLine:
    """A line the cleaner removed, with the reason (counted in ``stats``)."""

    line: int
    text: str
    reason: str


@dataclass(slots=True)
class Evidence:
    """Why a step decided something: the step, what it decided, the cue and where."""

    step: str
    field: str
    value: Any
    cue: str = ""
    line: int | None = None
    score: float | None = None


@dataclass(slots=True)
class Article:
    id: str
    source: Provenance
    outlet: str | None = None
    headline: str | None = None
    lead: str | None = None
    published: date | None = None
    updated: date | None = None
    listed: date | None = None
    date_conflict: bool = False
    language: str | None = None
    authors: list[str] = field(default_factory=list)
    photo_credit: str | None = None
    image_caption: str | None = None
    related: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    duplicate_of: str | None = None
    story_id: str | None = None
    # Not part of the public contract: kept in the store for stats and the web UI.
    url: str | None = None
    dropped: list[DroppedLine] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    language_scores: dict[str, float] = field(default_factory=dict)

    @property
    def body_text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)

    def content_hash(self) -> str:
        """Hash of what the article says (headline, dates, body), independent of where it came from."""
        h = hashlib.sha256()
        for part in (self.headline or "", str(self.published or ""), self.body_text):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()[:24]

    def store_key(self) -> str:
        """The store's primary key: the article id plus its content.

        Re-ingesting the same file gives the same keys (nothing changes); the same text
        under another file name is a separate article (a duplicate, linked later).
        """
        h = hashlib.sha256(self.id.encode("utf-8") + b"\x00" + self.content_hash().encode())
        return h.hexdigest()[:24]

    def note(self, step: str, field_name: str, value: Any, cue: str = "", line: int | None = None,
             score: float | None = None) -> None:
        self.evidence.append(Evidence(step, field_name, value, cue, line, score))

    def to_contract(self) -> dict[str, Any]:
        """The public JSON shape (``nyhetsvakt.article/1``)."""
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "source": {"uri": self.source.uri, "line_start": self.source.line_start,
                       "line_end": self.source.line_end},
            "outlet": self.outlet,
            "headline": self.headline,
            "lead": self.lead,
            "published": _iso(self.published),
            "updated": _iso(self.updated),
            "listed": _iso(self.listed),
            "date_conflict": self.date_conflict,
            "language": self.language,
            "authors": list(self.authors),
            "photo_credit": self.photo_credit,
            "image_caption": self.image_caption,
            "related": list(self.related),
            "blocks": [{"kind": b.kind, "text": b.text} for b in self.blocks],
            "entities": list(self.entities),
            "quotes": list(self.quotes),
            "sources": list(self.sources),
            "claims": list(self.claims),
            "duplicate_of": self.duplicate_of,
            "story_id": self.story_id,
        }

    def to_record(self) -> dict[str, Any]:
        """The contract plus the internal fields (dropped lines, evidence, block lines).

        Shallow on purpose (``dataclasses.asdict`` deep-copies, which cost more than the rest
        of storing an article): the record shares the article's values and is meant to be
        serialised at once.
        """
        out = self.to_contract()
        out["blocks"] = [_flat(b) for b in self.blocks]
        out["url"] = self.url
        out["dropped"] = [_flat(d) for d in self.dropped]
        out["evidence"] = [_flat(e) for e in self.evidence]
        out["language_scores"] = dict(self.language_scores)
        return out

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Article:
        """Inverse of :meth:`to_record` (also accepts a bare contract dict)."""
        src = data["source"]
        return cls(
            id=data["id"],
            source=Provenance(src["uri"], src["line_start"], src["line_end"]),
            outlet=data.get("outlet"),
            headline=data.get("headline"),
            lead=data.get("lead"),
            published=_date(data.get("published")),
            updated=_date(data.get("updated")),
            listed=_date(data.get("listed")),
            date_conflict=bool(data.get("date_conflict", False)),
            language=data.get("language"),
            authors=list(data.get("authors") or []),
            photo_credit=data.get("photo_credit"),
            image_caption=data.get("image_caption"),
            related=list(data.get("related") or []),
            blocks=[Block(b["kind"], b["text"], b.get("line", 0), b.get("language"))
                    for b in data.get("blocks") or []],
            entities=list(data.get("entities") or []),
            quotes=list(data.get("quotes") or []),
            sources=list(data.get("sources") or []),
            claims=list(data.get("claims") or []),
            duplicate_of=data.get("duplicate_of"),
            story_id=data.get("story_id"),
            url=data.get("url"),
            dropped=[DroppedLine(**d) for d in data.get("dropped") or []],
            evidence=[Evidence(**e) for e in data.get("evidence") or []],
            language_scores=dict(data.get("language_scores") or {}),
        )


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _flat(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in _field_names(type(obj))}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None
