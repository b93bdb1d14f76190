"""Language identification: sv, nb, nn, da, en (and fi, de, ru, uk… where cheap), per article
and per block, Bokmål and Nynorsk kept apart. See ``docs/language.md``.

Our own naive Bayes model (trained by ``scripts/train_langid.py``) decides between the
Scandinavian languages; lingua handles the rest; the article is the context for its blocks.
"""

from __future__ import annotations

from .guess import UNDETERMINED, LanguageGuess
from .identifier import LanguageIdentifier
from .model import ScandinavianModel
from .step import LanguageStep

__all__ = ["UNDETERMINED", "LanguageGuess", "LanguageIdentifier", "LanguageStep", "ScandinavianModel"]
