"""Where the evaluation and training data lives (``shared/`` beside the repository).

It is never part of the package; tests, benchmarks and training scripts find it here, or
through ``$NYHETSVAKT_SHARED``.
"""

from __future__ import annotations

import os
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]


def find_shared() -> Path | None:
    """The ``shared/`` folder (the one holding ``data/``), or None where it is absent."""
    env = os.environ.get("NYHETSVAKT_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [_REPO.parent / "shared", _REPO.parent.parent / "shared", Path.cwd().parent / "shared"]
    return next((c for c in candidates if (c / "data").is_dir()), None)
