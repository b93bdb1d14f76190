"""The story record: what a user sees of a story, built from its articles.

:func:`build_story_record` is a pure function of the story id and its member articles
(as the store holds them), so a record can be rebuilt whenever a member changes or the
enrichment steps fill more fields.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from ..records import Article
from ..search.analyzer import analyze
from .features import StoryFeatures, features_of, name_key

__all__ = ["build_story_record"]

STORY_SCHEMA = "nyhetsvakt.story/1"
# Entities listed as key entities of a story, and members compared for the central headline
# (the earliest ones: a story's title should not wander with its latest articles).
KEY_ENTITIES = 15
CENTRAL_SAMPLE = 200
# Two values of one claim conflict when they differ by more than this share of the larger.
CONFLICT_TOLERANCE = 0.1
# Families that say what a headline is about, across languages (for the central headline).
_CENTRAL_FAMILIES = ("grams", "entities", "numbers")


def build_story_record(story_id: str, articles: list[Article],
                       known: Mapping[str, StoryFeatures] | None = None) -> dict[str, Any]:
    """The story record of ``articles`` (any order); ``known`` features (by article id, as the
    assigner computed them) are reused rather than computed again.

    Fields: ``id``, ``title`` (the headline of the most central article: the one most
    similar to the others), ``first_seen``/``last_seen``, ``articles`` (ids by date,
    undated last), ``languages`` and ``outlets`` (article counts), ``key_entities``,
    ``sources_cited``, ``quotes``, ``claims`` and ``conflicts`` (one claim counted with
    different values by different sources), ``timeline`` (per day: articles, languages,
    outlets; undated articles counted apart).
    """
    ordered = sorted(articles, key=lambda a: (_day(a) is None, _day(a) or date.min, a.id))
    known = known or {}
    features = [known.get(a.id) or features_of(a) for a in ordered]
    days = [d for d in (_day(a) for a in ordered) if d is not None]
    claims = _claims(ordered)
    return {
        "schema": STORY_SCHEMA,
        "id": story_id,
        "title": _title(ordered, features),
        "first_seen": min(days).isoformat() if days else None,
        "last_seen": max(days).isoformat() if days else None,
        "articles": [a.id for a in ordered],
        "size": len(ordered),
        "languages": _counts(a.language for a in ordered),
        "outlets": _counts(a.outlet for a in ordered),
        "key_entities": _key_entities(ordered, features),
        "sources_cited": _sources(ordered),
        "quotes": _quotes(ordered),
        "claims": claims,
        "conflicts": _conflicts(claims),
        "timeline": _timeline(ordered),
    }


def _day(a: Article) -> date | None:
    return a.published or a.listed or a.updated


def _counts(values: Any) -> dict[str, int]:
    counts = Counter(v for v in values if v)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _title(articles: list[Article], features: list[StoryFeatures]) -> str | None:
    """The headline of the article with the highest summed cosine to the others."""
    with_headline = [i for i, a in enumerate(articles) if a.headline][:CENTRAL_SAMPLE]
    if not with_headline:
        return None
    if len(with_headline) <= 2:
        return articles[with_headline[0]].headline
    vectors = []
    df: Counter[str] = Counter()
    for i in with_headline:
        f = features[i]
        keys: Counter[str] = Counter()
        for family in _CENTRAL_FAMILIES:
            for key, count in f.family(family).items():
                keys[f"{family}:{name_key(key) if family == 'entities' else key}"] += count
        vectors.append(keys)
        df.update(keys.keys())
    n = len(vectors)
    weighted = []
    for keys in vectors:
        vec = {k: (1 + math.log(c)) * math.log1p(n / df[k]) for k, c in keys.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        weighted.append({k: v / norm for k, v in vec.items()})
    best, best_score = with_headline[0], -1.0
    for pos, i in enumerate(with_headline):
        mine = weighted[pos]
        total = sum(sum(v * other.get(k, 0.0) for k, v in mine.items())
                    for j, other in enumerate(weighted) if j != pos)
        if total > best_score + 1e-12:
            best, best_score = i, total
    return articles[best].headline


def _key_entities(articles: list[Article], features: list[StoryFeatures]) -> list[dict[str, Any]]:
    """Entities by the number of articles naming them: the NER's canonical entities where
    articles have them, else name-like words (``type`` None, ``origin`` ``text``)."""
    seen: dict[str, dict[str, Any]] = {}
    in_articles: Counter[str] = Counter()
    for a, f in zip(articles, features, strict=True):
        keys_here: set[str] = set()
        if a.entities:
            for e in a.entities:
                name = e.get("canonical") or e.get("text")
                if not name:
                    continue
                key = str(e.get("entity_id") or " ".join(name_key(w) for w in name.split()))
                seen.setdefault(key, {"name": name, "type": e.get("type"), "entity_id": e.get("entity_id"),
                                      "origin": "ner"})
                keys_here.add(key)
        else:
            for word in f.entities:
                key = name_key(word)
                seen.setdefault(key, {"name": word, "type": None, "entity_id": None, "origin": "text"})
                keys_here.add(key)
        in_articles.update(keys_here)
    top = sorted(in_articles.items(), key=lambda kv: (-kv[1], seen[kv[0]]["name"]))[:KEY_ENTITIES]
    return [{**seen[key], "articles": n} for key, n in top]


def _sources(articles: list[Article]) -> list[dict[str, Any]]:
    by: dict[str, dict[str, Any]] = {}
    for a in articles:
        for s in a.sources:
            name = s.get("canonical") or s.get("name")
            if not name:
                continue
            entry = by.setdefault(name, {"name": name, "type": s.get("type"), "articles": []})
            if a.id not in entry["articles"]:
                entry["articles"].append(a.id)
    return sorted(by.values(), key=lambda e: (-len(e["articles"]), e["name"]))


def _quotes(articles: list[Article]) -> list[dict[str, Any]]:
    """Each quote once (same words, any punctuation), with every article carrying it."""
    by: dict[str, dict[str, Any]] = {}
    for a in articles:
        for q in a.quotes:
            text = q.get("text") or ""
            key = " ".join(analyze(text, None))
            if not key:
                continue
            entry = by.setdefault(key, {"text": text, "speaker": q.get("speaker"), "kind": q.get("kind"),
                                        "medium": q.get("medium"), "articles": []})
            if a.id not in entry["articles"]:
                entry["articles"].append(a.id)
    return list(by.values())


def _claims(articles: list[Article]) -> list[dict[str, Any]]:
    out = []
    for a in articles:
        for c in a.claims:
            out.append({"article": a.id, "text": c.get("text"), "value": c.get("value"),
                        "unit": c.get("unit"), "source": c.get("source"), "status": c.get("status")})
    return out


def _conflicts(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims of one unit (the thing counted) whose values differ, from different sources."""
    by_unit: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in claims:
        if isinstance(c["value"], (int, float)) and not isinstance(c["value"], bool) and c.get("unit"):
            by_unit[" ".join(analyze(str(c["unit"]), None))].append(c)
    out = []
    for unit, group in by_unit.items():
        if any(_differ(a, b) for i, a in enumerate(group) for b in group[i + 1 :]):
            out.append({"unit": group[0]["unit"], "key": unit, "values": [
                {"value": c["value"], "source": c.get("source"), "article": c["article"],
                 "status": c.get("status")} for c in group]})
    return out


def _differ(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two claims conflict: different sources, values apart by more than the tolerance."""
    if str(a.get("source") or "").strip().lower() == str(b.get("source") or "").strip().lower():
        return False
    x, y = float(a["value"]), float(b["value"])
    high = max(abs(x), abs(y))
    return high > 0 and abs(x - y) / high > CONFLICT_TOLERANCE


def _timeline(articles: list[Article]) -> dict[str, Any]:
    days: dict[date, dict[str, Any]] = {}
    undated = 0
    for a in articles:
        d = _day(a)
        if d is None:
            undated += 1
            continue
        entry = days.setdefault(d, {"date": d.isoformat(), "articles": 0, "languages": Counter(),
                                    "outlets": Counter()})
        entry["articles"] += 1
        if a.language:
            entry["languages"][a.language] += 1
        if a.outlet:
            entry["outlets"][a.outlet] += 1
    per_day = [{**e, "languages": dict(e["languages"]), "outlets": dict(e["outlets"])}
               for _, e in sorted(days.items())]
    return {"days": per_day, "undated": undated}
