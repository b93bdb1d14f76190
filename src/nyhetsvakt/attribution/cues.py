"""Cue words compiled from the language packs, and the language-independent name data.

:func:`cues_for` turns a pack's ``[attribution]`` and ``[claims]`` tables into regular
expressions and lookup tables once per language. :class:`Gazetteer` holds the known
sources with their types (``data/sources.toml``) and the alias file
(``data/aliases.toml``, extended by the user's own file).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

from ..errors import NyhetsvaktError
from ..langpacks import load_pack
from .text import fold

__all__ = ["ClaimCues", "Gazetteer", "LanguageCues", "cues_for", "load_gazetteer"]

ALIASES_ENV = "NYHETSVAKT_ALIASES"


def _alternation(phrases: list[str]) -> str:
    ordered = sorted({p.lower() for p in phrases if p}, key=lambda p: (-len(p), p))
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered) or r"(?!x)x"


def _words_re(phrases: list[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{_alternation(phrases)})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class ClaimCues:
    approximate: re.Pattern[str]
    at_least: re.Pattern[str]
    at_most: re.Pattern[str]
    vague: dict[str, float]
    scale: dict[str, float]
    units: dict[str, str]
    hedged: re.Pattern[str]
    unverified: re.Pattern[str]
    denied: re.Pattern[str]
    not_units: frozenset[str]
    not_unit_endings: tuple[str, ...]
    adjective_endings: tuple[str, ...]


@dataclass(frozen=True)
class LanguageCues:
    code: str
    speech: re.Pattern[str]
    say: frozenset[str]
    report: re.Pattern[str]
    according_to: re.Pattern[str]
    that: frozenset[str]
    pronouns: frozenset[str]
    indefinite: frozenset[str]
    titles: frozenset[str]
    medium_prepositions: frozenset[str]
    medium_posts: re.Pattern[str]
    person_roles: dict[str, str]  # form -> base
    org_roles: tuple[tuple[str, str], ...]  # (ending, kind), longest ending first
    unnamed_nouns: frozenset[str]
    determiners: frozenset[str]
    prepositions: frozenset[str]
    publication_nouns: frozenset[str]
    claims: ClaimCues
    speech_words: frozenset[str] = field(default=frozenset())
    that_re: re.Pattern[str] | None = None
    _org_role_cache: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def person_role(self, word: str) -> str | None:
        return self.person_roles.get(word.lower())

    def bare_role(self, word: str) -> bool:
        """A role noun in its bare form ("chef", "president"): a title, not a referent."""
        return self.person_roles.get(word.lower()) == word.lower()

    @cached_property
    def np_stop(self) -> frozenset[str]:
        """Words a noun phrase never runs across ("att", "till", "sa", "på", "procent")."""
        return (self.that | self.medium_prepositions | self.speech_words | self.prepositions
                | self.claims.not_units)

    def function_word(self, word: str) -> bool:
        w = word.lower()
        return (
            w in self.prepositions
            or w in self.determiners
            or w in self.indefinite
            or w in self.that
            or w in self.speech_words
            or w in self.pronouns
            or w in self.medium_prepositions
        )

    def org_role(self, word: str) -> str | None:
        """The organisation kind a word ends in ("affärstidningen" -> outlet), or None."""
        w = word.lower()
        try:
            return self._org_role_cache[w]
        except KeyError:
            pass
        found = None
        for ending, kind in self.org_roles:
            if w.endswith(ending) and (len(w) == len(ending) or len(w) - len(ending) >= 3):
                found = kind
                break
        if len(self._org_role_cache) > 1 << 16:
            self._org_role_cache.clear()
        self._org_role_cache[w] = found
        return found


@cache
def cues_for(code: str) -> LanguageCues | None:
    """Compiled cues for a language, or None when its pack has no ``[attribution]`` table."""
    try:
        pack = load_pack(code)
    except KeyError:
        return None
    att = pack.extra.get("attribution")
    cl = pack.extra.get("claims")
    if not att or not cl:
        return None
    person_roles = {
        form.lower(): base for base, forms in att.get("person_roles", {}).items() for form in forms
    }
    org_roles = sorted(
        ((e.lower(), kind) for kind, ends in att.get("org_roles", {}).items() for e in ends),
        key=lambda x: -len(x[0]),
    )
    status = cl.get("status", {})
    claims = ClaimCues(
        approximate=_words_re(cl.get("approximate", [])),
        at_least=_words_re(cl.get("at_least", [])),
        at_most=_words_re(cl.get("at_most", [])),
        vague={w.lower(): float(v) for v, ws in cl.get("vague", {}).items() for w in ws},
        scale={w.lower(): float(v) for v, ws in cl.get("scale", {}).items() for w in ws},
        units={w.lower(): unit for unit, ws in cl.get("units", {}).items() for w in ws},
        hedged=_words_re(status.get("hedged", [])),
        unverified=_words_re(status.get("unverified", [])),
        denied=_words_re(status.get("denied", [])),
        not_units=frozenset(w.lower() for w in cl.get("not_units", [])),
        not_unit_endings=tuple(cl.get("not_unit_endings", [])),
        adjective_endings=tuple(cl.get("adjective_endings", [])),
    )
    speech = att.get("speech_verbs", [])
    return LanguageCues(
        code=code,
        speech=_words_re(speech),
        say=frozenset(w.lower() for w in att.get("say_verbs", [])),
        report=_words_re(att.get("report_verbs", [])),
        according_to=_words_re(att.get("according_to", [])),
        that=frozenset(w.lower() for w in att.get("that", [])),
        pronouns=frozenset(w.lower() for w in att.get("person_pronouns", [])),
        indefinite=frozenset(w.lower() for w in att.get("indefinite_articles", [])),
        titles=frozenset(w.lower() for w in att.get("titles", [])),
        medium_prepositions=frozenset(w.lower() for w in att.get("medium_prepositions", [])),
        medium_posts=_words_re(att.get("medium_posts", [])),
        person_roles=person_roles,
        org_roles=tuple(org_roles),
        unnamed_nouns=frozenset(w.lower() for w in att.get("unnamed_sources", {}).get("nouns", [])),
        determiners=frozenset(w.lower() for w in att.get("determiners", [])),
        prepositions=frozenset(w.lower() for w in att.get("prepositions", [])),
        publication_nouns=frozenset(w.lower() for w in att.get("publication_nouns", [])),
        claims=claims,
        speech_words=frozenset(w.lower() for w in speech),
        that_re=re.compile(r"\s*(?:\S+\s+){0,3}?(" + "|".join(map(re.escape, att.get("that", []))) + r")\s")
        if att.get("that") else None,
    )


@dataclass
class Gazetteer:
    """Known source names with their types, and aliases: variant key -> (canonical, type)."""

    source_types: dict[str, str]
    aliases: dict[str, tuple[str, str]]
    connectors: frozenset[str]
    org_articles: frozenset[str]

    def source_type(self, name: str) -> str | None:
        return self.source_types.get(fold(name)) if name[:1].isupper() or not name[:1].isalpha() else None

    def alias(self, name: str) -> tuple[str, str] | None:
        return self.aliases.get(fold(name))


def _read_toml(path: Path | None, name: str) -> dict:
    if path is None:
        return tomllib.loads(resources.files(__package__).joinpath("data", name).read_text("utf-8"))
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise NyhetsvaktError(f"{path}: cannot read alias file: {exc}") from exc


@cache
def load_gazetteer(user_aliases: str | None = None) -> Gazetteer:
    """The bundled source list and aliases, plus the user's alias file (which wins).

    ``user_aliases`` defaults to the path in ``NYHETSVAKT_ALIASES``; the file has the same
    shape as ``data/aliases.toml`` (``[PER] "Canonical" = ["variant", …]``).
    """
    sources = _read_toml(None, "sources.toml")
    source_types = {fold(n): kind for kind, table in sources.items() for n in table.get("names", [])}
    names = _read_toml(None, "names.toml")
    aliases: dict[str, tuple[str, str]] = {}
    tables = [_read_toml(None, "aliases.toml")]
    path = user_aliases or os.environ.get(ALIASES_ENV)
    if path:
        tables.append(_read_toml(Path(path), ""))
    for table in tables:
        for etype, entries in table.items():
            if etype not in ("PER", "ORG", "LOC", "MISC") or not isinstance(entries, dict):
                raise NyhetsvaktError(
                    f"alias file: unknown entity type table [{etype}] (use PER, ORG, LOC, MISC)"
                )
            for canonical, variants in entries.items():
                for v in [canonical, *variants]:
                    aliases[fold(v)] = (canonical, etype)
    return Gazetteer(
        source_types,
        aliases,
        frozenset(names.get("connectors", [])),
        frozenset(names.get("org_articles", [])),
    )
