"""Local process-pool executor.

Each worker builds and sets up the pipeline once (its initializer), then takes one
file at a time. Results come back in input order (``imap``), so the output equals
the in-process executor's. Workers are started with ``forkserver`` rather than
``fork``: native libraries with threads (the language model) are not fork-safe.
stdin can only be read by the main process, so ``-`` is processed there.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from ..pipeline import FileResult, Pipeline, PipelineOptions, build_pipeline
from .base import Executor

_worker_pipeline: Pipeline | None = None


def _init_worker(options: PipelineOptions) -> None:
    global _worker_pipeline
    _worker_pipeline = build_pipeline(options)
    _worker_pipeline.setup()


def _process(path: str) -> FileResult:
    assert _worker_pipeline is not None, "worker not initialised"
    return _worker_pipeline.process_source(path)


class ProcessExecutor(Executor):
    name = "process"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1

    def run(self, options: PipelineOptions, paths: Sequence[str], *,
            stdin: BinaryIO | None = None) -> Iterator[FileResult]:
        files = [p for p in paths if p != "-"]
        if "-" in paths:
            local = build_pipeline(options)
            local.setup()
        ctx = mp.get_context("forkserver")
        with ctx.Pool(self.workers, initializer=_init_worker, initargs=(options,)) as pool:
            results = pool.imap(_process, files, chunksize=1)
            for path in paths:
                yield local.process_source(path, stdin=stdin) if path == "-" else next(results)
