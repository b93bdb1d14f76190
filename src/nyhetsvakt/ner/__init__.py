"""Named-entity recognition: PER, ORG, LOC and MISC in Scandinavian (and English) news.

    from nyhetsvakt.ner import load_recognizer
    rec = load_recognizer()
    spans = rec.recognize(["Jonas Gahr Støre besøkte Bergen."], "nb")

The model is trained by the project (``scripts/train_ner.py``) and ships in ``models/``;
docs/ner.md has the data, the licences and the measured scores.
"""

from .recognizer import SUPPORTED_LANGUAGES, NerOptions, Recognizer, load_recognizer
from .spans import ENTITY_TYPES, EntitySpan

__all__ = ["ENTITY_TYPES", "SUPPORTED_LANGUAGES", "EntitySpan", "NerOptions", "Recognizer", "load_recognizer"]
