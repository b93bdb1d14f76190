"""Ray executor: the same steps on Ray Data, over groups of consecutive files.

Input files are cut deterministically into groups of ``files_per_task`` consecutive files;
each group is one row of a Ray Data dataset, mapped by a pool of actors, each of which
builds and sets up the pipeline once (models loaded once per worker). A group's
:class:`~nyhetsvakt.pipeline.FileResult` objects travel back whole (pickled), so whatever
a worker puts on them reaches the caller unchanged. Results come back in input order
(``preserve_order``), so the output equals the in-process executor's.

A worker that dies (out of memory, a crash in native code) does not stop the run: the
files not yet returned are redone as plain Ray tasks (the pipeline again built once per
worker process), a group at a time and, for a group whose worker dies again, file by
file, so only the file that really kills a worker is reported (as the process executor
does).

Ray started here is local and loopback only: every Ray process binds to and talks over
127.0.0.1, usage statistics are off, no dashboard; it is shut down when the run ends.
Given an address (``--address``, or Ray's own ``RAY_ADDRESS``), the executor connects to
that cluster instead and leaves it running. stdin can only be read by this process, so
``-`` is processed here. Only this module imports Ray; Ray is an optional extra
(``pip install nyhetsvakt[ray]``).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import pickle
import socket
import sys
import warnings
from collections import deque
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from ..errors import InputError, PipelineError
from ..pipeline import FileResult, Pipeline, PipelineOptions, build_pipeline
from .base import Executor

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["FILES_PER_TASK", "OBJECT_STORE_BYTES", "RayExecutor", "ray_cluster"]

# Files per Ray task: a task costs a few milliseconds to schedule, a text dump file of 20
# articles about 0.3 s to process, so 8 keeps the overhead under 1 % while a small run
# still spreads over every worker.
FILES_PER_TASK = 8
# The object store of a Ray started here. Groups stream through it with backpressure, so
# a few hundred MiB hold many groups in flight; the default (30 % of RAM) is far more.
OBJECT_STORE_BYTES = 512 * 1024 * 1024
# Seconds to wait for a cluster's address to answer before giving up.
CONNECT_TIMEOUT = 10
# Groups in flight per worker while files are redone as plain tasks.
WINDOW_PER_WORKER = 2

INSTALL_HINT = "the ray executor needs `pip install nyhetsvakt[ray]`"

log = logging.getLogger(__name__)


def _import_ray(loopback: bool) -> Any:
    """Import Ray with what must be set before its import: usage statistics off and, for a
    Ray on this machine, every address on loopback (Ray otherwise binds to the machine's
    outward address)."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if loopback and "ray" not in sys.modules:
        # Ray's switch for a single-machine Ray: node addresses stay on 127.0.0.1.
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise PipelineError(f"{INSTALL_HINT} ({exc})") from None
    return ray


@contextlib.contextmanager
def _quiet_ray_data() -> Iterator[None]:
    """Ray Data logs every execution plan and progress line at INFO on stderr, where the
    CLI reports failed inputs: keep its warnings and errors only, during the run."""
    levels = {"ray.data": logging.WARNING, "ray.data._internal.progress": logging.ERROR,
              # a dead worker's stack traces: the executor handles (or raises) every such error
              "ray.data.exceptions": logging.CRITICAL,
              "ray.data._internal.execution.streaming_executor_state": logging.CRITICAL}
    before = {name: logging.getLogger(name).level for name in levels}
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    try:
        yield
    finally:
        for name, level in before.items():
            logging.getLogger(name).setLevel(level)


