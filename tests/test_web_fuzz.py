"""Property-based fuzzing of the JSON API from its own OpenAPI document (schemathesis).

Every operation gets generated requests, valid and invalid; every response must be no
server error, of a documented status and content type, and match its documented schema.
Bounded: a few examples per operation, the whole file in well under a minute.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install -e '.[web]')")
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from nyhetsvakt.web import create_app  # noqa: E402
from test_web_api import OPTIONS, TOKEN, build_store  # noqa: E402

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FUZZ = settings(
    max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
FUZZ_WRITES = settings(FUZZ, max_examples=10)


# The schema is read at import (schemathesis parametrizes at collection); the stores it
# serves are built before the first test runs.
WORK = Path(tempfile.mkdtemp(prefix="nyhetsvakt-fuzz-"))
READ_APP = create_app(WORK / "news.db")
WRITE_APP = create_app(
    WORK / "writable.db", token=TOKEN, max_upload_bytes=50_000, upload_dir=WORK / "up", pipeline=OPTIONS
)
reads = schemathesis.openapi.from_asgi("/openapi.json", READ_APP).include(method="GET")
writes = schemathesis.openapi.from_asgi("/openapi.json", WRITE_APP).include(method="POST")


@pytest.fixture(scope="module", autouse=True)
def stores(examples_dir: Path):
    build_store(WORK / "news.db", examples_dir)
    yield
    for app in (READ_APP, WRITE_APP):
        app.state.web.readers.close()
        app.state.web.writer.close()
    shutil.rmtree(WORK, ignore_errors=True)


@reads.parametrize()
@FUZZ
def test_reads(case) -> None:
    case.call_and_validate(checks=CHECKS)


@writes.parametrize()
@FUZZ_WRITES
def test_writes_without_the_token(case) -> None:
    response = case.call_and_validate(checks=CHECKS)
    # 405: the generator also tries the other methods on each path.
    allowed = (401, 413, 415, 422) if case.method == "POST" else (405,)
    assert response.status_code in allowed, (case.method, response.text)


@writes.parametrize()
@FUZZ_WRITES
def test_writes_with_the_token(case) -> None:
    response = case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code < 500
