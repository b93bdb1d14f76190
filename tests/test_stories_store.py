"""Stories through ingest, the store and the CLI: the seeds' officer story, incremental runs,
recluster, and the gold grouping."""

from __future__ import annotations

import json

from click.testing import CliRunner

from nyhetsvakt import NewsArchive
from nyhetsvakt.cli import cli
from nyhetsvakt.pipeline import PipelineOptions

OPTS = PipelineOptions(ner_model=False)
OFFICER_SV, OFFICER_NB = "000_30c9a46bdec557f4#1", "004_2d5c5d973ad852de#1"


def _grouping(archive):
    return {a.id: a.story_id for a in archive.store.iter_articles()}


def _gold_groups(gold):
    return sorted(sorted(s["members"]) for s in gold["stories"])


def _our_groups(grouping):
    groups: dict[str, list[str]] = {}
    for aid, sid in grouping.items():
        groups.setdefault(sid, []).append(aid)
    return sorted(sorted(v) for v in groups.values())


def test_seed_stories_as_gold_through_the_store(store_url, shared_dir, gold, tmp_path):
    with NewsArchive(store_url) as archive:
        archive.ingest([str(shared_dir / "seeds")], options=OPTS)
        grouping = _grouping(archive)
        assert _our_groups(grouping) == _gold_groups(gold)
        for pair in gold["related_not_same_story"]:
            assert grouping[pair["a"]] != grouping[pair["b"]]
        record = archive.story(grouping[OFFICER_SV])
    assert set(record["articles"]) == {OFFICER_SV, OFFICER_NB}
    assert set(record["languages"]) == {"sv", "nb"}
    assert record["title"]
    assert any(link["kind"] in ("rewrite", "same_story") for link in record["links"])


def test_a_later_run_joins_the_stored_story(store_url, examples_dir, tmp_path):
    db = store_url
    # The Swedish report in one run, the Norwegian retelling in a later one: the same story
    # as when both come in one run.
    from nyhetsvakt.api import analyze

    (sv,) = [a for r in analyze([str(examples_dir / "000_30c9a46bdec557f4.txt")], options=OPTS)
             for a in r.articles if a.id == OFFICER_SV]
    lines = (examples_dir / "000_30c9a46bdec557f4.txt").read_text("utf-8").split("\n")
    first = tmp_path / "000_30c9a46bdec557f4.txt"
    first.write_text("\n".join(lines[sv.source.line_start - 1:sv.source.line_end]) + "\n", "utf-8")
    with NewsArchive(db) as archive:  # with an older article: key weights need a corpus
        archive.ingest([str(first), str(examples_dir / "001_05a0466f22381025.txt")], options=OPTS)
    with NewsArchive(db) as archive:  # a new process: the clusterer is warmed from the store
        archive.ingest([str(examples_dir / "004_2d5c5d973ad852de.txt")], options=OPTS)
        grouping = _grouping(archive)
        assert grouping[OFFICER_NB] == grouping[OFFICER_SV]
        record = archive.story(grouping[OFFICER_SV])
    assert set(record["articles"]) == {OFFICER_SV, OFFICER_NB}


def test_recluster_rebuilds_the_same_stories(store_url, shared_dir, tmp_path):
    with NewsArchive(store_url) as archive:
        archive.ingest([str(shared_dir / "seeds")], options=OPTS)
        before = _our_groups(_grouping(archive))
        n = archive.recluster()
        after = _our_groups(_grouping(archive))
        assert n == len(after) and before == after
        assert len(archive.stories(limit=100)) == n


def test_stories_commands(store_url, examples_dir, tmp_path):
    db = store_url
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "ingest", "--no-progress", str(examples_dir)]).exit_code == 0
    def listed(*args):
        out = runner.invoke(cli, ["--db", db, "stories", "--json", *args]).stdout
        return [json.loads(x) for x in out.splitlines()]

    rows = listed("--min-size", "2")
    assert len(rows) == 1 and rows[0]["size"] == 2 and set(rows[0]["languages"]) == {"sv", "nb"}
    assert [r["size"] for r in listed("--lang", "nb")] == [2]
    shown = runner.invoke(cli, ["--db", db, "story", rows[0]["story_id"]])
    assert shown.exit_code == 0 and OFFICER_NB in shown.stdout
    assert runner.invoke(cli, ["--db", db, "story", "s-nothing"]).exit_code == 1
    assert runner.invoke(cli, ["--db", db, "recluster"]).stdout.strip().endswith("stories")


def test_search_by_story_after_recluster(store_url, examples_dir, tmp_path):
    from nyhetsvakt.store import ArticleFilter

    with NewsArchive(store_url) as archive:
        archive.ingest([str(examples_dir)], options=OPTS)
        archive.recluster()
        story = _grouping(archive)[OFFICER_SV]
        hits = archive.store.search("soldater", ArticleFilter(story=story), limit=10).items
        assert {h.id for h in hits} <= {OFFICER_SV, OFFICER_NB} and hits
        # deleting after a recluster keeps the index consistent: re-ingesting an edited file works
        edited = tmp_path / "004_2d5c5d973ad852de.txt"
        edited.write_text((examples_dir / "004_2d5c5d973ad852de.txt").read_text("utf-8").replace(
            "Lav kampmoral", "Lav moral"), "utf-8")
        archive.ingest([str(edited)], options=OPTS)
        assert archive.store.search("soldater", limit=20).items


def test_a_deleted_article_takes_its_story_links_with_it(store_url, examples_dir, tmp_path):
    seed = examples_dir / "000_30c9a46bdec557f4.txt"
    copy = tmp_path / seed.name
    copy.write_bytes(seed.read_bytes())
    nb = str(examples_dir / "004_2d5c5d973ad852de.txt")
    with NewsArchive(store_url) as archive:
        archive.ingest([str(copy), nb], options=OPTS)
        story = _grouping(archive)[OFFICER_NB]
        links = archive.story(story)["links"]
        assert {(ln["article"], ln["other"]) for ln in links} == {(OFFICER_NB, OFFICER_SV)}
        sv = archive.show(OFFICER_SV)
    # The file is edited: the Swedish report is gone from it, and with it its links.
    lines = copy.read_text("utf-8").split("\n")
    del lines[sv.source.line_start - 1:sv.source.line_end]
    copy.write_text("\n".join(lines), "utf-8")
    with NewsArchive(store_url) as archive:
        archive.ingest([str(copy)], options=OPTS)
        assert archive.show(sv.store_key()) is None
        assert archive.story(story)["links"] == []
