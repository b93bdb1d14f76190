"""The library stage: lingua for languages our own model does not know, and a second
opinion on Danish.

lingua (Apache-2.0) was the best Apache/MIT-licensed library on ``lid_ud.tsv`` in
``benchmarks/langid.py``; it is called only for text our Scandinavian model does not
recognise (English quotes, Finnish, Russian…) and when Danish is in contention, so its
cost stays off the common path. Two detectors, sized for their job: the foreign-language
check runs lingua's low-accuracy mode (trigram models only: 26 languages in about 50 MB,
enough for a paragraph), the Danish opinion its high-accuracy mode over sv/da/nb/nn only
(about 170 MB). High accuracy over all 26 languages would take about 800 MB per worker.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

__all__ = ["OTHER_LANGUAGES", "LinguaStage"]

# Languages reported besides sv/nb/nn/da/en when ``detect_others`` is on: those met in
# Nordic news (neighbours, the war in Ukraine, migration, wire copy). More languages make
# every lingua call slower and give Scandinavian text more ways to be mistaken.
OTHER_LANGUAGES = ("fi", "et", "lv", "lt", "is", "de", "nl", "fr", "es", "it", "pt", "pl", "ru", "uk",
                   "be", "ar", "fa", "so", "tr", "zh", "ja")


# lingua's cost grows with the text; this much is plenty to tell a language (a 50 MB
# "paragraph" from a broken page must not stall the run).
MAX_CHARS = 2000


@cache
def _detector(codes: frozenset[str], low_accuracy: bool) -> LanguageDetector:
    """One detector per language set, mode and process: building one loads its n-gram
    models (seconds), so identifiers and steps with the same languages share it."""
    langs = [lang for c in sorted(codes) if (lang := _language(c)) is not None]
    builder = LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models()
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def _language(code: str) -> Language | None:
    iso = getattr(IsoCode639_1, code.upper(), None)
    return Language.from_iso_code_639_1(iso) if iso is not None else None


class LinguaStage:
    """A lingua detector over a fixed language set, models loaded once."""

    def __init__(self, codes: Iterable[str], *, low_accuracy: bool = False) -> None:
        langs = {lang for c in codes if (lang := _language(c)) is not None}
        self.codes = tuple(sorted(lang.iso_code_639_1.name.lower() for lang in langs))
        self.low_accuracy = low_accuracy
        self._detector: LanguageDetector | None = None

    def setup(self) -> None:
        if self._detector is None and len(self.codes) >= 2:
            self._detector = _detector(frozenset(self.codes), self.low_accuracy)

    def confidences(self, text: str) -> dict[str, float]:
        """Probability per language code, best first (empty when lingua cannot tell)."""
        if self._detector is None:
            return {}
        values = self._detector.compute_language_confidence_values(text[:MAX_CHARS])
        return {v.language.iso_code_639_1.name.lower(): v.value for v in values if v.value > 0}
