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


def _expected_targets(stored: list) -> dict[tuple[str, str], str | None]:
    """The rule, spelled out: a teaser names the article stored before its own whose folded
    headline is its folded text or extends it by words, the one published last on or before
    the teaser's day first (undated teasers: any day), then the one published last, then the
    later stored; with none stored before, the first stored after it that matches."""
    from nyhetsvakt.store.xref import MIN_WORDS, _key

    keys = [_key(a.headline) for a in stored]
    out = {}
    for t, a in enumerate(stored):
        day = a.published.isoformat() if a.published else "9999"
        for teaser in a.related:
            tkey = _key(teaser)
            match = [d for d, k in enumerate(keys) if len(tkey.split()) >= MIN_WORDS and d != t
                     and (k == tkey or k.startswith(tkey + " "))]

            def rank(d: int, day: str = day) -> tuple:
                pub = stored[d].published.isoformat() if stored[d].published else ""
                return (pub != "" and pub <= day, pub, d)

            before = [d for d in match if d < t]
            target = max(before, key=rank) if before else min((d for d in match if d > t), default=None)
            out[(a.id, teaser)] = None if target is None else stored[target].id
    return out


def test_many_copies_of_a_headline_resolve_as_the_rule_says(store_url):
    """Random articles over a few headlines, each stored many times (wire copies), with longer
    headlines extending them, dates missing or shared, teasers naming them: every target is the
    rule's."""
    import random
    from datetime import date

    from nyhetsvakt.records import Article, Block, Provenance
    from nyhetsvakt.store import open_store

    rng = random.Random(5)
    heads = ["Valuta störtdyker", "Valuta störtdyker rasat 30 procent", "Valuta störtdyker igen",
             "Ryska soldater vägrar", "Ryska soldater vägrar strida", "Nato övar", "Ny rekordvärme"]
    teasers = [*heads, "Valuta", "Ryska soldater", "Ingen sådan rubrik finns", "Ryska"]
    stored = []
    for i in range(400):
        day = None if rng.random() < 0.1 else date(2024, 1 + rng.randrange(3), 1 + rng.randrange(28))
        related = rng.sample(teasers, rng.randrange(3))
        stored.append(Article(id=f"c{i}", source=Provenance(f"mem://{i}", 1, 1), headline=rng.choice(heads),
                              published=day, related=related, blocks=[Block("paragraph", f"text {i}")]))
    with open_store(store_url) as store:
        i = 0
        while i < len(stored):  # batches of 1 to 40, as files come
            n = rng.randrange(1, 41)
            with store.transaction():
                store.add_articles(stored[i:i + n])
            i += n
        got = {(a.id, x.teaser): x.target for a in stored for x in store.cross_references(a.id)}
    expected = _expected_targets(stored)
    assert got == expected
    assert sum(v is not None for v in expected.values()) > 200
