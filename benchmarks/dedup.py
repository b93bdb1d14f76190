"""Duplicate detection benchmark: nyhetsvakt.dedup against datasketch, same data, same run.

The data is a labelled stream built from :mod:`corpus` articles (the *bases*) and, for a
share of them, one generated copy of a known kind, dated one to three days after its base:

- ``exact_copy``: the same text with NO-BREAK SPACEs, doubled spaces, other quote marks
  and dashes, and an upper-case headline;
- ``light_edit``: 3-8 word edits (a word replaced by one from another article, an ending
  changed or dropped as a rewrite inflects it, a word deleted);
- ``boilerplate``: 3-6 furniture lines of the article's language pack put between
  paragraphs ("ANNONS", "LÄS OCKSÅ: <headline>", "Foto: …", a newsletter pitch);
- ``truncation``: the first 60-80 % of the words (a paywall cut, mid-paragraph);
- ``reorder``: the body paragraphs shuffled;
- ``rewrapped``: every body paragraph hard-wrapped at 60-80 columns and no blank line
  left between paragraphs (another extractor, a mail archive), and 1-2 word edits
  (without them it would be an exact copy: line breaks do not count for the exact key);
- ``republished``: wire copy as another outlet runs it: another headline, the lead kept
  or dropped, 2-4 word edits, 1-3 furniture lines and the agency byline.

and *hard negatives*: an article opening with the headline, lead and the first 30-50 % of a
base's paragraphs, then going on with paragraphs from the second half of another article
(same language) up to the base's length, so that it shares at most half of either. A copy is a
duplicate of its base; a hard negative of nothing. Bases are labelled distinct from each
other as generated, although the corpus recombines a small pool of paragraphs per
language (8 in English, 10 in Danish, 21 in Bokmål): two bases can share most of their
text, and the report shows how similar the pairs counted as false positives really are.

Systems, fed the same shingles (k stemmed words inside a paragraph), in date order:

- nyhetsvakt: :class:`~nyhetsvakt.dedup.NearDuplicateIndex` (exact key, LSH, exact check);
- datasketch LSH: ``MinHash`` (same ``num_perm``, built with ``MinHash.generator``, its
  fast path) and ``MinHashLSH`` with the same bands x rows; every candidate is a duplicate;
- datasketch LSH + estimate: candidates kept when ``MinHash.jaccard`` reaches the same
  Jaccard threshold (the filter datasketch's documentation recommends).

Both report wall-clock and CPU time (``time.process_time``): the machine is shared, and
CPU time is what the code costs. Memory is what ``tracemalloc`` sees allocated by building
each index from ready signatures (numpy arrays included).

    .venv/bin/python benchmarks/dedup.py --out benchmarks/results/dedup.md   # about 30 minutes
    .venv/bin/python benchmarks/dedup.py --sizes 2000 --grid-items 2000     # a smoke test
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import re
import resource
import sys
import textwrap
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

from corpus import FIRST_NAMES, LAST_NAMES, generate_articles  # noqa: E402

from nyhetsvakt.dedup import (  # noqa: E402
    DedupParams,
    Fingerprint,
    Fingerprinter,
    MinHasher,
    NearDuplicateIndex,
    estimate_jaccard,
)
from nyhetsvakt.dedup.shingles import shingle_hashes, text_paragraphs  # noqa: E402
from nyhetsvakt.langpacks import load_pack  # noqa: E402
from nyhetsvakt.records import Article  # noqa: E402
from nyhetsvakt.search.analyzer import stem_words, stemmer_name  # noqa: E402

try:
    import datasketch
    from datasketch import MinHash, MinHashLSH
except ImportError:  # pragma: no cover - the comparison needs it
    sys.exit("datasketch is not installed: .venv/bin/pip install datasketch")

VARIANTS = ("exact_copy", "light_edit", "boilerplate", "truncation", "reorder", "rewrapped", "republished")
NEGATIVE = "hard_negative"
VARIANT_SHARE = 0.25   # of bases get one generated copy (kinds in turn)
NEGATIVE_SHARE = 0.04  # of bases get a hard negative
INFLECTIONS = ("en", "na", "er", "et", "s", "a", "ene", "ar")
# Blocks are joined as nyhetsvakt.dedup.article_text joins them.
TEXT_JOIN = "\n\n"


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    text: str
    language: str
    when: date
    group: str  # the base it was made from (itself for a base or a hard negative)
    kind: str   # "base", a variant kind or "hard_negative"


# -- the labelled stream ------------------------------------------------------------------

def _lines(a: Article) -> list[str]:
    return [x for x in (a.headline, a.lead) if x] + [b.text for b in a.blocks]


def _head_count(a: Article) -> int:
    return sum(1 for x in (a.headline, a.lead) if x)


def _edit_words(lines: list[str], n: int, rng: random.Random, vocabulary: list[str]) -> list[str]:
    lines = list(lines)
    for _ in range(n):
        weights = [len(x.split()) for x in lines]
        li = rng.choices(range(len(lines)), weights=weights)[0]
        words = lines[li].split(" ")
        wi = rng.randrange(len(words))
        op = rng.random()
        if op < 0.5:
            words[wi] = rng.choice(vocabulary)
        elif op < 0.75:
            w = words[wi]
            words[wi] = w[:-1] if len(w) > 4 and rng.random() < 0.4 else w + rng.choice(INFLECTIONS)
        elif len(words) > 1:
            del words[wi]
        lines[li] = " ".join(words)
    return lines


def _furniture(language: str, rng: random.Random, headlines: list[str]) -> list[str]:
    pack = load_pack(language)
    seg = "segment"
    options = [
        rng.choice(pack.words(seg, "boilerplate_lines")),
        f"{rng.choice(pack.words(seg, 'teaser_prefixes')).upper()}: {rng.choice(headlines)}",
        f"{rng.choice(pack.words(seg, 'photo_labels'))}: {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        f"{rng.choice(pack.words(seg, 'boilerplate_prefixes'))} {rng.choice(headlines).lower()}",
        rng.choice(pack.words(seg, "boilerplate_lines")),
        f"{rng.choice(pack.words(seg, 'author_labels'))}: "
        f"{rng.choice(pack.words(seg, 'collective_authors'))}",
    ]
    return options


def _insert_lines(lines: list[str], extra: list[str], after: int, rng: random.Random) -> list[str]:
    lines = list(lines)
    for x in extra:
        lines.insert(rng.randint(after, len(lines)), x)
    return lines


def make_variant(kind: str, a: Article, rng: random.Random, vocabulary: list[str],
                 headlines: list[str]) -> list[str]:
    """The lines of a ``kind`` copy of ``a``."""
    lines, head = _lines(a), _head_count(a)
    lang = a.language or "sv"
    if kind == "exact_copy":
        out = [re.sub(r"(?<=\d) (?=\d)", "\u00a0", x) for x in lines]
        out = [x.replace(" ", "  ", 2).replace("”", '"').replace("“", '"').replace("–", "-") for x in out]
        out[0] = out[0].upper()
        return out
    if kind == "light_edit":
        return _edit_words(lines, rng.randint(3, 8), rng, vocabulary)
    if kind == "boilerplate":
        extra = rng.sample(_furniture(lang, rng, headlines), rng.randint(3, 6))
        return _insert_lines(lines, extra, head, rng)
    if kind == "truncation":
        total = sum(len(x.split()) for x in lines)
        keep = int(total * rng.uniform(0.6, 0.8))
        out: list[str] = []
        for x in lines:
            words = x.split()
            if keep <= 0:
                break
            out.append(" ".join(words[:keep]))
            keep -= len(words)
        return out
    if kind == "reorder":
        body = lines[head:]
        shuffled = list(body)
        while len(body) > 1 and shuffled == body:
            rng.shuffle(shuffled)
        return lines[:head] + shuffled
    if kind == "rewrapped":
        body = _edit_words(lines[head:], rng.randint(1, 2), rng, vocabulary)
        width = rng.randint(60, 80)
        return [*lines[:head], "\n".join(w for x in body for w in textwrap.wrap(x, width=width))]
    if kind == "republished":
        out = [rng.choice(headlines), *lines[1:]]
        if a.lead and rng.random() < 0.5:
            del out[1]
        out = _edit_words(out, rng.randint(2, 4), rng, vocabulary)
        pack = load_pack(lang)
        extra = rng.sample(_furniture(lang, rng, headlines), rng.randint(1, 3))
        out = _insert_lines(out, extra, 1, rng)
        seg = "segment"
        byline = f"{pack.words(seg, 'author_labels')[0]}: {pack.words(seg, 'collective_authors')[-1]}"
        return [*out, byline]
    raise ValueError(kind)


def _hard_negative(a: Article, other: Article, rng: random.Random) -> list[str]:
    """``a``'s headline, lead and first 30-50 % of paragraphs, then paragraphs from the second
    half of ``other`` up to ``a``'s length: at most half of either source."""
    cut = max(1, round(len(a.blocks) * rng.uniform(0.3, 0.5)))
    half = len(other.blocks) // 2
    rest = [b.text for b in other.blocks[half:][: len(a.blocks) - cut]]
    return [x for x in (a.headline, a.lead) if x] + [b.text for b in a.blocks[:cut]] + rest


