"""Entity-level scoring of a recogniser on the gold test sets (benchmark, tests, training).

A prediction counts only when its character span and type both equal a gold entity's
(exact match, as in CoNLL). Test sentences are grouped into articles so that the
recogniser's document-level consistency is measured as it runs in the pipeline: NorNE's UD
test sentences by the NDT document they come from, Swedish and Danish (whose files keep no
document ids) by runs of :data:`PSEUDO_ARTICLE` consecutive sentences, which in both corpora
are consecutive sentences of the same news texts most of the time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from . import corpora
from .corpora import Sentence, sentence_key

__all__ = ["DEV_SETS", "TEST_SETS", "Article", "Scores", "load_articles", "score"]

PSEUDO_ARTICLE = 10
HEADLINE_TYPES = ("PER", "ORG", "LOC")

# language -> (file under ner/, reader)
TEST_SETS = {
    "nb": "no/ud/no_bokmaal-ud-test.conllu",
    "nn": "no/ud/no_nynorsk-ud-test.conllu",
    "sv": "sv/test_corpus.txt",
    "da": "da/da_ddt-ud-ner-test.conll",
}
# Held out from the shipped model too (the UD dev sentences are removed from NDT; the DDT dev
# file is not trained on): post-processing options are chosen here, never on test.
DEV_SETS = {
    "nb": "no/ud/no_bokmaal-ud-dev.conllu",
    "nn": "no/ud/no_nynorsk-ud-dev.conllu",
    "da": "da/da_ddt-ud-ner-dev.conll",
}


@dataclass
class Article:
    lang: str
    sentences: list[Sentence]

    @property
    def blocks(self) -> list[str]:
        return [s.text for s in self.sentences]


class SpanRecognizer(Protocol):
    def recognize(self, blocks: list[str], language: str) -> list[list]: ...


def _read(data: Path, lang: str, split: str) -> list[Sentence]:
    path = data / (TEST_SETS if split == "test" else DEV_SETS)[lang]
    if lang in ("nb", "nn"):
        return list(corpora.norne_ud(path, lang))
    if lang == "sv":
        return list(corpora.swedish(path))
    return list(corpora.danish(path))


def load_articles(data: Path, lang: str, articles: bool = True, split: str = "test") -> list[Article]:
    """The test (or dev) set of ``lang`` as articles (one sentence each with ``articles=False``)."""
    sents = _read(data, lang, split)
    if not articles:
        return [Article(lang, [s]) for s in sents]
    if lang in ("nb", "nn"):
        sub = "nob" if lang == "nb" else "nno"
        doc_of = {sentence_key(s.text): s.doc for s in corpora.norne_ndt(data / "no/ndt" / sub, lang)}
        out: list[Article] = []
        last = None
        for s in sents:
            doc = doc_of.get(sentence_key(s.text))
            if out and doc == last and doc is not None:
                out[-1].sentences.append(s)
            else:
                out.append(Article(lang, [s]))
            last = doc
        return out
    return [Article(lang, sents[i:i + PSEUDO_ARTICLE]) for i in range(0, len(sents), PSEUDO_ARTICLE)]


@dataclass
class Scores:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    tokens: int = 0   # gold tokens (punctuation included)
    words: int = 0    # whitespace-separated words of the text

    def prf(self, types: Iterable[str]) -> tuple[float, float, float]:
        types = tuple(types)
        tp = sum(self.tp[t] for t in types)
        fp = sum(self.fp[t] for t in types)
        fn = sum(self.fn[t] for t in types)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def f1(self) -> float:
        """Micro F1 over PER, ORG and LOC (the headline number, as in the issue's baseline)."""
        return self.prf(HEADLINE_TYPES)[2]

    def n_gold(self, t: str) -> int:
        return self.tp[t] + self.fn[t]


def score(recognizer: SpanRecognizer, articles: Sequence[Article]) -> Scores:
    out = Scores()
    for art in articles:
        predicted = recognizer.recognize(art.blocks, art.lang)
        for sent, spans in zip(art.sentences, predicted, strict=True):
            gold = set(sent.char_entities())
            pred = {(e.start, e.end, e.type) for e in spans}
            for _, _, t in gold & pred:
                out.tp[t] += 1
            for _, _, t in pred - gold:
                out.fp[t] += 1
            for _, _, t in gold - pred:
                out.fn[t] += 1
            out.tokens += len(sent.words)
            out.words += len(sent.text.split())
    return out
