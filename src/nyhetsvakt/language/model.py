"""The project's own Scandinavian model: naive Bayes over words and character n-grams.

It separates sv, da, nb and nn — Bokmål from Nynorsk above all, where the libraries are
weakest. Trained by ``scripts/train_langid.py`` from NorNE/NDT (nb, nn), Webbnyheter 2012
(sv) and DDT train (da), with every UD dev/test sentence removed; shipped as one ``.npz``
beside this module and read with numpy only (no pickle, no scikit-learn).

Because every feature sits inside one word (:mod:`.features`), a text's score is the sum
of its words' scores. The training vocabulary is scored in advance and shipped; any other
word is scored from its n-grams on first sight and cached. Scoring a text is then one
dictionary look-up per token, and an article's blocks are summed in one numpy call.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from .features import MAX_NGRAM, MIN_NGRAM, WORD_PREFIX, tokens

__all__ = ["DEFAULT_MODEL", "ModelScores", "ScandinavianModel"]

DEFAULT_MODEL = "scandi_nb.npz"
# Distinct words kept in the per-model score cache before it is cleared (bounds memory
# on very long runs; news vocabulary is Zipfian, so hits stay high).
CACHE_LIMIT = 200_000
# The " " 1-gram is never a feature (see features.word_features); it is simply not in the index.
_ORDERS = tuple(range(MIN_NGRAM, MAX_NGRAM + 1))


@dataclass(frozen=True, slots=True)
class ModelScores:
    """Raw evidence for one text: summed log-likelihoods per class, and how much was known.

    ``known`` counts tokens whose whole word was seen in training: a low share means the
    text is probably not Scandinavian at all (English, German, Cyrillic…).
    """

    classes: tuple[str, ...]
    loglik: tuple[float, ...]
    n_tokens: int
    known: int

    @property
    def coverage(self) -> float:
        return self.known / self.n_tokens if self.n_tokens else 0.0


class ScandinavianModel:
    """Naive Bayes log-likelihoods for sv/da/nb/nn, summed per word with a word cache."""

    def __init__(self, classes: Sequence[str], features: Sequence[str], weights: np.ndarray,
                 meta: dict | None = None, words: Sequence[str] = (),
                 word_weights: np.ndarray | None = None) -> None:
        self.classes = tuple(classes)
        self.meta = dict(meta or {})
        self.temperature = float(self.meta.get("temperature", 1.0))
        self._index = {f: i for i, f in enumerate(features)}
        # Rounded as stored (float16), so a freshly trained model scores like a loaded one;
        # one zero row at the end (see _zero_row below).
        self._weights = np.vstack([np.asarray(weights, dtype=np.float16).astype(np.float32),
                                   np.zeros((1, len(self.classes)), dtype=np.float32)])
        self._zero_feature = len(self._weights) - 1
        self._cache: dict[str, tuple[float, ...]] = {}
        # The training vocabulary, scored once and shipped: most tokens of a news text are
        # found here (one dict look-up and a numpy sum per text); "known" means "in here".
        self._word_row = {w: i for i, w in enumerate(words)}
        matrix = self._score_words(words) if word_weights is None else np.asarray(word_weights, np.float64)
        # One zero row at the end: every text's row list starts with it, so batch sums
        # (np.add.reduceat) never meet an empty text.
        self._word_matrix = np.vstack([matrix.reshape(len(words), len(self.classes)),
                                       np.zeros((1, len(self.classes)))])
        self._zero_row = len(words)

    # -- persistence -------------------------------------------------------------------

    @staticmethod
    @cache
    def shared(path: str | None = None) -> ScandinavianModel:
        """The model at ``path`` (default: the shipped one), loaded once per process and shared
        by every identifier — loading takes most of a second and ~100 MB."""
        return ScandinavianModel.load(path)

    @classmethod
    def load(cls, path: str | Path | None = None) -> ScandinavianModel:
        """Read a model file; by default the one shipped in ``language/models/``."""
        if path is None:
            res = resources.files(__package__).joinpath("models").joinpath(DEFAULT_MODEL)
            with resources.as_file(res) as p, np.load(p, allow_pickle=False) as data:
                return cls._from_arrays(data)
        with np.load(path, allow_pickle=False) as data:
            return cls._from_arrays(data)

    @classmethod
    def _from_arrays(cls, data: np.lib.npyio.NpzFile) -> ScandinavianModel:
        features = bytes(data["features"]).decode("utf-8").split("\n")
        words = bytes(data["words"]).decode("utf-8").split("\n")
        meta = json.loads(bytes(data["meta"]).decode("utf-8"))
        return cls([str(c) for c in data["classes"]], features, data["weights"], meta, words,
                   data["word_weights"].astype(np.float64))

    def save(self, path: str | Path) -> None:
        feats = sorted(self._index, key=self._index.__getitem__)
        np.savez_compressed(
            path,
            classes=np.array(self.classes),
            features=np.frombuffer("\n".join(feats).encode("utf-8"), dtype=np.uint8),
            words=np.frombuffer("\n".join(self._word_row).encode("utf-8"), dtype=np.uint8),
            word_weights=self._word_matrix[:-1].astype(np.float32),
            weights=self._weights[:-1].astype(np.float16),
            meta=np.frombuffer(json.dumps(self.meta, sort_keys=True).encode("utf-8"), dtype=np.uint8),
        )

    @property
    def n_features(self) -> int:
        return len(self._index)

    # -- scoring -----------------------------------------------------------------------

    def _rows(self, word: str) -> list[int]:
        """Feature rows of ``word``: :func:`.features.word_features`, inlined for speed
        (scoring a new word is the only costly thing this model does)."""
        get = self._index.get
        padded = f" {word} "
        size = len(padded)
        rows = [i for n in _ORDERS for k in range(size - n + 1) if (i := get(padded[k:k + n])) is not None]
        if (i := get(WORD_PREFIX + word)) is not None:
            rows.append(i)
        return rows

    def _score_words(self, words: Sequence[str]) -> np.ndarray:
        """Scores of words from their features, all words in one numpy gather-and-sum."""
        rows: list[int] = []
        offsets: list[int] = []
        for word in words:
            offsets.append(len(rows))
            rows.append(self._zero_feature)
            rows.extend(self._rows(word))
        if not words:
            return np.zeros((0, len(self.classes)))
        return np.add.reduceat(self._weights[rows], offsets, axis=0).astype(np.float64)

    def word_score(self, word: str) -> tuple[tuple[float, ...], bool]:
        """(per-class log-likelihood, word in the training vocabulary) of one lower-cased word."""
        row = self._word_row.get(word)
        if row is not None:
            return tuple(self._word_matrix[row].tolist()), True
        return tuple(self._new_words([word])[0].tolist()), False

    def clear_cache(self) -> None:
        """Forget the words scored at run time (benchmarks measure a fresh worker with it)."""
        self._cache.clear()

    def _new_words(self, words: Sequence[str]) -> np.ndarray:
        """Scores of words outside the training vocabulary, from their n-grams; cached."""
        cache = self._cache
        todo = list(dict.fromkeys(w for w in words if w not in cache))
        new = dict(zip(todo, map(tuple, self._score_words(todo).tolist()), strict=True)) if todo else {}
        out = np.array([new[w] if w in new else cache[w] for w in words])
        if len(cache) + len(new) > CACHE_LIMIT:
            cache.clear()
        cache.update(new)
        return out

    def score(self, text: str) -> ModelScores:
        """Summed log-likelihoods of ``text`` for each class."""
        return self.score_tokens(tokens(text))

    def score_tokens(self, words: Sequence[str]) -> ModelScores:
        """Like :meth:`score`, for words already split by :func:`.features.tokens`."""
        matrix, n_tokens, known = self.score_batch([words])
        return ModelScores(self.classes, tuple(matrix[0].tolist()), n_tokens[0], known[0])

    def score_batch(self, texts: Sequence[Sequence[str]], decisive: float | None = None
                    ) -> tuple[np.ndarray, list[int], list[int]]:
        """Scores of many token lists at once (an article's blocks): a (texts × classes)
        matrix of summed log-likelihoods, tokens per text, known tokens per text.

        One numpy gather-and-sum for the whole batch: the per-text Python work is only the
        dictionary look-ups. Words outside the training vocabulary are the costly part
        (their n-grams); with ``decisive``, they are skipped for texts whose known words
        alone (at least half the text) already separate the best class from the second by
        that many nats.
        """
        get = self._word_row.get
        zero = self._zero_row
        rows: list[int] = []
        offsets: list[int] = []
        n_tokens: list[int] = []
        known: list[int] = []
        unknown: list[tuple[int, str]] = []
        for t, words in enumerate(texts):
            offsets.append(len(rows))
            rows.append(zero)
            hits = [get(w, -1) for w in words]
            found = [r for r in hits if r >= 0]
            rows.extend(found)
            n_tokens.append(len(words))
            known.append(len(found))
            if len(found) < len(hits):
                unknown.extend((t, w) for w, r in zip(words, hits, strict=True) if r < 0)
        if not texts:
            return np.zeros((0, len(self.classes))), [], []
        matrix = np.add.reduceat(self._word_matrix[rows], offsets, axis=0)
        if unknown and decisive is not None:
            top2 = np.sort(matrix, axis=1)[:, -2:]
            settled = (top2[:, 1] - top2[:, 0] >= decisive) & (2 * np.array(known) >= np.array(n_tokens))
            unknown = [(t, w) for t, w in unknown if not settled[t]]
        if unknown:
            np.add.at(matrix, [t for t, _ in unknown], self._new_words([w for _, w in unknown]))
        return matrix, n_tokens, known
