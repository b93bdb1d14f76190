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
    assert [s.name for s in pipeline.steps] == ["segment", "entities", "attribution"]
    bare = nyhetsvakt.build_pipeline(
        PipelineOptions(detect_language=False, entities=False, attribution=False))
    assert [s.name for s in bare.steps] == ["segment"]


def test_default_steps():
    pipeline = nyhetsvakt.build_pipeline()
    assert [s.name for s in pipeline.steps] == ["segment", "language", "entities", "attribution"]


def test_public_api_is_deliberate():
    exported = set(nyhetsvakt.__all__)
    public = {n for n in dir(nyhetsvakt) if not n.startswith("_")} - {"annotations"}
    modules = {n for n in public if type(getattr(nyhetsvakt, n)).__name__ == "module"}
    assert public - modules <= exported | {"json", "resources", "Any"}
    for name in exported:
        assert hasattr(nyhetsvakt, name), name


def test_a_dying_worker_is_reported_not_hung(examples_dir, tmp_path):
    """A worker killed mid-file (as by the OOM killer) costs that file, not the run."""
    import shutil

    for f in sorted(examples_dir.glob("*.txt")):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "003_killer.txt").write_text("Rubrik\n\n2022 05 23\n\nKILL-THIS-WORKER.\n")
    options = PipelineOptions(extra_steps=("steps_for_tests:KillWorkerOnMarker",))
    results = list(analyze([str(tmp_path)], options=options, executor="process", workers=2))
    by_name = {r.uri.rsplit("/", 1)[1]: r for r in results}
    assert "died" in by_name["003_killer.txt"].errors[0].reason
    assert sum(len(r.articles) for r in results) == 11 and len(results) == 6


def test_extra_steps_run_in_every_executor(examples_dir):
    options = PipelineOptions(extra_steps=("steps_for_tests:Shout",))
    for executor in ("local", "process"):
        heads = [a.headline for r in analyze([str(examples_dir)], options=options, executor=executor)
                 for a in r.articles if a.headline]
        assert heads and all(h == h.upper() for h in heads)


def test_bad_extra_step_is_a_pipeline_error():
    with pytest.raises(PipelineError, match="cannot be loaded"):
        nyhetsvakt.build_pipeline(PipelineOptions(extra_steps=("no_such_module:Step",)))
