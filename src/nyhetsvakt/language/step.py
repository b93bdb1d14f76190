"""The pipeline step: sets ``article.language`` and each block's language."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Article
from ..steps.base import ArticleStep
from .identifier import HINT_CUE, LanguageIdentifier

__all__ = ["LanguageStep"]


class LanguageStep(ArticleStep):
    """Identify each article's language (and each block's) with the article as context.

    A language already on the article (a hint from the input) is kept; it then serves as
    the context for the blocks. The decision is noted as evidence with the model that made
    it (``cue``) and its confidence (``score``).
    """

    name = "language"
    requires = frozenset({"blocks"})
    assigns = frozenset({"language"})

    def __init__(self, languages: Sequence[str] = ("sv", "nb", "nn", "da", "en"), *,
                 detect_others: bool = True, identifier: LanguageIdentifier | None = None) -> None:
        self.identifier = identifier or LanguageIdentifier(languages, detect_others=detect_others)

    def setup(self) -> None:
        self.identifier.setup()

    def process(self, article: Article) -> None:
        hint = article.language
        doc, blocks = self.identifier.identify_document(
            [b.text for b in article.blocks], article.headline, article_language=hint)
        for block, guess in zip(article.blocks, blocks, strict=True):
            block.language = guess.code
        if hint and doc.cue == HINT_CUE:
            return
        article.language = doc.code
        article.language_scores = dict(doc.scores)
        article.note(self.name, "language", doc.code, cue=doc.cue, score=round(doc.confidence, 4))
