"""In-process executor: one file after another, models loaded once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO

from ..pipeline import FileResult, PipelineOptions, build_pipeline
from .base import Executor


class LocalExecutor(Executor):
    name = "local"

    def run(self, options: PipelineOptions, paths: Sequence[str], *,
            stdin: BinaryIO | None = None) -> Iterator[FileResult]:
        pipeline = build_pipeline(options)
        pipeline.setup()
        for path in paths:
            yield pipeline.process_source(path, stdin=stdin)
