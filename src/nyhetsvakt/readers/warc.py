"""WARC archives (and ARC, which warcio reads as WARC), plain or gzip per record.

Each ``response`` record with an HTML payload goes through the HTML reader, with the
charset from its HTTP headers; ``text/plain`` payloads (and WET ``conversion``
records) through the text reader; ``resource`` records by their own content type.
Everything else (requests, metadata, warcinfo, redirects, images, empty payloads) is
skipped and counted in ``stats``, not reported as an error.

warcio stops quietly at a truncated archive: a cut gzip member or record header
simply ends the iteration, and a cut uncompressed record comes back short. So the
reader checks that every record has a ``Content-Length``, that its block is that
long, and that nothing but blank lines follows the last whole record; otherwise it
gives one ``InputError("truncated WARC: …")`` after the records read whole. (A cut
inside the last gzip member's 8-byte trailer loses no data and is not reported.)

warcio was chosen over fastwarc: fastwarc parses 4-10 times faster, but parsing is
under 2 % of the time spent on a record once its HTML is extracted, and warcio is
pure Python and already a dependency (``benchmarks/results/readers.md``).
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from ..errors import InputError
from ..records import RawDocument
from .encoding import DecodeError
from .html import MAX_HTML_BYTES, EmptyPage, NoText, decode_html, extract_html
from .text import read_text_dump

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
READ_RECORD_TYPES = frozenset({"response", "resource", "conversion"})

# What warcio raises on a damaged archive (a cut header, a garbled gzip member, a
# non-numeric Content-Length). AttributeError and IndexError come from its header
# parser when a header line is cut in half; they are caught only around warcio calls.
_WARC_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, zlib.error, ValueError,
                AttributeError, IndexError)


def read_warc(fh: BinaryIO, path: str, stem: str, size: int, *, fast_html: bool = False,
              stats: Counter[str] | None = None) -> Iterator[RawDocument | InputError]:
    """Every readable record of one archive, then at most one error for the archive itself."""
    stats = stats if stats is not None else Counter()
    iterator = ArchiveIterator(fh, arc2warc=True)
    records = iter(iterator)
    complete = 0
    end = 0  # where the last whole record ends
    while True:
        number = complete + 1
        try:  # warcio calls only: a damaged archive must not hide a bug of ours
            record = next(records, None)
        except _WARC_ERRORS as err:
            yield _damaged(path, number, complete, err)
            return
        if record is None:
            break
        if _declared_length(record) is None:
            # warcio hands back whatever header lines it found before the end of the data
            yield InputError(path, f"truncated WARC: record {number} has no valid Content-Length "
                                   f"header, after {complete} records")
            return
        result = _read_record(record, path, f"{stem}#r{number}", fast_html, stats)
        try:
            short = _is_short(record)
            end = iterator.get_record_offset() + iterator.get_record_length()
        except _WARC_ERRORS as err:
            yield _damaged(path, number, complete, err)
            return
        if short:
            yield InputError(path, f"truncated WARC: record {number} ends before its Content-Length, "
                                   f"after {complete} records")
            return
        complete += 1
        if result is not None:
            yield result
    if complete == 0:
        yield InputError(path, "not a WARC file (no record found)")
        return
    rest = _rest(fh, end, size)
    if rest:
        yield InputError(path, f"truncated WARC: {rest:,} bytes after the last whole record "
                               f"(a cut record or gzip member), after {complete} records")


def _read_record(record: ArcWarcRecord, path: str, stem: str, fast_html: bool,
                 stats: Counter[str]) -> RawDocument | InputError | None:
    """One record as a document, an error, or None when it is skipped (counted in ``stats``)."""
    if record.rec_type not in READ_RECORD_TYPES:
        stats[f"warc: skipped {record.rec_type} record"] += 1
        return None
    target = record.rec_headers.get_header("WARC-Target-URI")
    uri = f"{path}#{target or stem.rpartition('#')[2]}"
    if record.http_headers is not None and record.rec_type == "response":
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            stats[f"warc: skipped HTTP {status or 'without status'}"] += 1
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    mime, charset = _parse_content_type(content_type)
    try:
        payload = record.content_stream().read(MAX_HTML_BYTES + 1)
    except _WARC_ERRORS as err:
        # a broken Content-Encoding or chunking in this payload (a cut archive is caught
        # by the length check after this record)
        return InputError(uri, f"unreadable payload: {type(err).__name__}: {_first_line(err)}")
    if not payload.strip():
        stats["warc: skipped empty payload"] += 1
        return None
    if not mime:
        mime = "text/html" if payload.lstrip()[:1] == b"<" else "text/plain"
    if mime in TEXT_TYPES:
        try:
            return read_text_dump(payload, uri, stem, declared=charset)
        except InputError as err:
            return err
    if mime not in HTML_TYPES:
        stats[f"warc: skipped {mime}"] += 1
        return None
    if len(payload) > MAX_HTML_BYTES:
        return InputError(uri, f"HTML page over {MAX_HTML_BYTES:,} bytes")
    try:
        page = extract_html(decode_html(payload, charset), url=target, fast=fast_html)
    except EmptyPage:
        # Common in crawls (app shells, consent walls): counted, not an error.
        stats["warc: skipped HTML without text"] += 1
        return None
    except (NoText, DecodeError) as err:
        return InputError(uri, str(err))
    return RawDocument(uri=uri, text=page.text, kind="html", first_line=1, hints=page.hints, stem=stem)


def _rest(fh: BinaryIO, end: int, size: int) -> int:
    """Bytes after ``end`` that are not the blank lines (or NUL padding) closing a WARC."""
    if end >= size:
        return 0
    fh.seek(end)
    tail = fh.read(1 << 16)
    return 0 if not tail.strip(b"\r\n\x00") and size - end <= len(tail) else size - end


def _declared_length(record: ArcWarcRecord) -> int | None:
    value = record.rec_headers.get_header("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _is_short(record: ArcWarcRecord) -> bool:
    """True when the record's block ended before its declared length (a cut archive)."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    return getattr(raw, "limit", 0) > 0


def _parse_content_type(value: str) -> tuple[str, str | None]:
    mime, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return mime.strip().lower(), charset


def _damaged(path: str, number: int, complete: int, err: BaseException) -> InputError:
    return InputError(path, f"truncated or corrupt WARC at record {number}, after {complete} records: "
                            f"{type(err).__name__}: {_first_line(err)}")


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else "no message"
