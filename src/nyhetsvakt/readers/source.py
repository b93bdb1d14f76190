"""One input (a file or stdin), whatever its format, as documents and per-input errors."""

from __future__ import annotations

import io
import os
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import InputError
from ..records import RawDocument
from .compression import GzipError, gunzip, gunzip_head, gunzip_stream, is_gzip
from .detect import Format, file_stem, format_from_name, sniff_format
from .html import read_html
from .inputs import STDIN
from .jsonl import read_jsonl
from .text import read_text_dump
from .warc import read_warc

STDIN_URI = "<stdin>"
STDIN_STEM = "stdin"

# Text and HTML files are read whole (they are one document); beyond this size a file
# is refused with a reason instead. WARC and JSON Lines are streamed and have no limit.
MAX_WHOLE_FILE_BYTES = 1 << 30
# Raw bytes read to recognise the format: enough compressed input for the sniffer.
_HEAD_BYTES = 1 << 16


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are read. The defaults are the product's defaults."""

    # trafilatura's fast mode: skips its comparison with readability and jusText,
    # about a third faster on HTML, at some cost in recall on unusual layouts.
    fast_html: bool = False


def read_source(path: str, *, stdin: BinaryIO | None = None, options: ReadOptions | None = None,
                stats: Counter[str] | None = None) -> Iterator[RawDocument | InputError]:
    """Everything in one input file, as documents and errors; never raises for bad content.

    ``path`` ``-`` reads ``stdin`` (default ``sys.stdin.buffer``). A file that cannot be
    read gives one :class:`InputError`; an archive or export may give documents and then
    errors (a bad JSON line, a truncated ``.warc.gz`` after its good records). Records
    skipped on purpose (WARC requests, images, redirects) are counted in ``stats``.
    """
    options = options or ReadOptions()
    stats = stats if stats is not None else Counter()
    if path == STDIN:
        source = stdin if stdin is not None else sys.stdin.buffer
        try:
            data = source.read()
        except OSError as err:
            yield InputError(STDIN_URI, f"cannot read stdin: {err}")
            return
        yield from _read(io.BytesIO(data), STDIN_URI, STDIN_STEM, None, len(data), options, stats)
        return
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is done with it
    except OSError as err:
        yield InputError(path, f"cannot open: {err.strerror or err}")
        return
    with fh:
        try:
            source: BinaryIO = fh
            if not fh.seekable():  # a named pipe or process substitution: read it whole, like stdin
                source = io.BytesIO(fh.read())
            size = (source.getbuffer().nbytes if isinstance(source, io.BytesIO)
                    else os.fstat(fh.fileno()).st_size)
            yield from _read(source, path, file_stem(path), format_from_name(path), size, options, stats)
        except OSError as err:
            yield InputError(path, f"read error: {err.strerror or err}")


def _read(fh: BinaryIO, uri: str, stem: str, fmt: Format | None, size: int, options: ReadOptions,
          stats: Counter[str]) -> Iterator[RawDocument | InputError]:
    head = fh.read(_HEAD_BYTES)
    fh.seek(0)
    compressed = is_gzip(head)
    if fmt is None:
        fmt = sniff_format(gunzip_head(head) if compressed else head)
    stats[f"format: {fmt}{'.gz' if compressed else ''}"] += 1
    if fmt == "warc":
        yield from read_warc(fh, uri, stem, size, fast_html=options.fast_html, stats=stats)
        return
    if fmt == "jsonl":
        yield from read_jsonl(gunzip_stream(fh) if compressed else fh, uri, stem, fast_html=options.fast_html)
        return
    if size > MAX_WHOLE_FILE_BYTES:
        yield InputError(uri, f"file of {size:,} bytes is too large to read whole "
                              f"(limit {MAX_WHOLE_FILE_BYTES:,})")
        return
    data = fh.read()
    if compressed:
        try:
            data = gunzip(data)
        except GzipError as err:
            yield InputError(uri, str(err))
            return
    try:
        document = read_html(data, uri, stem, fast=options.fast_html) if fmt == "html" else \
            read_text_dump(data, uri, stem)
    except InputError as err:
        yield err
        return
    yield document
