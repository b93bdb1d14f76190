"""Entity mentions of one article, grouped into canonical entities with stable ids.

Mentions come from the NER model (:mod:`nyhetsvakt.ner`) when one serves the article's
language, otherwise from runs of capitalised words typed by the gazetteer and the cue
words around them. Grouping is rule-based and explained by its evidence:

- the genitive is removed ("Putins" -> Putin, "USA:s" -> USA) when the bare form is a
  name the article or the gazetteer knows;
- titles are dropped ("Sir Jeremy Fleming" -> Jeremy Fleming);
- a surname alone joins the full name used in the same article ("Tokayev");
- an acronym joins the organisation it abbreviates ("CSTO");
- spellings are compared by a transliteration key (Lukasjenko = Lukashenko,
  Zelenskyj = Zelensky = Zelenskyy), and the alias file maps what no rule can see.

``entity_id`` depends only on the entity's type and key, so one entity gets one id in
every article; a person is keyed by surname (with its last vowel dropped, so that
Lukasjenka = Lukasjenko), which can merge two people who share a surname: the alias file
can pull them apart.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from .cues import Gazetteer, LanguageCues
from .text import NameSpan, fold, is_capitalised, name_spans, words

__all__ = ["Entity", "Mention", "build_entities", "entity_id_for", "translit_key"]

TYPES = ("PER", "ORG", "LOC", "MISC")
_GENITIVE_COLON = re.compile(r"[:'’]s$")
_RULES = (
    ("tsj", "ch"),
    ("sj", "sh"),
    ("zj", "zh"),
    ("kh", "h"),
    ("ph", "f"),
    ("w", "v"),
    ("x", "ks"),
    ("q", "k"),
)
_FINAL_Y = re.compile(r"(?:ij|yj|iy|yy|ii)$")
_DOUBLE = re.compile(r"(\w)\1+")


def translit_key(name: str) -> str:
    """A spelling-independent key: folded, transliteration variants mapped, doubles collapsed."""
    out = []
    for w in fold(name).split():
        for a, b in _RULES:
            w = w.replace(a, b)
        w = _FINAL_Y.sub("y", w).replace("j", "y")
        out.append(_DOUBLE.sub(r"\1", w))
    return " ".join(out)


def entity_id_for(etype: str, canonical: str, org_articles: frozenset[str] = frozenset({"the"})) -> str:
    """The id of an entity: a person by surname, a one-word name by that word, others by full key.

    The type is left out, so one name the model types PER in one article and ORG in another
    ("Lukashenko") still gets one id.
    """
    parts = translit_key(canonical).split()
    while len(parts) > 1 and parts[0] in org_articles:
        parts = parts[1:]
    if etype == "PER" or len(parts) == 1:
        basis = parts[-1] if parts else ""
        if len(basis) > 4:
            basis = basis.rstrip("aeiouy")
    else:
        basis = " ".join(parts)
    return "e" + hashlib.sha1(basis.encode()).hexdigest()[:12]


@dataclass
class Mention:
    block: int
    start: int
    end: int
    text: str
    type: str
    base: str  # title and genitive removed
    genitive: bool = False
    from_model: bool = True
    entity: Entity | None = None

    def as_dict(self) -> dict:
        assert self.entity is not None
        return {
            "text": self.text,
            "type": self.entity.type,
            "block": self.block,
            "start": self.start,
            "end": self.end,
            "entity_id": self.entity.entity_id,
            "canonical": self.entity.canonical,
        }


@dataclass
class Entity:
    canonical: str
    type: str
    entity_id: str
    variants: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)


def _strip_genitive(text: str, known: set[str], gaz: Gazetteer) -> tuple[str, bool]:
    if _GENITIVE_COLON.search(text):
        return text[:-2], True
    if len(text) > 3 and text.endswith("s") and not text.endswith("ss"):
        bare = text[:-1]
        last = fold(bare).split()[-1:] or [""]
        if fold(bare) in known or last[0] in known or gaz.alias(bare) or gaz.source_type(bare):
            return bare, True
    return text, False


def _strip_titles(text: str, cues: LanguageCues | None) -> str:
    if cues is None:
        return text
    toks = text.split()
    while len(toks) > 1 and (toks[0].lower().rstrip(".") in cues.titles or cues.person_role(toks[0])):
        toks = toks[1:]
    return " ".join(toks)


def fallback_spans(
    blocks: list[str], cues: LanguageCues | None, gaz: Gazetteer
) -> list[list[tuple[int, int, str]]]:
    """Name-like spans with a guessed type, for languages the NER model does not serve.

    A capitalised word that opens a sentence counts only when the article also writes it
    capitalised elsewhere, or the gazetteer knows it.
    """
    spans = [name_spans(text, gaz.connectors) for text in blocks]
    mid = Counter(fold(s.text) for bs in spans for s in bs if not s.sentence_initial)
    lower = {w.text for text in blocks for w in words(text) if w.text.islower()}
    out: list[list[tuple[int, int, str]]] = []
    for text, bs in zip(blocks, spans, strict=True):
        row = []
        for s in bs:
            if s.sentence_initial:
                s = _drop_plain_opener(text, s, lower, cues, gaz)
                if s is None:
                    continue
            key = fold(s.text)
            known = gaz.source_type(s.text) or gaz.alias(s.text)
            if s.sentence_initial and " " not in s.text and not known and not mid.get(key):
                bare = key[:-1] if key.endswith("s") else key
                if not mid.get(bare):
                    continue
            if cues and (s.text.lower() in cues.pronouns or s.text.lower() in cues.indefinite):
                continue
            row.append((s.start, s.end, _guess_type(text, s.start, s.text, cues, gaz)))
        out.append(row)
    return out


def _drop_plain_opener(
    text: str, s: NameSpan, lower: set[str], cues: LanguageCues | None, gaz: Gazetteer
) -> NameSpan | None:
    """Drop a sentence's first word from a name when it is an ordinary word ("Enligt Autostat")."""
    toks = words(text, s.start, s.end)
    first = toks[0].text.lower()
    plain = first in lower or (
        cues is not None and (cues.function_word(first) or cues.person_role(first) or cues.org_role(first))
    )
    if not plain or gaz.source_type(s.text) or gaz.alias(s.text):
        return s
    if len(toks) == 1:
        return None
    rest = toks[1:]
    while rest and not is_capitalised(rest[0].text):
        rest = rest[1:]
    if not rest:
        return None
    return NameSpan(rest[0].start, s.end, text[rest[0].start : s.end], False)


