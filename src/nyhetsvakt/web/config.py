"""The web app's settings, one object passed whole (:func:`nyhetsvakt.web.create_app` builds it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request

from ..errors import UsageError
from ..pipeline import PipelineOptions
from .workers import Readers, Writer

__all__ = [
    "MAX_FILES",
    "MAX_REQUEST_BYTES",
    "MAX_UPLOAD_BYTES",
    "MIN_TOKEN_LENGTH",
    "WebConfig",
    "WebState",
    "state_of",
]

# A request body outside the upload paths (the API's reads take none; a search form is a GET).
MAX_REQUEST_BYTES = 64 * 1024
# One upload request, all files together; the product's robustness target has 50 MB inputs.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
MAX_FILES = 100
# A token shorter than this is refused: it would be guessable.
MIN_TOKEN_LENGTH = 16
# Reader threads: queries at once. SQLite readers run in parallel (WAL); on a 2-core
# machine 4 keeps both cores busy while one waits on the disk (benchmarks/web.py).
READ_THREADS = min(8, 2 * (os.cpu_count() or 2))


@dataclass(frozen=True)
class WebConfig:
    db: str
    token: str | None = None
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    max_request_bytes: int = MAX_REQUEST_BYTES
    max_files: int = MAX_FILES
    upload_dir: Path | None = None  # None: "<db>.uploads" beside the database
    read_threads: int = READ_THREADS
    pipeline: PipelineOptions | None = None  # how uploads are processed (None: the defaults)

    def __post_init__(self) -> None:
        if self.token is not None and len(self.token) < MIN_TOKEN_LENGTH:
            raise UsageError(f"the write token must be at least {MIN_TOKEN_LENGTH} characters")
        if (
            self.max_upload_bytes < 1
            or self.max_request_bytes < 0
            or self.max_files < 1
            or self.read_threads < 1
        ):
            raise UsageError("upload and request limits and reader threads must be positive")

    @property
    def writing(self) -> bool:
        return self.token is not None


@dataclass
class WebState:
    config: WebConfig
    readers: Readers
    writer: Writer
    upload_dir: Path


def state_of(request: Request) -> WebState:
    return request.app.state.web
