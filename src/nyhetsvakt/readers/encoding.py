"""Bytes to clean Unicode: decoding, line breaks and mojibake.

Scraped Nordic news arrives as UTF-8 (with or without BOM), as Windows-1252 /
Latin-1 from older sites, as UTF-8 files with a few stray Windows-1252 bytes pasted
in, and as double-encoded UTF-8 ("LÃ¤s ocksÃ¥"). :func:`decode_bytes` picks the
encoding, :func:`normalize_newlines` makes ``\\n`` the only line break, and
:func:`repair_mojibake` undoes double encoding, but only when a cheap test says the
text looks broken (ftfy costs about 4 ms per seed file; the check costs microseconds).
NO-BREAK SPACE (U+00A0, the Nordic thousands separator in "6 000") is kept exactly.
"""

from __future__ import annotations

import codecs
import re

import ftfy
from charset_normalizer import from_bytes

# Share of the non-ASCII characters of a Windows-1252 reading that must be Nordic or
# West-European letters or common typography for that reading to be taken without
# asking charset-normalizer. charset-normalizer alone reads a short Swedish cp1252
# line ("Läs också: …") as cp1250 ("ocksĺ"). The seeds score 1.00; a Russian news
# sentence in cp1251, read as cp1252, scores 0.73 (86 % non-ASCII) and goes on to
# charset-normalizer, which gets it right.
LEGACY_PLAUSIBLE_SHARE = 0.9
_LEGACY_CHARS = frozenset(
    "ÅÄÖåäöÆØæøÉéÜüÈèÊêËëÁáÀàÍíÓóÚúÔôÎîÇçÑñßÏïÂâÛûŒœ"
    "–—‘’‚“”„•…€«»°§½¼¾×±²³·¨´©®™¤£¢¥\u00a0"
)

# Below this share of non-ASCII characters a legacy file is Latin-script text (the
# seeds have 2.3-4.2 %; Cyrillic, Greek or Arabic text 80 % or more), so Windows-1252,
# the usual legacy encoding of Nordic sources, is taken. charset-normalizer guesses
# wildly on so little evidence: it read three stray bytes in an ASCII line as Arabic.
SPARSE_HIGH_SHARE = 0.1

# A UTF-8 file with at most this many undecodable spots per valid multi-byte sequence
# is UTF-8 with stray bytes (each decoded as Windows-1252), not a legacy-encoded file.
MIXED_UTF8_MAX_BAD_SHARE = 1.0

# Undecodable bytes a file may have, as a share of its characters, and still be read
# (as U+FFFD) when no encoding fits it.
MAX_REPLACED_SHARE = 0.01

_VALID_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)

_BOM_CODECS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG: pages declaring Latin-1 or ASCII are decoded as Windows-1252.
_DECLARED_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}

# Every character line breaks are normalised from. str.splitlines() splits on all of
# them, so after normalisation text.splitlines() and text.split("\n") agree and line
# numbers mean the same thing to every later step.
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Checked with `in` first: a substring test is C-speed on any string, while a regex
# character class costs 40-100 µs on an 8 KB non-ASCII text (measured on seed 000).
_BREAK_CHARS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")

# What Windows-1252 (undefined bytes read as C1 controls, as ftfy's "sloppy" codec
# does) makes of the UTF-8 continuation bytes 0x80-0xBF, and the way back.
_CONTINUATION = "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(0x80, 0xC0))
_TO_BYTE = {ch: bytes([0x80 + i]) for i, ch in enumerate(_CONTINUATION)} | {"Â": b"\xc2", "Ã": b"\xc3",
                                                                           "â": b"\xe2"}
