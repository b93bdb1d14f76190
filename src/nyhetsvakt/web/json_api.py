"""The JSON API under ``/api/``: the Python API's reading verbs over HTTP, and ingest.

Reads use the reader threads' read-only archives. Lists page with ``limit`` and an
opaque ``cursor`` (``next_cursor`` of the previous page). Articles are the output
contract (``Article.to_contract()``). Writing (``POST /api/ingest``, ``/api/reindex``)
needs the operator's bearer token; without one configured it is off.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException

from .. import __version__
from ..api import NewsArchive
from ..store import ArticleFilter
from ..store.attribution import ClaimRow, EntitySummary, QuoteRow, SourceSummary
from ..store.stories import StorySummary
from .auth import require_writer
from .config import state_of
from .errors import ApiError
from .models import (
    ARTICLE_REF,
    EntityDetailOut,
    ErrorOut,
    HealthOut,
    IngestOut,
    SearchHitOut,
    StatsOut,
    page_of,
)
from .paging import JsonResponse, offset_page
from .uploads import ingest_uploads, save_upload

# The shape of an entity id (nyhetsvakt.attribution.entities.entity_id_for).
ENTITY_ID = re.compile(r"^e[0-9a-f]{12}$")

__all__ = ["router"]

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in (
        (400, "Bad parameter or cursor"),
        (422, "Invalid parameter"),
        (503, "The store cannot be read"),
    )
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "Not found"}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in (
        (401, "Missing or wrong token"),
        (403, "Writing is off (no token configured)"),
        (413, "Upload over the server's limit"),
        (415, "Not a multipart upload"),
    )
}

router = APIRouter(prefix="/api", responses=ERRORS)

# Query parameters shared by the listing endpoints.
Language = Annotated[str | None, Query(max_length=16, description="sv, nb, nn, da, en, …")]
Since = Annotated[date | None, Query(description="Published on or after (YYYY-MM-DD).")]
Until = Annotated[date | None, Query(description="Published on or before (YYYY-MM-DD).")]
Outlet = Annotated[str | None, Query(max_length=200)]
Cursor = Annotated[str | None, Query(max_length=512, description="next_cursor of the previous page.")]
Limit = Annotated[int, Query(ge=1, le=100)]
Name = Annotated[str | None, Query(max_length=200)]


def article_filters(
    language: Language = None, since: Since = None, until: Until = None, outlet: Outlet = None
) -> dict[str, Any]:
    """The filters every article listing takes, as keyword arguments of the archive's verbs."""
    return {"language": language or None, "since": since, "until": until, "outlet": outlet or None}


Filters = Annotated[dict[str, Any], Depends(article_filters)]


async def _read(request: Request, fn: Any) -> Any:
    return await state_of(request).readers.run(fn)


async def _offset_listing(
    request: Request,
    kind: str,
    fetch: Callable[[NewsArchive, int], list[Any]],
    limit: int,
    cursor: str | None,
    query: dict[str, Any],
) -> JsonResponse:
    """One page of an aggregate list (stories, entities, quotes, sources, claims) as JSON."""

    def run(archive: NewsArchive) -> dict[str, Any]:
        items, next_cursor = offset_page(lambda n: fetch(archive, n), limit, cursor, kind, *query.values())
        return {"items": [asdict(i) for i in items], "next_cursor": next_cursor}

    return JsonResponse(await _read(request, run))


@router.get("/health", response_model=HealthOut, summary="Whether the store can be read")
async def health(request: Request) -> JsonResponse:
    def run(archive: NewsArchive) -> dict[str, Any]:
        return {
            "status": "ok",
            "version": __version__,
            "articles": archive.store.count_articles(),
            "writing": state_of(request).config.writing,
        }

    return JsonResponse(await _read(request, run))


@router.get("/stats", response_model=StatsOut, summary="Counts by language, outlet, drop reason")
async def stats(request: Request) -> JsonResponse:
    s = await _read(request, lambda a: a.stats())

    def counts(d: dict[Any, int]) -> list[dict[str, Any]]:
        return [{"value": k, "count": v} for k, v in sorted(d.items(), key=lambda kv: (-kv[1], str(kv[0])))]

    return JsonResponse(
        {
            "articles": s.articles,
            "languages": counts(s.languages),
            "outlets": counts(s.outlets),
            "dropped_lines": counts(s.dropped_lines),
            "errors": s.errors,
            "files": s.files,
        }
    )


