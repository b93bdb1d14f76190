"""The recogniser: text blocks in, character-offset entity spans out.

One multilingual CRF (python-crfsuite) trained by ``scripts/train_ner.py`` on NorNE (nb, nn),
Webbnyheter 2012 (sv) and DDT (da) serves every supported language; English runs the same
model (capital letters, shapes and the lexicon carry over; it was not trained or measured on
English, docs/ner.md), and an English name ends at any lower-case word that the pack does not
list as a ``name_connector`` ("Bank of England" stays whole, "Manchester on Monday" does not).
Blocks are tokenised with :mod:`.tokens`, tagged one block at a time, tidied with
:func:`.spans.trim` and made consistent over the article with :func:`.spans.make_consistent`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from .features import FeatureExtractor, Lexicon, read_clusters
from .spans import EntitySpan, decode, make_consistent, trim
from .tokens import tokenize

__all__ = ["MODEL_DIR", "SUPPORTED_LANGUAGES", "NerOptions", "Recognizer", "load_recognizer", "pack_words"]

MODEL_DIR = "scandi_crf"
SUPPORTED_LANGUAGES = ("sv", "nb", "nn", "da", "en")
# The language feature the model was trained with; English borrows none (its words are new).
_MODEL_LANG = {"sv": "sv", "nb": "nb", "nn": "nn", "da": "da", "en": None}
# A block of at least this many words with at least this share capitalised is a Title Case
# headline ("How The War Changed Europe"): capitals say nothing there, so it is not tagged.
TITLE_CASE_MIN_WORDS = 4
TITLE_CASE_SHARE = 0.75


def pack_words(key: str) -> list[str]:
    """A ``[ner]`` word list from every language pack, merged (the model is multilingual)."""
    from nyhetsvakt.langpacks import load_packs

    return load_packs(SUPPORTED_LANGUAGES).words("ner", key)


@dataclass(frozen=True)
class NerOptions:
    """How the recogniser post-processes the tagger's output (defaults measured in docs/ner.md)."""

    document_consistency: bool = True   # tag recurrences of a name found elsewhere in the article
    unify_types: bool = False           # one type per surface form (off: dev F1 -0.4 nn, +0.4 nb)
    surnames: bool = True               # "Støre" alone is PER once "Jonas Gahr Støre" was
    skip_title_case: bool = True        # leave Title Case headlines untagged


