"""Local process-pool executor.

Each worker builds and sets up the pipeline once (its initializer), then takes one file
at a time. Results come back in input order, so the output equals the in-process
executor's. At most ``WINDOW_PER_WORKER`` files per worker are in flight, so memory stays
flat however many files there are. Workers start with ``forkserver`` rather than ``fork``:
native libraries with threads (the language model) are not fork-safe.

A worker that dies (out of memory, a crash in native code) does not hang the run: the
files it may have been reading are reported as errors and a fresh pool takes the rest.
stdin can only be read by the main process, so ``-`` is processed there.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import BinaryIO

from ..errors import InputError
from ..pipeline import FileResult, Pipeline, PipelineOptions, build_pipeline
from .base import Executor

WINDOW_PER_WORKER = 4

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

    def _pool(self, options: PipelineOptions) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=mp.get_context("forkserver"),
                                   initializer=_init_worker, initargs=(options,))

    def run(self, options: PipelineOptions, paths: Sequence[str], *,
            stdin: BinaryIO | None = None) -> Iterator[FileResult]:
        local: Pipeline | None = None
        pending = iter(paths)
        window = self.workers * WINDOW_PER_WORKER
        in_flight: deque[tuple[str, Future[FileResult] | None]] = deque()
        pool = self._pool(options)
        try:
            while True:
                while len(in_flight) < window and (path := next(pending, None)) is not None:
                    # stdin is read here, in order, when its turn comes
                    in_flight.append((path, None if path == "-" else pool.submit(_process, path)))
                if not in_flight:
                    return
                path, future = in_flight.popleft()
                if future is None:
                    if local is None:
                        local = build_pipeline(options)
                    yield local.process_source(path, stdin=stdin)
                    continue
                try:
                    yield future.result()
                    continue
                except BrokenProcessPool:
                    pass
                # Everything in flight was lost with the pool. Retry this file alone in a fresh
                # pool, so only the file that really kills a worker is blamed; then resubmit the rest.
                lost = [p for p, _ in in_flight]
                in_flight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = self._pool(options)
                try:
                    yield pool.submit(_process, path).result()
                except BrokenProcessPool:
                    yield _died(path)
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._pool(options)
                for p in lost:
                    in_flight.append((p, None if p == "-" else pool.submit(_process, p)))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _died(path: str) -> FileResult:
    return FileResult(path, errors=[InputError(path, "the worker process reading it died "
                                                     "(out of memory or a crash in native code)")])
