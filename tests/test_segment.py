"""Segmentation rules, per language, on small hand-written dumps; plus properties on any text."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from nyhetsvakt import DocumentHints, RawDocument, segment_document
from nyhetsvakt.langpacks import load_packs
from nyhetsvakt.segment.lines import is_heading_like, is_name_like, normalise_author


def _seg(text, kind="text", **hints):
    return segment_document(RawDocument(uri="t.txt", text=text, kind=kind, stem="t",
                                        hints=DocumentHints(**hints)))


NB = """Regjeringen legger fram nytt budsjett

Publisert 23.05.2022 kl. 10.15

Finansministeren la fram budsjettet tirsdag.

Les også: Renta stiger igjen

Store kutt

Kuttene rammer kommunene hardest, sier ordføreren.

Foto: Ola Nordmann / NTB

Tekst: NTB
"""

NN = """Kommunen byggjer ny skule

Publisert 1. mai 2023

Kommunestyret vedtok i går å byggje ein ny skule.

Les òg: Elevane fekk ny rektor

Det kostar meir enn venta, seier rådmannen.
"""

DA = """Regeringen fremlægger ny plan

Publiceret 3. marts 2022

Statsministeren præsenterede planen på et pressemøde.

Læs også: Inflationen stiger

ANNONCE

Planen skal være klar til sommer, oplyser ministeriet.

Foto: Ritzau Scanpix
"""

EN = """Government unveils new budget

Published: March 3, 2022

The finance minister presented the budget on Tuesday.

Read more: Interest rates rise again

ADVERTISEMENT

The cuts hit local councils hardest, the mayor said.

