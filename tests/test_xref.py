"""Teaser titles resolved to the stored article they name, whichever is stored first."""

from __future__ import annotations

import pytest

from nyhetsvakt import NewsArchive
from nyhetsvakt.pipeline import PipelineOptions

OPTS = PipelineOptions(ner_model=False)
TEASING, NAMED = "003_a6b0f0bae6cbd3b5.txt", "000_30c9a46bdec557f4.txt"


@pytest.mark.parametrize("order", [(NAMED, TEASING), (TEASING, NAMED)])
def test_teaser_resolved_in_either_order(store_url, examples_dir, tmp_path, order):
    with NewsArchive(store_url) as archive:
        for name in order:
            archive.ingest([str(examples_dir / name)], options=OPTS)
        refs = {x.teaser: x.target for x in archive.cross_references("003_a6b0f0bae6cbd3b5#2")}
    assert refs["Valuta störtdyker"] == "000_30c9a46bdec557f4#2"
    assert refs["UPPGIFTER: Trump kallar till stormöte"] is None  # not in the store


def test_gold_cross_references(store_url, shared_dir, gold, tmp_path):
    with NewsArchive(store_url) as archive:
        archive.ingest([str(shared_dir / "seeds")], options=OPTS)
        for ref in gold["cross_references"]:
            found = {x.teaser: x.target for x in archive.cross_references(ref["source"])}
            assert found.get(ref["teaser"]) == ref["target"]


def test_one_word_teasers_name_nothing_and_the_nearest_earlier_wins(store_url, tmp_path):
    from datetime import date

    from nyhetsvakt.records import Article, Block, Provenance
    from nyhetsvakt.store import open_store

    def art(i, headline, day, related=()):
        return Article(id=f"a{i}", source=Provenance(f"mem://{i}", 1, 1), headline=headline,
                       published=date(2024, 1, day), blocks=[Block("paragraph", f"text {i}")],
                       related=list(related))

    with open_store(store_url) as store:
        store.add_articles([art(1, "Putin varnar Nato", 1), art(2, "Putin varnar Nato igen", 5),
                            art(3, "Putin varnar Nato", 20)])
        store.add_articles([art(4, "Annat", 10, related=["Putin", "Putin varnar Nato"])])
        refs = {x.teaser: x.target for x in store.cross_references("a4")}
    assert refs["Putin"] is None
    assert refs["Putin varnar Nato"] == "a2"  # the latest one published before the teaser
