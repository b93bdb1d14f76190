"""Who is who so far in an article: the referents pronouns and role nouns point back to.

:class:`Discourse` is read block by block. It remembers the last person named or
described, the person behind each title ("president Kassym-Jomart Tokayev" makes
"presidenten" point to him), the first description of each unnamed role ("en rysk
officer" makes "officeren" and a later "han" point to it), the last organisation of
each kind ("tidningen" points to the last news outlet, "företaget" to the last company),
and a speaker announced in a line of its own ("ISW förklarar.").

:func:`parse_np` reads a noun phrase at a position (a name, a role noun with its
modifiers, a pronoun or an unnamed-source noun) and resolves it against the discourse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cues import Gazetteer, LanguageCues
from .entities import Mention, entity_id_for
from .text import Word, fold, is_capitalised, words

__all__ = ["NP", "Discourse", "Ref", "parse_np"]

ROLE_SOURCE_TYPES = {
    "outlet": "news_outlet",
    "agency": "news_agency",
    "company": "company",
    "think_tank": "think_tank",
    "government": "government",
    "organisation": "organisation",
}
GAZ_ORG_KIND = {
    "news_outlet": "outlet",
    "news_agency": "agency",
    "think_tank": "think_tank",
    "government": "government",
    "organisation": "organisation",
    "social_media": "platform",
}
_GEN = re.compile(r"[:'’]s$")
_STOP_PUNCT = re.compile(r"[,.;:!?()\[\]\"“”«»]")


@dataclass(frozen=True)
class Ref:
    """A person or organisation as the article refers to it."""

    name: str
    entity_id: str | None
    kind: str  # "person" | "org" | "place"
    source_type: str  # person, news_outlet, news_agency, company, government, … , unnamed
    named: bool

    @property
    def org_kind(self) -> str | None:
        if self.kind != "org":
            return None
        for kind, st in ROLE_SOURCE_TYPES.items():
            if st == self.source_type:
                return kind
        return GAZ_ORG_KIND.get(self.source_type)


@dataclass(frozen=True)
class NP:
    start: int
    end: int
    text: str
    head: str  # name | role | title | org_role | pronoun | unnamed
    ref: Ref | None
    indefinite: bool = False


@dataclass
class Discourse:
    cues: LanguageCues
    gaz: Gazetteer
    person: Ref | None = None
    speaker: Ref | None = None
    pending: tuple[Ref, str] | None = None
    titled: dict[str, Ref] = field(default_factory=dict)
    described: dict[str, Ref] = field(default_factory=dict)
    orgs: dict[str, Ref] = field(default_factory=dict)
    lowercase_words: frozenset[str] = frozenset()

    def note(self, ref: Ref | None) -> None:
        """``ref`` was just mentioned: it is now what a pronoun or role noun of its kind means."""
        if ref is None:
            return
        if ref.kind == "person":
            self.person = ref
        elif ref.kind == "org" and ref.org_kind:
            self.orgs[ref.org_kind] = ref
            if ref.org_kind in ("outlet", "agency"):
                self.orgs.setdefault("outlet_or_agency", ref)
                self.orgs["outlet_or_agency"] = ref

    def read(
        self,
        text: str,
        mentions: list[Mention],
        start: int = 0,
        end: int | None = None,
        ws: list[Word] | None = None,
    ) -> None:
        """Take in the names, titles and descriptions of ``text[start:end]`` (not quoted speech).

        ``ws``: the words of that span when the caller has them already.
        """
        end = len(text) if end is None else end
        ws = words(text, start, end) if ws is None else ws
        i = 0
        while i < len(ws):
            np = parse_np(self, text, mentions, ws, i, end)
            if np is None:
                i += 1
                continue
            if np.head == "title":
                # "Kyrylo Budanov, chef för …": the title of the person just named.
                role = self.cues.person_role(text[np.start : np.end].split()[-1])
                if role and self.person is not None and text[: np.start].rstrip().endswith(","):
                    self.titled[role] = self.person
            elif np.ref is not None and np.head != "pronoun" and not _is_genitive(np, mentions):
                self.note(np.ref)
            i = _index_after(ws, np.end, i)


def _is_genitive(np: NP, mentions: list[Mention]) -> bool:
    return np.head == "name" and any(np.start <= m.start < np.end and m.genitive for m in mentions)


def _index_after(ws: list[Word], end: int, i: int) -> int:
    j = i + 1
    while j < len(ws) and ws[j].start < end:
        j += 1
    return j


def _mention_at(mentions: list[Mention], pos: int) -> Mention | None:
    for m in mentions:
        if m.start <= pos < m.end:
            return m
    return None


def _ref_for_name(d: Discourse, name: str, mention: Mention | None, role_kind: str | None) -> Ref:
    gaz_type = d.gaz.source_type(name) or (d.gaz.source_type(mention.base) if mention else None)
    if mention is not None and mention.entity is not None:
        ent = mention.entity
        canonical, eid, etype = ent.canonical, ent.entity_id, ent.type
        gaz_type = gaz_type or d.gaz.source_type(canonical)
    else:
        alias = d.gaz.alias(name)
        canonical = alias[0] if alias else name
        etype = alias[1] if alias else ("ORG" if gaz_type or role_kind else "PER")
        eid = entity_id_for(etype, canonical, d.gaz.org_articles)
    if etype == "PER" and not gaz_type and not role_kind:
        return Ref(canonical, eid, "person", "person", True)
    stype = gaz_type or (ROLE_SOURCE_TYPES.get(role_kind) if role_kind else None)
    if stype is None and etype == "LOC":
        return Ref(canonical, eid, "place", "government", True)  # "Ukraina uppger": its government
    return Ref(canonical, eid, "org", stype or "organisation", True)


def _name_end(text: str, ws: list[Word], i: int, limit: int, connectors: frozenset[str]) -> int:
    """Index after the capitalised run starting at word ``i`` ("The Moscow Times")."""
    j = i + 1
    while j < len(ws) and ws[j].end <= limit:
        gap = text[ws[j - 1].end : ws[j].start]
        if gap.strip() not in ("", "&"):
            break
        if is_capitalised(ws[j].text):
            j += 1
        elif ws[j].lower in connectors and j + 1 < len(ws) and is_capitalised(ws[j + 1].text):
            j += 2
        else:
            break
    return j


def _lowercase_brand_end(text: str, ws: list[Word], i: int, limit: int) -> int | None:
    """A lower-case name joined by "&" ("jem & fix"): index after it, or None."""
    j = i
    seen_amp = False
    while j < len(ws) and j < i + 5 and ws[j].end <= limit:
        if j > i and _STOP_PUNCT.search(text[ws[j - 1].end : ws[j].start]):
            break
        if ws[j].text == "&":
            seen_amp = True
        elif seen_amp:
            return j + 1
        j += 1
    return None


def parse_np(
    d: Discourse,
    text: str,
    mentions: list[Mention],
    ws: list[Word],
    i: int,
    limit: int,
    *,
    max_modifiers: int = 3,
    first: int | None = None,
    open_head: bool = False,
) -> NP | None:
    """The noun phrase starting at word ``i`` (within ``limit``), resolved, or None.

    A possessor before a role noun belongs to the description ("Kazakstans diktator");
    ``first`` is then where the phrase began.
    """
    cues = d.cues
    stop = cues.np_stop
    mods = 0
    first = i if first is None else first
    indefinite = False
    while i < len(ws) and ws[i].end <= limit:
        if i > first and _STOP_PUNCT.search(text[ws[i - 1].end : ws[i].start]):
            return None
        w = ws[i]
        lw = w.lower
        m = _mention_at(mentions, w.start)
        if m is not None:
            after = _index_after(ws, m.end, i)
            if after < len(ws) and ws[after].end <= limit and ws[after].lower in cues.unnamed_nouns:
                return _unnamed(text, ws, first, after, cues, indefinite)
            if (m.genitive or m.text.endswith("s")) and _role_at(cues, ws, after, limit, text):
                owner = _known_owner(d, m.base, cues, ws[after].text)
                if owner is not None:
                    return NP(
                        ws[first].start, ws[after].end, text[ws[first].start : ws[after].end], "name", owner
                    )
                return parse_np(d, text, mentions, ws, after, limit, max_modifiers=0, first=first)
            role_kind = cues.org_role(ws[i - 1].text) if i > first else None
            name = m.base
            return NP(
                ws[first].start,
                m.end,
                text[ws[first].start : m.end],
                "name",
                _ref_for_name(d, name, m, role_kind),
                indefinite,
            )
        if lw in cues.pronouns and i == first:
            return NP(w.start, w.end, w.text, "pronoun", d.person)
        known = d.gaz.source_type(w.text) or d.gaz.alias(w.text) or d.gaz.source_type(_strip_gen(w.text))
        if is_capitalised(w.text) and (known or not _initial(text, w.start)):
            j = _name_end(text, ws, i, limit, d.gaz.connectors)
            name = text[w.start : ws[j - 1].end]
            if j < len(ws) and ws[j].end <= limit and ws[j].lower in cues.unnamed_nouns:
                return _unnamed(text, ws, first, j, cues, indefinite)
            if name.endswith("s") and _role_at(cues, ws, j, limit, text):
                owner = _known_owner(
                    d, _strip_gen(name) if _strip_gen(name) != name else name[:-1], cues, ws[j].text
                )
                if owner is not None:
                    return NP(ws[first].start, ws[j].end, text[ws[first].start : ws[j].end], "name", owner)
                return parse_np(d, text, mentions, ws, j, limit, max_modifiers=0, first=first)
            role_kind = cues.org_role(ws[i - 1].text) if i > first else None
            return NP(
                ws[first].start,
                ws[j - 1].end,
                text[ws[first].start : ws[j - 1].end],
                "name",
                _ref_for_name(d, _strip_gen(name), None, role_kind),
                indefinite,
            )
        role = cues.person_role(lw)
        org_kind = None if role else cues.org_role(lw)
        if role or org_kind:
            nxt = i + 1
            if nxt < len(ws) and ws[nxt].end <= limit and not _STOP_PUNCT.search(text[w.end : ws[nxt].start]):
                if is_capitalised(ws[nxt].text) or _mention_at(mentions, ws[nxt].start):
                    inner = parse_np(d, text, mentions, ws, nxt, limit, max_modifiers=0)
                    if inner is not None and inner.head == "name":
                        if role and inner.ref is not None and inner.ref.kind == "person":
                            d.titled[role] = inner.ref
                        return NP(
                            ws[first].start,
                            inner.end,
                            text[ws[first].start : inner.end],
                            "name",
                            inner.ref,
                            indefinite,
                        )
                    if inner is not None and inner.head in ("role", "org_role") and inner.ref is not None:
                        return NP(
                            ws[first].start,
                            inner.end,
                            text[ws[first].start : inner.end],
                            inner.head,
                            inner.ref,
                            indefinite,
                        )
                brand = _lowercase_brand_end(text, ws, nxt, limit) if org_kind else None
                if brand is not None:
                    name = text[ws[nxt].start : ws[brand - 1].end]
                    ref = Ref(name, entity_id_for("ORG", name), "org", ROLE_SOURCE_TYPES[org_kind], True)
                    return NP(
                        ws[first].start,
                        ws[brand - 1].end,
                        text[ws[first].start : ws[brand - 1].end],
                        "name",
                        ref,
                        indefinite,
                    )
            if not _np_opening(ws, first, i, cues):
                first, indefinite = i, False  # "representera företaget": the phrase is the noun alone
            desc = _description(text, ws, first, i, cues)
            if role and cues.bare_role(lw) and not indefinite and not _has_possessor(ws, first, i):
                ref = d.titled.get(role)
                return NP(ws[first].start, w.end, text[ws[first].start : w.end], "title", ref)
            if role:
                ref = (
                    None
                    if indefinite or _has_possessor(ws, first, i)
                    else (d.titled.get(role) or d.described.get(role))
                )
                if ref is None:
                    ref = Ref(desc, None, "person", "person", False)
                    d.described.setdefault(role, ref)
                return NP(ws[first].start, w.end, text[ws[first].start : w.end], "role", ref, indefinite)
            assert org_kind is not None
            anaphoric = not indefinite and all(x.lower in cues.determiners for x in ws[first:i])
            ref = d.orgs.get(org_kind) if anaphoric else None
            if ref is None:
                ref = Ref(desc, None, "org", ROLE_SOURCE_TYPES[org_kind], False)
            return NP(ws[first].start, w.end, text[ws[first].start : w.end], "org_role", ref, indefinite)
        if lw in cues.unnamed_nouns:
            desc = _description(text, ws, first, i, cues)
            return NP(
                ws[first].start,
                w.end,
                text[ws[first].start : w.end],
                "unnamed",
                Ref(desc, None, "org", "unnamed", False),
                indefinite,
            )
        if open_head and indefinite and (lw in stop or _ends_phrase(text, ws, i, limit)):
            # "säger en ekonom på banken", "siger en af soldaterne": in a quote's tail an
            # indefinite phrase is the speaker even when its noun is no known role.
            np = _open_description(text, ws, first, i, limit, cues, stop)
            if np is not None:
                return np
        if lw in stop or mods >= max_modifiers or not (w.text[:1].islower() or _initial(text, w.start)):
            return None
        if lw in cues.indefinite:
            indefinite = True
        mods += 1
        i += 1
    return None


def _role_at(cues: LanguageCues, ws: list[Word], j: int, limit: int, text: str) -> bool:
    if j >= len(ws) or ws[j].end > limit or _STOP_PUNCT.search(text[ws[j - 1].end : ws[j].start]):
        return False
    w = ws[j].lower
    return bool(ws[j].text[:1].islower() and (cues.person_role(w) or cues.org_role(w)))


def _ends_phrase(text: str, ws: list[Word], i: int, limit: int) -> bool:
    """Is word ``i`` the last before punctuation or the limit?"""
    return (
        i + 1 >= len(ws)
        or ws[i + 1].end > limit
        or bool(_STOP_PUNCT.search(text[ws[i].end : ws[i + 1].start]))
    )


def _open_description(
    text: str, ws: list[Word], first: int, i: int, limit: int, cues: LanguageCues, stop: frozenset[str]
) -> NP | None:
    """An indefinite description ending at word ``i`` (or, partitive, "en af soldaterne")."""
    w = ws[i]
    end = i
    if w.lower in cues.prepositions and i == first + 1 and i + 1 < len(ws) and ws[i + 1].end <= limit:
        end = i + 1  # "en af soldaterne", "ein av soldatane", "one of the soldiers"
        if ws[end].lower in cues.determiners and end + 1 < len(ws) and ws[end + 1].end <= limit:
            end += 1
    elif w.lower in stop:
        end = i - 1
    if end <= first or not ws[end].text[:1].islower():
        return None
    partitive = end > i - 1 and w.lower in cues.prepositions
    desc = (
        text[ws[first].start : ws[end].end].lower() if partitive else _description(text, ws, first, end, cues)
    )
    return NP(
        ws[first].start,
        ws[end].end,
        text[ws[first].start : ws[end].end],
        "role",
        Ref(desc, None, "person", "person", False),
        True,
    )


def _unnamed(text: str, ws: list[Word], first: int, head: int, cues: LanguageCues, indefinite: bool) -> NP:
    """ "Ukrainian sources" (English capitalises the adjective): sources nobody names."""
    words_ = [x.text.lower() for x in ws[first : head + 1] if x.lower not in cues.determiners]
    return NP(
        ws[first].start,
        ws[head].end,
        text[ws[first].start : ws[head].end],
        "unnamed",
        Ref(" ".join(words_), None, "org", "unnamed", False),
        indefinite,
    )


def _initial(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in '.!?…:;"“”«»–—-'


def _plain_word(d: Discourse, lw: str) -> bool:
    """A capitalised sentence opener that is an ordinary word (a cue, role or function word)."""
    c = d.cues
    return bool(
        c.function_word(lw)
        or c.person_role(lw)
        or c.org_role(lw)
        or lw in c.unnamed_nouns
        or lw in d.lowercase_words
    )


def _known_owner(d: Discourse, owner: str, cues: LanguageCues, role_word: str) -> Ref | None:
    """ "RIA-Novostis nyhetsbyrå" is RIA Novosti: a known outlet or agency owning an outlet noun."""
    kind = cues.org_role(role_word)
    stype = d.gaz.source_type(owner)
    if kind in ("outlet", "agency") and stype:
        alias = d.gaz.alias(owner)
        name = alias[0] if alias else owner
        return Ref(name, entity_id_for("ORG", name, d.gaz.org_articles), "org", stype, True)
    return None


def _np_opening(ws: list[Word], first: int, i: int, cues: LanguageCues) -> bool:
    """Do the words before a role noun belong to its phrase (a determiner, an article or a possessor)?"""
    if first == i:
        return True
    w = ws[first]
    adjectives = cues.claims.adjective_endings
    return (
        w.lower in cues.determiners
        or w.lower in cues.indefinite
        or w.text[:1].isupper()
        or (bool(adjectives) and all(x.lower.endswith(adjectives) for x in ws[first:i]))
    )


def _has_possessor(ws: list[Word], first: int, i: int) -> bool:
    return i > first and ws[i - 1].text[:1].isupper()


def _strip_gen(name: str) -> str:
    return name[:-2] if _GEN.search(name) else name


def _description(text: str, ws: list[Word], first: int, head: int, cues: LanguageCues) -> str:
    """The words of a description without leading determiners ("ukrainska källor")."""
    k = first
    while k < head and ws[k].lower in cues.determiners | cues.indefinite:
        k += 1
    return " ".join(w.text for w in ws[k : head + 1]).lower() if k <= head else ws[head].lower


def same_ref(a: Ref | None, b: Ref | None) -> bool:
    if a is None or b is None:
        return False
    if a.entity_id and b.entity_id:
        return a.entity_id == b.entity_id
    return fold(a.name) == fold(b.name)
