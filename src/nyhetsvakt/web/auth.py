"""Who may write: the holder of the operator's token, sent as ``Authorization: Bearer``.

Without a configured token every writing endpoint answers ``403 writing_disabled``; with
one, a missing or wrong token is ``401 unauthorized``. Tokens are compared in constant
time. The upload form sends the token as a form field instead (a browser form cannot set
the header); it is never kept in a cookie, so another site cannot make a visitor's
browser write.
"""

from __future__ import annotations

import hmac

from fastapi import Request

from .config import state_of
from .errors import ApiError

__all__ = ["check_token", "require_writer"]


def check_token(request: Request, given: str | None) -> None:
    token = state_of(request).config.token
    if token is None:
        raise ApiError(
            403,
            "writing_disabled",
            "writing is off: the server was started without a token (set NYHETSVAKT_TOKEN)",
        )
    if not given or not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
        raise ApiError(
            401,
            "unauthorized",
            "a valid token is needed to write (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )


def require_writer(request: Request) -> None:
    """A dependency for writing endpoints (checked before the body is read)."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    check_token(request, value.strip() if scheme.lower() == "bearer" else None)
