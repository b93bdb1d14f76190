"""The JSON API's shapes, for its OpenAPI document (``/openapi.json``).

Handlers build plain dicts and send them as they are (nothing is converted twice); these
models only describe them, and the fuzzing test (``tests/test_web_fuzz.py``) checks every
response against the document. Articles are the output contract: its JSON Schema
(``nyhetsvakt.article_schema()``) is put in the document as ``Article``.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .. import article_schema

__all__ = [
    "ARTICLE_REF",
    "CountOut",
    "EntityDetailOut",
    "ErrorOut",
    "HealthOut",
    "IngestOut",
    "SearchHitOut",
    "StatsOut",
    "article_component",
    "listed_schemas",
    "page_of",
]

ARTICLE_REF = {"$ref": "#/components/schemas/Article"}


class ErrorDetail(BaseModel):
    parameter: str | None = None
    message: str


class ErrorInner(BaseModel):
    code: str = Field(
        description="Stable: bad_request, unauthorized, writing_disabled, not_found, "
        "payload_too_large, validation_error, store_unavailable, internal_error, …"
    )
    message: str
    details: list[ErrorDetail] | None = None


class ErrorOut(BaseModel):
    error: ErrorInner


class HealthOut(BaseModel):
    status: str
    version: str
    articles: int
    writing: bool = Field(description="Whether writing endpoints are on (the server has a token).")


class CountOut(BaseModel):
    value: str | None
    count: int


class StatsOut(BaseModel):
    articles: int
    languages: list[CountOut]
    outlets: list[CountOut]
    dropped_lines: list[CountOut]
    errors: int
    files: int


class SearchHitOut(BaseModel):
    id: str
    key: str
    headline: str | None
    outlet: str | None
    language: str | None
    published: str | None
    score: float
    snippet: str = Field(description="Plain text (never escaped); lines are blocks.")
    highlights: list[list[int]] = Field(description="[start, end) offsets into snippet.")
    headline_highlights: list[list[int]] = Field(description="[start, end) offsets into headline.")


class EntityDetailOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    entity_id: str
    canonical: str
    type: str
    mentions: int
    articles: int
    variants: list[dict[str, Any]]
    months: list[dict[str, Any]]
    stories: list[dict[str, Any]]
    cooccurring: list[dict[str, Any]]
    cited_as_source: int


class UploadedOut(BaseModel):
    name: str
    bytes: int
    articles: list[str]


class InputErrorOut(BaseModel):
    file: str
    reason: str


class IngestOut(BaseModel):
    files: int
    skipped: int
    added: int
    unchanged: int
    replaced: int
    errors: list[InputErrorOut]
    uploads: list[UploadedOut]


# The item types of the paged lists, by component name: the store's own row types (a
# dataclass is described as it is; no copy of its fields here) or a model of this module.
_LISTED: dict[str, type] = {}
_REF = "#/components/schemas/{model}"


def page_of(item: type | dict[str, Any], name: str) -> dict[str, Any]:
    """An OpenAPI ``responses`` entry: ``{"items": [item], "next_cursor": str | null}``."""
    if isinstance(item, dict):
        items = item
    else:
        _LISTED[item.__name__] = item
        items = {"$ref": _REF.format(model=item.__name__)}
    schema = {
        "title": name,
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": {"type": "array", "items": items},
            "next_cursor": {
                "type": ["string", "null"],
                "description": "Pass back as `cursor` for the next page; null on the last page.",
            },
        },
    }
    return {200: {"content": {"application/json": {"schema": schema}}}}


def listed_schemas() -> dict[str, Any]:
    """Components for the item types named by :func:`page_of`, for the OpenAPI document."""
    out: dict[str, Any] = {}
    for name, item in _LISTED.items():
        schema = TypeAdapter(item).json_schema(ref_template=_REF, mode="serialization")
        out.update(schema.pop("$defs", {}))
        out[name] = schema
    return out


def _inline_defs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline_defs(copy.deepcopy(defs[ref.split("/")[-1]]), defs)
        return {k: _inline_defs(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_defs(v, defs) for v in node]
    return node


def article_component() -> dict[str, Any]:
    """The contract's JSON Schema as an OpenAPI component (its ``$defs`` inlined, since
    ``#/$defs/…`` would point into the OpenAPI document instead)."""
    schema = article_schema()
    defs = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    return _inline_defs(schema, defs)
