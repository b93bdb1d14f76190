"""The pipeline: the list of steps that turns one input file into articles.

:class:`PipelineOptions` is the one options object passed whole to every layer
(CLI → API → executor → worker); :func:`build_pipeline` makes the steps from it,
so a worker process rebuilds the same pipeline from a small picklable value.
"""

from __future__ import annotations

import functools
import importlib
import logging
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from .errors import InputError, PipelineError
from .readers import read_source
from .records import Article
from .steps.base import Step, check_chain

if TYPE_CHECKING:
    from .dedup.fingerprint import Fingerprint, Fingerprinter
    from .stories.features import StoryFeatures

log = logging.getLogger(__name__)

__all__ = ["FileResult", "Pipeline", "PipelineOptions", "build_pipeline"]


@dataclass(frozen=True)
class PipelineOptions:
    """What the pipeline does. Defaults are the product's defaults."""

    languages: tuple[str, ...] = ("sv", "nb", "nn", "da", "en")
    detect_language: bool = True
    # Entities (NER when a model serves the language), then quotes, sources and claims.
    entities: bool = True
    attribution: bool = True
    # False: entities from capitalised words only (fast, for a run that needs no NER).
    ner_model: bool = True
    # Exact and near-duplicate detection (duplicate_of) when articles are stored or analysed.
    dedup: bool = True
    # Articles grouped into stories (story_id) when stored or analysed.
    stories: bool = True
    # An alias file of the user's (see docs/attribution.md); None: NYHETSVAKT_ALIASES or none.
    aliases: str | None = None
    # The user's own steps, as "package.module:ClassName", run after the built-in ones.
    # Named by import path (not passed as objects) so every executor's workers can build them.
    extra_steps: tuple[str, ...] = ()


@dataclass
class FileResult:
    """Everything one input file produced: its articles and its per-file or per-record errors."""

    uri: str
    articles: list[Article] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    # What the corpus-wide passes compare, one per article, computed where the file was
    # processed (a worker), so the process that assigns duplicate_of and story_id only
    # matches. None: not computed (the assigners compute it themselves).
    fingerprints: list[Fingerprint] | None = None
    fingerprint_version: str | None = None
    story_features: list[StoryFeatures] | None = None

    def prepare(self, *, dedup: bool, stories: bool) -> None:
        """Compute the dedup fingerprints and story features of the articles (pure functions
        of each article's content, so it does not matter which process computes them)."""
        if dedup and self.fingerprints is None:
            from .dedup.fingerprint import article_text

            fingerprinter = _fingerprinter()
            self.fingerprints = [fingerprinter.fingerprint(article_text(a), a.language)
                                 for a in self.articles]
            self.fingerprint_version = fingerprinter.version
        if stories and self.story_features is None:
            from .stories.features import features_of

            self.story_features = [features_of(a) for a in self.articles]


@functools.cache
def _fingerprinter() -> Fingerprinter:
    from .dedup.fingerprint import Fingerprinter

    return Fingerprinter()


class Pipeline:
    """Steps checked as a chain, set up once, run over one input at a time."""

    def __init__(self, steps: Sequence[Step], *, prepare_dedup: bool = False,
                 prepare_stories: bool = False) -> None:
        check_chain(steps, available={"raw"})
        self.steps = list(steps)
        self.prepare_dedup = prepare_dedup
        self.prepare_stories = prepare_stories
        self._ready = False

    def setup(self) -> None:
        if not self._ready:
            for step in self.steps:
                step.setup()
            self._ready = True

    def process_source(self, path: str, *, stdin: BinaryIO | None = None) -> FileResult:
        """Read one input and run every step over what it holds. Never raises for bad input."""
        self.setup()
        result = FileResult(path)
        try:
            records = read_source(path, stdin=stdin)
            for step in self.steps:
                records = step.run(records)
            for record in records:
                if isinstance(record, Article):
                    result.articles.append(record)
                elif isinstance(record, InputError):
                    result.errors.append(record)
            result.prepare(dedup=self.prepare_dedup, stories=self.prepare_stories)
        except InputError as exc:
            result.errors.append(exc)
        except Exception as exc:  # a bug must cost one file, not the run; the message is kept
            log.debug("internal error on %s\n%s", path, traceback.format_exc())
            result.articles.clear()
            result.fingerprints = result.story_features = None
            result.errors.append(InputError(path, f"internal error: {type(exc).__name__}: {exc}"))
        return result


def build_pipeline(options: PipelineOptions | None = None) -> Pipeline:
    from .language import LanguageStep
    from .segment import SegmentStep

    options = options or PipelineOptions()
    steps: list[Step] = [SegmentStep()]
    if options.detect_language:
        steps.append(LanguageStep(languages=options.languages))
    if options.entities or options.attribution:
        from .attribution import AttributionStep, EntityStep

        steps.append(EntityStep(use_model=options.ner_model, aliases=options.aliases))
        if options.attribution:
            steps.append(AttributionStep(aliases=options.aliases))
    steps += [_load_step(spec) for spec in options.extra_steps]
    return Pipeline(steps, prepare_dedup=options.dedup, prepare_stories=options.stories)


def _load_step(spec: str) -> Step:
    module_name, _, class_name = spec.partition(":")
    if not class_name:
        raise PipelineError(f"step {spec!r}: expected 'package.module:ClassName'")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise PipelineError(f"step {spec!r} cannot be loaded: {exc}") from None
    if not (isinstance(cls, type) and issubclass(cls, Step)):
        raise PipelineError(f"step {spec!r} is not a nyhetsvakt Step")
    return cls()
