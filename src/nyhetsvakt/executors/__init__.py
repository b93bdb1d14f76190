"""Executors run the pipeline over input files. Steps never know which one runs them.

- ``local``: in this process, one file after another (the default).
- ``process``: a pool of local worker processes, each building the pipeline once.
- ``ray``: Ray Data over the same steps, on a local Ray (loopback only) or a cluster
  (optional extra: ``pip install nyhetsvakt[ray]``). Only :mod:`.ray` imports Ray.

Every executor yields :class:`~nyhetsvakt.pipeline.FileResult` objects in input order,
so runs are deterministic whatever the executor.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from .base import Executor
from .local import LocalExecutor
from .process import ProcessExecutor

__all__ = ["EXECUTORS", "Executor", "LocalExecutor", "ProcessExecutor", "executor_session", "make_executor"]

EXECUTORS = ("local", "process", "ray")


def make_executor(name: str, workers: int | None = None, address: str | None = None) -> Executor:
    """The executor called ``name``; ``address`` is the Ray cluster for ``ray`` (default: a
    local Ray started for the run, or ``RAY_ADDRESS``)."""
    if name == "local":
        return LocalExecutor()
    if name == "process":
        return ProcessExecutor(workers=workers)
    if name == "ray":
        from .ray import RayExecutor

        return RayExecutor(workers=workers, address=address)
    raise ValueError(f"unknown executor {name!r} (choose from {', '.join(EXECUTORS)})")


@contextlib.contextmanager
def executor_session(name: str, workers: int | None = None, address: str | None = None) -> Iterator[None]:
    """Keep what an executor connects to open across several runs (one Ray for a whole
    batch run instead of one per pass); a no-op for the local executors."""
    if name != "ray":
        yield
        return
    from .ray import ray_cluster

    with ray_cluster(address, workers):
        yield
