"""Steps, chain checks, executors and the output contract."""

from __future__ import annotations

import jsonschema
import pytest

import nyhetsvakt
from nyhetsvakt import Pipeline, PipelineError, PipelineOptions, analyze, article_schema
from nyhetsvakt.steps.base import ArticleStep


class NeedsEntities(ArticleStep):
    name = "needs-entities"
    requires = frozenset({"entities"})

    def process(self, article):  # pragma: no cover - never runs
        pass


def test_chain_check_fails_fast():
    from nyhetsvakt.segment import SegmentStep

    with pytest.raises(PipelineError, match=r"needs-entities.*entities"):
        Pipeline([SegmentStep(), NeedsEntities()])


def _contracts(results):
    return [a.to_contract() for r in results for a in r.articles]


def test_process_executor_equals_local(examples_dir):
    local = _contracts(analyze([str(examples_dir)], executor="local"))
    pooled = _contracts(analyze([str(examples_dir)], executor="process", workers=2))
    assert local == pooled and len(local) == 11


def test_every_article_fits_the_schema(examples_dir):
    schema = article_schema()
    for contract in _contracts(analyze([str(examples_dir)])):
        jsonschema.validate(contract, schema)


def test_options_without_language():
    pipeline = nyhetsvakt.build_pipeline(PipelineOptions(detect_language=False))
    assert [s.name for s in pipeline.steps] == ["segment"]


def test_public_api_is_deliberate():
    exported = set(nyhetsvakt.__all__)
    public = {n for n in dir(nyhetsvakt) if not n.startswith("_")} - {"annotations"}
    modules = {n for n in public if type(getattr(nyhetsvakt, n)).__name__ == "module"}
    assert public - modules <= exported | {"json", "resources", "Any"}
    for name in exported:
        assert hasattr(nyhetsvakt, name), name
