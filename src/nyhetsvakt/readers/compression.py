"""gzip input, recognised by its magic bytes rather than by the file name.

Text and HTML files are decompressed whole (:func:`gunzip`); JSON Lines are streamed
(:func:`gunzip_stream`) so a multi-gigabyte export never sits in memory; WARC files
are handed to warcio, which reads gzip members itself.
"""

from __future__ import annotations

import gzip
import zlib
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"

# Ceiling on what one gzip file may expand to. A gzip bomb (a few KB that inflate to
# many GB) must fail with a reason, not take the machine down; 1 GiB is far above any
# text dump or HTML page seen in the wild (the seeds are 2-9 KB each).
MAX_DECOMPRESSED_BYTES = 1 << 30

_WBITS_GZIP = 16 + zlib.MAX_WBITS


class GzipError(ValueError):
    """A gzip stream is truncated, corrupt or too large; the message says which."""


def is_gzip(head: bytes) -> bool:
    return head[:2] == GZIP_MAGIC


def gunzip(data: bytes, limit: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """Decompress every member of a gzip file held in memory.

    Raises :class:`GzipError` when the stream ends before its end-of-stream marker
    ("truncated gzip stream"), is corrupt, or would expand beyond ``limit`` bytes.
    NUL padding after the last member (some archivers write it) is ignored.
    """
    out: list[bytes] = []
    total = 0
    rest = data
    while rest:
        d = zlib.decompressobj(_WBITS_GZIP)
        try:
            chunk = d.decompress(rest, limit - total + 1)
        except zlib.error as err:
            raise GzipError(f"corrupt gzip stream: {err}") from err
        total += len(chunk)
        if total > limit or d.unconsumed_tail:
            raise GzipError(f"gzip stream expands beyond {limit:,} bytes")
        out.append(chunk)
        if not d.eof:
            raise GzipError(f"truncated gzip stream ({total:,} bytes decompressed before the end)")
        rest = d.unused_data
        if rest and not is_gzip(rest):
            if rest.strip(b"\x00"):
                raise GzipError(f"corrupt gzip stream: {len(rest):,} bytes of garbage after the last member")
            break
    return b"".join(out)


def gunzip_head(data: bytes, size: int = 4096) -> bytes:
    """The first ``size`` decompressed bytes (for sniffing); empty when undecodable."""
    d = zlib.decompressobj(_WBITS_GZIP)
    try:
        return d.decompress(data, size)
    except zlib.error:
        return b""


def gunzip_stream(fh: BinaryIO) -> BinaryIO:
    """A streaming reader over a gzip file.

    Reading raises ``EOFError`` when the stream is truncated, ``gzip.BadGzipFile`` or
    ``zlib.error`` when it is corrupt; callers turn those into one ``InputError``.
    """
    return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]