class Recognizer:
    """Named entities (PER, ORG, LOC, MISC) for sv, nb, nn, da and en text blocks.

    The model loads on the first call (or :meth:`setup`); a worker process calls ``setup()``
    once. Taggers are per thread, so one recogniser may serve several threads.
    """

    def __init__(self, model_dir: str | Path | None = None, options: NerOptions | None = None) -> None:
        self.model_dir = Path(model_dir) if model_dir else None
        self.options = options or NerOptions()
        self._extractor: FeatureExtractor | None = None
        self._model_path: str | None = None
        self._local = threading.local()
        self._lock = threading.Lock()

    # -- loading ---------------------------------------------------------------------

    def setup(self) -> None:
        with self._lock:
            if self._extractor is not None:
                return
            folder = self.model_dir or Path(str(resources.files(__package__).joinpath("models", MODEL_DIR)))
            crf = folder / "crf.crfsuite"
            if not crf.is_file():
                raise FileNotFoundError(f"NER model not found: {crf} (train it with scripts/train_ner.py)")
            with open(folder / "lexicon.tsv", encoding="utf-8") as fh:
                lexicon = Lexicon.from_lines(fh)
            clusters = None
            if (folder / "clusters.tsv").is_file():
                with open(folder / "clusters.tsv", encoding="utf-8") as fh:
                    clusters = read_clusters(fh)
            self._model_path = str(crf)
            self._extractor = FeatureExtractor(lexicon, pack_words("titles"), pack_words("org_suffixes"),
                                               clusters)

    def _tagger(self):
        tagger = getattr(self._local, "tagger", None)
        if tagger is None:
            import pycrfsuite

            if self._extractor is None:
                self.setup()
            tagger = pycrfsuite.Tagger()
            tagger.open(self._model_path)
            self._local.tagger = tagger
        return tagger

    # -- tagging ---------------------------------------------------------------------

    def recognize(self, blocks: Sequence[str], language: str) -> list[list[EntitySpan]]:
        """Entity spans for each block of one article, in the article's language."""
        if language not in SUPPORTED_LANGUAGES:
            return [[] for _ in blocks]
        tagger = self._tagger()
        extractor = self._extractor
        assert extractor is not None
        lang = _MODEL_LANG[language]
        tokenised = []
        token_spans = []
        for text in blocks:
            words, offsets = tokenize(text)
            tokenised.append((words, offsets))
            if not words or (self.options.skip_title_case and _title_case(words)):
                token_spans.append([])
                continue
            tags = tagger.tag(extractor.sequence(words, lang))
            token_spans.append(self._clean(words, [(i, j, t) for i, j, _, _, t in decode(tags, offsets)],
                                           language))
        if self.options.document_consistency and len(blocks) > 0:
            token_spans = make_consistent([w for w, _ in tokenised], token_spans,
                                          unify_types=self.options.unify_types,
                                          surnames=self.options.surnames)
        out = []
        for text, (_, offsets), found in zip(blocks, tokenised, token_spans, strict=True):
            spans = []
            for i, j, t in found:
                start, end = trim(text, offsets[i][0], offsets[j - 1][1])
                if end > start:
                    spans.append(EntitySpan(start, end, t, text[start:end]))  # type: ignore[arg-type]
            out.append(spans)
        return out

    def _clean(self, words: Sequence[str], spans: list[tuple[int, int, str]],
               language: str) -> list[tuple[int, int, str]]:
        """Drop lone month and weekday names; where the pack lists ``name_connectors`` (English),
        split a name at any other lower-case word ("Manchester on Monday")."""
        calendar, connectors = _language_rules(language)
        out = []
        for i, j, t in spans:
            if j - i == 1 and words[i].lower() in calendar:
                continue
            if not connectors:
                out.append((i, j, t))
                continue
            start = i
            for k in range(i, j + 1):
                if k == j or (words[k][:1].islower() and words[k].lower() not in connectors):
                    end = k
                    while start < end and words[start].lower() in connectors:
                        start += 1
                    while end > start and words[end - 1].lower() in connectors:
                        end -= 1
                    if end > start and words[start][:1].isupper() and not (
                            end - start == 1 and words[start].lower() in calendar):
                        out.append((start, end, t))
                    start = k + 1
        return out

    def recognize_many(self, docs: Sequence[tuple[Sequence[str], str]]) -> list[list[list[EntitySpan]]]:
        """:meth:`recognize` for many articles, ``(blocks, language)`` each."""
        return [self.recognize(blocks, language) for blocks, language in docs]


# Month and weekday names shorter than this are left alone ("Tor", "Jan" are first names too).
MIN_CALENDAR_WORD = 4


@cache
def _language_rules(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """Month and weekday names (langpack ``[months]``, ``[weekdays]``) and ``[ner] name_connectors``."""
    from nyhetsvakt.langpacks import load_pack

    pack = load_pack(language)
    calendar = frozenset(w for w in (*pack.months, *pack.weekdays) if len(w) >= MIN_CALENDAR_WORD)
    return calendar, frozenset(w.lower() for w in pack.words("ner", "name_connectors"))


def _title_case(words: Sequence[str]) -> bool:
    alpha = [w for w in words if w[:1].isalpha()]
    if len(alpha) < TITLE_CASE_MIN_WORDS:
        return False
    return sum(w[0].isupper() for w in alpha) >= TITLE_CASE_SHARE * len(alpha)


@cache
def load_recognizer() -> Recognizer:
    """The shared recogniser with the shipped model (loaded lazily, once per process)."""
    return Recognizer()
