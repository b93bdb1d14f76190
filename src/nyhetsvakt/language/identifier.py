"""Language identification for articles and their blocks: sv, nb, nn, da, en and others.

Two stages, each doing what it measured best at (``benchmarks/langid.py``):

1. our naive Bayes model (:mod:`.model`) scores every text for sv/da/nb/nn — it is the
   most accurate on Bokmål vs Nynorsk and costs one dictionary look-up per word;
2. lingua (:mod:`.lingua_stage`) is asked only when a text does not look Scandinavian
   (few words our model knows, or many English marker words from the ``en`` language
   pack) and, as a second opinion, when Danish is in contention — our Danish training
   data is small.

:meth:`LanguageIdentifier.identify_document` adds the article as context (:mod:`.context`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..langpacks import available_languages, load_pack
from .context import article_prior, log_softmax, with_prior
from .features import tokens
from .guess import UNDETERMINED, LanguageGuess
from .lingua_stage import OTHER_LANGUAGES, LinguaStage
from .model import ScandinavianModel

__all__ = ["SCANDINAVIAN", "LanguageIdentifier"]

SCANDINAVIAN = ("sv", "da", "nb", "nn")

# Fewer letters than this and we do not guess ("und"): "Ja" is not evidence.
MIN_LETTERS = 3
# A text is checked by lingua when fewer than COVERAGE_MIN of its words are known to our
# model, or at least MARKER_MIN are marker words of a non-Scandinavian language pack.
# Measured on texts of 3+ words: lid_ud.tsv sentences have coverage below 0.5 in 0.7 % of
# cases and a marker share of 0.15 in 0.1 %; English paragraphs (licence texts, the product
# brief) have median coverage 0.56 — the training data quotes English — but marker share
# 0.32 (10th percentile 0.21): 98 % of them are sent to lingua.
COVERAGE_MIN = 0.5
MARKER_MIN = 0.15
# ... but only with this many words: fewer words are checked only when none is known and
# none is in Latin script ("Привет", "北京"); a lone unknown Latin word ("Tsatsiki",
# "Stigebil") is a name or a compound far more often than a foreign language.
FOREIGN_MIN_TOKENS = 3
# lingua's best non-Scandinavian language takes over a text when lingua finds it this many
# times likelier than the likeliest Scandinavian one (lingua's values are relative: a
# short English sentence gets en 0.39, nb 0.04).
FOREIGN_RATIO = 3.0
# Inside an article, a block only leaves for a foreign language when lingua gives that
# language at least this probability; otherwise the article decides ("Alkoholism och
# narkomani" got Estonian 0.36 from lingua's low-accuracy mode).
FOREIGN_IN_ARTICLE = 0.5
# Danish second opinion, chosen on the dev split of scripts/train_langid.py (docs/language.md):
# Danish gets DA_BIAS (the model saw 20x less Danish than Norwegian); when Danish is one of
# the two best and they are within DA_MARGIN, lingua's log-confidence times LINGUA_WEIGHT
# is added to every Scandinavian score.
DA_BIAS = 1.0
DA_MARGIN = 8.0
LINGUA_WEIGHT = 4.0
LINGUA_FLOOR = 1e-4
# Article context: a block keeps a language other than the article's only when its own
# evidence is stronger by this much (scaled nats). scripts/train_langid.py --sweep, dev
# articles: block accuracy in one-language articles stops rising at 4 (sv vs the rest) and
# at 6 between the close languages (nb, nn, da), whose mixing within one article is rarer
# and our block-level evidence weaker; higher values only lose genuinely mixed blocks.
OVERRIDE = 4.0
OVERRIDE_CLOSE = 6.0
CLOSE = frozenset({"nb", "nn", "da"})
# In an article, a block's words outside our vocabulary (the costly part: ~30 µs each) are
# not scored when its known words alone already decide by this margin (scaled nats).
# benchmarks/langid.py: accuracy unchanged at 3.0, the step ~1.6x faster.
LAZY_MARGIN = 3.0
# Characters of the article handed to lingua when the whole article needs its opinion
# (lingua's cost grows with the text; 600 characters are several sentences).
DOC_SAMPLE = 600
TOP_K = 3

MODEL_CUE = "nyhetsvakt-nb"
LINGUA_CUE = "lingua"
COMBINED_CUE = "nyhetsvakt-nb+lingua"
CONTEXT_CUE = "article"
HINT_CUE = "hint"


_ENOUGH_LETTERS = re.compile(r"[^\W\d_]" + r".*?[^\W\d_]" * (MIN_LETTERS - 1), re.DOTALL)
_ANY_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[a-z\u00c0-\u024f]")  # words are lower-cased


def _enough_letters(text: str) -> bool:
    return _ENOUGH_LETTERS.search(text) is not None


def _top(probs: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in list(probs.items())[:TOP_K]}


def _posterior(scores: dict[str, float]) -> dict[str, float]:
    return dict(sorted(((k, math.exp(v)) for k, v in log_softmax(scores).items()), key=lambda kv: -kv[1]))


def _softmax_rows(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


@dataclass(slots=True)
class _Text:
    """Working state for one text: our model's evidence, or an answer already."""

    text: str
    n_tokens: int = 0
    known: int = 0
    guess: LanguageGuess | None = None  # set when undetermined or not Scandinavian

    @property
    def scandinavian(self) -> bool:
        return self.guess is None


