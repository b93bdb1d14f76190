"""The ASGI app: the JSON API (``/api/``, OpenAPI at ``/openapi.json``) and the web UI.

>>> from nyhetsvakt.web import create_app
>>> app = create_app("news.db")                                   # doctest: +SKIP
>>> uvicorn.run(app, host="127.0.0.1", port=8000)                 # doctest: +SKIP

or ``nyhetsvakt serve``. Nothing is fetched from elsewhere at run time: htmx and the
stylesheet are files of this package (``static/``), and the interactive API docs pages
that load from a CDN are left out (the OpenAPI document is there for any client).
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..api import NewsArchive
from ..errors import StoreError
from ..pipeline import PipelineOptions
from ..store import is_postgres_url, store_path
from . import json_api, pages
from .config import MAX_FILES, MAX_REQUEST_BYTES, MAX_UPLOAD_BYTES, READ_THREADS, WebConfig, WebState
from .errors import install_error_handlers
from .limits import BodyLimit, SecurityHeaders
from .models import article_component, listed_schemas
from .templates import render
from .uploads import default_upload_dir
from .workers import Readers, Writer

__all__ = ["app_from_environment", "create_app"]

log = logging.getLogger("nyhetsvakt.web")

STATIC = Path(__file__).resolve().parent / "static"
UPLOAD_PATHS = ("/api/ingest", "/upload")


def create_app(
    db: str | os.PathLike[str],
    *,
    token: str | None = None,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    max_request_bytes: int = MAX_REQUEST_BYTES,
    max_files: int = MAX_FILES,
    upload_dir: str | os.PathLike[str] | None = None,
    read_threads: int = READ_THREADS,
    pipeline: PipelineOptions | None = None,
) -> FastAPI:
    """The app over the store at ``db`` (a path, ``sqlite:///`` or ``postgresql://`` URL).

    ``token``: the bearer token writing endpoints require (at least 16 characters);
    None turns writing off. ``max_upload_bytes`` bounds one upload request,
    ``max_request_bytes`` any other request body, ``max_files`` the files of one upload.
    Uploads are kept in ``upload_dir`` (default: ``<db>.uploads`` beside the database) and
    processed with ``pipeline`` (default: the product's defaults). A database that does
    not exist yet is created when the app starts; one that exists is never written
    except by the writing endpoints.
    """
    config = WebConfig(
        str(db),
        token,
        max_upload_bytes,
        max_request_bytes,
        max_files,
        Path(upload_dir) if upload_dir else None,
        read_threads,
        pipeline,
    )
    path = None if is_postgres_url(config.db) else store_path(config.db)
    state = WebState(
        config,
        Readers(config.db, config.read_threads),
        Writer(config.db),
        config.upload_dir or default_upload_dir(path or config.db),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        _create_if_missing(config.db, path)
        try:
            yield
        finally:
            state.readers.close()
            state.writer.close()

    app = FastAPI(
        title="nyhetsvakt",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        description="Scandinavian news as a searchable record: articles (the output contract "
        "`nyhetsvakt.article/1`), stories, entities, quotes, cited sources and claims. "
        'Errors are `{"error": {"code", "message"}}`; lists page with `cursor`.',
    )
    app.state.web = state
    app.state.db_path = path
    app.state.render_error = _render_error
    install_error_handlers(app)
    app.include_router(json_api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(
        BodyLimit,
        limit_for=lambda p: config.max_upload_bytes if p in UPLOAD_PATHS else config.max_request_bytes,
    )
    app.add_middleware(SecurityHeaders)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _create_if_missing(db: str, path: str | None) -> None:
    """Create (and migrate) a store that does not exist yet, so a fresh server answers.

    A PostgreSQL database exists already; opening it for writing once creates its tables.
    """
    if path is not None and (path == ":memory:" or os.path.exists(path)):
        return
    try:
        with NewsArchive(db) as archive:
            archive.store  # noqa: B018 - opening creates it
    except StoreError as exc:
        log.warning("cannot create the store: %s", exc)


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(listed_schemas())
        components["Article"] = article_component()
        app.openapi_schema = schema
    return app.openapi_schema


def _render_error(
    request: Request, status: int, code: str, message: str, details: list[dict[str, Any]] | None
) -> str:
    writing = request.app.state.web.config.writing
    return render(
        "error.html",
        status=status,
        code=code,
        message=message,
        details=details or [],
        writing=writing,
        path=request.url.path,
        title=f"{status} {code}",
    )


def app_from_environment() -> FastAPI:
    """The app as ``nyhetsvakt serve --workers N`` starts it in each worker process
    (uvicorn's ``factory=True``): settings from ``NYHETSVAKT_DB``, ``NYHETSVAKT_TOKEN``,
    ``NYHETSVAKT_MAX_UPLOAD_BYTES``."""
    return create_app(
        os.environ.get("NYHETSVAKT_DB") or "nyhetsvakt.db",
        token=os.environ.get("NYHETSVAKT_TOKEN") or None,
        max_upload_bytes=int(os.environ.get("NYHETSVAKT_MAX_UPLOAD_BYTES") or MAX_UPLOAD_BYTES),
    )
