"""The web: an HTTP API (OpenAPI) and a web UI for analysts, in one ASGI app.

>>> from nyhetsvakt.web import create_app
>>> app = create_app("news.db", token=None)      # doctest: +SKIP

Needs the ``web`` extra (FastAPI, uvicorn, Jinja2, python-multipart). See docs/web.md.
"""

from __future__ import annotations

from .app import app_from_environment, create_app
from .config import WebConfig

__all__ = ["WebConfig", "app_from_environment", "create_app"]
