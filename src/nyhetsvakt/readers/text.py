"""Text dumps: scraped pages saved as plain text, often several articles a file.

This is the hot path (the whole pipeline must do 300 articles a second per core), so
every check is a C-speed scan: NUL search, a control-byte count on a sample, one
UTF-8 decode, one regex search each for odd line breaks and for mojibake, and a line
scan only for files long enough to hold an over-long line.
"""

from __future__ import annotations

from ..errors import InputError
from ..records import RawDocument
from .encoding import DecodeError, decode_bytes, normalize_newlines, repair_mojibake

# Longest line a text dump may have. The seeds' longest line is about 400 characters
# and a whole scraped article on one line is some 20,000; a million-character line is
# not prose (a minified script, a base64 blob, a 50 MB single line of "a") and would
# cost every later line-based step quadratic time.
MAX_LINE_CHARS = 1_000_000

# The binary test looks at the first 64 KiB, as git and file(1) do for NUL bytes.
BINARY_SAMPLE_BYTES = 65_536
# Share of control bytes (C0 other than tab, newline, CR, form feed; DEL) in that
# sample above which a file is binary. Text dumps have none; compressed or encrypted
# data without NUL bytes has about a tenth.
MAX_CONTROL_SHARE = 0.05

_CONTROL_BYTES = bytes([*range(0x01, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff")


class NotText(ValueError):
    """The bytes are not a readable text dump; the message is the reason shown to the user."""


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not text (NUL bytes, mostly control characters), or None."""
    if data.startswith(_UTF16_32_BOMS):
        return None  # UTF-16/32 text has NUL bytes; decode_bytes reads it by its BOM
    sample = data[:BINARY_SAMPLE_BYTES]
    nul = data.find(b"\x00")
    if nul >= 0:
        return f"binary file (NUL byte at offset {nul:,})"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > MAX_CONTROL_SHARE * len(sample):
        share = controls / len(sample)
        return f"binary file ({share:.0%} control characters in the first {len(sample):,} bytes)"
    return None


def clean_text(text: str) -> str:
    """Newlines normalised to ``\\n`` and mojibake repaired; everything else verbatim."""
    return repair_mojibake(normalize_newlines(text))


def long_line_reason(text: str, limit: int = MAX_LINE_CHARS) -> str | None:
    """Which line is longer than ``limit`` characters, or None."""
    if len(text) <= limit:
        return None  # no line can be longer than the whole text
    start = 0
    number = 1
    while True:
        end = text.find("\n", start)
        stop = len(text) if end < 0 else end
        if stop - start > limit:
            return f"line {number:,} has {stop - start:,} characters (limit {limit:,}): not a text dump"
        if end < 0:
            return None
        start = end + 1
        number += 1


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Bytes of a text dump to clean text; raises :class:`NotText` or ``DecodeError`` with the reason."""
    reason = binary_reason(data)
    if reason:
        raise NotText(reason)
    text = decode_bytes(data, declared)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text:
        raise NotText("empty file")
    if text.isspace():
        raise NotText("empty file (whitespace only)")
    text = normalize_newlines(text)
    reason = long_line_reason(text)
    if reason:
        raise NotText(reason)
    return repair_mojibake(text)


def read_text_dump(data: bytes, uri: str, stem: str, declared: str | None = None) -> RawDocument:
    """One text dump as a document; raises :class:`InputError` with the reason when it is not text."""
    try:
        text = decode_text(data, declared)
    except (NotText, DecodeError) as err:
        raise InputError(uri, str(err)) from err
    return RawDocument(uri=uri, text=text, kind="text", first_line=1, stem=stem)
