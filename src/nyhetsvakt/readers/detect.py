"""Which reader a file needs: by extension first, by its first bytes otherwise.

The extension is looked at after a compression suffix (``.gz``) is removed, so
``x.txt.gz`` is a text dump. Files with an unknown extension, and stdin, are sniffed:
``WARC/`` (or an ARC ``filedesc://`` header) is an archive, an HTML doctype or tag is
HTML, a first non-blank line that opens a JSON object is JSON Lines, anything else is
a text dump. Compression itself is always recognised by the gzip magic bytes.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Literal

Format = Literal["text", "html", "warc", "jsonl"]

COMPRESSION_SUFFIXES = (".gz", ".gzip")
EXTENSION_FORMATS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".warc": "warc",
    ".arc": "warc",  # warcio reads ARC too and presents its records as WARC responses
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

# How much of a file the sniffer looks at. An HTML page may open with a long comment
# or XML prolog before <html>; 4 KiB covers those in practice.
SNIFF_BYTES = 4096

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)


def _split_suffixes(name: str) -> tuple[str, str | None]:
    """``("000_30c9.txt.gz")`` → ``("000_30c9.txt", ".gz")``."""
    lower = name.lower()
    for suffix in COMPRESSION_SUFFIXES:
        if lower.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], suffix
    return name, None


def format_from_name(path: str) -> Format | None:
    """The format the file's extension names, or None when it names none."""
    inner, _ = _split_suffixes(PurePath(path).name)
    return EXTENSION_FORMATS.get(PurePath(inner).suffix.lower())


def file_stem(path: str) -> str:
    """The file name without its extensions: ``000_30c9a46bdec557f4.txt.gz`` → ``000_30c9a46bdec557f4``.

    Only a compression suffix and one more extension are removed, so a dotted name
    such as ``report.2024-01.txt`` keeps its date.
    """
    inner, _ = _split_suffixes(PurePath(path).name)
    stem = PurePath(inner).stem
    return stem or inner


def sniff_format(head: bytes) -> Format:
    """Guess the format from the first (decompressed) bytes of a file."""
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    start = head.lstrip()
    if start.startswith((b"WARC/", b"filedesc://")):
        return "warc"
    if start[:1] == b"<" and _HTML_START.search(start[:SNIFF_BYTES]):
        return "html"
    if start[:1] == b"{":
        return "jsonl"
    return "text"
