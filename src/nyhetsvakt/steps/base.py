"""The step contract.

A step has one job. It takes an iterator of records and yields records
(:meth:`Step.run`), loads anything expensive once in :meth:`Step.setup`, and
declares which record fields it needs (``requires``) and which it sets
(``assigns``). Steps never import an execution engine: executors call them.
:func:`check_chain` refuses a pipeline in which a step requires a field that no
earlier step assigns, before any record is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar

from ..errors import PipelineError
from ..records import Article


class Step:
    """Base class for pipeline steps."""

    name: ClassVar[str] = "step"
    requires: ClassVar[frozenset[str]] = frozenset()
    assigns: ClassVar[frozenset[str]] = frozenset()

    def setup(self) -> None:
        """Load models and data. Called once per worker before the first ``run``."""

    def run(self, records: Iterable[Any]) -> Iterator[Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class ArticleStep(Step):
    """A step that changes one article at a time: override :meth:`process`.

    Records that are not articles (input errors travelling with the stream) pass through.
    """

    def process(self, article: Article) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def run(self, records: Iterable[Any]) -> Iterator[Any]:
        for record in records:
            if isinstance(record, Article):
                self.process(record)
            yield record


def check_chain(steps: Sequence[Step], available: Iterable[str] = ()) -> None:
    """Raise :class:`PipelineError` unless every step's requirements are met by earlier steps."""
    have = set(available)
    for step in steps:
        missing = step.requires - have
        if missing:
            raise PipelineError(
                f"step {step.name!r} requires {sorted(missing)} but no earlier step assigns "
                f"{'it' if len(missing) == 1 else 'them'} (available: {sorted(have)})"
            )
        have |= step.assigns