@router.get("/articles", responses=page_of(ARTICLE_REF, "ArticlePage"), summary="Stored articles")
async def list_articles(
    request: Request,
    *,
    filters: Filters,
    story: Name = None,
    order: Literal["published", "ingested"] = "published",
    limit: Limit = 50,
    cursor: Cursor = None,
) -> JsonResponse:
    def run(archive: NewsArchive) -> dict[str, Any]:
        ids = tuple(archive.store.story_member_ids(story)) if story else None
        if ids == ():
            return {"items": [], "next_cursor": None}
        page = archive.store.list_articles(
            ArticleFilter(**filters, ids=ids), order=order, limit=limit, cursor=cursor
        )
        return {"items": [a.to_contract() for a in page.items], "next_cursor": page.next_cursor}

    return JsonResponse(await _read(request, run))


@router.get(
    "/articles/{article_id:path}",
    responses={200: {"content": {"application/json": {"schema": ARTICLE_REF}}}, **NOT_FOUND},
    summary="One article (the output contract)",
)
async def get_article(request: Request, article_id: Annotated[str, Path(max_length=512)]) -> JsonResponse:
    article = await _read(request, lambda a: a.show(article_id))
    if article is None:
        raise ApiError(404, "not_found", f"no article {article_id!r}")
    return JsonResponse(article.to_contract())


@router.get("/search", responses=page_of(SearchHitOut, "SearchPage"), summary="Full-text search")
async def search(
    request: Request,
    *,
    q: Annotated[str, Query(max_length=500, description='Words, "phrases", -excluded, prefix*')],
    filters: Filters,
    entity: Annotated[str | None, Query(max_length=200, description="An entity id or name.")] = None,
    story: Name = None,
    order: Literal["relevance", "date"] = "relevance",
    limit: Limit = 20,
    cursor: Cursor = None,
) -> JsonResponse:
    def run(archive: NewsArchive) -> dict[str, Any]:
        ids = restrict_ids(archive, entity, story)
        if ids == ():
            return {"items": [], "next_cursor": None}
        page = archive.store.search(
            q, ArticleFilter(**filters, ids=ids), order=order, limit=limit, cursor=cursor
        )
        return {"items": [asdict(h) for h in page.items], "next_cursor": page.next_cursor}

    return JsonResponse(await _read(request, run))


def resolve_entity(archive: NewsArchive, entity: str) -> str | None:
    """An entity id from an id or any spelling of a name."""
    entity = entity.strip()
    if ENTITY_ID.match(entity):
        return entity
    found = archive.entities(name=entity, limit=1)
    return found[0].entity_id if found else None


def restrict_ids(archive: NewsArchive, entity: str | None, story: str | None) -> tuple[str, ...] | None:
    """The articles an entity and a story filter leave (None: no such filter; () none)."""
    ids: set[str] | None = None
    if entity:
        eid = resolve_entity(archive, entity)
        ids = set(archive.store.entity_article_ids(eid)) if eid else set()
    if story:
        members = set(archive.store.story_member_ids(story))
        ids = members if ids is None else ids & members
    return None if ids is None else tuple(sorted(ids))


@router.get(
    "/stories", responses=page_of(StorySummary, "StoryPage"), summary="Stories, most recently seen first"
)
async def list_stories(
    request: Request,
    since: Since = None,
    language: Language = None,
    min_size: Annotated[int, Query(ge=1, le=100_000)] = 1,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> JsonResponse:
    query = {"since": since, "language": language or None, "min_size": min_size}
    return await _offset_listing(
        request, "stories", lambda a, n: a.stories(**query, limit=n), limit, cursor, query
    )


@router.get(
    "/stories/{story_id}",
    responses={
        200: {
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "description": "The story record (schema nyhetsvakt.story/1): title, "
                        "first_seen, last_seen, articles, languages, outlets, key_entities, sources_cited, "
                        "quotes, claims, conflicts, timeline, links.",
                        "required": ["id", "articles"],
                    }
                }
            }
        },
        **NOT_FOUND,
    },
    summary="One story record",
)
async def get_story(request: Request, story_id: Annotated[str, Path(max_length=200)]) -> JsonResponse:
    record = await _read(request, lambda a: a.story(story_id))
    if record is None:
        raise ApiError(404, "not_found", f"no story {story_id!r}")
    return JsonResponse(record)


EntityType = Annotated[Literal["PER", "ORG", "LOC", "MISC"] | None, Query()]


