"""What the story clusterer knows of an article: :class:`StoryFeatures`.

:func:`features_of` reads an :class:`~nyhetsvakt.records.Article` once and keeps, per
*family*, a small bag of keys with counts:

- ``terms``: Snowball stems of the headline, lead and blocks (the search analyzer's, the
  article's language pack picks the stemmer), headline and lead counted twice. Stems of
  two or fewer letters and bare numbers are left out; so are the pack's
  ``[text] function_words`` when it has them.
- ``grams``: word-initial character n-grams (the first :data:`GRAM_CHARS` letters of
  every word that long, with the letters the three languages spell differently folded:
  ä/æ to e, ö/ø to o, y to u, c to s, doubled letters single). Swedish, Norwegian and
  Danish share most word beginnings where their stems differ ("officer"/"offiser",
  "invasionen"/"invasjonen", "saboterar"/"saboterer"), so this is the family that sees a
  Norwegian retelling of a Swedish article.
- ``entities``: name words. From ``article.entities`` (their ``canonical`` names), named
  quote speakers and named cited sources when the enrichment steps set them; otherwise
  from proper-noun-like words in the text (capitalised inside a sentence, or an acronym).
  Words are kept as written; the clusterer compares them by :func:`name_key`, which folds
  spelling variants ("Lukasjenko" and "Lukashenko", "Putins" and "Putin", "Ryssland" and
  "Russland" meet).
- ``numbers``: every number as a plain value ("6 000" with NO-BREAK SPACE, "6.000" and
  "6,000" are 6000; "9,1" is 9.1), and the values of ``article.claims``.
- ``quotes``: shingles of three folded word beginnings of each quote (``article.quotes``,
  or else dash-led paragraphs and text in quote marks): copy shared verbatim.
- ``sources``: the canonical names of the named cited sources (``article.sources``),
  compared by their name keys.

Keys are strings (readable evidence, JSON as is); the clusterer hashes them. Features
are capped per family, so one article's features stay under a few kilobytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any

from ..langpacks import load_pack
from ..records import Article
from ..search.analyzer import ANALYZER_VERSION, WORD_PATTERN, analyze, stem_words, stemmer_name, tokenize

__all__ = ["FAMILIES", "FEATURES_VERSION", "StoryFeatures", "features_of", "name_key", "parse_numbers"]

# Bump when what features_of extracts changes: stored features of another version should be
# recomputed before they are compared with new ones.
FEATURES_VERSION = f"story-features/1/analyzer{ANALYZER_VERSION}"

FAMILIES = ("terms", "grams", "entities", "numbers", "quotes", "sources")

# Letters of the word-initial character n-grams ("grams"). 4 and 6 score within 0.1 point
# of BCubed F1 on benchmarks/stories.py; 5 separates the seeds' Norwegian retelling from
# the related article best for the grams it shares (docs/stories.md).
GRAM_CHARS = 5
# Stems shorter than this are left out (articles, pronouns, prepositions: no story signal).
MIN_STEM = 3
# Most keys kept per family (the most frequent, first seen first): bounds memory.
MAX_KEYS = {"terms": 160, "grams": 128, "entities": 64, "numbers": 32, "quotes": 48, "sources": 16}
# Headline and lead words count this many times (they say what the story is).
HEAD_WEIGHT = 2
# Words in a quote shingle, and the fewest words for text in quote marks to count as a quote.
QUOTE_SHINGLE = 3
MIN_QUOTE_WORDS = 4

# Diacritics folded in name keys (Scandinavian letters first, then NFKD) ...
_FOLD = str.maketrans({"ä": "a", "æ": "a", "å": "a", "ö": "o", "ø": "o", "ß": "ss", "œ": "o"})
# ... and in word beginnings, where the letters that Swedish, Norwegian and Danish spell
# differently meet: ä/æ/e ("säker", "sikker"), ö/ø, y/u ("rysk", "russisk"), c/s
# ("officer", "offiser"); doubled letters are single.
_GRAM_FOLD = str.maketrans({"ä": "e", "æ": "e", "å": "a", "ö": "o", "ø": "o", "ß": "ss", "œ": "o",
                            "c": "s", "y": "u"})
# Spelling variants of names across languages and transliterations, applied in order to the
# folded lowercase name: Lukasjenko/Lukashenko, Zelenskyj/Zelensky, Ryssland/Russland/Rusland.
_NAME_VARIANTS = (("sj", "sh"), ("tj", "ch"), ("kh", "h"), ("ck", "k"), ("ph", "f"), ("w", "v"),
                  ("z", "s"), ("q", "k"), ("c", "k"), ("x", "ks"), ("j", "y"), ("y", "u"))
_DOUBLE = re.compile(r"(.)\1+")
# A sentence (or quote, or label) ends before the next word when the gap holds one of these.
_BREAKS = frozenset(".!?:;…«»“”\"„()[]•|")
_DASHES = "-–—"
# Numbers: digit groups of three after a space-like separator, a point or a comma are
# thousands ("6 000", "6.000", "6,000"); another separator before digits is a decimal mark
# ("9,1", "5.25"). Swedish "1,500" (1.5) reads as 1500: rare in news, where "1,5" is usual.
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[ \u00a0\u202f\u2009.,]\d{3}(?!\d))*(?:[.,]\d+)?")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")
_WORDS = re.compile(WORD_PATTERN)  # the analyzer's words, as written
_QUOTED = re.compile(r"[«“”\"„]([^«»“”\"„]+)[»”\"“]")


@dataclass(frozen=True, slots=True, eq=False)
class StoryFeatures:
    """The compact, JSON-serialisable description of an article the clusterer compares.

    ``day`` is the article's date (published, else listed, else updated) as a proleptic
    ordinal (:meth:`datetime.date.toordinal`), None when undated. Each family maps keys to
    counts; ``entity_origin`` says where the names came from (``ner`` or ``text``).
    """

    language: str | None = None
    day: int | None = None
    outlet: str | None = None
    headline: str = ""
    terms: dict[str, int] = field(default_factory=dict)
    grams: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    quotes: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    entity_origin: str = "text"
    version: str = FEATURES_VERSION

    @property
    def date(self) -> date | None:
        return date.fromordinal(self.day) if self.day is not None else None

    def family(self, name: str) -> dict[str, int]:
        return getattr(self, name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version, "language": self.language,
            "date": self.date.isoformat() if self.day is not None else None,
            "outlet": self.outlet, "headline": self.headline, "entity_origin": self.entity_origin,
            **{name: dict(self.family(name)) for name in FAMILIES},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoryFeatures:
        when = data.get("date")
        return cls(
            language=data.get("language"), day=date.fromisoformat(when).toordinal() if when else None,
            outlet=data.get("outlet"), headline=data.get("headline") or "",
            entity_origin=data.get("entity_origin", "text"), version=data.get("version", FEATURES_VERSION),
            **{name: {str(k): int(v) for k, v in (data.get(name) or {}).items()} for name in FAMILIES},
        )


def features_of(article: Article) -> StoryFeatures:
    """The story features of one article (pure: the same article gives the same features)."""
    language = article.language
    head = [t for t in (article.headline, article.lead) if t]
    body = [b.text for b in article.blocks if b.text]
    segments = head + body
    when = article.published or article.listed or article.updated

    skip = _function_words(language)
    terms: Counter[str] = Counter()
    grams: Counter[str] = Counter()
    algorithm = stemmer_name(language)
    for i, text in enumerate(segments):
        times = HEAD_WEIGHT if i < len(head) else 1
        words = analyze(text, None)  # the search analyzer's words; stemmed below as it would
        for stem in stem_words(words, algorithm):
            if len(stem) >= MIN_STEM and not stem.isdigit() and stem not in skip:
                terms[stem] += times
        for word in words:
            if len(word) >= GRAM_CHARS and not word[0].isdigit() and word not in skip:
                grams[_gram(word)] += times

    entities: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    # Names: the NER's canonical entities, and speakers and sources that are named (not
    # "anonym russisk offiser" or "tidningen", which say nothing about which story it is).
    names = [e.get("canonical") or e.get("text") for e in article.entities]
    names += [q.get("speaker") for q in article.quotes if _named(q, "speaker_named", "speaker_entity_id")]
    for s in article.sources:
        name = s.get("canonical") or s.get("name")
        if name and _named(s, "named", "entity_id"):
            names.append(name)
            sources[name] += 1
    origin = "ner" if article.entities else "text"
    if not article.entities:
        names = _proper_nouns(segments) + names
    for name in names:
        for word in _name_words(name or ""):
            entities[word] += 1

    numbers: Counter[str] = Counter()
    for text in segments:
        numbers.update(parse_numbers(text))
    for claim in article.claims:
        value = claim.get("value")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            numbers[_number_key(float(value))] += 1

    quotes: Counter[str] = Counter()
    quote_texts = [q.get("text") or "" for q in article.quotes] or _quote_spans(body)
    for text in quote_texts:
        words = [_gram(w) for w in analyze(text, None)]
        for j in range(len(words) - QUOTE_SHINGLE + 1):
            quotes[" ".join(words[j : j + QUOTE_SHINGLE])] += 1

    return StoryFeatures(
        language=language, day=when.toordinal() if when else None, outlet=article.outlet,
        headline=article.headline or (article.lead or "")[:160],
        terms=_top(terms, "terms"), grams=_top(grams, "grams"), entities=_top(entities, "entities"),
        numbers=_top(numbers, "numbers"), quotes=_top(quotes, "quotes"), sources=_top(sources, "sources"),
        entity_origin=origin,
    )


def name_key(word: str) -> str:
    """The spelling-folded key of one name word: lowercase, diacritics and transliteration
    variants folded, doubled letters single, a genitive or plural ``s`` and final vowels
    dropped from longer names ("Putins" -> "putin", "Ukraina"/"Ukraine" -> "ukrain")."""
    w = _fold(word.lower())
    for old, new in _NAME_VARIANTS:
        w = w.replace(old, new)
    w = _DOUBLE.sub(r"\1", w)
    if len(w) > 3 and w.endswith("s"):
        w = w[:-1]
    if len(w) > 4:
        w = w.rstrip("aeiou")
    return w


def parse_numbers(text: str) -> list[str]:
    """The numbers written in ``text`` as plain value keys ("6 000" -> "6000", "9,1" -> "9.1").

    Single digits are left out (they count days, people and goals in every story).
    """
    out: list[str] = []
    for m in _NUMBER.finditer(text):
        raw = m.group().translate(_SPACES)
        # the last separator is a decimal mark unless three digits follow it (then thousands)
        cut = max(raw.rfind("."), raw.rfind(","))
        if cut >= 0 and len(raw) - cut - 1 != 3:
            value = float(raw[:cut].replace(".", "").replace(",", "") + "." + raw[cut + 1 :])
        else:
            value = float(raw.replace(".", "").replace(",", ""))
        if value >= 10 or value != int(value):
            out.append(_number_key(value))
    return out


def _number_key(value: float) -> str:
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else f"{value:g}"


@lru_cache(maxsize=1 << 17)
def _gram(word: str) -> str:
    """The word-initial character n-gram of a lowercase word (see _GRAM_FOLD); cached, as
    news vocabulary repeats."""
    w = _DOUBLE.sub(r"\1", word.translate(_GRAM_FOLD))
    if not w.isascii():
        w = "".join(ch for ch in unicodedata.normalize("NFKD", w) if not unicodedata.combining(ch))
    return w[:GRAM_CHARS]


def _fold(word: str) -> str:
    w = word.translate(_FOLD)
    if not w.isascii():
        w = "".join(ch for ch in unicodedata.normalize("NFKD", w) if not unicodedata.combining(ch))
    return w


@cache
def _function_words(language: str | None) -> frozenset[str]:
    """The pack's ``[text] function_words`` (lowercase, and as stems), if it has them."""
    if not language:
        return frozenset()
    try:
        words = load_pack(language).words("text", "function_words")
    except KeyError:
        return frozenset()
    low = {w.lower() for w in words}
    return frozenset(low | set(analyze(" ".join(sorted(low)), language)))


