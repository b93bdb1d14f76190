"""What language identification answers: a code, how sure, and the runners-up."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["UNDETERMINED", "LanguageGuess"]

UNDETERMINED = "und"  # ISO 639-2 "undetermined": empty, digits only, too short


@dataclass(frozen=True)
class LanguageGuess:
    """One decision: ISO 639-1 ``code`` (or ``und``), its ``confidence`` in [0, 1], and
    ``scores``, the top candidates' probabilities (best first), kept as evidence."""

    code: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)
    # Which model decided ("nyhetsvakt-nb" = our naive Bayes, "lingua", "article" = context).
    cue: str = ""

    @classmethod
    def undetermined(cls) -> LanguageGuess:
        return cls(UNDETERMINED, 0.0, {}, "")
