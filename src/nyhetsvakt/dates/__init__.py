"""Dates in scraped news: find them, normalise them, and tell a date line from a sentence.

Three entry points, from loosest context to strictest:

- :func:`parse_date` reads text that *is* one date expression ("15.2", "Den 15:e", "Fre, Jul 18").
- :func:`parse_date_line` reads a line that should hold nothing but dates (with labels, weekdays,
  times, separators and filler words around them) and returns ``None`` for anything else, so a
  headline like "2 500 soldater" is never taken for a date line.
- :func:`find_dates` scans running text and keeps only unambiguous forms: numbers inside sentences
  ("5 000", "046-28 52 900", "kl. 10.15") are never dates.

Relative expressions ("i går", "nästa fredag", "3 veckor sedan") and dates without a year
("23. februar") are read only when a ``reference`` day is given. Every word comes from the
language packs; see ``docs/dates.md`` for the formats and rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from ..langpacks import PackSet, load_packs
from ._grammar import LABEL_WINDOW, grammar_for, lower
from ._read import Mode, Reading, complete, read, why_not

__all__ = ["DateMention", "find_dates", "parse_date", "parse_date_line"]

MAX_DATE_LINE = 200  # characters; a longer line is prose, not a date line
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")

Label = Literal["published", "updated"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date found in a text, with where it stands and what labelled it."""

    value: dt.date
    start: int  # character offsets into the text given
    end: int
    text: str  # text[start:end]
    label: Label | None  # "Publicerad:" → published, "Oppdatert" → updated
    has_time: bool = False
    relative: bool = False  # counted from the reference day ("i går", "3 dagar sedan", "23. februar")


def _reference(reference: dt.date | None) -> dt.date | None:
    return reference.date() if isinstance(reference, dt.datetime) else reference


def _openings(low: str, words: list[str], openers: frozenset[str]) -> list[int]:
    """Where a date may start: every digit run, and every word that can open a rule.

    Trying the grammar only there, instead of at every character, is what makes scanning fast
    (a set intersection and ``str.find`` run in C; most lines have no opener at all)."""
    starts = [m.start() for m in _DIGITS.finditer(low)]
    for w in openers.intersection(words):
        i, n = low.find(w), len(w)
        while i >= 0:
            if (i == 0 or not low[i - 1].isalpha()) and not low[i + n : i + n + 1].isalpha():
                starts.append(i)
            i = low.find(w, i + n)
    return sorted(starts)


def find_dates(
    text: str,
    packs: PackSet | None = None,
    *,
    reference: dt.date | None = None,
    rejects: Counter[str] | None = None,
) -> list[DateMention]:
    """Every absolute date in ``text`` (relative ones like "igår" only when ``reference`` is given).

    ``rejects``, when given, counts the date-like strings that were refused, by reason.
    """
    ref = _reference(reference)
    if ref is None and not _DIGITS.search(text):
        return []  # without a reference every date needs a year, so a digit
    g = grammar_for(packs or load_packs())
    low = lower(text)
    words = _WORD.findall(low)
    relative = ref is not None and not g.relative_keys.isdisjoint(words)
    pattern = g.scan_relative if relative else g.scan_absolute
    out: list[DateMention] = []
    done = 0  # end of the last mention: mentions never overlap
    for pos in _openings(low, words, g.openers_relative if relative else g.openers_absolute):
        if pos < done or (m := pattern.match(low, pos)) is None:
            continue
        rule = m.lastgroup or ""
        start, end = m.span()
        r = read(g, m, rule, "scan", ref, text)
        if not r.relative:
            wd = g.weekday_before.search(low, max(done, start - LABEL_WINDOW), start)
            if wd:  # "tisdag 3 mars 2022": the weekday belongs to the mention
                start, r.weekday = wd.start(), g.weekdays[wd.group("wd")]
        done = end
        lab = g.label_before.search(low, max(0, start - LABEL_WINDOW), start)
        label: Label | None = None
        if lab:
            label = "updated" if lab.group("lab_upd") else "published"
        if r.needs_label and label is None:
            r.reason = "unlabelled_compact"  # "20220523" is a date only after "Publicerad"
        value = complete(r, ref)
        if value is None:
            if rejects is not None:
                rejects[why_not(r)] += 1
            continue
        out.append(DateMention(value, start, end, text[start:end], label, r.has_time, r.relative))
    return out


