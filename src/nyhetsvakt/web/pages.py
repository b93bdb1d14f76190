"""The web UI: server-rendered pages (Jinja2, autoescaped), htmx for the small interactions.

Every page works without JavaScript; htmx only makes the search form answer as one types
and "more results" append in place (the server then sends just the fragment). Pages read
through the reader threads and render there too, so a big story page does not hold up
the event loop. Parameters come from HTML forms, where an empty field is an empty
string: they are read leniently, and a bad value is shown on the page, not as a 422.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from ..api import NewsArchive
from ..store import ArticleFilter
from .auth import check_token
from .charts import bucket_days, citation_graph, stacked_bars
from .config import state_of
from .errors import ApiError
from .highlight import article_spans, render_block
from .json_api import read_form, resolve_entity, restrict_ids, save_and_ingest, uploads_of
from .paging import offset_page
from .templates import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PAGE = 20  # search hits and list rows a page
STATUSES = ("asserted", "attributed", "hedged", "unverified", "denied")
NO_OUTLET = "(outlet unknown)"
# What the article page reads of each item; records from JSON Lines may carry less.
ITEM_DEFAULTS: dict[str, dict[str, Any]] = {
    "entities": {"text": None, "type": None, "entity_id": None, "canonical": None},
    "quotes": {
        "text": "",
        "speaker": None,
        "speaker_entity_id": None,
        "kind": None,
        "cue": None,
        "medium": None,
        "block": 0,
    },
    "sources": {
        "name": None,
        "canonical": None,
        "type": None,
        "cue": None,
        "via": None,
        "entity_id": None,
        "block": 0,
    },
    "claims": {
        "text": "",
        "value": None,
        "value_max": None,
        "unit": None,
        "source": None,
        "status": None,
        "status_cue": None,
        "conflicts_with": [],
        "block": 0,
    },
}
# The most a story page lists of each part (a story of hundreds of articles holds hundreds of
# quotes and claims; the JSON record has them all). Its charts count everything.
SHOWN = {
    "articles": 500,
    "quotes_per_speaker": 5,
    "articles_per_quote": 5,
    "claims": 100,
    "sources": 40,
    "speakers": 30,
    "links": 100,
}
STORY_DEFAULTS: dict[str, Any] = {
    "title": None,
    "first_seen": None,
    "last_seen": None,
    "languages": {},
    "outlets": {},
    "key_entities": [],
    "sources_cited": [],
    "quotes": [],
    "claims": [],
    "conflicts": [],
    "links": [],
}


class Params:
    """Form parameters read leniently: problems collected for the page to show."""

    def __init__(self, request: Request) -> None:
        self.query = request.query_params
        self.problems: list[str] = []

    def text(self, name: str, limit: int = 200) -> str:
        value = self.query.get(name, "").strip()
        if len(value) > limit:
            self.problems.append(f"{name}: longer than {limit} characters (cut)")
            value = value[:limit]
        return value

    def day(self, name: str) -> date | None:
        value = self.text(name, 10)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problems.append(f"{name}: {value!r} is not a date (YYYY-MM-DD); ignored")
            return None

    def choice(self, name: str, options: tuple[str, ...], default: str = "") -> str:
        value = self.text(name, 40)
        if value and value not in options:
            self.problems.append(f"{name}: choose from {', '.join(options)}; ignored")
            return default
        return value or default

    def number(self, name: str, default: int, low: int, high: int) -> int:
        value = self.text(name, 12)
        if not value:
            return default
        if not value.isdigit() or not low <= int(value) <= high:
            self.problems.append(f"{name}: a number from {low} to {high}; ignored")
            return default
        return int(value)


async def _page(request: Request, template: str, build: Any, status: int = 200) -> HTMLResponse:
    """Run ``build(archive)`` in a reader thread and render ``template`` with what it returns."""
    state = state_of(request)
    common = {"writing": state.config.writing, "path": request.url.path}

    def run(archive: NewsArchive) -> str:
        return render(template, **common, **build(archive))

    return HTMLResponse(await state.readers.run(run), status_code=status)


def _url(path: str, **params: Any) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(kept) if kept else "")


# -- home ------------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    def build(archive: NewsArchive) -> dict[str, Any]:
        stats = archive.stats()
        stories = archive.stories(min_size=2, limit=10) or archive.stories(limit=10)
        return {"stats": stats, "stories": stories, "title": "nyhetsvakt"}

    return await _page(request, "home.html", build)


# -- search ----------------------------------------------------------------------------------------


@router.get("/search", response_class=HTMLResponse)
async def search_page(request: Request) -> HTMLResponse:
    p = Params(request)
    form = {
        "q": p.text("q", 500),
        "language": p.text("language", 16),
        "since": p.day("since"),
        "until": p.day("until"),
        "outlet": p.text("outlet"),
        "entity": p.text("entity"),
        "story": p.text("story"),
        "order": p.choice("order", ("relevance", "date"), "relevance"),
    }
    cursor = p.text("cursor", 512) or None
    fragment = request.headers.get("hx-request") == "true" and p.text("fragment", 10) == "items"

    def build(archive: NewsArchive) -> dict[str, Any]:
        entity_name = eid = None
        if form["entity"]:
            eid = resolve_entity(archive, form["entity"])
            entity_name = archive.store.entity_name(eid) if eid else None
            if entity_name is None:
                p.problems.append(f"entity: no entity {form['entity']!r}")
        ids = restrict_ids(archive, form["entity"] or None, form["story"] or None)
        filters = ArticleFilter(
            **_archive_filters(form),
            ids=ids,
        )
        hits, rows, next_cursor = [], [], None
        if ids != ():
            if form["q"]:
                page = archive.store.search(
                    form["q"], filters, order=form["order"], limit=PAGE, cursor=cursor
                )
                hits, next_cursor = page.items, page.next_cursor
            else:
                listing = archive.store.list_articles(filters, limit=PAGE, cursor=cursor)
                rows, next_cursor = listing.items, listing.next_cursor
        known_outlets = archive.store.outlet_names() if not fragment else []
        more = _url("/search", **form, cursor=next_cursor) if next_cursor else None
        return {
            "form": form,
            "hits": hits,
            "rows": rows,
            "more": more,
            "problems": p.problems,
            "outlets": known_outlets,
            "entity_name": entity_name,
            "entity_id": eid,
            "fragment": fragment,
            "title": f"{form['q']} – search" if form["q"] else "Search",
        }

    return await _page(request, "search_items.html" if fragment else "search.html", build)


# -- article ---------------------------------------------------------------------------------------


@router.get("/article/{article_id:path}", response_class=HTMLResponse)
async def article_page(request: Request, article_id: str) -> HTMLResponse:
    def build(archive: NewsArchive) -> dict[str, Any]:
        article = archive.show(article_id)
        if article is None:
            raise ApiError(404, "not_found", f"no article {article_id!r}")
        contract = article.to_contract()
        spans = article_spans(contract)
        for name, defaults in ITEM_DEFAULTS.items():
            contract[name] = [{**defaults, **item} for item in contract[name] if isinstance(item, dict)]
        blocks = [
            {"kind": b.kind, "language": b.language, "line": b.line, "html": render_block(b.text, spans[i])}
            for i, b in enumerate(article.blocks)
        ]
        xrefs = archive.cross_references(article.id)
        story = archive.store.story_summary(article.story_id) if article.story_id else None
        entities: dict[str, dict[str, Any]] = {}
        for e in contract["entities"]:
            key = e.get("entity_id") or e.get("canonical") or e.get("text")
            entry = entities.setdefault(
                key,
                {
                    "id": e.get("entity_id"),
                    "name": e.get("canonical") or e.get("text"),
                    "type": e.get("type"),
                    "count": 0,
                    "spellings": set(),
                },
            )
            entry["count"] += 1
            entry["spellings"].add(e.get("text"))
        return {
            "a": article,
            "c": contract,
            "blocks": blocks,
            "xrefs": xrefs,
            "story": story,
            "copies": archive.store.copies_of(article.id),
            "origin": archive.store.article_rows([article.duplicate_of]) if article.duplicate_of else [],
            "entities": sorted(entities.values(), key=lambda e: (-e["count"], e["name"] or "")),
            "title": article.headline or article.id,
        }

    return await _page(request, "article.html", build)


# -- stories ---------------------------------------------------------------------------------------


@router.get("/stories", response_class=HTMLResponse)
async def stories_page(request: Request) -> HTMLResponse:
    p = Params(request)
    form = {
        "language": p.text("language", 16),
        "since": p.day("since"),
        "min_size": p.number("min_size", 1, 1, 100_000),
    }
    cursor = p.text("cursor", 512) or None

    def build(archive: NewsArchive) -> dict[str, Any]:
        items, next_cursor = offset_page(
            lambda n: archive.stories(
                since=form["since"], language=form["language"] or None, min_size=form["min_size"], limit=n
            ),
            PAGE * 2,
            cursor,
            "stories",
            form["since"],
            form["language"] or None,
            form["min_size"],
        )
        more = _url("/stories", **form, cursor=next_cursor) if next_cursor else None
        return {"form": form, "stories": items, "more": more, "problems": p.problems, "title": "Stories"}

    return await _page(request, "stories.html", build)


def _timeline(rows: list[Any], series_of: Any, top: int = 0) -> tuple[Any, list[str]]:
    counts = Counter(series_of(r) for r in rows)
    ordered = [s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    if top and len(ordered) > top:
        keep = set(ordered[: top - 1])
        ordered = [*ordered[: top - 1], "other"]
        buckets = bucket_days((r.day, series_of(r) if series_of(r) in keep else "other", 1) for r in rows)
    else:
        buckets = bucket_days((r.day, series_of(r), 1) for r in rows)
    return buckets, ordered


@router.get("/story/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: str) -> HTMLResponse:
    def build(archive: NewsArchive) -> dict[str, Any]:
        record = archive.story(story_id)
        if record is None:
            raise ApiError(404, "not_found", f"no story {story_id!r}")
        record = {**STORY_DEFAULTS, "size": len(record.get("articles") or []), **record}
        members = archive.store.story_members(story_id, limit=100_000)
        by_id = {m.id: m for m in members}
        by_lang, languages = _timeline(members, lambda m: m.language or "und")
        by_outlet, outlets = _timeline(members, lambda m: m.outlet or NO_OUTLET, top=10)
        edges: Counter[tuple[str, str]] = Counter()
        for s in record.get("sources_cited") or []:
            for aid in s.get("articles") or []:
                member = by_id.get(aid)
                edges[((member.outlet if member else None) or NO_OUTLET, s["name"])] += 1
        speakers: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"quotes": [], "count": 0, "articles": set()}
        )
        for q in record.get("quotes") or []:
            entry = speakers[q.get("speaker") or "(unknown speaker)"]
            entry["count"] += 1
            entry["articles"].update(q.get("articles") or [])
            if len(entry["quotes"]) < SHOWN["quotes_per_speaker"]:
                entry["quotes"].append(q)
        claims = record.get("claims") or []
        status_counts = Counter(c.get("status") for c in claims)
        return {
            "story": record,
            "members": members[: SHOWN["articles"]],
            "hidden": max(0, len(members) - SHOWN["articles"]),
            "chart_languages": stacked_bars(
                by_lang, languages, label="Articles over time by language", css="timeline by-language"
            ),
            "chart_outlets": stacked_bars(
                by_outlet, outlets, label="Articles over time by outlet", css="timeline by-outlet"
            ),
            "languages": languages,
            "outlets": outlets,
            "buckets": by_lang,
            "outlet_buckets": by_outlet,
            "graph": citation_graph(
                dict(edges.most_common(60)),
                label="Who cites whom: outlets and the sources their articles cite",
            ),
            "edges": edges.most_common(60),
            "speakers": sorted(speakers.items(), key=lambda kv: (-kv[1]["count"], kv[0])),
            "claims": claims[: SHOWN["claims"]],
            "shown": SHOWN,
            "status_counts": status_counts,
            "headlines": {m.id: m.headline for m in members},
            "title": record.get("title") or story_id,
        }

    return await _page(request, "story.html", build)


# -- entities --------------------------------------------------------------------------------------


@router.get("/entities", response_class=HTMLResponse)
async def entities_page(request: Request) -> HTMLResponse:
    p = Params(request)
    form = {
        "name": p.text("name"),
        "type": p.choice("type", ("PER", "ORG", "LOC", "MISC")),
        "language": p.text("language", 16),
    }
    cursor = p.text("cursor", 512) or None

    def build(archive: NewsArchive) -> dict[str, Any]:
        items, next_cursor = offset_page(
            lambda n: archive.entities(
                name=form["name"] or None,
                etype=form["type"] or None,
                language=form["language"] or None,
                limit=n,
            ),
            PAGE * 2,
            cursor,
            "entities",
            form["name"],
            form["type"],
            form["language"],
        )
        more = _url("/entities", **form, cursor=next_cursor) if next_cursor else None
        return {"form": form, "entities": items, "more": more, "problems": p.problems, "title": "Entities"}

    return await _page(request, "entities.html", build)


@router.get("/entity/{entity_id}", response_class=HTMLResponse)
async def entity_page(request: Request, entity_id: str) -> HTMLResponse:
    def build(archive: NewsArchive) -> dict[str, Any]:
        detail = archive.store.entity_detail(entity_id)
        if detail is None:
            raise ApiError(404, "not_found", f"no entity {entity_id!r}")
        buckets = bucket_days((m, lang or "und", n) for m, lang, n in detail.months)
        totals: Counter[str] = Counter()
        for _, lang, n in detail.months:
            totals[lang or "und"] += n
        languages = [s for s, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
        quotes = archive.quotes(speaker=detail.canonical, limit=30) if detail.type in ("PER", "ORG") else []
        return {
            "e": detail,
            "chart": stacked_bars(
                buckets,
                languages,
                label=f"Articles naming {detail.canonical} over time, by language",
                css="timeline by-language",
            ),
            "buckets": buckets,
            "languages": languages,
            "quotes": quotes,
            "search": _url("/search", entity=detail.entity_id),
            "title": detail.canonical,
        }

    return await _page(request, "entity.html", build)


# -- sources, quotes, claims -----------------------------------------------------------------------


def _archive_filters(form: dict[str, Any]) -> dict[str, Any]:
    """A list form's article filters as keyword arguments of the archive's verbs."""
    return {"language": form["language"] or None, "since": form["since"], "until": form["until"],
            "outlet": form["outlet"] or None}


def _list_filters(p: Params) -> dict[str, Any]:
    return {
        "language": p.text("language", 16),
        "since": p.day("since"),
        "until": p.day("until"),
        "outlet": p.text("outlet"),
    }


def _article_filter(form: dict[str, Any]) -> ArticleFilter:
    return ArticleFilter(
        **_archive_filters(form),
    )


@router.get("/sources", response_class=HTMLResponse)
async def sources_page(request: Request) -> HTMLResponse:
    p = Params(request)
    form = _list_filters(p)

    def build(archive: NewsArchive) -> dict[str, Any]:
        filters = _article_filter(form)
        sources = archive.sources(
            language=filters.language,
            since=filters.since,
            until=filters.until,
            outlet=filters.outlet,
            limit=40,
        )
        names = [s.canonical for s in sources[:12]]
        outlets, cells = archive.store.citation_matrix(filters, names)
        peak = max(cells.values(), default=1)
        totals, by_source = archive.store.claims_by_source(filters)
        edges = {((o or NO_OUTLET), s): n for (o, s), n in cells.items()}
        return {
            "form": form,
            "sources": sources,
            "names": names,
            "outlets": outlets,
            "cells": cells,
            "peak": peak,
            "totals": totals,
            "by_source": by_source,
            "statuses": STATUSES,
            "graph": citation_graph(edges, label="Which outlets cite which sources"),
            "problems": p.problems,
            "title": "Sources",
        }

    return await _page(request, "sources.html", build)


@router.get("/quotes", response_class=HTMLResponse)
async def quotes_page(request: Request) -> HTMLResponse:
    p = Params(request)
    form = {
        "speaker": p.text("speaker"),
        "kind": p.choice("kind", ("direct", "indirect")),
        **_list_filters(p),
    }
    cursor = p.text("cursor", 512) or None

    def build(archive: NewsArchive) -> dict[str, Any]:
        items, next_cursor = offset_page(
            lambda n: archive.quotes(
                speaker=form["speaker"] or None,
                kind=form["kind"] or None,
                **_archive_filters(form),
                limit=n,
            ),
            PAGE * 2,
            cursor,
            "quotes",
            *form.values(),
        )
        more = _url("/quotes", **form, cursor=next_cursor) if next_cursor else None
        return {"form": form, "quotes": items, "more": more, "problems": p.problems, "title": "Quotes"}

    return await _page(request, "quotes.html", build)


@router.get("/claims", response_class=HTMLResponse)
async def claims_page(request: Request) -> HTMLResponse:
    p = Params(request)
    form = {
        "status": p.choice("status", STATUSES),
        "source": p.text("source"),
        "conflicts": p.text("conflicts", 5) in ("1", "on", "true"),
        **_list_filters(p),
    }
    cursor = p.text("cursor", 512) or None

    def build(archive: NewsArchive) -> dict[str, Any]:
        items, next_cursor = offset_page(
            lambda n: archive.claims(
                status=form["status"] or None,
                source=form["source"] or None,
                conflicts=form["conflicts"],
                **_archive_filters(form),
                limit=n,
            ),
            PAGE * 2,
            cursor,
            "claims",
            *form.values(),
        )
        more = _url("/claims", **form, cursor=next_cursor) if next_cursor else None
        return {
            "form": form,
            "claims": items,
            "more": more,
            "problems": p.problems,
            "statuses": STATUSES,
            "title": "Claims",
        }

    return await _page(request, "claims.html", build)


# -- upload ----------------------------------------------------------------------------------------


@router.get("/upload", response_class=HTMLResponse)
async def upload_form(request: Request) -> HTMLResponse:
    state = state_of(request)
    status = 200 if state.config.writing else 403
    return HTMLResponse(
        render(
            "upload.html",
            writing=state.config.writing,
            path=request.url.path,
            limit=state.config.max_upload_bytes,
            max_files=state.config.max_files,
            report=None,
            title="Upload",
        ),
        status_code=status,
    )


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request) -> HTMLResponse:
    state = state_of(request)
    if not state.config.writing:
        check_token(request, None)  # 403 writing_disabled
    form = await read_form(request)
    try:
        token = form.get("token")
        check_token(request, token if isinstance(token, str) else None)
        report = await save_and_ingest(request, uploads_of(form))
    finally:
        await form.close()
    return HTMLResponse(
        render(
            "upload.html",
            writing=True,
            path=request.url.path,
            limit=state.config.max_upload_bytes,
            max_files=state.config.max_files,
            report=report,
            title="Uploaded",
        )
    )