@router.get(
    "/entities",
    responses=page_of(EntitySummary, "EntityPage"),
    summary="Entities by the number of articles naming them",
)
async def list_entities(
    request: Request,
    *,
    name: Name = None,
    type: EntityType = None,
    filters: Filters,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> JsonResponse:
    query = {
        "name": name or None,
        "etype": type,
        **filters,
    }
    return await _offset_listing(
        request, "entities", lambda a, n: a.entities(**query, limit=n), limit, cursor, query
    )


@router.get(
    "/entities/{entity_id}",
    response_model=EntityDetailOut,
    responses=NOT_FOUND,
    summary="One entity: spellings, mentions by month, stories, co-occurring entities",
)
async def get_entity(request: Request, entity_id: Annotated[str, Path(max_length=200)]) -> JsonResponse:
    detail = await _read(request, lambda a: a.store.entity_detail(entity_id))
    if detail is None:
        raise ApiError(404, "not_found", f"no entity {entity_id!r}")
    data = asdict(detail)
    data["variants"] = [{"text": t, "mentions": n} for t, n in detail.variants]
    data["months"] = [{"month": m, "language": lang, "articles": n} for m, lang, n in detail.months]
    return JsonResponse(data)


@router.get("/quotes", responses=page_of(QuoteRow, "QuotePage"), summary="Who said what, newest first")
async def list_quotes(
    request: Request,
    *,
    speaker: Name = None,
    kind: Annotated[Literal["direct", "indirect"] | None, Query()] = None,
    filters: Filters,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> JsonResponse:
    query = {
        "speaker": speaker or None,
        "kind": kind,
        **filters,
    }
    return await _offset_listing(
        request, "quotes", lambda a, n: a.quotes(**query, limit=n), limit, cursor, query
    )


@router.get(
    "/sources",
    responses=page_of(SourceSummary, "SourcePage"),
    summary="Cited sources, with the outlets citing them",
)
async def list_sources(
    request: Request,
    *,
    cited: Name = None,
    type: Annotated[str | None, Query(max_length=40)] = None,
    filters: Filters,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> JsonResponse:
    query = {
        "cited": cited or None,
        "stype": type or None,
        **filters,
    }
    return await _offset_listing(
        request, "sources", lambda a, n: a.sources(**query, limit=n), limit, cursor, query
    )


Status = Literal["asserted", "attributed", "hedged", "unverified", "denied"]


@router.get("/claims", responses=page_of(ClaimRow, "ClaimPage"), summary="Figures and what they rest on")
async def list_claims(
    request: Request,
    *,
    status: Annotated[Status | None, Query()] = None,
    source: Name = None,
    conflicts: bool = False,
    filters: Filters,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> JsonResponse:
    query = {
        "status": status,
        "source": source or None,
        "conflicts": conflicts,
        **filters,
    }
    return await _offset_listing(
        request, "claims", lambda a, n: a.claims(**query, limit=n), limit, cursor, query
    )


# -- writing ------------------------------------------------------------------------------------

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "Text dumps, HTML, WARC(.gz), JSON Lines, or .gz of any of them.",
                        }
                    },
                }
            }
        },
    }
}


async def read_form(request: Request) -> FormData:
    """The multipart form, within the server's limits (close it when done)."""
    config = state_of(request).config
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise ApiError(415, "unsupported_media_type", "send the files as multipart/form-data (field 'files')")
    try:
        return await request.form(max_files=config.max_files, max_fields=20)
    except MultiPartException as exc:
        raise ApiError(400, "bad_request", f"cannot read the upload: {exc.message}") from None


def uploads_of(form: FormData) -> list[tuple[str | None, Any]]:
    files = [(f.filename, f.file) for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not files:
        raise ApiError(400, "bad_request", "no files: send them in the multipart field 'files'")
    return files


async def save_and_ingest(request: Request, files: list[tuple[str | None, Any]]) -> dict[str, Any]:
    state = state_of(request)

    def run(archive: NewsArchive) -> dict[str, Any]:
        saved = [save_upload(state.upload_dir, name, data) for name, data in files]
        return ingest_uploads(archive, saved, state.config.pipeline)

    return await state.writer.run(run)


@router.post(
    "/ingest",
    response_model=IngestOut,
    responses=WRITE_ERRORS,
    dependencies=[Depends(require_writer)],
    openapi_extra=_UPLOAD_BODY,
    summary="Upload files and ingest them (needs the token)",
)
async def ingest(request: Request) -> JsonResponse:
    form = await read_form(request)
    try:
        return JsonResponse(await save_and_ingest(request, uploads_of(form)))
    finally:
        await form.close()


@router.post(
    "/reindex",
    responses=WRITE_ERRORS,
    dependencies=[Depends(require_writer)],
    summary="Rebuild the search index (needs the token)",
)
async def reindex(request: Request) -> JsonResponse:
    n = await state_of(request).writer.run(lambda a: a.reindex())
    return JsonResponse({"indexed": n})
