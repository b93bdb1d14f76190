"""Exact and near-duplicate detection (``nyhetsvakt.dedup``).

The articles are cut from the seed files in ``examples/`` (five paragraphs each, 27 of
them, no two alike); copies are made here the way ``benchmarks/dedup.py`` makes them.
Speed is measured by the benchmark, never here.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from nyhetsvakt import dedup
from nyhetsvakt.dedup import (
    DedupParams,
    Fingerprinter,
    MinHasher,
    NearDuplicateIndex,
    estimate_jaccard,
    exact_key,
    find_duplicates,
    normalize_text,
    signature_from_bytes,
    signature_to_bytes,
)
from nyhetsvakt.dedup.shingles import shingle_hashes
from nyhetsvakt.records import Article, Block, Provenance

DAY = date(2024, 3, 1)


def _seed_articles() -> list[tuple[str, str]]:
    """(language, text) of 27 distinct articles of five seed paragraphs each."""
    paragraphs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for path in sorted(EXAMPLES.glob("*.txt")):
        language = "nb" if path.name.startswith("004") else "sv"
        for p in re.split(r"\n", path.read_text("utf-8")):
            p = p.strip()
            if len(p) >= 80 and p not in seen:
                seen.add(p)
                paragraphs.append((language, p))
    return [(chunk[0][0], "\n".join(p for _, p in chunk))
            for chunk in (paragraphs[i : i + 5] for i in range(0, len(paragraphs) - 4, 5))]


ARTICLES = _seed_articles()


def _variant(kind: str, text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    if kind == "light_edit":
        # Two edits: each breaks up to five 5-word shingles, and the shortest of these
        # articles has 81 words (three edits in fewer than about 95 words fall below 0.7).
        words = text.split(" ")
        for _ in range(2):
            i = rng.randrange(len(words))
            words[i] = rng.choice(["enligt", "uppgifter", "rapporterar", words[i] + "na"])
        return " ".join(words)
    if kind == "boilerplate":
        return "\n".join([lines[0], "ANNONS", *lines[1:3], "LÄS OCKSÅ: Valuta störtdyker",
                          "Mest läst i kategorin", *lines[3:], "Foto: Anna Berg", "Text: TT"])
    if kind == "truncation":
        words = text.split(" ")
        return " ".join(words[: int(len(words) * 0.65)])
    if kind == "reorder":
        return "\n".join([lines[3], lines[0], lines[4], lines[2], lines[1]])
    if kind == "reflow":
        return " ".join(lines)
    raise ValueError(kind)


def test_public_api() -> None:
    assert sorted(dedup.__all__) == [
        "DedupParams", "DuplicateMatch", "Fingerprint", "Fingerprinter", "MinHasher", "NearDuplicateIndex",
        "article_text", "estimate_jaccard", "exact_key", "find_duplicates", "normalize_text", "shingle_set",
        "signature_from_bytes", "signature_to_bytes"]
    for name in dedup.__all__:
        assert getattr(dedup, name) is not None


def test_the_package_never_imports_datasketch() -> None:
    code = "import sys, nyhetsvakt.dedup; print('datasketch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- exact duplicates ---------------------------------------------------------------------

def test_exact_key_folds_case_whitespace_nbsp_and_punctuation() -> None:
    a = "Ryska soldater: 6\u00a0000 döda, enligt ”ukrainska källor” – uppgifterna har inte bekräftats."
    b = "RYSKA  soldater 6 000 döda,\tenligt \"ukrainska källor\" - uppgifterna\nhar inte bekräftats"
    c = "Ryska soldater:\u202f6\u2009000 döda enligt «ukrainska källor» — uppgifterna har inte bekräftats…"
    assert exact_key(a) == exact_key(b) == exact_key(c)
    assert normalize_text(a) == ("ryska soldater 6 000 döda enligt ukrainska källor uppgifterna har inte "
                                 "bekräftats")
    assert exact_key(a) != exact_key(a.replace("6\u00a0000", "5\u00a0000"))
    assert re.fullmatch(r"[0-9a-f]{32}", exact_key(a))


def test_exact_duplicate_found_in_the_index() -> None:
    lang, text = ARTICLES[0]
    copy = text.replace(" ", "\u00a0", 3).replace(".", " .").upper()
    index = NearDuplicateIndex()
    assert index.add("a", text, DAY, lang) is None
    match = index.add("b", copy, DAY + timedelta(days=1), lang)
    assert match is not None
    assert (match.duplicate_of, match.matched, match.kind, match.measure, match.similarity) == (
        "a", "a", "exact", "hash", 1.0)
    assert index.stats["exact"] == 1


# -- near duplicates ----------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["light_edit", "boilerplate", "truncation", "reorder", "reflow"])
def test_each_kind_of_copy_is_found(kind: str) -> None:
    rng = random.Random(kind)
    index = NearDuplicateIndex()
    for i, (lang, text) in enumerate(ARTICLES):
        index.add(f"base{i}", text, DAY, lang)
    for i, (lang, text) in enumerate(ARTICLES):
        match = index.add(f"copy{i}", _variant(kind, text, rng), DAY + timedelta(days=1), lang)
        assert match is not None, f"{kind} copy of article {i} not found"
        assert match.duplicate_of == f"base{i}"
        # Line breaks do not count for the exact key: a reflowed copy is an exact one.
        assert match.kind == ("exact" if kind == "reflow" else "near")
        assert match.measure == {"truncation": "containment", "reflow": "hash"}.get(kind, "jaccard")
        assert 0.5 <= match.similarity <= 1.0


def test_unrelated_articles_are_not_duplicates() -> None:
    index = NearDuplicateIndex()
    for i, (lang, text) in enumerate(ARTICLES):
        assert index.add(f"a{i}", text, DAY, lang) is None
    # Hard negatives: the first two paragraphs of one article, then three of another.
    for i in range(len(ARTICLES) - 1):
        (lang, one), (_, two) = ARTICLES[i], ARTICLES[i + 1]
        mixed = "\n".join(one.split("\n")[:2] + two.split("\n")[2:])
        assert index.query(mixed, lang) is None, f"mix of {i} and {i + 1} taken for a duplicate"
    assert index.matches() == {}


def test_short_texts_are_only_exact_duplicates() -> None:
    index = NearDuplicateIndex()
    index.add("a", "Bitcoin rasar igen", DAY, "sv")
    assert index.add("b", "Bitcoin rasar igen idag", DAY, "sv") is None
    match = index.add("c", "BITCOIN RASAR IGEN!", DAY, "sv")
    assert match is not None and match.kind == "exact"
    assert index.stats["too_short"] >= 1


# -- origins ------------------------------------------------------------------------------

def test_the_origin_is_the_earliest_article() -> None:
    lang, text = ARTICLES[1]
    rng = random.Random(1)
    index = NearDuplicateIndex()
    assert index.add("late", _variant("boilerplate", text, rng), DAY + timedelta(days=5), lang) is None
    later = index.add("later", _variant("reorder", text, rng), DAY + timedelta(days=6), lang)
    assert later is not None and later.duplicate_of == "late"
    assert index.take_regrouped() == {}
    # The original arrives last but was published first: it becomes the origin of the group.
    assert index.add("first", text, DAY, lang) is None
    moved = index.take_regrouped()
    assert sorted(moved) == ["late", "later"]
    assert {m.duplicate_of for m in moved.values()} == {"first"}
    assert moved["late"].matched == "first"
    assert index.take_regrouped() == {}
    assert {k: m.duplicate_of for k, m in index.matches().items()} == {"late": "first", "later": "first"}
    assert index.origin("later") == "first" and index.origin("first") == "first"
    assert index.match("first") is None
    # An undated copy sorts after every dated article.
    assert index.add("undated", text.replace("\n", " \n"), None, lang).duplicate_of == "first"


def test_adding_a_key_again_changes_nothing() -> None:
    lang, text = ARTICLES[2]
    index = NearDuplicateIndex()
    index.add("a", text, DAY, lang)
    first = index.add("b", _variant("reorder", text, random.Random(2)), DAY, lang)
    assert index.add("b", "something else entirely", DAY, lang) == first
    assert index.add("a", "something else entirely", DAY, lang) is None
    assert len(index) == 2 and "a" in index and "c" not in index


def test_query_does_not_add() -> None:
    lang, text = ARTICLES[3]
    index = NearDuplicateIndex()
    index.add("a", text, DAY, lang)
    match = index.query(_variant("truncation", text, random.Random(3)), lang)
    assert match is not None and match.duplicate_of == "a"
    assert len(index) == 1


def _articles() -> list[Article]:
    """Ten originals and two copies of each, dated so that originals come first."""
    rng = random.Random(7)
    out: list[Article] = []
    for i, (lang, text) in enumerate(ARTICLES[:10]):
        for j, kind in enumerate(["original", "boilerplate", "truncation"]):
            body = text if kind == "original" else _variant(kind, text, rng)
            lines = body.split("\n")
            out.append(Article(id=f"{i}:{kind}", source=Provenance(f"t/{i}.txt", 1, 1), headline=lines[0],
                               blocks=[Block("paragraph", x) for x in lines[1:]], language=lang,
                               published=DAY + timedelta(days=2 * i + j)))
    return out


def test_incremental_add_equals_batch() -> None:
    articles = _articles()
    batch = find_duplicates(articles)
    assert {k: m.duplicate_of for k, m in batch.items()} == {
        f"{i}:{kind}": f"{i}:original" for i in range(10) for kind in ("boilerplate", "truncation")}
    # In date order: the same matches, evidence included.
    index = NearDuplicateIndex()
    for a in sorted(articles, key=lambda a: a.published):
        index.add(a.id, dedup.article_text(a), a.published, a.language)
    assert index.matches() == batch
    # In any order of arrival: the same origins, once the regrouping is applied.
    shuffled = list(articles)
    random.Random(3).shuffle(shuffled)
    index = NearDuplicateIndex()
    for a in shuffled:
        index.add(a.id, dedup.article_text(a), a.published, a.language)
    assert {k: m.duplicate_of for k, m in index.matches().items()} == {
        k: m.duplicate_of for k, m in batch.items()}
    assert find_duplicates(shuffled) == batch


# -- signatures ---------------------------------------------------------------------------

_FINGERPRINT = """
import json, sys
from nyhetsvakt.dedup import Fingerprinter, signature_to_bytes
fp = Fingerprinter().fingerprint(json.load(sys.stdin), sys.argv[1])
print(json.dumps([fp.exact, signature_to_bytes(fp.signature).hex(), fp.shingles.tolist()]))
"""


def test_signatures_are_the_same_in_every_process() -> None:
    lang, text = ARTICLES[4]
    outs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", _FINGERPRINT, lang], input=json.dumps(text), env=env,
                              capture_output=True, text=True, check=True)
        outs.add(done.stdout.strip())
    fp = Fingerprinter().fingerprint(text, lang)
    assert outs == {json.dumps([fp.exact, signature_to_bytes(fp.signature).hex(), fp.shingles.tolist()])}


def test_signature_bytes_round_trip() -> None:
    fp = Fingerprinter().fingerprint(ARTICLES[5][1], "sv")
    data = signature_to_bytes(fp.signature)
    assert len(data) == 4 * DedupParams().num_perm
    assert np.array_equal(signature_from_bytes(data), fp.signature)
    with pytest.raises(ValueError):
        signature_from_bytes(b"abc")


def test_params_are_checked() -> None:
    with pytest.raises(ValueError):
        DedupParams(bands=40, rows=4, num_perm=128)
    with pytest.raises(ValueError):
        DedupParams(jaccard_threshold=0.0)
    assert DedupParams().signature_version() != DedupParams(shingle_words=4).signature_version()


@settings(max_examples=80, deadline=None, derandomize=True)
@given(shared=st.sets(st.integers(0, 10**6 - 1), max_size=250),
       only_a=st.sets(st.integers(10**6, 2 * 10**6 - 1), max_size=250),
       only_b=st.sets(st.integers(2 * 10**6, 3 * 10**6), max_size=250))
def test_jaccard_estimate_is_close_to_the_true_jaccard(shared: set[int], only_a: set[int],
                                                        only_b: set[int]) -> None:
    a, b = shared | only_a, shared | only_b
    if not a or not b:
        return
    true = len(shared) / len(a | b)
    # Every element a one-word line: a shingle of its own, hashed as text is.
    sa = shingle_hashes([[str(x)] for x in a], 1)
    sb = shingle_hashes([[str(x)] for x in b], 1)
    hasher = MinHasher(128, DedupParams().seed)
    # Standard deviation at most 0.044 with 128 permutations: 0.2 is 4.5 of them.
    assert abs(estimate_jaccard(hasher.sign(sa), hasher.sign(sb)) - true) <= 0.2


def test_datasketch_estimates_the_same_similarity() -> None:
    datasketch = pytest.importorskip("datasketch")
    lang, text = ARTICLES[6]
    copy = _variant("boilerplate", text, random.Random(6))
    fp = Fingerprinter()
    sa, sb = fp.shingles(text, lang), fp.shingles(copy, lang)
    true = np.intersect1d(sa, sb).size / np.union1d(sa, sb).size
    ours = estimate_jaccard(fp.sign(sa), fp.sign(sb))
    ma, mb = datasketch.MinHash(num_perm=128), datasketch.MinHash(num_perm=128)
    ma.update_batch([int(x).to_bytes(4, "little") for x in sa])
    mb.update_batch([int(x).to_bytes(4, "little") for x in sb])
    assert abs(ours - true) <= 0.15
    assert abs(ma.jaccard(mb) - true) <= 0.15
