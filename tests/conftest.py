"""Shared fixtures.

``shared_dir`` locates the evaluation data beside the repository (``../shared``, or
``$NYHETSVAKT_SHARED``); tests that need it skip with a clear reason where it is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nyhetsvakt._evaldata import find_shared

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


SHARED = find_shared()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if SHARED is None:
        pytest.skip("evaluation data not found: put the shared/ folder beside the repository "
                    "or set NYHETSVAKT_SHARED (CI always has it)")
    return SHARED


@pytest.fixture(scope="session")
def gold() -> dict:
    """The hand-made answer key for the seed files (a copy is kept as a fixture)."""
    return json.loads((FIXTURES / "gold_seeds.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES
