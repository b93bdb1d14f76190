"""duplicate_of through ingest and analyze: copies across runs, out of order, exact at any age."""

from __future__ import annotations

import json

from click.testing import CliRunner

from nyhetsvakt import NewsArchive
from nyhetsvakt.api import analyze
from nyhetsvakt.cli import cli
from nyhetsvakt.pipeline import PipelineOptions

OPTS = PipelineOptions(ner_model=False)


def _copy(examples_dir, tmp_path, name, *, edit=None, date_from=None, date_to=None):
    text = (examples_dir / "000_30c9a46bdec557f4.txt").read_text("utf-8")
    if edit:
        text = text.replace(*edit)
    if date_from:
        text = text.replace(date_from, date_to)
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _by_id(archive):
    return {a.id: a for a in archive.store.iter_articles()}


def test_copy_in_a_later_run_points_to_the_stored_origin(store_url, examples_dir, tmp_path):
    db = store_url
    with NewsArchive(db) as archive:
        archive.ingest([str(examples_dir)], options=OPTS)
    edited = _copy(examples_dir, tmp_path, "republished.txt",
                   edit=("Det skakar om.", "Det skakar om rejält."))
    with NewsArchive(db) as archive:  # a new process: the index is warmed from the store
        archive.ingest([str(edited)], options=OPTS)
        arts = _by_id(archive)
    assert arts["republished#2"].duplicate_of == "000_30c9a46bdec557f4#2"
    assert arts["republished#1"].duplicate_of == "000_30c9a46bdec557f4#1"
    assert arts["000_30c9a46bdec557f4#2"].duplicate_of is None
    # evidence says how it was found
    ev = [e for e in arts["republished#2"].evidence if e.step == "dedup"]
    assert ev and ev[0].score is not None and ev[0].score >= 0.7


def test_an_earlier_copy_arriving_later_becomes_the_origin(store_url, examples_dir, tmp_path):
    db = store_url
    with NewsArchive(db) as archive:
        archive.ingest([str(examples_dir / "000_30c9a46bdec557f4.txt")], options=OPTS)
        earlier = _copy(examples_dir, tmp_path, "first_print.txt",
                        date_from="2022 05 23", date_to="2022 05 20")
        archive.ingest([str(earlier)], options=OPTS)
        arts = _by_id(archive)
    assert arts["first_print#1"].duplicate_of is None
    assert arts["000_30c9a46bdec557f4#1"].duplicate_of == "first_print#1"
    # the stored record says the same as the column
    with NewsArchive(db, read_only=True) as archive:
        assert archive.show("000_30c9a46bdec557f4#1").duplicate_of == "first_print#1"


def test_rerun_changes_nothing(store_url, examples_dir, tmp_path):
    db = store_url
    copy = _copy(examples_dir, tmp_path, "copy.txt")
    with NewsArchive(db) as archive:
        archive.ingest([str(examples_dir), str(copy)], options=OPTS)
        first = {k: a.duplicate_of for k, a in _by_id(archive).items()}
    with NewsArchive(db) as archive:
        archive.ingest([str(examples_dir), str(copy)], options=OPTS)
        assert {k: a.duplicate_of for k, a in _by_id(archive).items()} == first
    assert sum(v is not None for v in first.values()) == 3


def test_analyze_marks_copies_within_the_run(examples_dir, tmp_path):
    copy = _copy(examples_dir, tmp_path, "zz_copy.txt")
    arts = {a.id: a for r in analyze([str(examples_dir), str(copy)], options=OPTS) for a in r.articles}
    assert arts["zz_copy#3"].duplicate_of == "000_30c9a46bdec557f4#3"
    # the Swedish and Norwegian retellings are one story, not copies
    assert arts["004_2d5c5d973ad852de#1"].duplicate_of is None
    off = {a.id: a for r in analyze([str(copy)], options=PipelineOptions(ner_model=False, dedup=False))
           for a in r.articles}
    assert all(a.duplicate_of is None for a in off.values())


def test_duplicates_command(store_url, examples_dir, tmp_path):
    db = store_url
    copy = _copy(examples_dir, tmp_path, "copy.txt")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db, "ingest", "--no-progress", str(examples_dir), str(copy)])
    assert result.exit_code == 0
    out = runner.invoke(cli, ["--db", db, "duplicates", "--json"]).stdout.splitlines()
    groups = [json.loads(line) for line in out]
    assert len(groups) == 3
    assert all(g["origin"]["id"].startswith("000_") for g in groups)
    assert all(g["copies"][0]["id"].startswith("copy#") for g in groups)
