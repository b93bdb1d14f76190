"""Errors, typed by what the caller should do.

- :class:`NyhetsvaktError` — base of everything below.
  - :class:`InputError` — one input (file, WARC record, JSON line) cannot be read;
    report it with its ``uri`` and ``reason``, skip it, and go on with the run.
  - :class:`PipelineError` — the steps do not fit together (a step requires a field
    nothing before it assigns); fatal, raised before any record is processed.
  - :class:`StoreError` — the database cannot be opened or written (read-only file,
    disk full, schema from a newer version); fatal for the run, nothing committed is lost.
  - :class:`UsageError` — bad arguments from the user (CLI exit code 2).
"""

from __future__ import annotations


class NyhetsvaktError(Exception):
    """Base class for all errors raised by nyhetsvakt."""


class InputError(NyhetsvaktError):
    """An input could not be read. Skip it, report ``uri: reason``, go on."""

    def __init__(self, uri: str, reason: str) -> None:
        super().__init__(f"{uri}: {reason}")
        self.uri = uri
        self.reason = reason


class PipelineError(NyhetsvaktError):
    """The pipeline is mis-assembled; raised before running."""


class StoreError(NyhetsvaktError):
    """The store cannot be opened or written."""


class UsageError(NyhetsvaktError):
    """Bad arguments."""
