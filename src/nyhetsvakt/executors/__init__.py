"""Executors run the pipeline over input files. Steps never know which one runs them.

- ``local``: in this process, one file after another (the default).
- ``process``: a pool of local worker processes, each building the pipeline once.
- ``ray`` (later, optional extra): Ray Data over the same steps.

Every executor yields :class:`~nyhetsvakt.pipeline.FileResult` objects in input order,
so runs are deterministic whatever the executor.
"""

from __future__ import annotations

from .base import Executor
from .local import LocalExecutor
from .process import ProcessExecutor

__all__ = ["EXECUTORS", "Executor", "LocalExecutor", "ProcessExecutor", "make_executor"]

EXECUTORS = ("local", "process")


def make_executor(name: str, workers: int | None = None) -> Executor:
    if name == "local":
        return LocalExecutor()
    if name == "process":
        return ProcessExecutor(workers=workers)
    raise ValueError(f"unknown executor {name!r} (choose from {', '.join(EXECUTORS)})")
