"""JSON Lines exports: one article a line, streamed so a large export never sits in memory.

Each line is an object with ``text`` or ``html`` and optional ``id``, ``url``,
``headline``, ``published``, ``updated``, ``outlet``, ``language``, ``authors``.
The names news-please and trafilatura use in their own JSON output are accepted too
(:data:`FIELD_ALIASES`), so their exports read without conversion. A bad line (not
JSON, not an object, no text, a field of the wrong type, a date that is not ISO)
is one ``InputError`` with ``uri = path:LINE``; the next line is read as usual.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, BinaryIO

from ..errors import InputError
from ..records import DocumentHints, RawDocument
from .encoding import DecodeError
from .html import MAX_HTML_BYTES, NoText, extract_html
from .text import clean_text, long_line_reason

# Longest JSON line read. A line carries one article, with its HTML at most; the
# HTML reader's own limit plus room for the other fields.
MAX_LINE_BYTES = MAX_HTML_BYTES + (1 << 20)

# Field → the names it is found under, first match wins: ours, then news-please
# (maintext, title, date_publish, date_modify, source_domain), then trafilatura's JSON
# (raw_text is its text without formatting, date, sitename, author as "A; B").
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "maintext", "raw_text"),
    "html": ("html",),
    "id": ("id",),
    "url": ("url",),
    "headline": ("headline", "title"),
    "published": ("published", "date_publish", "date"),
    "updated": ("updated", "date_modify"),
    "outlet": ("outlet", "source_domain", "sitename"),
    "language": ("language",),
    "authors": ("authors", "author"),
}


_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")


class BadLine(ValueError):
    """One JSON line cannot be used; the message says why."""


def read_jsonl(stream: BinaryIO, path: str, stem: str, *, fast_html: bool = False,
               ) -> Iterator[RawDocument | InputError]:
    """One document per good line, one error per bad line, and one for a truncated stream."""
    number = 0
    try:
        while True:
            raw = stream.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass  # skip the rest of the over-long line
                yield InputError(f"{path}:{number}", f"line longer than {MAX_LINE_BYTES:,} bytes")
                continue
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                yield _document(raw, path, stem, number, fast_html)
            except (BadLine, DecodeError, NoText) as err:
                yield InputError(f"{path}:{number}", str(err))
    except EOFError:
        yield InputError(path, f"truncated gzip stream after line {number:,}")
    except (gzip.BadGzipFile, zlib.error) as err:
        yield InputError(path, f"corrupt gzip stream after line {number:,}: {err}")


def _document(raw: bytes, path: str, stem: str, number: int, fast_html: bool) -> RawDocument:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadLine(f"not UTF-8: byte 0x{raw[err.start]:02x} at column {err.start + 1:,}") from err
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise BadLine(f"invalid JSON: {err.msg} at column {err.colno:,}") from err
    except RecursionError as err:
        raise BadLine("invalid JSON: nested too deeply") from err
    if not isinstance(obj, dict):
        raise BadLine(f"not a JSON object but {_json_type(obj)}")
    fields = {name: _first(obj, names) for name, names in FIELD_ALIASES.items()}
    hints = DocumentHints(
        id=_string(fields, "id", allow_int=True),
        url=_string(fields, "url"),
        headline=_string(fields, "headline"),
        published=_date(fields, "published"),
        updated=_date(fields, "updated"),
        outlet=_string(fields, "outlet"),
        language=_string(fields, "language"),
        authors=_authors(fields),
    )
    text = _string(fields, "text")
    markup = _string(fields, "html")
    if text is not None and text.strip():
        text = clean_text(text)
        too_long = long_line_reason(text)
        if too_long:
            raise BadLine(f"'text': {too_long}")
    elif markup is not None and markup.strip():
        page = extract_html(markup, url=hints.url, fast=fast_html)
        text = page.text
        # The line's own fields win; the page fills what the line leaves out.
        for name in ("headline", "published", "outlet", "language", "url"):
            if getattr(hints, name) is None:
                setattr(hints, name, getattr(page.hints, name))
        hints.authors = hints.authors or page.hints.authors
    elif text is not None or markup is not None:
        raise BadLine("empty 'text'" if text is not None else "empty 'html'")
    else:
        raise BadLine("no 'text' or 'html' field")
    return RawDocument(uri=f"{path}:{number}", text=text, kind="article", first_line=number, hints=hints,
                       stem=f"{stem}#l{number}")


def _first(obj: dict[str, Any], names: tuple[str, ...]) -> tuple[str, Any] | None:
    for name in names:
        if obj.get(name) is not None:
            return name, obj[name]
    return None


def _string(fields: dict[str, tuple[str, Any] | None], field: str, allow_int: bool = False) -> str | None:
    found = fields[field]
    if found is None:
        return None
    name, value = found
    if allow_int and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise BadLine(f"field {name!r} must be a string, not {_json_type(value)}")
    if _NOT_TEXT.search(value):
        value = _NOT_TEXT.sub("\ufffd", value)  # "\u0000" and "\ud800" are valid JSON but not text
    return value if field in ("text", "html") else (value.strip() or None)


def _date(fields: dict[str, tuple[str, Any] | None], field: str) -> date | None:
    value = _string(fields, field)
    if value is None:
        return None
    name = fields[field][0]  # type: ignore[index]
    try:
        return datetime.fromisoformat(value).date() if len(value) > 10 else date.fromisoformat(value)
    except ValueError as err:
        raise BadLine(f"field {name!r}: {value[:40]!r} is not an ISO date or datetime") from err


def _authors(fields: dict[str, tuple[str, Any] | None]) -> list[str]:
    found = fields["authors"]
    if found is None:
        return []
    name, value = found
    if isinstance(value, str):
        return [a.strip() for a in value.split(";") if a.strip()]
    if isinstance(value, list) and all(isinstance(a, str) for a in value):
        return [a.strip() for a in value if a.strip()]
    raise BadLine(f"field {name!r} must be a string or a list of strings, not {_json_type(value)}")


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number",
             float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