_CONT_CLASS = "[" + re.escape(_CONTINUATION) + "]"
# UTF-8 read as Windows-1252: "Ã¤" (ä), "Â\xa0" (NBSP), "â€“" (en dash). Latin-1 letters
# and the common punctuation all start with one of these leads.
_MOJIBAKE = re.compile(f"[ÂÃ]{_CONT_CLASS}|â€{_CONT_CLASS}")

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # "&amp;" in a text dump is text
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,  # curly quotes are the outlets' own typography
    fix_line_breaks=False,  # done by normalize_newlines
    remove_control_chars=False,
    normalization=None,  # keep the text verbatim apart from the repair itself
    explain=False,
)
# ftfy re-encodes a whole line to find double encoding; a genuine NO-BREAK SPACE in a
# broken line makes that fail ("LÃ¤s ocksÃ¥\xa0text" stays half broken), so genuine
# NBSPs (not the second half of "Â\xa0"/"Ã\xa0") are hidden behind a placeholder.
_NBSP_PLACEHOLDER = "\x1a"
_GENUINE_NBSP = re.compile("(?<![ÂÃ])\u00a0")


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can tell; the message says why."""


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode ``data``: a byte-order mark wins, then a declared charset, then UTF-8,
    then UTF-8 with stray Windows-1252 bytes, then a legacy encoding.
    """
    for bom, bom_codec in _BOM_CODECS:
        if data.startswith(bom):
            data = data[len(bom):]
            if bom_codec == "utf-8":
                break  # decoded below, with the fallbacks for stray bytes
            try:
                return data.decode(bom_codec)
            except UnicodeDecodeError as err:
                raise DecodeError(f"invalid {bom_codec} after its byte-order mark: {err.reason} "
                                  f"at byte {err.start:,}") from err
    codec = _lookup(declared)
    # UTF-8 is tried before a declared single-byte charset: pages declaring ISO-8859-1
    # while serving UTF-8 are far more common than legacy text that happens to be valid
    # UTF-8. A declared UTF-16/32 comes first, since UTF-16 ASCII is also valid UTF-8.
    order = [codec, "utf-8"] if codec and codec.startswith(("utf-16", "utf-32")) else ["utf-8", codec]
    first_error: UnicodeDecodeError | None = None
    for candidate in order:
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except UnicodeDecodeError as err:
            if candidate == "utf-8":
                first_error = err
        except (ValueError, LookupError):
            pass  # a wrong declaration, or a non-text codec such as "base64": detect instead
    valid = len(_VALID_UTF8_MULTIBYTE.findall(data))
    if valid:
        mixed = _decode_utf8_with_cp1252(data, max_bad=int(valid * MIXED_UTF8_MAX_BAD_SHARE))
        if mixed is not None:
            return mixed
    legacy = _decode_legacy(data)
    if legacy is not None:
        return legacy
    # Nothing fits, yet the bytes passed the binary check: mostly ASCII text with a few
    # stray bytes. Those become U+FFFD rather than costing the whole file.
    replaced = data.decode("utf-8", errors="replace")
    if replaced.count("\ufffd") <= MAX_REPLACED_SHARE * len(replaced):
        return replaced
    assert first_error is not None
    raise DecodeError(f"not UTF-8 ({first_error.reason}: byte 0x{data[first_error.start]:02x} at offset "
                          f"{first_error.start:,}) and no other encoding fits")


def _lookup(declared: str | None) -> str | None:
    """The Python codec for a declared charset name, or None when unknown."""
    if not declared:
        return None
    try:
        name = codecs.lookup(declared.strip().strip("\"'")).name
    except LookupError:
        return None
    if name.startswith("utf-8"):
        return "utf-8"
    return _DECLARED_ALIASES.get(name, name)


def _decode_utf8_with_cp1252(data: bytes, max_bad: int) -> str | None:
    """UTF-8 where each undecodable byte run is read as Windows-1252; None past ``max_bad`` spots."""
    parts: list[str] = []
    pos = 0
    bad = 0
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            return "".join(parts)
        except UnicodeDecodeError as err:
            bad += 1
            if bad > max_bad:
                return None
            start, end = pos + err.start, pos + err.end
            parts.append(data[pos:start].decode("utf-8"))
            parts.append(data[start:end].decode("cp1252", errors="replace"))
            pos = end


def _decode_legacy(data: bytes) -> str | None:
    """A single-byte legacy encoding: Windows-1252 when it reads as Nordic text, else charset-normalizer."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        high = [ch for ch in text if ch >= "\x80"]
        if (len(high) <= SPARSE_HIGH_SHARE * len(text)
                or sum(ch in _LEGACY_CHARS for ch in high) >= LEGACY_PLAUSIBLE_SHARE * len(high)):
            return text
    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best)


def normalize_newlines(text: str) -> str:
    """Make ``\\n`` the only line break (CRLF, CR and the other Unicode breaks become ``\\n``)."""
    if not any(ch in text for ch in _BREAK_CHARS):
        return text
    return _LINE_BREAKS.sub("\n", text)


def looks_like_mojibake(text: str) -> bool:
    """Cheap test for UTF-8 that was decoded as Windows-1252 somewhere on the way."""
    if "Ã" not in text and "Â" not in text and "â€" not in text:
        return False  # the usual case, at C speed
    return _MOJIBAKE.search(text) is not None


def repair_mojibake(text: str) -> str:
    """Undo double-encoded UTF-8 with ftfy, keeping genuine NO-BREAK SPACEs, when the text looks broken."""
    if not looks_like_mojibake(text):
        return text
    protect = _NBSP_PLACEHOLDER not in text
    work = _GENUINE_NBSP.sub(_NBSP_PLACEHOLDER, text) if protect else text
    fixed = ftfy.fix_text(work, _FTFY_CONFIG)
    # ftfy leaves a line half broken when it also holds characters that Windows-1252
    # cannot encode ("LÃ¤s ocksÃ¥: “…”" keeps "ocksÃ¥"); the remaining two- and
    # three-character sequences are unambiguous, so they are decoded one by one.
    fixed = _MOJIBAKE.sub(_decode_sequence, fixed)
    return fixed.replace(_NBSP_PLACEHOLDER, "\u00a0") if protect else fixed


def _decode_sequence(match: re.Match[str]) -> str:
    seq = match.group()
    try:
        return b"".join(_TO_BYTE[ch] for ch in seq).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return seq
