"""Command-line paths to the list of files to read, in a deterministic order."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import UsageError

STDIN = "-"
_GLOB_CHARS = frozenset("*?[")


def expand_inputs(paths: Sequence[str]) -> list[str]:
    """Files to read, in a deterministic order.

    Directories are walked recursively in sorted order, skipping hidden files and
    directories (names starting with "."); glob patterns (``*``, ``?``, ``[…]``, and
    ``**`` for any depth) are expanded and sorted; ``-`` (stdin) is kept as is. A file
    named twice is read once, where it first appears. A path that does not exist, or a
    pattern that matches nothing, raises :class:`~nyhetsvakt.errors.UsageError`.
    """
    out: list[str] = []
    seen: set[str] = set()

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
                raise UsageError(f"no file matches {given!r}")
            for match in matches:
                for path in (_walk(match) if os.path.isdir(match) else [match]):
                    add(path)
        else:
            raise UsageError(f"no such file or directory: {given!r}")
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