def _line(
    line: str, packs: PackSet | None, reference: dt.date | None, mode: Mode, rejects: Counter[str] | None
) -> list[DateMention] | None:
    """Read a whole line as date tokens; None as soon as something else stands in it."""
    ref = _reference(reference)
    if len(line) > MAX_DATE_LINE or (ref is None and not _DIGITS.search(line)):
        return None
    g = grammar_for(packs or load_packs())
    low = lower(line)
    tokens: list[re.Match[str]] = []
    pos = 0
    while pos < len(line):
        m = g.line.match(low, pos)
        if m is None or m.end() == pos:
            return None
        tokens.append(m)
        pos = m.end()
    kinds = [t.lastgroup for t in tokens]
    words = [i for i, k in enumerate(kinds) if k != "sep"]  # token indices without separators
    readings: list[tuple[Reading, int, int, Label | None]] = []
    label: Label | None = None
    labelled = timed = False
    for j, i in enumerate(words):
        kind, tok = kinds[i], tokens[i]
        if kind in ("lab_pub", "lab_upd"):
            label, labelled = ("published" if kind == "lab_pub" else "updated"), True
            continue
        if kind == "clock":
            timed = True
        if kind not in g.fields:
            continue
        r = read(g, tok, kind, mode, ref, line)
        if r.reason == "needs_reference":
            continue  # without a reference day "i dag" is just a word that may stand on a date line
        start = tok.start()
        neighbours = [words[k] for k in (j - 1, j + 1) if 0 <= k < len(words)]
        for k in neighbours:  # "Tisdag 3 mars", "Jul 18, Fre": the weekday next to a date is its own
            if kinds[k] == "weekday" and r.weekday is None:
                r.weekday = g.weekdays[tokens[k].group("weekday")]
                start = min(start, tokens[k].start())
        r.has_time = r.has_time or any(kinds[k] == "clock" for k in neighbours)
        if r.needs_label and label is None:
            r.reason = "unlabelled_compact"
        readings.append((r, start, tok.end(), label))
        label = None
    if not readings:
        return None
    timed = timed or any(r[0].has_time for r in readings)
    if mode == "line" and any(r[0].loose for r in readings) and not (labelled or timed):
        if rejects is not None:
            rejects["loose_without_label_or_clock"] += 1
        return None  # "2-1" or "15.2" alone on a line is a score or a section number
    out: list[DateMention] = []
    for r, start, end, lab in readings:
        value = complete(r, ref)
        if value is None:
            if rejects is not None:
                rejects[why_not(r)] += 1
            return None
        out.append(DateMention(value, start, end, line[start:end], lab, r.has_time, r.relative))
    return out


def parse_date_line(
    line: str,
    packs: PackSet | None = None,
    *,
    reference: dt.date | None = None,
    rejects: Counter[str] | None = None,
) -> list[DateMention] | None:
    """The mentions if ``line`` is nothing but dates, else None.

    Labels, weekday names, times ("kl. 10.15", "10:15", "CET"), separators ("|", "-", "–", ",",
    "/") and filler words from the packs may stand around the dates. A sentence that merely
    contains a date is not a date line. Day-month without a year ("23.05") needs a label or a
    time on the line.
    """
    return _line(line, packs, reference, "line", rejects)


def parse_date(
    text: str, packs: PackSet | None = None, *, reference: dt.date | None = None
) -> dt.date | None:
    """The date of ``text`` when it is exactly one date expression, else None.

    Looser than a date line: the caller says this is a date, so "15.2", "25/4 kl. 16:00" and
    "Den 15:e" are read (the last two need a ``reference``).
    """
    mentions = _line(text, packs, reference, "phrase", None)
    return mentions[0].value if mentions and len(mentions) == 1 else None
