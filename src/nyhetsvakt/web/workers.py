"""Where the web app touches the store: reader threads and one writer thread.

SQLite connections belong to the thread that opened them. :class:`Readers` is a small
pool of threads, each holding its own read-only archive (``NewsArchive(db,
read_only=True)``: ``mode=ro`` and ``query_only``, so a read endpoint cannot write even
by mistake), opened at its first task and kept, so its page cache stays warm. The pool's
size also bounds how many queries run at once. :class:`Writer` is one thread that opens a
writable archive per task and closes it after: SQLite has one writer, so writes queue
here instead of waiting on each other's locks.

Request handlers stay ``async`` and hand their store work (and the rendering that
follows) to these threads, so the event loop never waits on the disk.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from ..api import NewsArchive

__all__ = ["Readers", "Writer"]

T = TypeVar("T")

# Seconds the reader threads wait for each other when the app shuts down.
CLOSE_WAIT = 5.0


class Readers:
    """A pool of threads with one read-only archive each."""

    def __init__(self, db: str, threads: int) -> None:
        self.db = db
        self.threads = threads
        self._local = threading.local()
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="nyhetsvakt-read")
            return self._executor

    def _archive(self) -> NewsArchive:
        archive = getattr(self._local, "archive", None)
        if archive is None:
            archive = self._local.archive = NewsArchive(self.db, read_only=True)
        return archive

    def _call(self, fn: Callable[[NewsArchive], T]) -> T:
        archive = self._archive()
        try:
            archive.store  # noqa: B018 - opens the store, or raises StoreError (503)
        except BaseException:
            archive.close()  # nothing opened: the next task retries
            raise
        return fn(archive)

    async def run(self, fn: Callable[[NewsArchive], T]) -> T:
        """``fn(archive)`` in a reader thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool(), functools.partial(self._call, fn))

    def close(self) -> None:
        """Stop the threads (their archives close with them)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            # One task per thread (each waits for the others), so every thread closes its own.
            barrier = threading.Barrier(self.threads)
            for _ in range(self.threads):
                executor.submit(self._close_local, barrier)
            executor.shutdown(wait=True)

    def _close_local(self, barrier: threading.Barrier) -> None:
        archive = getattr(self._local, "archive", None)
        if archive is not None:
            archive.close()
            self._local.archive = None
        try:
            barrier.wait(timeout=CLOSE_WAIT)
        except threading.BrokenBarrierError:
            pass  # a thread busy past the wait closes its connection when it ends


class Writer:
    """One thread for everything that writes; a writable archive per task."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="nyhetsvakt-write")
            return self._executor

    def _call(self, fn: Callable[[NewsArchive], T]) -> T:
        with NewsArchive(self.db) as archive:
            return fn(archive)

    async def run(self, fn: Callable[[NewsArchive], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool(), functools.partial(self._call, fn))

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