def labelled_stream(n_items: int, seed: int = 0) -> list[Item]:
    """About ``n_items`` labelled items (bases, copies, hard negatives) in date order."""
    rng = random.Random(seed ^ 0x5EED)
    n_base = round(n_items / (1 + VARIANT_SHARE + NEGATIVE_SHARE))
    bases = list(generate_articles(n_base, seed))
    by_lang: dict[str, list[Article]] = defaultdict(list)
    for a in bases:
        by_lang[a.language or "sv"].append(a)
    items = [Item(a.id, TEXT_JOIN.join(_lines(a)), a.language or "sv", a.published or date(2020, 1, 1), a.id,
                  "base") for a in bases]
    turn = 0
    for a in bases:
        r = rng.random()
        lang = a.language or "sv"
        when = (a.published or date(2020, 1, 1)) + timedelta(days=rng.randint(1, 3))
        if r < VARIANT_SHARE:
            kind = VARIANTS[turn % len(VARIANTS)]
            turn += 1
            donor = rng.choice(bases)
            vocabulary = [w for w in "\n".join(_lines(donor)).split() if w.isalpha()] or ["och"]
            headlines = [b.headline or "" for b in rng.sample(by_lang[lang], min(5, len(by_lang[lang])))]
            lines = make_variant(kind, a, rng, vocabulary, headlines)
            items.append(Item(f"{a.id}~{kind}", TEXT_JOIN.join(lines), lang, when, a.id, kind))
        elif r < VARIANT_SHARE + NEGATIVE_SHARE:
            pool = by_lang[lang]
            other = pool[rng.randrange(len(pool))]
            if other is a:
                continue
            key = f"{a.id}~negative~{other.id}"
            items.append(Item(key, TEXT_JOIN.join(_hard_negative(a, other, rng)), lang, when, key, NEGATIVE))
    order = sorted(range(len(items)), key=lambda i: (items[i].when, i))
    return [items[i] for i in order]


