"""The seeds against their hand-made answer key: 11 of 11 articles, every field exact."""

from __future__ import annotations

import pytest

from nyhetsvakt import analyze


def _norm(value):
    """NO-BREAK SPACE and space compare equal: the key writes "2 500 soldater" with a plain space
    where the file has U+00A0 (and keeps U+00A0 in "3 000"); the text itself stays verbatim."""
    if isinstance(value, str):
        return value.replace("\u00a0", " ")
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


@pytest.fixture(scope="module")
def seed_articles(examples_dir):
    out = {}
    for result in analyze([str(examples_dir)]):
        assert not result.errors, result.errors
        for a in result.articles:
            out[a.id] = a
    return out


def test_eleven_articles(seed_articles, gold):
    assert sorted(seed_articles) == sorted(g["id"] for g in gold["articles"])


FIELDS = ("headline", "published", "listed", "updated", "date_conflict", "language", "authors", "outlet",
          "photo_credit", "image_caption", "subheadings", "related", "first", "last")


def _got(a, field, g):
    paras = [b.text for b in a.blocks if b.kind == "paragraph"]
    if field == "subheadings":
        subs = [b.text for b in a.blocks if b.kind == "subheading"]
        if "related_note" in g:  # the key accepts a teaser read as a subheading (never as body)
            subs = [s for s in subs if s not in g["related"]]
        return subs
    if field == "first":
        return paras[0] if paras else None
    if field == "last":
        return paras[-1] if paras else None
    value = getattr(a, field)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _expected(g, field):
    return {"first": g["body_first_paragraph"], "last": g["body_last_paragraph"],
            "date_conflict": g.get("date_conflict", False)}.get(field, g.get(field))


@pytest.mark.parametrize("field", FIELDS)
def test_field_matches_gold(seed_articles, gold, field):
    wrong = []
    for g in gold["articles"]:
        got, exp = _got(seed_articles[g["id"]], field, g), _expected(g, field)
        if field == "related" and "related_note" in g:
            # the key accepts a teaser that is also read as a subheading, never as body text
            a = seed_articles[g["id"]]
            subs = [b.text for b in a.blocks if b.kind == "subheading"]
            exp = [r for r in exp if r in got or r not in subs]
        if _norm(got) != _norm(exp):
            wrong.append(f"{g['id']}: got {got!r}, expected {exp!r}")
    assert not wrong, "\n".join(wrong)


def test_no_boilerplate_in_body(seed_articles, gold):
    leaks = [f"{g['id']}: {s!r} in block {b.text[:60]!r}"
             for g in gold["articles"] for s in g["body_must_not_contain"]
             for b in seed_articles[g["id"]].blocks if s in b.text]
    assert not leaks, "\n".join(leaks)


def test_dropped_lines_have_reasons(seed_articles):
    a = seed_articles["001_05a0466f22381025#1"]
    reasons = {d.reason for d in a.dropped}
    assert {"boilerplate", "teaser"} <= reasons
    assert all(d.line >= 1 and d.text for d in a.dropped)


def test_nbsp_kept_verbatim(seed_articles):
    a = seed_articles["001_05a0466f22381025#1"]
    assert any("6\u00a0000 ryska soldater" in b.text for b in a.blocks)


def test_provenance_lines(seed_articles, examples_dir):
    a = seed_articles["000_30c9a46bdec557f4#2"]
    lines = (examples_dir / "000_30c9a46bdec557f4.txt").read_text("utf-8").split("\n")
    assert lines[a.source.line_start - 1] == "30 jan 2026"
    assert lines[a.source.line_end - 1].startswith("Text: Redkationen")
