"""Watch mode: ingest the files that arrive in a folder (a newsroom drop folder).

:class:`DropFolder` polls its folders, and a file is ingested once it has *settled*: its
size and modification time have not changed since the previous look, and it was last written
at least ``settle`` seconds ago, so a file still being copied in is left for a later
poll. Hidden files (a name starting with ".", how many tools write before renaming) and
names matching an ``ignore`` pattern (``*.part``, ``*.tmp`` …) are never read.

Everything goes through :meth:`NewsArchive.ingest <nyhetsvakt.api.NewsArchive.ingest>`,
so each file is stored with its completion marker in one transaction, duplicates and
stories are assigned incrementally (the archive keeps its warm dedup index and story
clusterer from one poll to the next), and stopping at any moment is safe: a file is
either stored and marked, or redone after a restart. A file that failed is reported
once and not retried until it changes (a restart retries it once).

Polling, not file-system events: it works the same on local disks, network mounts and
containers, and costs one ``stat`` per file and poll.
"""

from __future__ import annotations

import fnmatch
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from threading import Event

from .api import IngestReport, NewsArchive
from .errors import InputError, UsageError
from .pipeline import FileResult, PipelineOptions
from .readers import expand_inputs

__all__ = ["DEFAULT_IGNORE", "DropFolder", "WatchTotals"]

# Names that copying tools and browsers give to files they are still writing.
DEFAULT_IGNORE = ("*.part", "*.partial", "*.tmp", "*.temp", "*.crdownload", "*.download", "*~", "*.swp")
# Files ingested per call, so a stop request waits for at most one such group.
BATCH_FILES = 200

Signature = tuple[int, int]  # (size, mtime_ns)


@dataclass
class WatchTotals:
    """What a watch did since it started."""

    polls: int = 0
    files: int = 0
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    errors: int = 0
    waiting: int = 0  # files seen in the last poll that had not settled yet

    def add(self, report: IngestReport) -> None:
        self.files += report.files
        self.added += report.added
        self.unchanged += report.unchanged
        self.replaced += report.replaced
        self.errors += len(report.errors)


@dataclass
class DropFolder:
    """Ingests the files under ``folders`` into ``archive`` as they arrive.

    ``on_file(uri, result)`` is called for each file handled, as by ``ingest``.
    """

    archive: NewsArchive
    folders: Sequence[str]
    interval: float = 2.0
    settle: float = 1.0
    ignore: Sequence[str] = DEFAULT_IGNORE
    options: PipelineOptions | None = None
    executor: str = "local"
    workers: int | None = None
    address: str | None = None  # the Ray cluster for the ray executor
    on_file: Callable[[str, FileResult | None], None] | None = None
    totals: WatchTotals = field(default_factory=WatchTotals)
    # last signature seen per file, and the signature a file had when it was handled
    _seen: dict[str, Signature] = field(default_factory=dict, repr=False)
    _handled: dict[str, Signature] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for folder in self.folders:
            if not os.path.isdir(folder):
                raise UsageError(f"not a directory: {folder!r}")
        if self.interval <= 0 or self.settle < 0:
            raise UsageError("--interval must be above 0 and --settle 0 or more")

    def ready(self) -> list[str]:
        """The files that have settled and were not handled in their current state, oldest
        first (so stories see them in arrival order)."""
        now = time.time()
        seen: dict[str, Signature] = {}
        ready: list[tuple[int, str]] = []
        waiting = 0
        for path in expand_inputs(list(self.folders), []):
            name = os.path.basename(path)
            if any(fnmatch.fnmatch(name, pattern) for pattern in self.ignore):
                continue
            try:
                st = os.stat(path)
            except OSError:  # removed between the walk and the stat
                continue
            sig = (st.st_size, st.st_mtime_ns)
            seen[path] = sig
            if self._handled.get(path) == sig:
                continue
            # Changed since the last look: still being written. Unseen or unchanged, and last
            # written long enough ago: settled (a file moved in keeps its old mtime).
            before = self._seen.get(path)
            if (before is None or before == sig) and now - st.st_mtime_ns / 1e9 >= self.settle:
                ready.append((st.st_mtime_ns, path))
            else:
                waiting += 1
        self._seen = seen
        # forget files that were removed, so one that comes back is read again
        self._handled = {p: s for p, s in self._handled.items() if p in seen}
        self.totals.waiting = waiting
        return [path for _, path in sorted(ready)]

    def poll(self) -> IngestReport:
        """Look once and ingest what has settled."""
        report = IngestReport()
        self.totals.polls += 1
        ready = self.ready()
        for start in range(0, len(ready), BATCH_FILES):
            batch = ready[start:start + BATCH_FILES]
            got = self.archive.ingest(batch, options=self.options, executor=self.executor,
                                      workers=self.workers, on_file=self.on_file, address=self.address)
            for path in batch:
                self._handled[path] = self._seen[path]
            self.totals.add(got)
            report += got
        return report

    def run(self, stop: Event | None = None, *, once: bool = False) -> WatchTotals:
        """Poll every ``interval`` seconds until ``stop`` is set (or once)."""
        stop = stop or Event()
        while True:
            self.poll()
            if once or stop.wait(self.interval):
                return self.totals


def describe(result: FileResult | None, uri: str) -> str:
    """One line for a file handled by a watch."""
    if result is None:
        return f"= {uri}: already ingested"
    if result.errors and not result.articles:
        return f"! {uri}: {_reasons(result.errors)}"
    n = len(result.articles)
    return f"+ {uri}: {n} article{'' if n == 1 else 's'}"


def _reasons(errors: list[InputError]) -> str:
    return "; ".join(e.reason for e in errors[:3]) + (" …" if len(errors) > 3 else "")