# -- the systems --------------------------------------------------------------------------

@dataclass
class Timing:
    wall: float = 0.0
    cpu: float = 0.0

    def rate(self, n: int) -> tuple[float, float]:
        return n / self.wall, n / self.cpu


class timed:
    def __init__(self, t: Timing) -> None:
        self.t = t

    def __enter__(self) -> None:
        gc.collect()
        self.w, self.c = time.perf_counter(), time.process_time()

    def __exit__(self, *exc: object) -> None:
        self.t.wall += time.perf_counter() - self.w
        self.t.cpu += time.process_time() - self.c


def fingerprints(items: Sequence[Item], params: DedupParams) -> list[Fingerprint]:
    fp = Fingerprinter(params)
    return [fp.fingerprint(it.text, it.language) for it in items]


# A system's answer: duplicate key -> (the article it was matched with, its origin)
Links = dict[str, tuple[str, str]]


def run_ours(items: Sequence[Item], fps: Sequence[Fingerprint], params: DedupParams
             ) -> tuple[Links, NearDuplicateIndex]:
    index = NearDuplicateIndex(params)
    add = index.add_fingerprint
    for it, fp in zip(items, fps, strict=True):
        add(it.key, fp, it.when)
    return {k: (m.matched, m.duplicate_of) for k, m in index.matches().items()}, index