def _guess_type(text: str, start: int, name: str, cues: LanguageCues | None, gaz: Gazetteer) -> str:
    alias = gaz.alias(name)
    if alias:
        return alias[1]
    if gaz.source_type(name) or gaz.source_type(name.rstrip("s")):
        return "ORG"
    before = words(text, max(0, start - 40), start)
    prev = before[-1].text if before else ""
    if cues and prev and (cues.person_role(prev) or prev.lower().rstrip(".") in cues.titles):
        return "PER"
    if cues and prev and cues.org_role(prev):
        return "ORG"
    toks = name.split()
    if 2 <= len(toks) <= 3 and all(is_capitalised(t) for t in toks) and not any(c.isdigit() for c in name):
        return "PER"
    return "MISC"


def build_entities(
    blocks: list[str],
    spans: list[list[tuple[int, int, str]]],
    cues: LanguageCues | None,
    gaz: Gazetteer,
    *,
    from_model: bool,
) -> tuple[list[Mention], list[Entity]]:
    """Group the spans of one article into entities (see the module docstring)."""
    known = {fold(text[s:e]) for text, row in zip(blocks, spans, strict=True) for s, e, _ in row}
    known |= {k.split()[-1] for k in list(known) if k}
    mentions: list[Mention] = []
    for b, (text, row) in enumerate(zip(blocks, spans, strict=True)):
        for s, e, etype in row:
            surface = text[s:e]
            bare, gen = _strip_genitive(surface, known, gaz)
            base = _strip_titles(bare, cues) if etype in ("PER", "MISC") else bare
            mentions.append(Mention(b, s, e, surface, etype, base, gen, from_model))
    return mentions, _group(mentions, gaz)


def _group(mentions: list[Mention], gaz: Gazetteer) -> list[Entity]:
    groups: dict[str, list[Mention]] = {}
    canon_of: dict[str, tuple[str, str]] = {}
    for m in mentions:
        alias = gaz.alias(m.base)
        key = translit_key(alias[0] if alias else m.base)
        if alias:
            canon_of[key] = alias
        groups.setdefault(key, []).append(m)
    # A surname alone joins the one full name ending in it; an acronym its organisation.
    full = {k: ms for k, ms in groups.items() if " " in k}
    for key in [k for k in groups if " " not in k]:
        if key in canon_of:
            continue
        ms = groups[key]
        target = [k for k in full if k.split()[-1] == key and _majority(full[k]) == "PER"]
        if not target and ms[0].base.isupper() and len(key) >= 2:
            target = [k for k, v in full.items() if _initials(v[0].base) == ms[0].base]
        if len(target) == 1:
            full[target[0]].extend(ms)
            del groups[key]
    entities = []
    for key, ms in groups.items():
        alias = canon_of.get(key)
        etype = alias[1] if alias else _majority(ms)
        canonical = (
            alias[0] if alias else max((m.base for m in ms), key=lambda b: (len(b.split()), len(b), b))
        )
        ent = Entity(canonical, etype, entity_id_for(etype, canonical, gaz.org_articles))
        for m in ms:
            m.entity = ent
            ent.variants.add(m.base)
            ent.mentions.append(m)
        entities.append(ent)
    return entities


def _majority(ms: list[Mention]) -> str:
    if not ms[0].from_model:
        # Guessed types: the longest spelling was guessed with the most context.
        typed = [m for m in ms if m.type != "MISC"] or ms
        return max(typed, key=lambda m: len(m.base.split())).type
    counts = Counter(m.type for m in ms)
    return max(TYPES, key=lambda t: (counts.get(t, 0), -TYPES.index(t)))


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())