By: Jane Doe
"""


def test_norwegian_bokmaal_dump():
    (a,) = _seg(NB)
    assert a.headline == "Regjeringen legger fram nytt budsjett"
    assert a.published == date(2022, 5, 23)
    assert a.related == ["Renta stiger igjen"]
    assert [b.kind for b in a.blocks] == ["paragraph", "subheading", "paragraph"]
    assert a.photo_credit == "Ola Nordmann / NTB" and a.authors == ["NTB"]
    assert a.lead == "Finansministeren la fram budsjettet tirsdag."


def test_nynorsk_dump():
    (a,) = _seg(NN)
    assert a.published == date(2023, 5, 1) and a.related == ["Elevane fekk ny rektor"]
    assert len(a.blocks) == 2


def test_danish_dump():
    (a,) = _seg(DA)
    assert a.published == date(2022, 3, 3) and a.related == ["Inflationen stiger"]
    assert {d.reason for d in a.dropped} >= {"boilerplate", "teaser", "photo_credit"}
    assert all("ANNONCE" not in b.text for b in a.blocks)


def test_english_dump():
    (a,) = _seg(EN)
    assert a.published == date(2022, 3, 3) and a.authors == ["Jane Doe"]
    assert a.related == ["Interest rates rise again"]
    assert all("ADVERTISEMENT" not in b.text for b in a.blocks)


def test_many_articles_and_listing_dates():
    text = "\n\n".join(f"{d} jan 2026\n\nRubrik nummer {d}\n\n2026 01 {d:02d}\n\nBrödtext om saken {d}.\n"
                       for d in (3, 4, 5))
    arts = _seg(text)
    assert [a.id for a in arts] == ["t#1", "t#2", "t#3"]
    assert [a.listed for a in arts] == [date(2026, 1, d) for d in (3, 4, 5)]
    assert not any(a.date_conflict for a in arts)
    assert arts[1].source.line_start == 10


def test_listing_date_far_from_published_is_a_conflict():
    (a,) = _seg("14 dec 2025\n\nRubrik\n\n2026 03 01\n\nText här.\n")
    assert a.date_conflict and any(e.field == "date_conflict" for e in a.evidence)


def test_long_headline_over_date_line():
    headline = "Ska skjuta för att döda – " + "mycket lång rubrik " * 6
    (a,) = _seg(f"{headline.strip()}\n\n2023 12 23\n\nText här.\n")
    assert a.headline == headline.strip()


def test_hard_wrapped_paragraph_is_joined():
    (a,) = _seg("Rubrik\n\n2022 05 23\n\nEn mening som fortsätter\npå nästa rad.\n")
    assert a.blocks[0].text == "En mening som fortsätter på nästa rad."


def test_json_line_headline_means_body_only():
    (a,) = _seg("Första stycket.\n\nAndra stycket.", kind="article", headline="Given rubrik",
                id="given-1", published=date(2024, 1, 2))
    assert a.id == "given-1" and a.headline == "Given rubrik" and a.published == date(2024, 1, 2)
    assert [b.text for b in a.blocks] == ["Första stycket.", "Andra stycket."]


def test_html_metadata_only_fills_gaps():
    (a,) = _seg("Rubrik i texten\n\n2022 05 23\n\nText.", kind="html", headline="Sidans titel",
                published=date(2020, 1, 1), outlet="Sajten")
    assert a.headline == "Rubrik i texten" and a.published == date(2022, 5, 23) and a.outlet == "Sajten"


def test_only_furniture_gives_no_article():
    assert _seg("ANNONS\n\nMest läst\n") == []


def test_line_predicates():
    packs = load_packs()
    assert is_heading_like("Ryska soldater vägrar attackera")
    assert is_heading_like("- Følte meg skyldig")
    assert not is_heading_like("Det skakar om.")
    assert not is_heading_like("– Var aktsam och följ våra råd om du är osäker.")
    assert is_name_like("Malin Beeck") and not is_name_like("Ryska soldater har deserterat")
    assert normalise_author("Redkationen", packs) == "Redaktionen"
    assert normalise_author("Anna Svensson", packs) == "Anna Svensson"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=80), st.sampled_from(
    ["", "2022 05 23", "30 jan 2026", "Rubrik", "ANNONS", "LÄS OCKSÅ: X", "Foto: Y", "Text: Z", "Läs också:",
     "– Citat, säger han.", "Uppdaterad: 03 mars 2022Publicerad: 02 mars 2022"])), max_size=40))
def test_any_text_segments_without_crash(lines):
    text = "\n".join(lines)
    n_lines = len(text.split("\n"))
    arts = _seg(text)
    assert len({a.id for a in arts}) == len(arts)
    for a in arts:
        assert 1 <= a.source.line_start <= a.source.line_end <= n_lines
        assert a.headline or a.blocks
        for b in a.blocks:
            assert b.text and b.text.split(" ")[0] in text


def test_question_headline_starts_an_article():
    arts = _seg("Första rubriken\n\n2022 03 01\n\nText ett.\n\n\nHur länge kan Ukraina hålla ut?\n\n"
                "2022 03 02\n\nText två.\n")
    assert [a.headline for a in arts] == ["Första rubriken", "Hur länge kan Ukraina hålla ut?"]
    assert arts[1].published == date(2022, 3, 2)


def test_headline_is_the_line_nearest_the_date():
    (a,) = _seg("Fler artiklar om kriget i Ukraina\n\nZelenskyj: Vi ger aldrig upp\n\n2022 03 02\n\nText.\n")
    assert a.headline == "Zelenskyj: Vi ger aldrig upp"
    assert "Fler artiklar om kriget i Ukraina" in {d.text for d in a.dropped}


def test_bylines_without_colon():
    (en,) = _seg("Biden Warns Putin\n\nBy Jane Doe\n\nPublished: March 3, 2022\n\nThe text.\n")
    assert en.headline == "Biden Warns Putin" and en.authors == ["Jane Doe"] and en.outlet is None
    (da,) = _seg("Regeringen vil skære\n\nAf Jens Hansen og Mette Holm\n\n"
                 "Publiceret 3. marts 2022\n\nTekst.\n")
    assert da.authors == ["Jens Hansen", "Mette Holm"]
    (sv,) = _seg("Rubrik\n\n2022 05 23\n\nAv de 500 soldaterna vägrade många.\n")
    assert sv.authors == [] and sv.blocks[0].text.startswith("Av de 500")


def test_headline_hint_keeps_a_different_short_first_line():
    (a,) = _seg("Kort om saken\n\nFörsta stycket.", kind="article", headline="Given rubrik")
    assert a.headline == "Given rubrik"
    assert [b.text for b in a.blocks] == ["Kort om saken", "Första stycket."]
    (b,) = _seg("Första stycket.\n\nAndra.", kind="article", headline="Given rubrik")
    assert b.lead == "Första stycket."


def test_link_lists_under_furniture_headings_are_dropped():
    (a,) = _seg("Rubrik\n\n2022 05 23\n\nFörsta stycket.\n\nMest läst\n\nEn annan rubrik\nTredje rubriken\n\n"
                "Mellanrubrik\n\nSista stycket.\n")
    texts = [b.text for b in a.blocks]
    assert texts == ["Första stycket.", "Mellanrubrik", "Sista stycket."]
    assert {d.text for d in a.dropped if d.reason == "boilerplate"} >= {"En annan rubrik", "Tredje rubriken"}


def test_single_layout_subheading_after_blank_is_not_a_teaser():
    text = ("First paragraph of the story.\nSecond paragraph goes on.\n\nAir defence\n"
            "Third paragraph.\nFourth paragraph.\n")
    (a,) = _seg(text)
    assert "Air defence" in [b.text for b in a.blocks if b.kind == "subheading"] and a.related == []


def test_short_names_are_not_fuzzily_corrected():
    packs = load_packs()
    assert normalise_author("AFP", packs) == "AFP" and normalise_author("Staffan", packs) == "Staffan"