def _named(record: dict[str, Any], flag: str, entity_id: str) -> bool:
    """Whether a quote's speaker or a source is a name: its own flag when the step set one,
    else whether it was linked to an entity, else (a bare contract record) yes."""
    if flag in record:
        return bool(record[flag])
    if entity_id in record:
        return record[entity_id] is not None
    return True


def _name_words(name: str) -> list[str]:
    """The words of a name that tell it apart: particles and articles of three letters or
    fewer ("The Sun", "al-Sharaa", "von der Leyen") are left out unless written in capitals
    (CNN, EU); a name of such words only is kept whole."""
    words = [t.text for t in tokenize(name) if not t.text[0].isdigit()]
    kept = [w for w in words if len(w) > 3 or (w.isupper() and len(w) > 1)]
    return kept or ([" ".join(words)] if words else [])


def _proper_nouns(segments: Iterable[str]) -> list[str]:
    """Name-like words: capitalised inside a sentence (or at its start when the same word is
    also capitalised inside one), and acronyms of two to five capitals.

    Runs of capitals ending in a colon at the start of a segment are labels ("JUST NU:"), not
    names; longer all-capital words are shouting.
    """
    inside: list[str] = []
    starts: list[str] = []
    for text in segments:
        tokens = list(_WORDS.finditer(text))
        label = _label_length(text, tokens)
        prev_end = 0
        for i, tok in enumerate(tokens):
            word = tok.group()
            if i < label or not word[0].isupper() or len(word) < 2 or any(ch.isdigit() for ch in word):
                prev_end = tok.end()
                continue
            gap = text[prev_end : tok.start()]
            prev_end = tok.end()
            if word.isupper():
                if len(word) <= 5:
                    inside.append(word)
                continue
            start = i == 0 or "\n" in gap or any(ch in _BREAKS for ch in gap) or (
                any(ch in _DASHES for ch in gap) and " " in gap)
            (starts if start else inside).append(word)
    known = set(inside)
    names = inside + [w for w in starts if w in known]
    # short capitalised words are mostly articles and particles ("The", "Al"), not names
    return [w for w in names if len(w) > 3 or w.isupper()]


def _label_length(text: str, tokens: list[re.Match[str]]) -> int:
    """How many leading all-capital tokens form a label ending in a colon ("UPPGIFTER:")."""
    n = 0
    while n < len(tokens) and tokens[n].group().isupper() and len(tokens[n].group()) > 1:
        n += 1
    if n and text[tokens[n - 1].end() : tokens[n - 1].end() + 1] == ":":
        return n
    return 0


def _quote_spans(paragraphs: list[str]) -> list[str]:
    """Quote-like text when no quotes were extracted: dash-led paragraphs, text in quote marks."""
    out: list[str] = []
    for p in paragraphs:
        s = p.lstrip()
        if s[:1] in _DASHES and s[1:2] == " ":
            out.append(s[2:])
            continue
        out.extend(m.group(1) for m in _QUOTED.finditer(p) if len(m.group(1).split()) >= MIN_QUOTE_WORDS)
    return out


def _top(counts: Counter[str], family: str) -> dict[str, int]:
    """The family's most frequent keys (ties: first seen first), at most MAX_KEYS of them."""
    cap = MAX_KEYS[family]
    return dict(counts.most_common(cap)) if len(counts) > cap else dict(counts)
