"""Claims: sentences that state a quantity, with its value, unit, source and status.

Numbers are read as printed in Nordic news: a space or NO-BREAK SPACE between thousands
("6 000"), a decimal comma ("9,1"), ranges ("5,3–5,5 miljoner"), percentages, scale words
("5 miljoner"), and counts in words ("tusentals", "hundratusentals"). Dates, years, clock
times, phone numbers and ordinals are not claims.

The status is, in this order: ``unverified`` when the sentence or the next one says it
could not be confirmed; ``denied``; ``hedged`` ("ska ha", "uppges", "angivelig");
``attributed`` when a source is cited for it (in the sentence, by the quote it is in, or,
for "enligt bedömningen", by the sentence before); ``asserted`` (the outlet's own)
otherwise. Figures for the same thing from different sources are linked as conflicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dates import find_dates
from ..langpacks import load_packs
from ..search.analyzer import stem_words, stemmer_name
from .cues import LanguageCues
from .discourse import Ref
from .extract import ArticleReading, Citation
from .text import last_match, sentences, words

__all__ = ["Claim", "find_claims", "link_conflicts", "parse_number"]

_NUM = re.compile(
    r"(?<![\w.,:/-])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](\d+))?"
    r"(?:\s*[–—-]\s*(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](\d+))?)?(?![\w:/])"
)
_PUNCT = re.compile(r"[,.;:!?]")
_SECOND_DAY = re.compile(r"\s*(?:[–-]|\w{1,4})\s*\d{1,2}\.?\s+(\w+)")
_PHONE = re.compile(r"\d+-\d[\d \u00a0]+")
CONFLICT_RATIO = 1.25


@dataclass
class Claim:
    text: str
    value: float
    unit: str | None
    block: int
    start: int
    end: int
    sentence: int
    value_max: float | None = None
    approximate: bool = False
    bound: str | None = None
    about: str | None = None
    source: Ref | None = None
    via: Ref | None = None
    status: str = "asserted"
    status_cue: str | None = None
    source_cue: str | None = None
    conflicts_with: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        out = {
            "text": self.text,
            "value": value,
            "unit": self.unit,
            "source": self.source.name if self.source else None,
            "status": self.status,
            "block": self.block,
            "start": self.start,
            "end": self.end,
            "about": self.about,
            "approximate": self.approximate,
            "bound": self.bound,
            "via": self.via.name if self.via else None,
            "source_entity_id": self.source.entity_id if self.source else None,
            "status_cue": self.status_cue,
            "source_cue": self.source_cue,
            "conflicts_with": list(self.conflicts_with),
        }
        if self.value_max is not None:
            out["value_max"] = int(self.value_max) if float(self.value_max).is_integer() else self.value_max
        return out


def parse_number(whole: str, frac: str | None) -> float:
    digits = re.sub(r"[ \u00a0\u202f]", "", whole)
    return float(f"{digits}.{frac}") if frac else float(digits)


def find_claims(
    blocks: list[tuple[str, str]], reading: ArticleReading, cues: LanguageCues, language: str | None
) -> list[Claim]:
    out: list[Claim] = []
    last_source: tuple[Ref, Ref | None, str] | None = None
    for b, (kind, text) in enumerate(blocks):
        if kind != "paragraph":
            continue
        sents = sentences(text)
        excluded = _excluded_spans(text, language)
        for k, (s0, s1) in enumerate(sents):
            sent_source = _source_of(reading, b, k)
            if sent_source is not None:
                last_source = sent_source
            elif (b, k) in reading.unresolved_according and last_source is not None:
                sent_source = last_source
            for c in _numbers_in(text, s0, s1, excluded, cues, b, k, language):
                c.text = text[s0:s1]
                quote = reading.quote_of_block.get(b)
                src = sent_source
                if quote is not None and quote.start <= c.start < quote.end and quote.speaker is not None:
                    src = (quote.speaker, quote.medium, quote.cue or "")
                if src is not None:
                    c.source, c.via, c.source_cue = src
                _status(c, text, sents, k, cues)
                out.append(c)
    link_conflicts(out, language)
    return out


def _source_of(reading: ArticleReading, b: int, k: int) -> tuple[Ref, Ref | None, str] | None:
    cites: list[Citation] = reading.sentence_sources.get((b, k), [])
    primary = [c for c in cites if c.role in ("source", "speaker")]
    if not primary:
        return None
    first = min(primary, key=lambda c: c.start)
    via = first.via
    if via is None:
        via = next(
            (
                c.ref
                for c in cites
                if c.role == "medium"
                or (c is not first and c.ref.kind == "org" and c.ref.name != first.ref.name)
            ),
            None,
        )
    return first.ref, via, first.cue


def _excluded_spans(text: str, language: str | None) -> list[tuple[int, int]]:
    packs = load_packs((language,)) if language else None
    spans = [(m.start, m.end) for m in find_dates(text, packs)]
    spans += [(m.start(), m.end()) for m in _PHONE.finditer(text)]
    return spans


def _numbers_in(
    text: str,
    s0: int,
    s1: int,
    excluded: list[tuple[int, int]],
    cues: LanguageCues,
    b: int,
    k: int,
    language: str | None,
) -> list[Claim]:
    cl = cues.claims
    found: list[Claim] = []
    for m in _NUM.finditer(text, s0, s1):
        if any(a <= m.start() < z for a, z in excluded):
            continue
        whole, frac, whole2, frac2 = m.groups()
        if frac is None and whole2 is None and len(whole) == 4 and 1800 <= int(whole) <= 2100:
            continue  # a year
        if text[m.end() : m.end() + 1] == "." and text[m.end() + 1 : m.end() + 2] == " " and not frac:
            nxt = text[m.end() + 2 : m.end() + 3]
            if nxt.islower():
                continue  # an ordinal ("23. februari")
        if _before_month(text, m.end(), s1, language):
            continue  # a day of a month ("den 1 januari", "27 och 28 februari")
        value = parse_number(whole, frac)
        value_max = parse_number(whole2, frac2) if whole2 else None
        end = m.end()
        after = words(text, end, min(s1, end + 80))
        scale = 1.0
        if after and after[0].lower in cl.scale:
            scale = cl.scale[after[0].lower]
            end = after[0].end
            after = after[1:]
        unit, about, unit_end = _unit(text, after, cues, s1)
        c = Claim(
            "",
            value * scale,
            unit,
            b,
            m.start(),
            max(end, unit_end),
            k,
            value_max * scale if value_max is not None else None,
        )
        c.about = about
        _qualifiers(c, text, s0, m.start(), cues)
        found.append(c)
    for word in words(text, s0, s1):
        v = cl.vague.get(word.lower)
        if v is None:
            continue
        unit, about, unit_end = _unit(text, words(text, word.end, min(s1, word.end + 80)), cues, s1)
        c = Claim("", v, unit, b, word.start, max(word.end, unit_end), k)
        c.about, c.approximate, c.bound = about, True, "at least"
        found.append(c)
    return found


def _unit(text: str, after: list, cues: LanguageCues, limit: int) -> tuple[str | None, str | None, int]:
    if not after:
        return None, None, 0
    first = after[0]
    if first.lower in cues.claims.units:
        return cues.claims.units[first.lower], first.text, first.end
    if (
        text[after[0].start - 1 : after[0].start] == "%"
        or text[after[0].start - 2 : after[0].start].strip() == "%"
    ):
        return "percent", "%", after[0].start
    # The counted noun: the first word that is not a modifier ("6 000 ryska soldater").
    cl = cues.claims
    taken = []
    for w in after[:4]:
        if _PUNCT.search(text[taken[-1].end if taken else first.start : w.start]):
            break
        if not w.text[:1].islower() or w.lower in cl.not_units or w.lower in cues.prepositions:
            break
        if cl.not_unit_endings and w.lower.endswith(cl.not_unit_endings):
            break
        taken.append(w)
        if not (w.lower.endswith(cl.adjective_endings) and len(taken) < 3):
            break
    if not taken or taken[-1].lower.endswith(cl.adjective_endings):
        return None, None, 0
    noun = taken[-1]
    return noun.lower, text[taken[0].start : noun.end], noun.end


def _before_month(text: str, end: int, limit: int, language: str | None) -> bool:
    months = load_packs((language,)).months if language else {}
    nxt = words(text, end, min(limit, end + 30))
    if nxt and nxt[0].lower in months:
        return True
    # "27 och 28 februari", "21–22 oktober"
    rest = text[end : min(limit, end + 30)]
    m = _SECOND_DAY.match(rest)
    return bool(m and m.group(1).lower() in months)


def _qualifiers(c: Claim, text: str, s0: int, pos: int, cues: LanguageCues) -> None:
    window = text[max(s0, pos - 24) : pos]
    cl = cues.claims
    for pattern, bound, approx in (
        (cl.at_least, "at least", False),
        (cl.at_most, "at most", False),
        (cl.approximate, None, True),
    ):
        m = last_match(pattern.finditer(window))
        if m is not None and not window[m.end() :].strip(" \u00a0").split()[1:2]:
            c.bound = c.bound or bound
            c.approximate = c.approximate or approx


def _status(c: Claim, text: str, sents: list[tuple[int, int]], k: int, cues: LanguageCues) -> None:
    cl = cues.claims
    s0, s1 = sents[k]
    nxt = text[sents[k + 1][0] : sents[k + 1][1]] if k + 1 < len(sents) else ""
    sent = text[s0:s1]
    for status, pattern, scope in (
        ("unverified", cl.unverified, sent + " " + nxt),
        ("denied", cl.denied, sent),
        ("hedged", cl.hedged, sent),
    ):
        m = pattern.search(scope)
        if m:
            c.status, c.status_cue = status, m.group()
            return
    c.status = "attributed" if c.source is not None else "asserted"


def link_conflicts(claims: list[Claim], language: str | None = None) -> None:
    """Link figures for the same counted thing from different sources in neighbouring sentences."""
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if a.block != b.block or abs(a.sentence - b.sentence) > 1 or a.source is None or b.source is None:
                continue
            if a.source.name == b.source.name or not a.unit or not b.unit:
                continue
            if _unit_key(a.unit, language) != _unit_key(b.unit, language):
                continue
            lo, hi = sorted((a.value, b.value))
            if lo <= 0 or hi / lo < CONFLICT_RATIO:
                continue
            a.conflicts_with.append(j)
            b.conflicts_with.append(i)


def _unit_key(unit: str, language: str | None) -> str:
    return " ".join(stem_words(unit.lower().split(), stemmer_name(language)))
