"""The pipeline: the list of steps that turns one input file into articles.

:class:`PipelineOptions` is the one options object passed whole to every layer
(CLI → API → executor → worker); :func:`build_pipeline` makes the steps from it,
so a worker process rebuilds the same pipeline from a small picklable value.
"""

from __future__ import annotations

import importlib
import logging
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from .errors import InputError, PipelineError
from .readers import read_source
from .records import Article
from .steps.base import Step, check_chain

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


class Pipeline:
    """Steps checked as a chain, set up once, run over one input at a time."""

    def __init__(self, steps: Sequence[Step]) -> None:
        check_chain(steps, available={"raw"})
        self.steps = list(steps)
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
        except InputError as exc:
            result.errors.append(exc)
        except Exception as exc:  # a bug must cost one file, not the run; the message is kept
            log.debug("internal error on %s\n%s", path, traceback.format_exc())
            result.articles.clear()
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
    return Pipeline(steps)


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
