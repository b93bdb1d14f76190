"""Uploaded files: kept on disk beside the database, then ingested like any input.

An upload is saved as ``<upload_dir>/<sha256[:16]>/<name>``: the digest folder makes the
same content land on the same path (so uploading a file twice is a skipped re-ingest,
as on the command line, and articles keep one provenance), and the name is the
client's file name reduced to safe characters with its extensions kept (they tell the
reader the format: ``.txt``, ``.html``, ``.warc.gz``, ``.jsonl``). The files stay, because
every stored article points back at its file and lines.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..api import IngestReport, NewsArchive
from ..pipeline import PipelineOptions
from ..store import is_postgres_url

__all__ = ["SavedUpload", "default_upload_dir", "ingest_uploads", "safe_name", "save_upload"]

CHUNK = 1 << 20
NAME_MAX = 120
LIST_MAX = 1000  # article ids listed per uploaded file
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss", "đ": "d", "ł": "l", "Ł": "L"})


@dataclass(slots=True)
class SavedUpload:
    name: str  # as the client sent it
    path: str
    bytes: int


def default_upload_dir(db: str) -> Path:
    """``<db>.uploads`` beside a SQLite file; for a PostgreSQL URL ``<dbname>.uploads`` in the
    working directory (servers sharing a database should share one ``--upload-dir``)."""
    if is_postgres_url(db):
        dbname = db.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or "nyhetsvakt"
        return Path(safe_name(dbname) + ".uploads")
    path = Path(db)
    return path.with_name(path.name + ".uploads")


def safe_name(name: str | None) -> str:
    """A file name safe on any file system: no folders, ASCII letters, digits, ``._-``."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base.translate(_LETTERS))
    base = "".join(c for c in base if not unicodedata.combining(c))
    base = _UNSAFE.sub("_", base).strip("._") or "upload"
    if len(base) > NAME_MAX:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: NAME_MAX - len(ext) - 1] + "." + ext) if dot and len(ext) < 12 else base[:NAME_MAX]
    return base


def save_upload(upload_dir: Path, name: str | None, data: BinaryIO) -> SavedUpload:
    """Copy an uploaded stream to its content-addressed place (atomically)."""
    upload_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=upload_dir, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := data.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
        folder = upload_dir / digest.hexdigest()[:16]
        folder.mkdir(exist_ok=True)
        target = folder / safe_name(name)
        if target.exists() and target.stat().st_size == size:
            os.unlink(tmp)  # the same bytes are there: keep the old file (and its mtime)
        else:
            os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return SavedUpload(name or "", str(target), size)


def ingest_uploads(
    archive: NewsArchive, saved: list[SavedUpload], options: PipelineOptions | None
) -> dict[str, Any]:
    """Ingest saved uploads; the report, with the ids of each file's stored articles."""
    report: IngestReport = archive.ingest([s.path for s in saved], options=options)
    files = []
    for s in saved:
        # The articles read from the file or its records (WARC "file#uri", JSON Lines "file:line").
        articles = archive.store.article_ids_from(s.path, LIST_MAX)
        files.append({"name": s.name, "bytes": s.bytes, "articles": articles})
    return {
        "files": report.files,
        "skipped": report.skipped,
        "added": report.added,
        "unchanged": report.unchanged,
        "replaced": report.replaced,
        "errors": [{"file": _client_name(e.uri, saved), "reason": e.reason} for e in report.errors],
        "uploads": files,
    }


def _client_name(uri: str, saved: list[SavedUpload]) -> str:
    """The client's name for a file in an error (not where the server keeps it)."""
    for s in saved:
        if uri == s.path or uri.startswith(s.path):
            return s.name + uri[len(s.path) :]
    return Path(uri).name