class LanguageIdentifier:
    """Identify the language of texts and of whole articles.

    ``languages`` are the codes that may be reported (default sv, nb, nn, da, en); with
    ``detect_others`` lingua may also report :data:`~.lingua_stage.OTHER_LANGUAGES` (fi,
    de, ru, uk…). :meth:`setup` loads the models once; the identify methods call it.
    """

    def __init__(self, languages: Sequence[str] = ("sv", "nb", "nn", "da", "en"), *,
                 detect_others: bool = True, model_path: str | None = None) -> None:
        self.languages = tuple(dict.fromkeys(c.lower() for c in languages))
        self.detect_others = detect_others
        self._scand = tuple(c for c in SCANDINAVIAN if c in self.languages)
        self._reportable = set(self.languages) | (set(OTHER_LANGUAGES) if detect_others else set())
        # lingua always knows the Scandinavian languages, so that Scandinavian text our model
        # does not recognise is not called Dutch for want of a better answer.
        self._lingua = LinguaStage(self._reportable | set(SCANDINAVIAN), low_accuracy=True)
        self._lingua_danish = LinguaStage(SCANDINAVIAN)
        self._model_path = model_path
        self._markers: frozenset[str] = frozenset()
        self.model: ScandinavianModel | None = None
        self._cols: list[int] = []
        self._bias = np.zeros(0)
        self.lingua_calls = 0

    def setup(self) -> None:
        """Load our model, the marker words and lingua's models (idempotent)."""
        if self.model is None:
            model = ScandinavianModel.shared(self._model_path)
            self._cols = [model.classes.index(c) for c in self._scand]
            self._bias = np.array([DA_BIAS if c == "da" else 0.0 for c in self._scand])
            self._markers = frozenset(
                w.lower() for code in available_languages() if code not in SCANDINAVIAN
                for w in load_pack(code).words("language", "markers"))
            self.model = model
        self._lingua.setup()
        if "da" in self._scand:
            self._lingua_danish.setup()

    # -- public ------------------------------------------------------------------------

    def identify(self, text: str) -> LanguageGuess:
        """The language of one text (a sentence, a paragraph, a headline) on its own."""
        self.setup()
        [item], scaled = self._analyse([text])
        if item.guess is not None:
            return item.guess
        if not self._scand:
            return self._lingua_guess(text) or LanguageGuess.undetermined()
        return self._scand_guess(self._as_dict(scaled[0]), text)

    def identify_document(self, blocks: Sequence[str], headline: str | None = None, *,
                          article_language: str | None = None) -> tuple[LanguageGuess, list[LanguageGuess]]:
        """The article's language and each block's, the article serving as context.

        ``article_language`` (a hint from the input: a JSON field, ``<html lang>``) is taken
        as the article's language; ``"no"`` only narrows the choice to nb/nn.
        """
        self.setup()
        texts = [*blocks, headline] if headline else list(blocks)
        items, scaled = self._analyse(texts, lazy=True)
        for item in items:
            guess = item.guess
            if guess is not None and guess.cue == LINGUA_CUE and guess.confidence < FOREIGN_IN_ARTICLE:
                item.guess = None
        hint = (article_language or "").lower().replace("_", "-").split("-")[0] or None
        article = self._article_guess(items, scaled, hint)
        n = len(blocks)
        if article.code not in self._scand or not n:
            return article, [self._block_in_foreign_article(items[i], scaled[i], article) for i in range(n)]
        probs = {article.code: 1.0} if article.cue == HINT_CUE else article.scores
        log_probs = {c: math.log(max(probs.get(c, 0.0), 1e-300)) for c in self._scand}
        floors = {c: OVERRIDE_CLOSE if {c, article.code} <= CLOSE else OVERRIDE for c in self._scand}
        prior_map = article_prior(log_probs, floors)
        prior = np.array([prior_map[c] for c in self._scand])
        post = _softmax_rows(scaled[:n] + prior)
        own = scaled[:n].argmax(axis=1)
        best = post.argmax(axis=1)
        order = np.argsort(-post, axis=1)[:, :TOP_K]
        out = []
        for i in range(n):
            item = items[i]
            if item.guess is not None:
                out.append(self._inherit_if_short(item, article))
                continue
            code = self._scand[best[i]]
            if code != article.code and "da" in (code, article.code):
                # Leaving a Danish article, or Danish inside another: our Danish is the weak
                # part, so lingua has a say before the block may differ from its article.
                out.append(self._recheck_danish(item, scaled[i], prior_map))
                continue
            top = {self._scand[j]: round(float(post[i, j]), 4) for j in order[i]}
            cue = MODEL_CUE if own[i] == best[i] else CONTEXT_CUE
            out.append(LanguageGuess(code, float(post[i, best[i]]), top, cue))
        return article, out

    @staticmethod
    def _inherit_if_short(item: _Text, article: LanguageGuess) -> LanguageGuess:
        """A block with a word too short to judge ("Ja?", "- Nei.") takes the article's
        language; one without letters ("12 000", "—") stays undetermined."""
        assert item.guess is not None
        if item.guess.code != UNDETERMINED or article.code == UNDETERMINED:
            return item.guess
        if not _ANY_LETTER.search(item.text):
            return item.guess
        return LanguageGuess(article.code, article.confidence, article.scores, CONTEXT_CUE)

    # -- one text ----------------------------------------------------------------------

    def _analyse(self, texts: Sequence[str], lazy: bool = False) -> tuple[list[_Text], np.ndarray]:
        """Score ``texts`` with our model (temperature-scaled, allowed languages only);
        settle the empty ones and those that are not Scandinavian (lingua) right away."""
        assert self.model is not None
        words = [tokens(t) if _enough_letters(t) else [] for t in texts]
        decisive = LAZY_MARGIN * self.model.temperature if lazy else None
        matrix, n_tokens, known = self.model.score_batch(words, decisive)
        scaled = matrix[:, self._cols] / self.model.temperature + self._bias if len(texts) else \
            np.zeros((0, len(self._cols)))
        items = []
        for t, ws, n, k in zip(texts, words, n_tokens, known, strict=True):
            item = _Text(t, n, k)
            if not ws:
                item.guess = LanguageGuess.undetermined()
            elif self._looks_foreign(ws, n, k):
                item.guess = self._foreign_guess(t)
            items.append(item)
        return items, scaled

    def _looks_foreign(self, words: Sequence[str], n_tokens: int, known: int) -> bool:
        if n_tokens < FOREIGN_MIN_TOKENS:
            return known == 0 and not any(_LATIN.search(w) for w in words)
        if known < COVERAGE_MIN * n_tokens:
            return True
        markers = self._markers
        return sum(1 for w in words if w in markers) >= MARKER_MIN * n_tokens

    def _foreign_guess(self, text: str) -> LanguageGuess | None:
        """lingua's answer if it finds a non-Scandinavian language clearly likelier."""
        conf = self._lingua_confidences(text)
        best = next(iter(conf), None)
        if best is None or best in SCANDINAVIAN or best not in self._reportable:
            return None
        if conf[best] < FOREIGN_RATIO * max((conf.get(c, 0.0) for c in SCANDINAVIAN), default=0.0):
            return None
        return LanguageGuess(best, conf[best], _top(conf), LINGUA_CUE)

    def _as_dict(self, row: np.ndarray) -> dict[str, float]:
        return dict(zip(self._scand, row.tolist(), strict=True))

    def _danish_check(self, scores: dict[str, float], text: str, *,
                      force: bool = False) -> tuple[dict[str, float], str]:
        """Add lingua's opinion when Danish is one of the two best and they are close (or ``force``)."""
        if "da" not in scores or len(scores) < 2:
            return scores, MODEL_CUE
        if not force:
            first, second = sorted(scores.items(), key=lambda kv: -kv[1])[:2]
            if "da" not in (first[0], second[0]) or first[1] - second[1] >= DA_MARGIN:
                return scores, MODEL_CUE
        conf = self._lingua_confidences(text, self._lingua_danish)
        if not conf:
            return scores, MODEL_CUE
        return ({c: v + LINGUA_WEIGHT * math.log(max(conf.get(c, 0.0), LINGUA_FLOOR))
                 for c, v in scores.items()}, COMBINED_CUE)

    def _scand_guess(self, scores: dict[str, float], text: str,
                     only: Sequence[str] | None = None) -> LanguageGuess:
        if only:
            scores = {c: v for c, v in scores.items() if c in only} or scores
        scores, cue = self._danish_check(scores, text)
        probs = _posterior(scores)
        code = next(iter(probs))
        return LanguageGuess(code, probs[code], _top(probs), cue)

    def _recheck_danish(self, item: _Text, row: np.ndarray, prior: dict[str, float]) -> LanguageGuess:
        scores, cue = self._danish_check(self._as_dict(row), item.text, force=True)
        probs = with_prior(scores, prior)
        code = next(iter(probs))
        return LanguageGuess(code, probs[code], _top(probs), cue)

    def _lingua_confidences(self, text: str, stage: LinguaStage | None = None) -> dict[str, float]:
        self.lingua_calls += 1
        return (stage or self._lingua).confidences(text)

    def _lingua_guess(self, text: str) -> LanguageGuess | None:
        conf = {c: v for c, v in self._lingua_confidences(text).items()
                if c in self._reportable or c in SCANDINAVIAN}
        if not conf:
            return None
        code = next(iter(conf))
        return LanguageGuess(code, conf[code], _top(conf), LINGUA_CUE)

    # -- articles ----------------------------------------------------------------------

    def _article_guess(self, items: Sequence[_Text], scaled: np.ndarray, hint: str | None) -> LanguageGuess:
        """Sum the Scandinavian evidence of all texts; foreign texts vote by length."""
        if hint is not None and hint != "no":
            return LanguageGuess(hint, 1.0, {hint: 1.0}, HINT_CUE)
        scand = [i for i, it in enumerate(items) if it.scandinavian]
        foreign: dict[str, int] = {}
        for it in items:
            if it.guess is not None and it.guess.code != UNDETERMINED:
                foreign[it.guess.code] = foreign.get(it.guess.code, 0) + len(it.text)
        scand_chars = sum(len(items[i].text) for i in scand)
        sample = "\n".join(it.text for it in items)[:DOC_SAMPLE]
        if hint is None and (not scand or not self._scand or max(foreign.values(), default=0) > scand_chars):
            if foreign:
                code = max(foreign, key=foreign.__getitem__)
                total = sum(foreign.values()) + scand_chars
                shares = {c: n / total for c, n in sorted(foreign.items(), key=lambda kv: -kv[1])}
                return LanguageGuess(code, shares[code], _top(shares), LINGUA_CUE)
            if scand and not self._scand:
                return self._lingua_guess(sample) or LanguageGuess.undetermined()
            return LanguageGuess.undetermined()
        if not scand:
            return LanguageGuess.undetermined()
        # The bias was added once per text; the article gets it once.
        total = scaled[scand].sum(axis=0) - self._bias * (len(scand) - 1)
        guess = self._scand_guess(self._as_dict(total), sample, only=("nb", "nn") if hint == "no" else None)
        if hint:
            return LanguageGuess(guess.code, guess.confidence, guess.scores, f"{HINT_CUE}+{guess.cue}")
        return guess

    def _block_in_foreign_article(self, item: _Text, row: np.ndarray,
                                  article: LanguageGuess) -> LanguageGuess:
        """In a non-Scandinavian article: a block that looks Scandinavian is identified on
        its own; the rest (short, or lingua unsure) inherit the article's language."""
        if item.guess is not None:
            return self._inherit_if_short(item, article)
        if self._scand and item.n_tokens >= FOREIGN_MIN_TOKENS and item.known >= COVERAGE_MIN * item.n_tokens:
            return self._scand_guess(self._as_dict(row), item.text)
        if article.code == UNDETERMINED:
            return self.identify(item.text)
        return LanguageGuess(article.code, article.confidence, article.scores, CONTEXT_CUE)
