"""Running the app: ``nyhetsvakt serve`` in the foreground, or a server in a thread.

:func:`serve` is what the command line calls; :class:`ThreadedServer` runs uvicorn in a
background thread on a real socket, for the tests and the benchmark.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from typing import Any

import uvicorn

from ..errors import UsageError
from .app import create_app

__all__ = ["ThreadedServer", "free_port", "serve"]

# Longest request header section, in bytes (uvicorn's h11 default is 64 KiB).
MAX_HEADER_BYTES = 16 * 1024


def serve(
    db: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    workers: int = 1,
    log_level: str = "info",
    **options: Any,
) -> None:
    """Serve ``db`` until interrupted. ``workers`` > 1 starts that many processes, each
    building the app from the environment (:func:`~nyhetsvakt.web.app.app_from_environment`)."""
    if workers > 1:
        if set(options) - {"max_upload_bytes"}:
            raise UsageError(f"with several workers only max_upload_bytes can be set, not {sorted(options)}")
        os.environ["NYHETSVAKT_DB"] = db
        if token:
            os.environ["NYHETSVAKT_TOKEN"] = token
        if options.get("max_upload_bytes"):
            os.environ["NYHETSVAKT_MAX_UPLOAD_BYTES"] = str(options["max_upload_bytes"])
        uvicorn.run(
            "nyhetsvakt.web.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            h11_max_incomplete_event_size=MAX_HEADER_BYTES,
            server_header=False,
        )
        return
    uvicorn.run(
        create_app(db, token=token, **options),
        host=host,
        port=port,
        log_level=log_level,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        server_header=False,
    )


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class ThreadedServer:
    """uvicorn serving ``app`` on ``host:port`` in a thread; a context manager.

    >>> with ThreadedServer(create_app("news.db")) as server:      # doctest: +SKIP
    ...     httpx.get(server.url + "/api/health")
    """

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int | None = None, **config: Any) -> None:
        self.host = host
        self.port = port or free_port(host)
        config.setdefault("log_level", "warning")
        self.server = uvicorn.Server(
            uvicorn.Config(
                app,
                host=self.host,
                port=self.port,
                lifespan="on",
                server_header=False,
                h11_max_incomplete_event_size=MAX_HEADER_BYTES,
                **config,
            )
        )
        self.thread = threading.Thread(target=self.server.run, name="nyhetsvakt-uvicorn", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server on {self.url} did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)

    def __enter__(self) -> ThreadedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
