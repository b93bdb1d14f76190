"""What identifies an input file's content, for resuming an interrupted ingest."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FileFingerprint", "fingerprint"]

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class FileFingerprint:
    """Size, modification time and SHA-256 of a file: all three must match to skip it."""

    size: int
    mtime_ns: int
    sha256: str


def fingerprint(path: str | os.PathLike[str]) -> FileFingerprint:
    """Fingerprint a file (reads it once, in 1 MiB chunks)."""
    p = Path(path)
    digest = hashlib.sha256()
    with p.open("rb") as fh:
        st = os.fstat(fh.fileno())
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return FileFingerprint(st.st_size, st.st_mtime_ns, digest.hexdigest())
