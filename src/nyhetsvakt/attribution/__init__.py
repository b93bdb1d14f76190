"""Who said what, according to whom: entities, quotes, cited sources and claims.

- :mod:`.entities` — entity mentions grouped into canonical entities with stable ids;
- :mod:`.discourse` — the referents pronouns and role nouns point back to;
- :mod:`.extract` — quotes and source citations, block by block;
- :mod:`.claims` — quantities with value, unit, source, status, and conflicts;
- :mod:`.cues` — the cue words of each language pack, the gazetteer and alias file;
- :mod:`.step` — :class:`EntityStep` and :class:`AttributionStep` for the pipeline.

See ``docs/attribution.md``.
"""

from __future__ import annotations

from .cues import Gazetteer, LanguageCues, cues_for, load_gazetteer
from .entities import Entity, Mention, build_entities, entity_id_for, translit_key
from .step import AttributionStep, EntityStep, attribute_article

__all__ = [
    "AttributionStep",
    "Entity",
    "EntityStep",
    "Gazetteer",
    "LanguageCues",
    "Mention",
    "attribute_article",
    "build_entities",
    "cues_for",
    "entity_id_for",
    "load_gazetteer",
    "translit_key",
]
