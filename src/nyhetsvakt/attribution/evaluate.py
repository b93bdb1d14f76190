"""Scoring quotes, sources, claims and entity groups against a hand-made answer key.

The key (``gold/seeds.json`` for the seeds) names things in English ("unnamed Russian
officer", "Ukrainian sources") where the articles describe them in their own language.
:class:`Glosses` says which descriptions stand for such a name; it is evaluation data,
kept beside the tests, and never read by the extractor.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cues import Gazetteer, load_gazetteer
from .text import fold

__all__ = ["AttributionScores", "Glosses", "score"]

GOLD_STATUS = {
    "unverified": "unverified",
    "reported": "attributed",
    "claimed": "attributed",
    "assessed": "attributed",
    "hedged": "hedged",
    "denied": "denied",
    "asserted": "asserted",
}


@dataclass
class Glosses:
    # gold name -> descriptions (lower case) that stand for it
    names: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Glosses:
        data = tomllib.loads(path.read_text("utf-8"))
        return cls({k: [v.lower() for v in vs] for k, vs in data.get("names", {}).items()})


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("”", '"').replace("“", '"').split())


def _key(name: str, gaz: Gazetteer) -> str:
    alias = gaz.alias(name)
    return fold(alias[0] if alias else name)


def name_matches(gold: str, ours: str | None, gaz: Gazetteer, glosses: Glosses) -> bool:
    if not ours:
        return False
    if gold in glosses.names:
        low = ours.lower()
        return any(g in low for g in glosses.names[gold])
    a, b = _key(gold, gaz), _key(ours, gaz)
    if a == b:
        return True
    # "Tokayev" for "Kassym-Jomart Tokayev": the same surname and nothing contradicting it.
    return bool(a and b) and (a.split()[-1] == b.split()[-1]) and (a in b or b in a)


@dataclass
class AttributionScores:
    quote_precision: float
    quote_recall: float
    speaker_accuracy: float
    not_quotes_found: int
    source_recall: float
    claims_right: int
    claims_total: int
    conflicts_found: int
    conflicts_total: int
    entity_groups_merged: int
    entity_groups_total: int
    misses: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def score(
    articles: dict[str, dict], gold: dict, glosses: Glosses, gaz: Gazetteer | None = None
) -> AttributionScores:
    """Compare contract records (``to_contract()`` dicts by id) with the answer key."""
    gaz = gaz or load_gazetteer()
    misses: list[str] = []
    # Quotes: our direct quotes against the key's (which lists direct quotes only).
    ours = [(aid, q) for aid, a in articles.items() for q in a["quotes"] if q["kind"] == "direct"]
    matched_ours: set[int] = set()
    hits = speaker_ok = 0
    for g in gold["quotes"]:
        start = _norm(g["quote_starts"])
        found = None
        for n, (aid, q) in enumerate(ours):
            if aid == g["article"] and _norm(q["text"]).lstrip('"').startswith(start):
                found = n
                break
        if found is None:
            misses.append(f"quote not found: {g['article']} {start[:40]!r}")
            continue
        hits += 1
        matched_ours.add(found)
        q = ours[found][1]
        if name_matches(g["speaker"], q["speaker"], gaz, glosses):
            speaker_ok += 1
        else:
            misses.append(f"speaker: {g['article']} {start[:30]!r}: {q['speaker']!r} != {g['speaker']!r}")
    for n, (aid, q) in enumerate(ours):
        if n not in matched_ours:
            misses.append(f"extra quote: {aid} {q['text'][:40]!r} ({q['speaker']})")
    not_quotes = 0
    for nq in gold.get("not_quotes", []):
        text = _norm(nq["text"]).lstrip("-–— ")
        if any(aid == nq["article"] and _norm(q["text"]).startswith(text) for aid, q in ours):
            not_quotes += 1
            misses.append(f"not a quote, but found: {nq['article']} {text!r}")
    # Sources cited per article.
    src_hits = src_total = 0
    for aid, names in gold["sources_cited"].items():
        cited = [s["canonical"] for s in articles.get(aid, {}).get("sources", [])]
        for name in names:
            src_total += 1
            if any(name_matches(name, c, gaz, glosses) for c in cited):
                src_hits += 1
            else:
                misses.append(f"source not cited: {aid} {name!r}")
    # Claims: value, source (and via) and status.
    right = conflicts = conflicts_total = 0
    for g in gold["claims"]:
        claims = articles.get(g["article"], {}).get("claims", [])
        text = _norm(g["text_contains"])
        cands = [c for c in claims if text in _norm(c["text"]) and c["value"] == g["value"]]
        primary, _, via = g["source"].partition(" via ")
        ok = [
            c
            for c in cands
            if name_matches(primary, c["source"], gaz, glosses)
            and (not via or name_matches(via, c.get("via"), gaz, glosses))
            and c["status"] == GOLD_STATUS.get(g["status"], g["status"])
        ]
        if ok:
            right += 1
        else:
            misses.append(
                f"claim: {g['article']} {text!r}: "
                + (
                    ", ".join(
                        f"{c['value']} {c['source']!r} via {c.get('via')!r} {c['status']}" for c in cands
                    )
                    or "no candidate"
                )
            )
        if g.get("conflicts_with"):
            conflicts_total += 1
            if any(c["conflicts_with"] for c in (ok or cands)):
                conflicts += 1
            else:
                misses.append(f"conflict not linked: {g['article']} {text!r}")
    # Entity groups: every variant seen in the named articles carries one entity_id.
    merged = 0
    for g in gold["entities"]:
        variants = {fold(v) for v in g["variants"]}
        ids = {
            e["entity_id"]
            for aid in g["seen_in"]
            for e in articles.get(aid, {}).get("entities", [])
            if fold(e["text"]) in variants
        }
        if len(ids) == 1:
            merged += 1
        else:
            misses.append(f"entity group split: {g['canonical']}: {len(ids)} ids")
    n_ours = len(ours)
    return AttributionScores(
        quote_precision=len(matched_ours) / n_ours if n_ours else 0.0,
        quote_recall=hits / len(gold["quotes"]) if gold["quotes"] else 0.0,
        speaker_accuracy=speaker_ok / hits if hits else 0.0,
        not_quotes_found=not_quotes,
        source_recall=src_hits / src_total if src_total else 0.0,
        claims_right=right,
        claims_total=len(gold["claims"]),
        conflicts_found=conflicts,
        conflicts_total=conflicts_total,
        entity_groups_merged=merged,
        entity_groups_total=len(gold["entities"]),
        misses=misses,
    )
