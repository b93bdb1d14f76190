"""The executor interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from ..pipeline import FileResult, PipelineOptions


class Executor(ABC):
    name = "executor"

    @abstractmethod
    def run(self, options: PipelineOptions, paths: Sequence[str], *,
            stdin: BinaryIO | None = None) -> Iterator[FileResult]:
        """Process each path (``-`` is stdin) and yield its result, in input order."""