def ds_shingles(text: str, language: str, params: DedupParams) -> list[bytes]:
    """The same shingles as nyhetsvakt's, as the byte strings datasketch hashes (SHA-1)."""
    algorithm = stemmer_name(language) if params.stem else None
    lines = [stem_words(line, algorithm) for line in text_paragraphs(text)]
    if params.across_lines:
        lines = [[w for line in lines for w in line]]
    k = params.shingle_words
    out: set[bytes] = set()
    for words in lines:
        if len(words) < k:
            out.add(" ".join(words).encode("utf-8"))
        else:
            out.update(" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1))
    return list(out)


def ds_minhashes(items: Sequence[Item], params: DedupParams) -> list[MinHash]:
    shingles = (ds_shingles(it.text, it.language, params) for it in items)
    return list(MinHash.generator(shingles, num_perm=params.num_perm, seed=1))


def run_datasketch(items: Sequence[Item], mhs: Sequence[MinHash], params: DedupParams,
                   verify: bool) -> tuple[Links, MinHashLSH]:
    lsh = MinHashLSH(threshold=params.jaccard_threshold, num_perm=params.num_perm,
                     params=(params.bands, params.rows))
    by_key: dict[str, MinHash] = {}
    arrival: dict[str, int] = {}
    origin: dict[str, str] = {}
    pred: Links = {}
    threshold = params.jaccard_threshold
    for i, (it, m) in enumerate(zip(items, mhs, strict=True)):
        candidates = lsh.query(m)
        if verify:
            candidates = [c for c in candidates if m.jaccard(by_key[c]) >= threshold]
        if candidates:
            first = min(candidates, key=arrival.__getitem__)
            origin[it.key] = origin[first]
            pred[it.key] = (first, origin[first])
        else:
            origin[it.key] = it.key
        lsh.insert(it.key, m, check_duplication=False)
        arrival[it.key] = i
        if verify:
            by_key[it.key] = m
    return pred, lsh


# -- evaluation ---------------------------------------------------------------------------

@dataclass
class Scores:
    precision: float
    recall: float
    recall_by_kind: dict[str, float]
    precision_by_language: dict[str, float]
    predicted: int
    false_positives: Counter[str]
    fp_pairs: list[tuple[str, str]]


def evaluate(items: Sequence[Item], links: Links) -> Scores:
    """Recall: a copy ends up in its base's group (same origin). Precision: each link
    (duplicate, the article it was matched with) joins two articles of one generated group."""
    group = {it.key: it.group for it in items}
    kind = {it.key: it.kind for it in items}
    language = {it.key: it.language for it in items}

    def origin(key: str) -> str:
        return links[key][1] if key in links else key

    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for it in items:
        if it.kind in VARIANTS:
            total[it.kind] += 1
            if it.key in links and origin(it.key) == origin(it.group):
                found[it.kind] += 1
    fps: Counter[str] = Counter()
    fp_pairs: list[tuple[str, str]] = []
    correct = 0
    by_language: Counter[str] = Counter()
    correct_by_language: Counter[str] = Counter()
    for k, (o, _) in links.items():
        by_language[language[k]] += 1
        if group[k] == group[o]:
            correct += 1
            correct_by_language[language[k]] += 1
            continue
        a, b = sorted((kind[k], kind[o]))
        if a == b == "base":
            label = "base ~ base"
        elif NEGATIVE in (a, b) and (group[o] in k.split("~") or group[k] in o.split("~")):
            label = "hard negative ~ one of its sources"
        elif NEGATIVE in (a, b):
            label = "hard negative ~ other"
        else:
            label = "copy ~ other article"
        fps[label] += 1
        fp_pairs.append((k, o))
    n_variants = sum(total.values())
    return Scores(
        precision=correct / len(links) if links else 1.0,
        recall=sum(found.values()) / n_variants if n_variants else 1.0,
        recall_by_kind={k: found[k] / total[k] for k in VARIANTS if total[k]},
        precision_by_language={lang: correct_by_language[lang] / n
                               for lang, n in sorted(by_language.items())},
        predicted=len(links), false_positives=fps, fp_pairs=fp_pairs)


def pair_similarity(items: Sequence[Item], pairs: Sequence[tuple[str, str]],
                    params: DedupParams) -> list[float]:
    """Exact Jaccard similarity of the shingle sets of each pair."""
    text = {it.key: (it.text, it.language) for it in items}
    fp = Fingerprinter(params)
    out = []
    for a, b in pairs:
        sa, sb = fp.shingles(*text[a]), fp.shingles(*text[b])
        inter = np.intersect1d(sa, sb, assume_unique=True).size
        out.append(inter / (sa.size + sb.size - inter))
    return out


# -- the parameter grid -------------------------------------------------------------------

@dataclass
class GridRow:
    label: str
    params: DedupParams
    scores: Scores
    sign_us: float
    add_us: float
    checked_per_add: float
    candidates_per_add: float


def grid_row(label: str, items: Sequence[Item], params: DedupParams,
             fps: list[Fingerprint] | None = None) -> tuple[GridRow, list[Fingerprint]]:
    t_sign = Timing()
    if fps is None:
        with timed(t_sign):
            fps = fingerprints(items, params)
    t_add = Timing()
    with timed(t_add):
        pred, index = run_ours(items, fps, params)
    n = len(items)
    row = GridRow(label, params, evaluate(items, pred), t_sign.cpu / n * 1e6, t_add.cpu / n * 1e6,
                  index.stats["checked"] / n, index.stats["candidates"] / n)
    print(f"  {label}: P {row.scores.precision:.3f} R {row.scores.recall:.3f} "
          f"{ {k: round(v, 3) for k, v in row.scores.recall_by_kind.items()} } "
          f"add {row.add_us:.0f} us", flush=True)
    return row, fps


def resign(fps: list[Fingerprint], params: DedupParams) -> list[Fingerprint]:
    fp = Fingerprinter(params)
    return [Fingerprint(f.exact, fp.sign(f.shingles), f.shingles) for f in fps]


def run_grid(items: Sequence[Item], base: DedupParams) -> dict[str, list[GridRow]]:
    out: dict[str, list[GridRow]] = {"shingles": [], "thresholds": [], "lsh": [], "buckets": []}
    print("grid: shingles", flush=True)
    chosen_fps: list[Fingerprint] | None = None
    for k in (3, 4, 5, 7):
        for across in (False, True):
            for stem in (True, False):
                if across and not stem:
                    continue
                p = replace(base, shingle_words=k, across_lines=across, stem=stem)
                label = f"k={k}, {'across paragraphs' if across else 'within paragraphs'}, " \
                        f"{'stems' if stem else 'words'}"
                row, fps = grid_row(label, items, p)
                out["shingles"].append(row)
                if (k, across, stem) == (base.shingle_words, base.across_lines, base.stem):
                    chosen_fps = fps
    assert chosen_fps is not None
    print("grid: thresholds", flush=True)
    for jt, ct, cj in ((0.5, 1.0, 1.0), (0.6, 1.0, 1.0), (0.7, 1.0, 1.0), (0.8, 1.0, 1.0),
                       (0.8, 0.9, 0.5), (0.7, 0.9, 0.5), (0.7, 0.8, 0.5), (0.7, 0.9, 0.4), (0.6, 0.9, 0.5)):
        p = replace(base, jaccard_threshold=jt, containment_threshold=ct, containment_min_jaccard=cj)
        containment = "no containment" if ct == 1.0 else f"containment >= {ct} with J >= {cj}"
        out["thresholds"].append(grid_row(f"J >= {jt}, {containment}", items, p, chosen_fps)[0])
    print("grid: LSH", flush=True)
    for perms, bands, rows in ((64, 16, 4), (64, 32, 2), (64, 8, 8), (128, 32, 4), (128, 16, 8),
                               (128, 64, 2), (256, 64, 4), (256, 32, 8)):
        p = replace(base, num_perm=perms, bands=bands, rows=rows,
                    estimate_margin=round(2.3 * (0.25 / perms) ** 0.5, 3))
        t = Timing()
        with timed(t):
            fps = resign(chosen_fps, p)
        row, _ = grid_row(f"{perms} permutations, {bands} x {rows}", items, p, fps)
        row.sign_us = t.cpu / len(items) * 1e6
        out["lsh"].append(row)
    print("grid: buckets", flush=True)
    for cap in (4, 8, 16, 64, 1_000_000):
        label = "no limit" if cap == 1_000_000 else f"at most {cap}"
        out["buckets"].append(grid_row(f"{label} per bucket", items, replace(base, max_bucket=cap),
                                       chosen_fps)[0])
    return out


# -- hash families ------------------------------------------------------------------------

def _sign_u64(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The 64-bit multiply-add-shift family (strongly universal), for comparison."""
    m = a[:, None] * x.astype(np.uint64)[None, :]
    m += b[:, None]
    return (m.min(axis=1) >> np.uint64(32)).astype(np.uint32)


def hash_families(num_perm: int, seed: int = 0) -> list[tuple[str, float, list[tuple[float, float, float]]]]:
    """CPU µs to sign a 300-shingle set, and (J, mean error, std) of the estimate over 200
    pairs at J = 0.2, 0.5, 0.8, for each family on mixed shingle hashes and on raw integers."""
    rng = np.random.Generator(np.random.PCG64(seed))
    u32 = MinHasher(num_perm, seed)
    a64 = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b64 = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64)
    families: dict[str, Callable[[np.ndarray], np.ndarray]] = {
        "uint32 a*x+b mod 2^32 (ours)": u32.sign,
        "uint64 (a*x+b) >> 32": lambda x: _sign_u64(a64, b64, x),
    }
    out = []
    sample = shingle_hashes([[str(i)] for i in range(300)], 1)
    for name, sign in families.items():
        t = Timing()
        with timed(t):
            for _ in range(2000):
                sign(sample)
        for inputs in ("mixed", "raw"):
            errors = []
            for target in (0.2, 0.5, 0.8):
                diffs = []
                for trial in range(200):
                    n = 300
                    shared = round(2 * n * target / (1 + target))
                    base = np.arange(trial * 10_000, trial * 10_000 + 2 * n - shared)
                    xa, xb = base[:n], base[n - shared :]
                    if inputs == "mixed":
                        sa = shingle_hashes([[str(v)] for v in xa], 1)
                        sb = shingle_hashes([[str(v)] for v in xb], 1)
                    else:
                        sa, sb = xa.astype(np.uint32), xb.astype(np.uint32)
                    diffs.append(estimate_jaccard(sign(sa), sign(sb)) - shared / (2 * n - shared))
                errors.append((target, float(np.mean(diffs)), float(np.std(diffs))))
            out.append((f"{name}, {inputs} input", t.cpu / 2000 * 1e6, errors))
    return out


# -- throughput and memory ----------------------------------------------------------------

@dataclass
class SizeResult:
    n: int
    sign: dict[str, Timing]
    index: dict[str, Timing]
    scores: dict[str, Scores]
    memory: dict[str, int]
    stats: Counter[str]
    fp_similarity: list[float]


def traced(build: Callable[[], object]) -> int:
    """Bytes still allocated (tracemalloc) after ``build()``, whose result is kept alive."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = build()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return after - before


def run_size(n: int, params: DedupParams, seed: int, memory: bool) -> SizeResult:
    print(f"size {n:,}: generating", flush=True)
    items = labelled_stream(n, seed)
    sign = {"ours": Timing(), "datasketch": Timing()}
    index = {"ours": Timing(), "datasketch": Timing(), "datasketch+estimate": Timing()}
    with timed(sign["ours"]):
        fps = fingerprints(items, params)
    print(f"  signed (ours) {len(items) / sign['ours'].cpu:,.0f}/s CPU", flush=True)
    with timed(sign["datasketch"]):
        mhs = ds_minhashes(items, params)
    print(f"  signed (datasketch) {len(items) / sign['datasketch'].cpu:,.0f}/s CPU", flush=True)
    preds = {}
    with timed(index["ours"]):
        preds["ours"], ours_index = run_ours(items, fps, params)
    with timed(index["datasketch"]):
        preds["datasketch"], _ = run_datasketch(items, mhs, params, verify=False)
    with timed(index["datasketch+estimate"]):
        preds["datasketch+estimate"], _ = run_datasketch(items, mhs, params, verify=True)
    for name, t in index.items():
        print(f"  indexed ({name}) {len(items) / t.cpu:,.0f}/s CPU", flush=True)
    scores = {name: evaluate(items, pred) for name, pred in preds.items()}
    mem: dict[str, int] = {}
    if memory:
        mem["ours"] = traced(lambda: run_ours(items, fps, params)[1])
        mem["datasketch"] = traced(lambda: run_datasketch(items, mhs, params, verify=False)[1])
        mem["signature ours"] = fps[0].signature.nbytes
        mem["signature datasketch"] = mhs[0].hashvalues.nbytes
        mem["shingles ours"] = int(np.mean([f.shingles.nbytes for f in fps]))
    sims = pair_similarity(items, scores["ours"].fp_pairs[:300], params)
    return SizeResult(len(items), sign, index, scores, mem, ours_index.stats, sims)


# -- the report ---------------------------------------------------------------------------

def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _scores_row(label: str, s: Scores) -> str:
    kinds = " | ".join(_pct(s.recall_by_kind.get(k, float("nan"))) for k in VARIANTS)
    return f"| {label} | {_pct(s.precision)} | {_pct(s.recall)} | {kinds} | {s.predicted:,} |"


def _scores_header(first: str) -> list[str]:
    return [f"| {first} | precision % | recall % | {' | '.join(VARIANTS)} | pairs |",
            "|---|---:|---:|" + "---:|" * len(VARIANTS) + "---:|"]


def report(args: argparse.Namespace, params: DedupParams, sizes: list[SizeResult],
           grid: dict[str, list[GridRow]] | None, grid_items: list[Item] | None,
           families: list[tuple[str, float, list[tuple[float, float, float]]]]) -> str:
    cmd = "python benchmarks/dedup.py " + " ".join(sys.argv[1:])
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    out = [
        "## Duplicate detection (nyhetsvakt.dedup vs datasketch)",
        "",
        f"Command: `{cmd.strip()}`  ",
        f"Date: {now}  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared with other work: compare CPU "
        f"times), Python {platform.python_version()}, numpy {np.__version__}, datasketch "
        f"{datasketch.__version__}, {platform.system()}; load average when done: {load}  ",
        f"Parameters: {params.shingle_words}-word shingles of Snowball stems within paragraphs, "
        f"{params.num_perm} permutations, LSH {params.bands} bands x {params.rows} rows, Jaccard >= "
        f"{params.jaccard_threshold} or containment >= {params.containment_threshold} with Jaccard >= "
        f"{params.containment_min_jaccard}; datasketch gets the same shingles, num_perm and bands x rows.",
        "",
        "Data: the labelled stream of `benchmarks/dedup.py` (generated bases from `benchmarks/corpus.py`, "
        f"{_pct(VARIANT_SHARE)} % of them with one generated copy, kinds in turn, {_pct(NEGATIVE_SHARE)} % "
        "with a hard negative), in date order. Single process, one core.",
        "",
        "### Speed",
        "",
        "Signing: text to signature (datasketch: the same stemmed shingles as byte strings, "
        "`MinHash.generator`). Indexing: query then insert, every article, in date order (ours "
        "also confirms each candidate exactly and tracks origins).",
        "",
        "| articles | step | ours /s wall | ours /s CPU | datasketch /s wall | datasketch /s CPU "
        "| speed ratio (CPU) |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in sizes:
        for step, ours, theirs in (("signing", r.sign["ours"], r.sign["datasketch"]),
                                   ("indexing + query", r.index["ours"], r.index["datasketch"]),
                                   ("indexing + query + estimate filter", r.index["ours"],
                                    r.index["datasketch+estimate"])):
            ow, oc = ours.rate(r.n)
            tw, tc = theirs.rate(r.n)
            out.append(f"| {r.n:,} | {step} | {ow:,.0f} | {oc:,.0f} | {tw:,.0f} | {tc:,.0f} "
                       f"| {oc / tc:.1f}x |")
        total_o = Timing(r.sign["ours"].wall + r.index["ours"].wall, r.sign["ours"].cpu + r.index["ours"].cpu)
        total_t = Timing(r.sign["datasketch"].wall + r.index["datasketch"].wall,
                         r.sign["datasketch"].cpu + r.index["datasketch"].cpu)
        ow, oc = total_o.rate(r.n)
        tw, tc = total_t.rate(r.n)
        out.append(f"| {r.n:,} | **end to end** | **{ow:,.0f}** | **{oc:,.0f}** | {tw:,.0f} | {tc:,.0f} "
                   f"| **{oc / tc:.1f}x** |")
    out += ["", "Cost per added article as the index grows (ours, CPU µs; it should stay flat):", "",
            "| articles | signing µs | indexing µs | candidates per add | checked exactly per add "
            "| bucket entries not kept |",
            "|---:|---:|---:|---:|---:|---:|"]
    for r in sizes:
        out.append(f"| {r.n:,} | {r.sign['ours'].cpu / r.n * 1e6:.0f} "
                   f"| {r.index['ours'].cpu / r.n * 1e6:.0f} | {r.stats['candidates'] / r.n:.1f} "
                   f"| {r.stats['checked'] / r.n:.2f} "
                   f"| {r.stats['bucket_full']:,} |")
    with_mem = [r for r in sizes if r.memory]
    if with_mem:
        out += ["", "### Memory", "",
                "Bytes allocated by building the index from ready signatures (tracemalloc). Ours keeps "
                "per article the signature, the shingle set (to confirm candidates exactly), the exact "
                "key and the buckets; datasketch's `MinHashLSH` keeps the buckets and each key's band "
                "hashes, not the MinHashes (the estimate filter needs them too: "
                f"{with_mem[0].memory['signature datasketch']} bytes of hash values each).", "",
                "| articles | ours MiB | ours bytes/article | datasketch LSH MiB "
                "| datasketch bytes/article |",
                "|---:|---:|---:|---:|---:|"]
        for r in with_mem:
            o, t = r.memory["ours"], r.memory["datasketch"]
            out.append(f"| {r.n:,} | {o / 2**20:.1f} | {o / r.n:,.0f} | {t / 2**20:.1f} | {t / r.n:,.0f} |")
        m = with_mem[0].memory
        out += ["", f"Signature: ours {m['signature ours']} bytes (uint32), datasketch "
                f"{m['signature datasketch']} bytes; shingle set: {m['shingles ours']} bytes on average."]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out += ["", f"Peak RSS of the whole run: {peak:,.0f} MiB (every text, fingerprint and MinHash "
            "held at once)."]
    out += ["", "### Precision and recall", "",
            "Recall by kind of copy: the copy ends up in its base's group (the same `duplicate_of` "
            "origin). Precision: the links (duplicate, the article it was matched with) that join two "
            "articles of one generated group.", ""]
    for r in sizes:
        out += [f"{r.n:,} articles:", "", *_scores_header("system")]
        for name, s in r.scores.items():
            out.append(_scores_row(name, s))
        out += ["", "Precision by language (the corpus draws English from 8 paragraphs, Danish from 10, "
                "Nynorsk from 5, Bokmål from 21 and Swedish from 139: the fewer, the more two distinct "
                "articles share):", "",
                "| system | " + " | ".join(r.scores["ours"].precision_by_language) + " |",
                "|---|" + "---:|" * len(r.scores["ours"].precision_by_language)]
        for name, sc in r.scores.items():
            out.append(f"| {name} | " + " | ".join(_pct(sc.precision_by_language.get(lang, float("nan")))
                                               for lang in r.scores["ours"].precision_by_language) + " |")
        out.append("")
        fp_lines = []
        for name, s in r.scores.items():
            if s.false_positives:
                kinds = ", ".join(f"{k} {v:,}" for k, v in s.false_positives.most_common())
                fp_lines.append(f"{name}: {kinds}")
        if fp_lines:
            out += ["False positives by kind of pair: " + "; ".join(fp_lines) + "."]
        if r.fp_similarity:
            sims = r.fp_similarity
            out += ["", f"Exact Jaccard similarity of the pairs ours counts as false positives: median "
                    f"{np.median(sims):.2f}, min {min(sims):.2f} ({len(sims)} pairs)."]
        out.append("")
    if families:
        out += ["### MinHash hash family", "",
                f"{params.num_perm} permutations; µs: CPU to sign one set of 300 shingles; error: estimate "
                "minus true Jaccard, mean ± standard deviation over 200 pairs of 300-element sets "
                "(\"mixed\": shingle hashes as `shingle_hashes` makes them; \"raw\": consecutive integers).",
                "", "| family, input | µs a set | error at J=0.2 | at J=0.5 | at J=0.8 |",
                "|---|---:|---:|---:|---:|"]
        for name, us, errors in families:
            cells = " | ".join(f"{mean:+.3f} ± {std:.3f}" for _, mean, std in errors)
            out.append(f"| {name} | {us:.0f} | {cells} |")
        out.append("")
    if grid:
        n = len(grid_items or [])
        out += ["### Parameter grid", "",
                f"{n:,} labelled articles (seed {args.seed}); one parameter group varied at a time, the "
                "others at the chosen values. µs are CPU per article (sign \"=\": signatures reused). "
                "\"precision sv\": on Swedish articles only, the language the corpus draws from 139 "
                "paragraphs (closest to real news).", ""]
        titles = {"shingles": "Shingles (thresholds and LSH as chosen)",
                  "thresholds": "Thresholds (shingles and LSH as chosen)",
                  "lsh": "Permutations and bands x rows (estimate margin 2.3 standard deviations; sign µs: "
                         "the MinHash alone, shingles reused)",
                  "buckets": "Articles kept per LSH bucket"}
        for part, rows in grid.items():
            out += [f"{titles[part]}:", ""]
            out += [_scores_header("setting")[0] + " precision sv % | sign µs | add µs | candidates/add "
                    "| checked/add |", _scores_header("setting")[1] + "---:|---:|---:|---:|---:|"]
            for row in rows:
                sv = row.scores.precision_by_language.get("sv", float("nan"))
                sign = f"{row.sign_us:.0f}" if row.sign_us else "="
                out.append(_scores_row(row.label, row.scores) + f" {_pct(sv)} | {sign} | {row.add_us:.0f} "
                           f"| {row.candidates_per_add:.1f} | {row.checked_per_add:.2f} |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    ap.add_argument("--grid-items", type=int, default=10_000, help="0: no parameter grid")
    ap.add_argument("--memory-max", type=int, default=100_000, help="measure memory up to this size")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    params = DedupParams()
    grid = grid_items = None
    if args.grid_items:
        grid_items = labelled_stream(args.grid_items, args.seed)
        grid = run_grid(grid_items, params)
    print("hash families", flush=True)
    families = hash_families(params.num_perm)
    sizes = [run_size(n, params, args.seed, memory=n <= args.memory_max) for n in args.sizes]
    text = report(args, params, sizes, grid, grid_items, families)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
