"""Full-text search: Scandinavian stemming with å/ä/ö/æ/ø kept apart, the query syntax,
filters, orders, snippets with highlights, hostile input, and index rebuilds.

Every search test runs on SQLite (our analyzer in FTS5) and on PostgreSQL (its own text-search
configurations): the same queries find the same articles."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nyhetsvakt.records import Article, Block, Provenance
from nyhetsvakt.search import analyze, parse_query, render_fts5, tokenize
from nyhetsvakt.search.analyzer import WORD_PATTERN, search_languages, stem_words
from nyhetsvakt.store import ArticleFilter, SQLiteStore, Store, open_store

# (id, language, published, outlet, headline, body)
CORPUS = [
    ("sv-soldater", "sv", date(2022, 5, 23), "Nyheter Idag", "Ryska soldater vägrar strida",
     "Soldaterna i förbandet vägrade lyda order, säger officeren till CNN. Målet med uppdraget var oklart."),
    ("sv-spridda", "sv", date(2022, 3, 2), "Dagens PS", "Krigets vardag",
     "Soldater från flera länder deltar. Ryska och ukrainska källor är oeniga om antalet: 6\u00a0000 döda."),
    ("sv-mal", "sv", date(2021, 1, 10), "Dagens PS", "Malen åt upp tröjan",
     "En mal hade tagit sig in i garderoben. Malarna trivs i ull."),
    ("sv-far", "sv", date(2021, 2, 1), "Nyheter Idag", "Min far berättar",
     "Far minns vintern då allt frös."),
    ("sv-far2", "sv", date(2021, 2, 2), "Nyheter Idag", "Bonden och fåren",
     "Bonden har många får på ön. Fåret heter Bräkan."),
    ("sv-valuta", "sv", date(2026, 1, 30), "Dagens PS", "Valuta störtdyker – rasat 30 procent",
     "Bitcoin fortsätter att rasa. Valutorna på marknaden skakar och valutamarknaden oroas."),
    ("sv-bitcoin-body", "sv", date(2026, 1, 29), "Omni", "Marknaderna skakar",
     "Många placerare har köpt bitcoin det senaste året, och kursen har varierat kraftigt sedan dess."),
    ("nb-soldater", "nb", date(2022, 5, 21), "VG", "Russiske soldater nekter",
     "Soldatene nektet å adlyde ordre. Etter kampene ble det servert øl i leiren."),
    ("nb-ol", "nb", date(2024, 8, 1), "NRK", "Norge tok gull i OL",
     "Ol og ol: utøverne jublet etter finalen."),
    ("da-soldater", "da", date(2022, 5, 20), "DR", "Russiske soldater nægter at kæmpe",
     "Soldaterne nægtede at adlyde ordrer ifølge Reuters."),
    ("en-soldiers", "en", date(2022, 5, 22), "BBC News", "Russian soldiers refuse to fight",
     "The soldiers refused orders, the officer told CNN."),
    ("de-soldaten", "de", date(2022, 5, 19), None, "Russische Soldaten verweigern",
     "Die Soldaten verweigerten den Befehl."),
]


def _article(row: tuple) -> Article:
    article_id, language, published, outlet, headline, body = row
    return Article(id=article_id, source=Provenance(f"/data/{article_id}.txt", 1, 9), outlet=outlet,
                   headline=headline, published=published, language=language,
                   blocks=[Block("paragraph", body)])


@pytest.fixture(scope="module")
def store(module_store_url: str) -> Iterator[Store]:
    s = open_store(module_store_url)
    s.add_articles([_article(r) for r in CORPUS])
    yield s
    s.close()


@pytest.fixture
def empty(store_url: str) -> Iterator[Store]:
    s = open_store(store_url)
    yield s
    s.close()


def ids(store: Store, query: str, language: str | None = None, limit: int = 20) -> set[str]:
    return {h.id for h in store.search(query, ArticleFilter(language=language), limit=limit).items}


# -- the analyzer ------------------------------------------------------------------------------

def test_tokenizer_splits_on_no_break_space_and_punctuation_and_keeps_digits() -> None:
    assert [t.text for t in tokenize("6\u00a0000 döda, USA:s Nato-trupper 2022")] == \
        ["6", "000", "döda", "USA", "s", "Nato", "trupper", "2022"]
    decomposed = "ma\u030alet"  # "målet" with a combining ring
    assert [t.text for t in tokenize(decomposed)] == [decomposed]
    assert analyze(decomposed, "sv") == analyze("målet", "sv") == ["mål"]


@pytest.mark.parametrize(("language", "forms"), [
    ("sv", ["soldater", "soldaterna", "soldaten"]),  # Snowball cuts "soldat" itself to "sold"
    ("nb", ["soldat", "soldater", "soldatene", "soldaten"]),
    ("da", ["soldat", "soldater", "soldaterne", "soldaten"]),
    ("en", ["soldier", "soldiers"]),
])
def test_inflected_forms_share_a_stem(language: str, forms: list[str]) -> None:
    assert len({analyze(f, language)[0] for f in forms}) == 1


@pytest.mark.parametrize(("a", "b"), [("mål", "mal"), ("får", "far"), ("øl", "ol"), ("här", "har"),
                                      ("bær", "bar"), ("sø", "so")])
def test_diacritics_are_never_folded(a: str, b: str) -> None:
    for language in ("sv", "nb", "da", "en", None):
        assert analyze(a, language) != analyze(b, language)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(list(' .,:;-–“”«»()_\u00a0\u030aåÅ')),
               max_size=60))
def test_fast_analyzer_equals_the_plain_definition(text: str) -> None:
    """analyze() takes shortcuts for speed; it must give exactly the words of WORD_PATTERN."""
    words = re.findall(WORD_PATTERN, unicodedata.normalize("NFC", text).lower())
    assert analyze(text, "sv") == stem_words(words, "swedish")
    assert analyze(text, None) == words


def test_unknown_language_is_not_stemmed() -> None:
    assert analyze("Soldaten verweigerten", "de") == ["soldaten", "verweigerten"]
    assert analyze("Soldaten", None) == ["soldaten"]


# -- stemming in search ------------------------------------------------------------------------

def test_inflected_query_finds_other_forms_across_scandinavian_languages(store: Store) -> None:
    assert {"sv-soldater", "sv-spridda", "nb-soldater", "da-soldater"} <= ids(store, "soldaterna")
    assert {"sv-soldater", "nb-soldater", "da-soldater"} <= ids(store, "soldatene")
    assert "en-soldiers" in ids(store, "soldier")


def test_language_filter_uses_that_languages_stemmer_only(store: Store) -> None:
    assert ids(store, "soldatene", language="nb") == {"nb-soldater"}
    assert ids(store, "soldaterna", language="sv") == {"sv-soldater", "sv-spridda"}


def test_unstemmed_language_matches_exact_words(store: Store) -> None:
    assert "de-soldaten" in ids(store, "verweigerten")


def test_mal_does_not_match_mal_with_ring(store: Store) -> None:
    # PostgreSQL 15's Swedish Snowball stemmer predates the rule for the definite "-et"
    # ("målet" stays "målet"; docs/postgres.md): it finds "Målet" by its own form.
    assert "sv-soldater" in ids(store, "mål" if isinstance(store, SQLiteStore) else "målet")  # "Målet"
    assert "sv-mal" not in ids(store, "mål")
    assert "sv-soldater" not in ids(store, "mal")
    assert "sv-mal" in ids(store, "malarna")


def test_far_and_far_and_ol_and_ol_stay_apart(store: Store) -> None:
    assert "sv-far2" in ids(store, "får") and "sv-far" not in ids(store, "får")
    assert "sv-far" in ids(store, "far") and "sv-far2" not in ids(store, "far")
    assert ids(store, "øl") == {"nb-soldater"}
    assert "nb-soldater" not in ids(store, "ol") and "nb-ol" in ids(store, "ol")


# -- query syntax ------------------------------------------------------------------------------

def test_phrase_needs_adjacent_words(store: Store) -> None:
    assert ids(store, '"ryska soldater"') == {"sv-soldater"}
    assert "sv-spridda" in ids(store, "ryska soldater")  # both words, not adjacent


def test_phrase_with_no_break_space_number(store: Store) -> None:
    assert ids(store, '"6 000"') == {"sv-spridda"}


def test_exclusion(store: Store) -> None:
    hits = ids(store, "soldater -nekter")
    assert "nb-soldater" not in hits and "sv-soldater" in hits
    everything_but = ids(store, "-soldater", limit=100)
    assert "sv-mal" in everything_but and "sv-soldater" not in everything_but


def test_prefix(store: Store) -> None:
    assert {"sv-valuta"} <= ids(store, "valut*")
    assert ids(store, "valutamark*") == {"sv-valuta"}


def test_or(store: Store) -> None:
    assert ids(store, "malen OR fåren") == {"sv-mal", "sv-far2"}


@pytest.mark.parametrize("query", ['"', "AND (", "*", "-", "OR", "NOT", "NEAR(a b)", "a:b", "^x", '"a" "b',
                                   "(((", "\x00", "---", '-"', "**a", "a OR", "OR OR", "{x}", "'", "col : x",
                                   "x" * 10_000, " ".join(["soldater"] * 200)])
def test_hostile_queries_never_raise(store: Store, query: str) -> None:
    store.search(query)
    store.search(query, ArticleFilter(language="sv"), order="date")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('"*-()^:+ ORANDNOT{}[]\'åäöæøÅ0123456789abc\u00a0\u030a')) |
               st.characters(), max_size=40))
def test_random_queries_never_raise(store: Store, query: str) -> None:
    page = store.search(query)
    for hit in page.items:
        for start, end in hit.highlights:
            assert 0 <= start < end <= len(hit.snippet)


@pytest.mark.parametrize("query", ['a"b (c)" -"d e" f* AND OR NOT', 'x -y NEAR(z) "col:w" {a b}*'])
def test_rendered_fts5_only_contains_quoted_terms(query: str) -> None:
    positive, negative = render_fts5(parse_query(query), search_languages())
    for expression in (positive, negative):
        assert expression is not None
        # Outside double-quoted terms: only our own operators, brackets and prefix stars.
        outside = re.sub(r'"[^"]*"', " ", expression)
        assert set(outside.split()) <= {"AND", "OR", "(", ")", "*"} | set(re.findall(r"[()]+", outside))
        assert re.fullmatch(r"[\sA-Z()*]*", outside)


# -- filters and orders ------------------------------------------------------------------------

def test_filters(store: Store) -> None:
    assert ids(store, "soldater", language="da") == {"da-soldater"}
    f = ArticleFilter(since=date(2022, 5, 21), until=date(2022, 5, 22))
    assert {h.id for h in store.search("soldater", f).items} == {"nb-soldater"}
    f = ArticleFilter(outlet="Dagens PS")
    assert {h.id for h in store.search("soldater", f).items} == {"sv-spridda"}


def test_story_and_other_filters_combine_with_text(empty: Store) -> None:
    s = empty
    arts = [_article(r) for r in CORPUS]
    arts[0].story_id = arts[7].story_id = "story-1"
    s.add_articles(arts)
    assert {h.id for h in s.search("soldater", ArticleFilter(story="story-1")).items} == \
        {"sv-soldater", "nb-soldater"}
    assert {h.id for h in s.search("soldater", ArticleFilter(story="story-1", language="nb")).items} == \
        {"nb-soldater"}
    assert {h.id for h in s.search("soldater", ArticleFilter(source_uri="/data/da-soldater.txt")).items} == \
        {"da-soldater"}
    assert {h.id for h in s.search("-soldater", ArticleFilter(story="story-1")).items} == set()


def test_date_order_is_newest_first_and_pages_cover_all_hits(store: Store) -> None:
    seen, cursor = [], None
    while True:
        page = store.search("soldater", order="date", limit=2, cursor=cursor)
        seen.extend(page.items)
        cursor = page.next_cursor
        if not cursor:
            break
    dates = [h.published for h in seen]
    assert dates == sorted(dates, reverse=True)
    assert len(seen) == len({h.id for h in seen}) == len(ids(store, "soldater", limit=100))


def test_relevance_pages_cover_all_hits_in_score_order(store: Store) -> None:
    seen, cursor = [], None
    while True:
        page = store.search("soldater OR soldiers", limit=2, cursor=cursor)
        seen.extend(page.items)
        cursor = page.next_cursor
        if not cursor:
            break
    scores = [h.score for h in seen]
    assert scores == sorted(scores, reverse=True)
    assert len({h.id for h in seen}) == len(seen) == len(ids(store, "soldater OR soldiers", limit=100))


def test_headline_match_ranks_first(empty: Store) -> None:
    s = empty
    s.add_articles([
        _article(("body", "sv", date(2024, 1, 1), None, "Marknaden i dag",
                  "Kronan stärks mot euron. Bitcoin handlas lugnt i dag enligt analytiker.")),
        _article(("head", "sv", date(2024, 1, 1), None, "Bitcoin i dag",
                  "Kronan stärks mot euron. Valutan handlas lugnt i dag enligt analytiker.")),
    ])
    assert [h.id for h in s.search("bitcoin").items] == ["head", "body"]


# -- snippets ----------------------------------------------------------------------------------

def test_highlights_point_at_the_inflected_words(store: Store) -> None:
    hit = next(h for h in store.search("soldat").items if h.id == "sv-soldater")
    marked = [hit.snippet[a:b] for a, b in hit.highlights]
    assert marked == ["Soldaterna"]
    assert [hit.headline[a:b] for a, b in hit.headline_highlights] == ["soldater"]
    nb = next(h for h in store.search("soldaterna").items if h.id == "nb-soldater")
    assert [nb.snippet[a:b] for a, b in nb.highlights] == ["Soldatene"]


def test_phrase_highlight_covers_the_phrase(store: Store) -> None:
    hit = store.search('"ryska soldater"').items[0]
    assert [hit.headline[a:b] for a, b in hit.headline_highlights] == ["Ryska soldater"]


def test_snippet_is_a_window_around_the_densest_matches(empty: Store) -> None:
    filler = " ".join(f"ord{i}" for i in range(200))
    body = f"{filler} Bitcoin föll och valutorna rasade. {filler}"
    empty.add_articles([_article(("long", "sv", date(2024, 1, 1), None, "Rubrik", body))])
    hit = empty.search("bitcoin valuta").items[0]
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert 25 <= len(hit.snippet.split()) <= 35
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["Bitcoin", "valutorna"]


# -- index rebuild -----------------------------------------------------------------------------

def test_reindex_gives_the_same_results(store_url: str) -> None:
    queries = ["soldaterna", '"ryska soldater"', "valut*", "soldater -nekter", "mål", "bitcoin"]
    with open_store(store_url) as s:
        s.add_articles([_article(r) for r in CORPUS])
        before = {q: [(h.id, round(h.score, 9), h.snippet) for h in s.search(q).items] for q in queries}
        assert s.reindex() == len(CORPUS)
        after = {q: [(h.id, round(h.score, 9), h.snippet) for h in s.search(q).items] for q in queries}
    assert before == after
