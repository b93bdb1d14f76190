"""Story clustering (``nyhetsvakt.stories``).

The seed files against their answer key (``gold/seeds.json``: the Swedish and Norwegian
retellings of one CNN interview in one story, every other article alone, 001 related but
apart), with the articles as the pipeline gives them, stripped to their text, and with
hand-made entities; then the clusterer's contract on small hand-written articles.
Quality and speed are measured by ``benchmarks/stories.py``, never here.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nyhetsvakt import analyze, stories
from nyhetsvakt.pipeline import PipelineOptions
from nyhetsvakt.records import Article, Block, Provenance
from nyhetsvakt.stories import (
    StoryClusterer,
    StoryFeatures,
    StoryParams,
    build_story_record,
    cluster,
    features_of,
    story_id_for,
)
from nyhetsvakt.stories.features import name_key, parse_numbers

OFFICER_SV = "000_30c9a46bdec557f4#1"
OFFICER_NB = "004_2d5c5d973ad852de#1"
RELATED = "001_05a0466f22381025#1"
DAY = date(2024, 3, 1)


# -- the seeds ------------------------------------------------------------------------------

_LOADED: dict[bool, list[Article]] = {}


def _load(shared_dir, ner_model: bool) -> list[Article]:
    """The seed articles as the pipeline gives them (with the NER model or without it)."""
    if ner_model not in _LOADED:
        out = []
        for result in analyze([str(shared_dir / "seeds")], options=PipelineOptions(ner_model=ner_model)):
            assert not result.errors, result.errors
            out.extend(result.articles)
        _LOADED[ner_model] = out
    return _LOADED[ner_model]


@pytest.fixture(scope="module")
def seed_articles(shared_dir):
    return _load(shared_dir, ner_model=False)


# Canonical names by the spellings the seeds use (a stand-in for the entity step).
HAND_ENTITIES = {
    "Vladimir Putin": ("PER", r"Putins?"), "CNN": ("ORG", r"CNN"), "Ukraina": ("LOC", r"Ukrainas?"),
    "Ryssland": ("LOC", r"Ryssland|Russland"), "Krim": ("LOC", r"Krim\w*"),
    "Jeremy Fleming": ("PER", r"Fleming"), "GCHQ": ("ORG", r"GCHQ"), "Donald Trump": ("PER", r"Trump"),
    "Aleksandr Lukasjenko": ("PER", r"Lukasjenko|Lukashenko"), "Kazakstan": ("LOC", r"Kazakstans?"),
    "Kassym-Jomart Tokayev": ("PER", r"Tokayevs?"), "Kina": ("LOC", r"Kinas?"),
    "Reuters": ("ORG", r"Reuters"),
    "Israel": ("LOC", r"Israels?"), "Syrien": ("LOC", r"Syriens?"), "Nato": ("ORG", r"Nato"),
    "Belarus": ("LOC", r"Belarus"), "The Sun": ("ORG", r"The Sun"), "The Guardian": ("ORG", r"The Guardian"),
    "Kyrylo Budanov": ("PER", r"Budanov"), "John Kirby": ("PER", r"Kirby"),
    "Jem & fix": ("ORG", r"[Jj]em & fix"),
    "Jerome Powell": ("PER", r"Powell"), "Kreml": ("LOC", r"Kreml"),
}


def _hand_entities(a: Article) -> Article:
    """The article with entities found by the table above (and nothing else enriched)."""
    entities = []
    for i, block in enumerate(a.blocks):
        for canonical, (kind, pattern) in HAND_ENTITIES.items():
            for m in re.finditer(rf"\b(?:{pattern})\b", block.text):
                entities.append({"text": m.group(), "type": kind, "block": i, "start": m.start(),
                                 "end": m.end(), "entity_id": "e-" + canonical.lower().replace(" ", "-"),
                                 "canonical": canonical})
    return replace(a, entities=entities, quotes=[], sources=[], claims=[])


VERSIONS = {
    "pipeline": lambda a: a,
    "pipeline, names without the NER model": lambda a: a,
    "text only": lambda a: replace(a, entities=[], quotes=[], sources=[], claims=[]),
    "hand entities": _hand_entities,
}


def _seeds(shared_dir, version: str) -> list[Article]:
    articles = _load(shared_dir, ner_model=version == "pipeline")
    return [VERSIONS[version](a) for a in articles]


@pytest.mark.parametrize("version", list(VERSIONS))
def test_seed_stories_match_gold(shared_dir, gold, version):
    made = _seeds(shared_dir, version)
    membership = cluster((a.id, features_of(a)) for a in made)
    by_story: dict[str, set[str]] = {}
    for article_id, story in membership.items():
        by_story.setdefault(story, set()).add(article_id)
    got = sorted(sorted(m) for m in by_story.values())
    want = sorted(sorted(s["members"]) for s in gold["stories"])
    assert got == want
    for pair in gold["related_not_same_story"]:
        assert membership[pair["a"]] != membership[pair["b"]]


@pytest.mark.parametrize("version", list(VERSIONS))
def test_seed_retelling_links_the_swedish_report(shared_dir, version):
    made = _seeds(shared_dir, version)
    clusterer = StoryClusterer()
    assignments = {a.id: clusterer.add(a.id, features_of(a)) for a in made}
    nb = assignments[OFFICER_NB]
    assert not nb.created and nb.story_id == assignments[OFFICER_SV].story_id == story_id_for(OFFICER_SV)
    assert [link.article_id for link in nb.links] == [OFFICER_SV]
    shared = {name_key(w) for w in nb.links[0].shared}
    assert {name_key(w) for w in ("CNN", "Fleming", "GCHQ")} <= shared  # the evidence
    # the related article stays below the line (or is not even a candidate)
    candidates = {c.article_id: c.score for c in clusterer.query(features_of(made[-1]))}
    assert candidates.get(RELATED, 0.0) < clusterer.params.join_threshold <= candidates[OFFICER_SV]


def test_seed_story_record(seed_articles):
    members = [a for a in seed_articles if a.id in (OFFICER_SV, OFFICER_NB)]
    record = build_story_record(story_id_for(OFFICER_SV), members)
    json.dumps(record)  # JSON as it is
    assert record["id"] == story_id_for(OFFICER_SV)
    assert record["articles"] == [OFFICER_SV, OFFICER_NB]  # dated first, the undated one last
    assert record["title"] == members[0].headline  # the Norwegian copy has no headline
    assert record["first_seen"] == record["last_seen"] == "2022-05-23"
    assert record["languages"] == {"nb": 1, "sv": 1}
    assert record["timeline"] == {"days": [{"date": "2022-05-23", "articles": 1, "languages": {"sv": 1},
                                            "outlets": {}}], "undated": 1}
    names = {e["name"] for e in record["key_entities"] if e["articles"] == 2}
    assert {"CNN", "GCHQ"} <= {n for n in names}


def test_seed_conflicting_figures(seed_articles):
    """001: 6 000 Russian soldiers killed according to Ukrainian sources, about 500 according
    to Russian ones (as the claims step reads them)."""
    (related,) = [a for a in seed_articles if a.id == RELATED]
    record = build_story_record(story_id_for(RELATED), [related])
    conflicts = [c for c in record["conflicts"] if {v["value"] for v in c["values"]} >= {6000, 500}]
    assert len(conflicts) == 1
    assert len({v["source"] for v in conflicts[0]["values"]}) == 2


# -- features -------------------------------------------------------------------------------

def _article(key: str, headline: str, paragraphs: list[str], language: str = "sv", day: date | None = DAY,
             outlet: str | None = "Aftonbladet", **enriched) -> Article:
    return Article(id=key, source=Provenance(f"test/{key}", 1, 1), outlet=outlet, headline=headline,
                   published=day, language=language, blocks=[Block("paragraph", p) for p in paragraphs],
                   **enriched)


OFFICER = [
    "En rysk officer har berättat för CNN att han lämnade armén efter två veckor i Ukraina.",
    "Soldaterna fick aldrig veta målet med uppdraget, säger officeren, som nu är hemma i Krasnodar.",
    "Enligt Jeremy Fleming, chef för GCHQ, vägrar ryska soldater lyda order och saboterar sin utrustning.",
    "– Vi var smutsiga och trötta, säger han till CNN. 70 procent av soldaterna i förbandet vägrade.",
]
OFFICER_NO = [
    "En russisk offiser har fortalt CNN at han forlot hæren etter to uker i Ukraina.",
    "Soldatene fikk aldri vite målet med oppdraget, sier offiseren, som nå er hjemme i Krasnodar.",
    "Ifølge Jeremy Fleming, sjef for GCHQ, nekter russiske soldater å adlyde ordre og saboterer utstyret.",
    "– Vi var skitne og slitne, sier han til CNN. 70 prosent av soldatene i avdelingen nektet.",
]
BITCOIN = [
    "Bitcoin föll på fredagen till den lägsta nivån på två månader, rapporterar Reuters.",
    "Raset sedan oktober är nu över 30 procent, och Fedchefen Kevin Warsh vill strama åt.",
    "– Gränsen på 100 000 dollar är psykologiskt viktig, säger Mads Eberhardt på Firi till E24.",
]
SCAM = [
    "Byggvarukedjan Jem & fix varnar för falska sms där bedragare utger sig för att vara företaget.",
    "Företaget ber aldrig om personliga uppgifter via en länk, skriver det på sin hemsida.",
    "Kundtjänsten nås bara på telefonnummer 046-28 52 900, enligt Jem & fix.",
]


def test_features_json_round_trip():
    f = features_of(_article("a", "Officer lämnar Putins krig", OFFICER, outlet="Expressen"))
    data = json.loads(json.dumps(f.to_dict()))
    assert data["date"] == DAY.isoformat() and data["language"] == "sv" and data["outlet"] == "Expressen"
    back = StoryFeatures.from_dict(data)
    assert back.to_dict() == f.to_dict()
    assert back.date == DAY
    assert {"CNN", "GCHQ", "Fleming", "Krasnodar"} <= set(f.entities)
    assert f.entity_origin == "text"
    assert "70" in f.numbers
    assert f.quotes  # the dash-led quote


def test_features_use_named_entities_speakers_and_sources():
    quotes = [{"text": "Vi var smutsiga och trötta", "speaker": "anonym officer", "speaker_named": False},
              {"text": "De vägrar lyda order", "speaker": "Jeremy Fleming", "speaker_entity_id": "e2"}]
    putin = {"text": "Putins", "canonical": "Vladimir Putin", "type": "PER", "entity_id": "e1"}
    a = _article("a", "Officer lämnar kriget", OFFICER, quotes=quotes, entities=[putin],
                 sources=[{"name": "CNN", "canonical": "CNN", "entity_id": "e3"},
                          {"name": "tidningen", "canonical": "tidningen", "named": False}],
                 claims=[{"text": "6 000 dödade", "value": 6000, "unit": "killed"}])
    f = features_of(a)
    assert f.entity_origin == "ner"
    assert set(f.entities) == {"Vladimir", "Putin", "Jeremy", "Fleming", "CNN"}  # not "anonym officer"
    assert f.sources == {"CNN": 1}
    assert "6000" in f.numbers
    assert "vi var smuts" in f.quotes  # shingles of the quote's word beginnings


def test_name_keys_fold_spellings():
    for a, b in [("Lukasjenko", "Lukashenko"), ("Putins", "Putin"), ("Ryssland", "Russland"),
                 ("Zelenskyj", "Zelensky"), ("Ukraina", "Ukraine"), ("NATO", "Nato")]:
        assert name_key(a) == name_key(b), (a, b)
    assert name_key("Kina") != name_key("Krim")


def test_numbers_normalised():
    assert parse_numbers("6\u00a0000 soldater, cirka 500 enligt ryska källor") == ["6000", "500"]
    assert parse_numbers("9,1 miljoner ton, 5,3–5,5 miljoner fat") == ["9.1", "5.3", "5.5"]
    assert parse_numbers("6.000 dræbte (da), 6,000 killed (en), 2 500 soldater") == ["6000", "6000", "2500"]
    assert parse_numbers("3 av 4 och 2022") == ["2022"]  # single digits say nothing


@given(st.integers(min_value=10, max_value=10**12), st.sampled_from(["\u00a0", " ", "\u202f", ".", ""]))
def test_numbers_with_any_thousands_separator(n, sep):
    digits = str(n)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    assert parse_numbers(f"över {sep.join(groups)} personer") == [str(n)]


# -- the clusterer --------------------------------------------------------------------------

def test_public_api():
    assert sorted(stories.__all__) == sorted([
        "FEATURES_VERSION", "Assignment", "Candidate", "Link", "Story", "StoryClusterer", "StoryFeatures",
        "StoryParams", "build_story_record", "cluster", "features_of", "story_id_for"])
    for name in stories.__all__:
        assert getattr(stories, name) is not None


def test_incremental_add_joins_and_starts_stories():
    c = StoryClusterer()
    first = c.add("sv-1", features_of(_article("sv-1", "Rysk officer lämnar kriget", OFFICER)))
    assert first.created and first.score == 0.0 and first.links == ()
    assert first.story_id == story_id_for("sv-1")
    other = c.add("btc-1", features_of(_article("btc-1", "Bitcoin rasar", BITCOIN)))
    assert other.created and other.story_id != first.story_id
    again = c.add("sv-2", features_of(_article("sv-2", "Officeren vägrade", OFFICER[1:] + OFFICER[:1],
                                               day=DAY + timedelta(days=1), outlet="Expressen")))
    assert not again.created and again.story_id == first.story_id
    assert again.score >= c.params.join_threshold
    assert [link.article_id for link in again.links] == ["sv-1"]
    assert again.links[0].kind == "rewrite"
    scam = c.add("scam-1", features_of(_article("scam-1", "Falska sms", SCAM)))
    assert scam.created
    assert c.membership() == {"sv-1": first.story_id, "btc-1": other.story_id, "sv-2": first.story_id,
                              "scam-1": scam.story_id}
    assert c.story_of("sv-2") == first.story_id and c.story_of("nope") is None
    (story,) = [s for s in c.stories() if s.story_id == first.story_id]
    assert story.article_ids == ("sv-1", "sv-2")
    assert story.first_seen == DAY and story.last_seen == DAY + timedelta(days=1)
    assert story.outlets == {"Aftonbladet": 1, "Expressen": 1} and story.languages == {"sv": 2}
    assert story.title in ("Rysk officer lämnar kriget", "Officeren vägrade")
    assert c.add("sv-2", features_of(_article("sv-2", "x", ["y"]))).story_id == first.story_id  # idempotent


def test_rewrite_link_across_swedish_and_norwegian():
    c = StoryClusterer()
    c.add("sv", features_of(_article("sv", "Rysk officer lämnar Putins krig", OFFICER)))
    c.add("btc", features_of(_article("btc", "Bitcoin rasar", BITCOIN)))
    nb = c.add("nb", features_of(_article("nb", "Russisk offiser forlater Putins krig", OFFICER_NO,
                                          language="nb", outlet="VG", day=DAY + timedelta(days=1))))
    assert not nb.created and nb.story_id == story_id_for("sv")
    (link,) = nb.links
    assert link.article_id == "sv" and link.kind == "rewrite"
    assert {"CNN", "GCHQ", "Fleming", "70"} <= set(link.shared)


def test_cold_stories_are_not_joined():
    c = StoryClusterer()
    base = c.add("d0", features_of(_article("d0", "Rysk officer lämnar kriget", OFFICER)))
    cold = c.params.cold_after_days
    late = c.add("late", features_of(_article("late", "Rysk officer lämnar kriget", OFFICER,
                                              day=DAY + timedelta(days=cold + 1))))
    assert late.created  # the same text, but the story went cold
    early = c.add("early", features_of(_article("early", "Rysk officer lämnar kriget", OFFICER,
                                                day=DAY - timedelta(days=cold + 1))))
    assert early.created  # nor before it
    warm = c.add("warm", features_of(_article("warm", "Rysk officer lämnar kriget", OFFICER,
                                              day=DAY + timedelta(days=cold - 1))))
    assert warm.story_id in (base.story_id, late.story_id) and not warm.created
    undated = c.add("undated", features_of(_article("undated", "Rysk officer lämnar kriget", OFFICER,
                                                    day=None)))
    assert not undated.created  # an undated article may join any story held


def test_restore_warms_without_deciding():
    a = features_of(_article("a", "Rysk officer lämnar kriget", OFFICER))
    b = features_of(_article("b", "Bitcoin rasar", BITCOIN))
    c = StoryClusterer()
    c.restore("a", a, "s-stored-1")
    c.restore("b", b, "s-stored-1")  # restore keeps what the store says, even if odd
    c.restore("a", a, "s-other")  # already there: nothing changes
    assert c.membership() == {"a": "s-stored-1", "b": "s-stored-1"}
    new = c.add("c", features_of(_article("c", "Officeren vägrade", OFFICER[2:] + OFFICER[:2],
                                          day=DAY + timedelta(days=2))))
    assert not new.created and new.story_id == "s-stored-1"
    assert c.stats["restored"] == 2 and c.stats["added"] == 1


def test_restore_then_add_equals_adding_all():
    texts = [OFFICER, BITCOIN, SCAM, OFFICER[::-1], BITCOIN[1:]]
    feats = [(f"x{i}", features_of(_article(f"x{i}", t[0][:30], t, day=DAY + timedelta(days=i // 2))))
             for i, t in enumerate(texts)]
    whole = cluster(feats)
    c = StoryClusterer()
    for key, f in feats[:3]:
        c.restore(key, f, whole[key])
    for key, f in feats[3:]:
        c.add(key, f)
    assert c.membership() == whole


def test_deterministic_story_ids():
    feats = [(f"id{i}", features_of(_article(f"id{i}", t[0][:40], t, day=DAY + timedelta(days=i % 3))))
             for i, t in enumerate([OFFICER, BITCOIN, OFFICER_NO, SCAM, BITCOIN[::-1], OFFICER[1:]])]
    one, two = cluster(feats), cluster(list(feats))
    assert one == two
    assert set(one.values()) <= {story_id_for(key) for key, _ in feats}


def test_memory_bound_hands_over_closed_stories():
    c = StoryClusterer(StoryParams(max_active_articles=3))
    texts = [OFFICER, BITCOIN, SCAM, OFFICER_NO, BITCOIN[::-1]]
    for i, t in enumerate(texts):
        c.add(f"m{i}", features_of(_article(f"m{i}", t[0][:30], t, day=DAY + timedelta(days=10 * i))))
        assert c.active_articles <= 3
    closed = c.take_closed()
    assert [s.article_ids for s in closed] == [("m0",), ("m1",)]
    assert all(not s.active for s in closed)
    assert c.take_closed() == [] and c.story_of("m0") is None and c.story_of("m4") is not None


def test_params_are_checked():
    with pytest.raises(ValueError):
        StoryParams(weights_same=(1.0, 1.0))
    with pytest.raises(ValueError):
        StoryParams(join_threshold=1.5)
    with pytest.raises(ValueError):
        StoryParams(max_postings=0)
    with pytest.raises(ValueError):
        StoryParams(retain_days=1, cold_after_days=7)


def test_retain_days_closes_stale_stories():
    c = StoryClusterer(StoryParams(retain_days=10))
    c.add("old", features_of(_article("old", "Bitcoin rasar", BITCOIN)))
    c.add("new", features_of(_article("new", "Falska sms", SCAM, day=DAY + timedelta(days=30))))
    assert [s.article_ids for s in c.take_closed()] == [("old",)]


# -- the story record -----------------------------------------------------------------------

def test_story_record_claims_conflicts_and_timeline():
    claims_ua = [{"text": "6 000 ryska soldater har dödats", "value": 6000, "unit": "soldiers killed",
                  "source": "ukrainska källor", "status": "attributed"}]
    claims_ru = [{"text": "cirka 500 soldater", "value": 500, "unit": "soldiers killed",
                  "source": "ryska källor", "status": "attributed"},
                 {"text": "70 procent", "value": 70, "unit": "percent", "source": "CNN",
                  "status": "asserted"}]
    a = _article("a", "Ryska förluster", OFFICER, claims=claims_ua,
                 quotes=[{"text": "Vi var smutsiga och trötta", "speaker": "officeren", "kind": "direct"}],
                 sources=[{"name": "CNN", "canonical": "CNN", "type": "media"}])
    b = _article("b", "Russiske tap", OFFICER_NO, language="nb", outlet="VG", day=DAY + timedelta(days=1),
                 claims=claims_ru,
                 quotes=[{"text": "Vi var smutsiga, och trötta!", "speaker": "officeren", "kind": "direct"}],
                 sources=[{"name": "CNN", "canonical": "CNN", "type": "media"}])
    record = build_story_record("s-1", [b, a])
    assert record["articles"] == ["a", "b"] and record["size"] == 2
    assert record["first_seen"] == "2024-03-01" and record["last_seen"] == "2024-03-02"
    assert record["outlets"] == {"Aftonbladet": 1, "VG": 1}
    assert record["sources_cited"] == [{"name": "CNN", "type": "media", "articles": ["a", "b"]}]
    assert len(record["quotes"]) == 1 and record["quotes"][0]["articles"] == ["a", "b"]
    assert len(record["claims"]) == 3
    (conflict,) = record["conflicts"]
    assert conflict["unit"] == "soldiers killed"
    assert sorted(v["value"] for v in conflict["values"]) == [500, 6000]
    assert [d["date"] for d in record["timeline"]["days"]] == ["2024-03-01", "2024-03-02"]
    assert record["timeline"]["days"][1]["languages"] == {"nb": 1}
