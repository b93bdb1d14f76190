"""Errors as the web app shows them: one JSON shape for the API, one page for the UI.

Every error the app sends, whatever raised it, is ``{"error": {"code": str, "message": str}}``
(validation errors add ``details``: the parameter and what is wrong with it). Codes are
stable and tell the client what to do:

==================  ======  ==================================================
code                status  meaning
==================  ======  ==================================================
bad_request         400     a parameter or cursor the store refuses
unauthorized        401     writing needs ``Authorization: Bearer <token>``
writing_disabled    403     the server was started without a token
not_found           404     no such article, story, entity or page
method_not_allowed  405
payload_too_large   413     the body is over the server's limit
validation_error    422     a parameter of the wrong type or out of range
store_unavailable   503     the database cannot be opened or read
internal_error      500     a bug; the message says nothing more (the log has it)
==================  ======  ==================================================

Paths outside ``/api/`` get the same code and message as an HTML page. Stack traces
never reach the client: an unexpected exception is logged with its trace and answered
with ``internal_error``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response

from ..errors import NyhetsvaktError, StoreError, UsageError

__all__ = ["ERROR_CODES", "ApiError", "error_body", "install_error_handlers"]

log = logging.getLogger("nyhetsvakt.web")

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "writing_disabled",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    500: "internal_error",
    503: "store_unavailable",
}


class ApiError(StarletteHTTPException):
    """An error with its stable code. A subclass of Starlette's HTTPException so that
    FastAPI passes it through its own body parsing untouched (a body over the limit
    raised while a form is read stays a 413, not a generic 400)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, message, headers)
        self.code = code
        self.message = message


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return {"error": error}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _respond(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if _wants_json(request):
        return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)
    render: Callable[..., str] | None = getattr(request.app.state, "render_error", None)
    if render is None:
        return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)
    return HTMLResponse(render(request, status, code, message, details), status_code=status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors()[:20]:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body", "header")]
        # The message only: pydantic's "input" would echo what the client sent.
        out.append({"parameter": ".".join(loc) or None, "message": str(err.get("msg", "invalid"))})
    return out


def _without_paths(request: Request, message: str) -> str:
    """The store's message with the database's folder left out (the client needs the
    reason, not where the server keeps its files)."""
    db = getattr(request.app.state, "db_path", None)
    if db:
        message = message.replace(str(db), Path(db).name)
    return message


def install_error_handlers(app: FastAPI) -> None:
    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = exc.code if isinstance(exc, ApiError) else ERROR_CODES.get(exc.status_code, "error")
        message = exc.message if isinstance(exc, ApiError) else str(exc.detail)
        return _respond(request, exc.status_code, code, message, headers=getattr(exc, "headers", None))

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        details = _validation_details(exc)
        first = details[0] if details else {"parameter": None, "message": "invalid request"}
        message = f"{first['parameter']}: {first['message']}" if first["parameter"] else first["message"]
        return _respond(request, 422, "validation_error", message, details)

    async def nyhetsvakt_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, UsageError):
            return _respond(request, 400, "bad_request", str(exc))
        if isinstance(exc, StoreError):
            log.warning("store unavailable: %s", exc)
            return _respond(request, 503, "store_unavailable", _without_paths(request, str(exc)))
        log.error("unexpected nyhetsvakt error on %s", request.url.path, exc_info=exc)
        return _respond(request, 500, "internal_error", "internal error")

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unexpected error on %s", request.url.path, exc_info=exc)
        return _respond(request, 500, "internal_error", "internal error")

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(NyhetsvaktError, nyhetsvakt_error)
    app.add_exception_handler(Exception, unexpected)