def _is_loopback(address: str | None) -> bool:
    if address in (None, "", "local"):
        return True
    host = address.rsplit(":", 1)[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_reachable(address: str) -> None:
    """Fail fast on a cluster address nothing answers at (Ray itself retries for minutes)."""
    host, sep, port = address.rpartition(":")
    if "://" in address or not sep or not port.isdigit():
        return  # "auto", a Ray Client URL: Ray resolves those
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        raise PipelineError(f"no Ray cluster answers at {address}: {exc.strerror or exc}") from None


@contextlib.contextmanager
def _notices_to_stderr(ray: Any) -> Iterator[None]:
    """Ray prints the raylet's notices (a worker died) on stdout, where ``analyze`` writes
    its JSON lines: send them to stderr while this module's Ray session lasts."""
    module = getattr(getattr(ray, "_private", None), "worker", None)
    original = getattr(module, "print_to_stdstream", None)
    if original is None:  # another Ray version: nothing to redirect
        yield
        return

    def to_stderr(data: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        return original({**data, "is_err": True}, *args, **kwargs)

    module.print_to_stdstream = to_stderr
    try:
        yield
    finally:
        module.print_to_stdstream = original


@contextlib.contextmanager
def ray_cluster(address: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """Ray for the duration of a block: the one already initialised in this process, the
    cluster at ``address`` (or ``RAY_ADDRESS``), or else a local one started here on
    127.0.0.1 with ``workers`` CPUs. Whatever this call started or connected is shut down
    at the end; a Ray initialised before is left as it was.
    """
    address = address or os.environ.get("RAY_ADDRESS") or None
    ray = _import_ray(loopback=_is_loopback(address))
    if ray.is_initialized():
        yield ray
        return
    if address:
        _check_reachable(address)
        try:
            with _notices_to_stderr(ray):
                ray.init(address=address, log_to_driver=False, ignore_reinit_error=True,
                         logging_level=logging.WARNING)
                yield ray
        finally:
            ray.shutdown()
        return
    # Ray says, as a warning, that it protects the cluster with a token: that is expected.
    logging.getLogger("ray._private.authentication.authentication_token_setup").setLevel(logging.ERROR)
    # Read by Ray when it resolves 127.0.0.1 (to the machine's outward address, unless off).
    # Set from the environment at Ray's import; forced here in case Ray was imported before.
    constants = ray._private.ray_constants
    cluster_mode = constants.ENABLE_RAY_CLUSTER
    constants.ENABLE_RAY_CLUSTER = False
    try:
        with _notices_to_stderr(ray):
            ray.init(address="local", num_cpus=workers or os.cpu_count() or 1, include_dashboard=False,
                     _node_ip_address="127.0.0.1", object_store_memory=OBJECT_STORE_BYTES,
                     log_to_driver=False, ignore_reinit_error=True, logging_level=logging.WARNING)
            yield ray
    finally:
        ray.shutdown()
        constants.ENABLE_RAY_CLUSTER = cluster_mode


class _GroupWorker:
    """A Ray Data actor: builds the pipeline once, then maps groups of files to results.

    ``options`` and ``sys_path`` are class attributes set by :func:`_worker_class`, so they
    travel with the class rather than as constructor arguments in the object store.
    """

    options: PipelineOptions = PipelineOptions()
    sys_path: tuple[str, ...] = ()

    def __init__(self) -> None:
        _extend_sys_path(self.sys_path)
        self.pipeline = build_pipeline(self.options)
        self.pipeline.setup()

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        blobs = [_process_group(self.pipeline, paths) for paths in batch.column("paths").to_pylist()]
        return pa.table({"group": batch.column("group"), "results": pa.array(blobs, pa.large_binary())})


def _worker_class(options: PipelineOptions) -> type:
    return type("NyhetsvaktWorker", (_GroupWorker,), {"options": options, "sys_path": tuple(sys.path)})


def _extend_sys_path(paths: Sequence[str]) -> None:
    """Make the driver's modules (a user's extra steps) importable in a worker on this machine."""
    for p in paths:
        if p and p not in sys.path and os.path.isdir(p):
            sys.path.append(p)


def _process_group(pipeline: Pipeline, paths: Sequence[str]) -> bytes:
    return pickle.dumps([pipeline.process_source(p) for p in paths], protocol=pickle.HIGHEST_PROTOCOL)


# Plain Ray tasks, used only to redo files after a worker died: one pipeline per worker
# process, rebuilt only when the options change.
_task_pipeline: tuple[PipelineOptions, Pipeline] | None = None


def _task_process(options: PipelineOptions, sys_path: Sequence[str], paths: Sequence[str]) -> bytes:
    global _task_pipeline
    if _task_pipeline is None or _task_pipeline[0] != options:
        _extend_sys_path(sys_path)
        _task_pipeline = (options, build_pipeline(options))
        _task_pipeline[1].setup()
    return _process_group(_task_pipeline[1], paths)


class RayExecutor(Executor):
    name = "ray"

    def __init__(self, workers: int | None = None, address: str | None = None,
                 files_per_task: int = FILES_PER_TASK) -> None:
        self.workers = workers
        self.address = address
        self.files_per_task = max(1, files_per_task)

    def run(self, options: PipelineOptions, paths: Sequence[str], *,
            stdin: BinaryIO | None = None) -> Iterator[FileResult]:
        files = [p for p in paths if p != "-"]
        local: Pipeline | None = None
        with ray_cluster(self.address, self.workers) as ray, _quiet_ray_data():
            results = self._results(ray, options, files)
            try:
                for path in paths:
                    if path == "-":  # read here, in order, when its turn comes
                        if local is None:
                            local = build_pipeline(options)
                        yield local.process_source(path, stdin=stdin)
                    else:
                        yield next(results)
            finally:
                results.close()  # Ray Data's iterator ends while Ray is still up

    def _pool_size(self, ray: Any) -> int:
        return self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))

    def _results(self, ray: Any, options: PipelineOptions, files: list[str]) -> Iterator[FileResult]:
        done = 0
        try:
            for result in self._stream(ray, options, files):
                done += 1
                yield result
        except ray.exceptions.RayError as exc:  # a worker died: redo the rest without Ray Data
            log.debug("ray dataset failed after %d of %d files: %s", done, len(files), exc)
            yield from self._isolate(ray, options, files[done:])

    def _stream(self, ray: Any, options: PipelineOptions, files: list[str]) -> Iterator[FileResult]:
        """Every file through Ray Data, in order."""
        n = self.files_per_task
        groups = [{"group": i, "paths": files[start:start + n]}
                  for i, start in enumerate(range(0, len(files), n))]
        if not groups:
            return
        with warnings.catch_warnings():  # Ray Data's own deprecations, raised as its context is made
            warnings.simplefilter("ignore", DeprecationWarning)
            ds = ray.data.from_items(groups, override_num_blocks=len(groups))
            context = ds.context
            context.execution_options.preserve_order = True
            context.enable_progress_bars = False
            context.enable_auto_log_stats = False
            ds = ds.map_batches(
                _worker_class(options), batch_size=1, batch_format="pyarrow",
                compute=ray.data.ActorPoolStrategy(size=min(self._pool_size(ray), len(groups))),
                # A dead worker is not restarted: its group fails the dataset, and _isolate
                # takes the rest (Ray's retries would run a file that kills workers forever).
                num_cpus=1, max_restarts=0, max_task_retries=0)
        expected = 0
        for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=1):
            for group, blob in zip(batch.column("group").to_pylist(), batch.column("results").to_pylist(),
                                   strict=True):
                if group != expected:  # preserve_order promises this; a silent reorder would be a bug
                    raise PipelineError(f"ray returned group {group} where {expected} was due")
                expected += 1
                yield from pickle.loads(blob)

    def _isolate(self, ray: Any, options: PipelineOptions, files: list[str]) -> Iterator[FileResult]:
        """Redo files as plain tasks after a worker died: groups first, then a group whose
        worker died again file by file, so only the file that kills a worker is blamed."""
        task = ray.remote(num_cpus=1, max_retries=0)(_task_process)
        sys_path = tuple(sys.path)
        n = self.files_per_task
        pending = deque(files[start:start + n] for start in range(0, len(files), n))
        window = self._pool_size(ray) * WINDOW_PER_WORKER
        in_flight: deque[tuple[list[str], Any]] = deque()
        while pending or in_flight:
            while pending and len(in_flight) < window:
                group = pending.popleft()
                in_flight.append((group, task.remote(options, sys_path, group)))
            group, ref = in_flight.popleft()
            try:
                yield from pickle.loads(ray.get(ref))
            except ray.exceptions.RayError:
                for path in group:
                    try:
                        yield from pickle.loads(ray.get(task.remote(options, sys_path, [path])))
                    except ray.exceptions.RayError as exc:
                        log.debug("worker died on %s: %s", path, exc)
                        yield _died(path)


def _died(path: str) -> FileResult:
    return FileResult(path, errors=[InputError(path, "the worker process reading it died "
                                                     "(out of memory or a crash in native code)")])
