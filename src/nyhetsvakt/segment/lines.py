"""Line classification for scraped text: what each line of a dump is.

Every cue comes from the language packs (all of them at once: the language is not
known before segmentation). The classifier only labels lines; :mod:`.dump` decides
what a run of labelled lines means (a header, a body, a footer).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from enum import Enum
from functools import cache

from .. import dates
from ..langpacks import PackSet

# A heading (subheading, headline, teaser title) is short and carries no sentence end.
# Set on the seeds: the longest subheading there has 9 words / 48 characters, the
# shortest real paragraph ("Det skakar om.") ends with a full stop.
HEADING_MAX_CHARS = 110
HEADING_MAX_WORDS = 14
# A headline above a date line may run longer: the date below it is evidence enough
# (generated corpus: a 113-character headline was lost at the subheading limit).
HEADLINE_MAX_CHARS = 220
HEADLINE_MAX_WORDS = 32
# A byline/outlet line is a short run of capitalised words.
NAME_MAX_WORDS = 4
NAME_MAX_CHARS = 40
# "Redkationen" is read as "Redaktionen": a printed collective byline this close to a
# known one (difflib ratio) is taken as that one. Short names are never corrected: at
# this ratio "AFP" would become "AP" and "Staffan" "Staff".
AUTHOR_FUZZY_RATIO = 0.8
AUTHOR_FUZZY_MIN_CHARS = 8

SENTENCE_END = ".!?:;,…"
# A headline may ask or exclaim; it still never ends like a clause or a list.
HEADLINE_END = ".:;,…"
CLOSING_QUOTES = "\"'”“»«’"
DASHES = "-–—"


LIST_HEADER = "list_header"  # payload of a BOILERPLATE line that heads a list of links


class LineKind(Enum):
    BLANK = "blank"
    DATE = "date"
    TEASER = "teaser"  # "LÄS OCKSÅ: <title>"
    TEASER_HEADER = "teaser_header"  # "Läs också:" with the titles on the following lines
    BOILERPLATE = "boilerplate"
    PHOTO = "photo"  # "Foto: <credit>"
    AUTHOR = "author"  # "Text: <names>"
    CAPTION = "caption"  # "<caption> (Foto: <credit>)"
    TEXT = "text"


@dataclass(slots=True)
class Line:
    index: int  # 0-based position in the document
    number: int  # 1-based line number in the source file
    text: str  # stripped text
    kind: LineKind
    payload: str = ""  # teaser title, credit, author names, caption text
    credit: str = ""  # for CAPTION lines
    dates: list[dates.DateMention] = field(default_factory=list)


@dataclass(frozen=True)
class Cues:
    """The compiled cue patterns of a pack set."""

    teaser: re.Pattern[str]
    teaser_header: re.Pattern[str]
    boilerplate_lines: frozenset[str]
    boilerplate_prefix: re.Pattern[str] | None
    list_header: re.Pattern[str] | None
    byline: re.Pattern[str] | None
    photo: re.Pattern[str]
    caption: re.Pattern[str]
    author: re.Pattern[str]
    collective_authors: tuple[str, ...]
    name_joiners: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def compile_cues(packs: PackSet) -> Cues:
    teaser = _alternation(packs.words("segment", "teaser_prefixes"))
    photo = _alternation(packs.words("segment", "photo_labels"))
    author = _alternation(packs.words("segment", "author_labels"))
    prefixes = packs.words("segment", "boilerplate_prefixes")
    joiners = packs.words("segment", "name_joiners")
    lists = packs.words("segment", "list_headers")
    bylines = packs.words("segment", "byline_prefixes")
    return Cues(
        teaser=re.compile(rf"^(?:{teaser})\s*:\s*(\S.*)$", re.IGNORECASE),
        teaser_header=re.compile(rf"^(?:{teaser})\s*:?\s*$", re.IGNORECASE),
        boilerplate_lines=frozenset(w.casefold() for w in packs.words("segment", "boilerplate_lines")),
        boilerplate_prefix=(re.compile(rf"^(?:{_alternation(prefixes)})\b", re.IGNORECASE)
                            if prefixes else None),
        list_header=(re.compile(rf"^(?:{_alternation(lists)})\b[^.!?]{{0,60}}$", re.IGNORECASE)
                     if lists else None),
        byline=re.compile(rf"^(?:{_alternation(bylines)})\s+(\S.*)$") if bylines else None,
        photo=re.compile(rf"^(?:{photo})\s*:\s*(\S.*)$", re.IGNORECASE),
        caption=re.compile(rf"^(?P<caption>.+?)\s*\(\s*(?:{photo})\s*:\s*(?P<credit>[^()]+?)\s*\)\s*$",
                           re.IGNORECASE),
        author=re.compile(rf"^(?:{author})\s*:\s*(\S.*)$", re.IGNORECASE),
        collective_authors=tuple(packs.words("segment", "collective_authors")),
        name_joiners=re.compile(
            r"\s*(?:,|&|/|\+" + (rf"|\s(?:{_alternation(joiners)})\s" if joiners else "") + r")\s*",
            re.IGNORECASE),
    )


def clean(text: str) -> str:
    """Strip ordinary and NO-BREAK spaces at the ends (kept inside the text)."""
    return text.strip(" \t\u00a0\u200b\ufeff\r")


def classify(raw: str, index: int, number: int, packs: PackSet) -> Line:
    text = clean(raw)
    if not text:
        return Line(index, number, "", LineKind.BLANK)
    cues = compile_cues(packs)
    if cues.list_header is not None and cues.list_header.match(text.rstrip(":")):
        return Line(index, number, text, LineKind.BOILERPLATE, payload=LIST_HEADER)
    if text.casefold().rstrip(":") in cues.boilerplate_lines or text.casefold() in cues.boilerplate_lines:
        return Line(index, number, text, LineKind.BOILERPLATE)
    if cues.boilerplate_prefix is not None and cues.boilerplate_prefix.match(text):
        return Line(index, number, text, LineKind.BOILERPLATE)
    if m := cues.teaser.match(text):
        return Line(index, number, text, LineKind.TEASER, payload=clean(m.group(1)))
    if cues.teaser_header.match(text):
        return Line(index, number, text, LineKind.TEASER_HEADER)
    if m := cues.photo.match(text):
        return Line(index, number, text, LineKind.PHOTO, payload=clean(m.group(1)))
    if m := cues.author.match(text):
        return Line(index, number, text, LineKind.AUTHOR, payload=clean(m.group(1)))
    if (cues.byline is not None and (m := cues.byline.match(text))
            and all(is_name_like(n) for n in split_authors(m.group(1), packs))):
        return Line(index, number, text, LineKind.AUTHOR, payload=clean(m.group(1)))
    if m := cues.caption.match(text):
        return Line(index, number, text, LineKind.CAPTION, payload=clean(m.group("caption")),
                    credit=clean(m.group("credit")))
    if len(text) <= 120 and any(ch.isdigit() for ch in text):
        found = dates.parse_date_line(text, packs)
        if found:
            return Line(index, number, text, LineKind.DATE, dates=found)
    return Line(index, number, text, LineKind.TEXT)


def is_heading_like(text: str, max_chars: int = HEADING_MAX_CHARS,
                    max_words: int = HEADING_MAX_WORDS, ends: str = SENTENCE_END) -> bool:
    """A short line without a sentence end: a subheading or teaser title (or, with larger limits
    and ``ends=HEADLINE_END``, a headline, which may end in ? or !)."""
    if len(text) > max_chars or len(text.split()) > max_words:
        return False
    core = text.rstrip(CLOSING_QUOTES + " ")
    if not core or core[-1] in ends:
        return False
    first = text.lstrip(DASHES + CLOSING_QUOTES + " ")[:1]
    return not first.islower()


_NAME_TOKEN = re.compile(r"^[\w'’.\-]+$")


def is_name_like(text: str) -> bool:
    """A short run of capitalised words: a byline ("Malin Beeck") or an outlet ("Dagens PS")."""
    if len(text) > NAME_MAX_CHARS or text[-1:] in SENTENCE_END:
        return False
    tokens = text.split()
    return (1 <= len(tokens) <= NAME_MAX_WORDS
            and all(t[0].isupper() and _NAME_TOKEN.match(t) for t in tokens))


def split_authors(names: str, packs: PackSet) -> list[str]:
    cues = compile_cues(packs)
    return [clean(n) for n in cues.name_joiners.split(names) if clean(n)]


def normalise_author(name: str, packs: PackSet) -> str:
    """Read a misspelt collective byline as the known one ("Redkationen" → "Redaktionen")."""
    cues = compile_cues(packs)
    if name in cues.collective_authors or len(name) < AUTHOR_FUZZY_MIN_CHARS:
        return name
    best = difflib.get_close_matches(name, cues.collective_authors, n=1, cutoff=AUTHOR_FUZZY_RATIO)
    return best[0] if best else name
