"""Command-line paths to the list of files to read, in a deterministic order."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import InputError, UsageError

STDIN = "-"
_GLOB_CHARS = frozenset("*?[")


def expand_inputs(paths: Sequence[str], errors: list[InputError] | None = None) -> list[str]:
    """Files to read, in a deterministic order.

    Directories are walked recursively in sorted order, skipping hidden files and
    directories (names starting with "."); glob patterns (``*``, ``?``, ``[…]``, and
    ``**`` for any depth) are expanded and sorted; ``-`` (stdin) is kept as is. A file
    named twice is read once, where it first appears. A path that does not exist, or a
    pattern that matches nothing, raises :class:`~nyhetsvakt.errors.UsageError`; given an
    ``errors`` list, it is reported there as an :class:`~nyhetsvakt.errors.InputError` instead
    and the other paths are still expanded (an ingest run goes on past a missing file).
    """
    out: list[str] = []
    seen: set[str] = set()

    def missing(given: str, reason: str) -> None:
        if errors is None:
            raise UsageError(f"{reason}: {given!r}")
        errors.append(InputError(given, reason))

    def add(path: str) -> None:
        if path not in seen:
            seen.add(path)
            out.append(path)

    for given in paths:
        if given == STDIN:
            add(STDIN)
        elif os.path.isdir(given):
            for path in _walk(given):
                add(path)
        elif os.path.exists(given):
            add(given)
        elif _GLOB_CHARS & set(given):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                missing(given, "no file matches the pattern")
            for match in matches:
                for path in (_walk(match) if os.path.isdir(match) else [match]):
                    add(path)
        else:
            missing(given, "no such file or directory")
    return out


def _walk(root: str) -> Iterator[str]:
    """Regular files under ``root``, sorted by path component, hidden names skipped."""
    found = []
    for current, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(current).relative_to(root).parts
        for name in files:
            path = os.path.join(current, name)
            if not name.startswith(".") and os.path.isfile(path):
                found.append(((*rel, name), path))
    found.sort()
    return (path for _, path in found)
