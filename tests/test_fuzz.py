"""Fuzzing the whole pipeline (reader → segmenter → language → entities → attribution) with
mutated real articles, bounded by hypothesis. The pipeline turns any exception into an
``internal error`` for the file, so the property is that no such error ever appears: bad
input may give an error that names the reason, never a crash."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nyhetsvakt.pipeline import PipelineOptions, build_pipeline

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEEDS = [p.read_bytes() for p in sorted(EXAMPLES.glob("*.txt"))]
# What the extractors look at: quotation marks and dashes, digits and separators, dates,
# cue words of every language, markup, and bytes that are not text.
PIECES = ["\n", "\n\n", "– ", "— ", "- ", "»", "«", "„", "“", "”", '"', ":", ", säger han", ", sier hun",
          ", siger han", ", said he", "enligt ", "ifølge ", "according to ", "uppges ", " 6 000 ",
          "\u00a0", "12,5 procent", "mellan 10 och 20", "2022 05 23", "Publicerad: 02 mars 2022",
          "LÄS OCKSÅ: ", "Foto: ", "<script>", "</p>", "&amp;", "\ufeff", "\u200b", "\x00", "\ufffd",
          "ÅÄÖ", "æøå", "Zelenskyj", "USA:s", "(", ")", "...", "?!"]

_edit = st.tuples(st.floats(0, 1), st.integers(0, 200),
                  st.one_of(st.sampled_from(PIECES).map(str.encode), st.binary(max_size=24)))


def _mutate(seed: bytes, edits: list[tuple[float, int, bytes]]) -> bytes:
    data = bytearray(seed)
    for where, cut, insert in edits:
        at = int(where * len(data))
        data[at:at + cut] = insert
    return bytes(data)


@pytest.fixture(scope="module")
def pipeline():
    p = build_pipeline(PipelineOptions())
    p.setup()
    return p


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(seed=st.sampled_from(range(len(SEEDS))), edits=st.lists(_edit, max_size=12), gz=st.booleans(),
       truncate=st.one_of(st.none(), st.floats(0, 1)))
def test_mutated_articles_never_crash_the_pipeline(pipeline, seed, edits, gz, truncate):
    data = _mutate(SEEDS[seed], edits)
    if gz:
        data = gzip.compress(data)
    if truncate is not None:
        data = data[: int(truncate * len(data))]
    result = pipeline.process_source("-", stdin=io.BytesIO(data))
    internal = [e.reason for e in result.errors if "internal error" in e.reason]
    assert not internal, internal
    for a in result.articles:  # what is kept stays consistent with the text it points into
        for e in a.entities:
            assert a.blocks[e["block"]].text[e["start"]:e["end"]] == e["text"]
        for q in a.quotes:
            assert 0 <= q["block"] < len(a.blocks)
        a.to_contract()
