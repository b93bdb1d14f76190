"""Train the named-entity recogniser shipped in ``src/nyhetsvakt/ner/models/``.

Data (from ``../shared/data/ner``, ``$NYHETSVAKT_SHARED/data/ner`` or ``--data``; never
copied into the repository):

- nb, nn: NorNE over the whole NDT, ``no/ndt/{nob,nno}/*.conll``, after removing every
  sentence that is in the UD dev or test split (``no/ud/no_{bokmaal,nynorsk}-ud-{dev,test}.conllu``):
  sentences are matched by their lower-cased letters and digits, and the script prints how
  many were removed per file and stops unless every UD sentence was found;
- sv: Webbnyheter 2012 ``sv/train_corpus.txt``;
- da: DDT ``da/da_ddt-ud-ner-train-10k.conll`` (the DDT dev file is used as dev only).

All tag sets are mapped onto PER, ORG, LOC, MISC (:mod:`nyhetsvakt.ner.corpora`).

Every 10th NDT file and every 10th block of 20 Swedish sentences is held out as dev; the
script reports dev scores, then (unless ``--no-final``) trains the shipped model on train+dev
with the same settings. Deterministic: same data, same settings, same model.

    .venv/bin/python scripts/train_ner.py                   # the shipped CRF model
    .venv/bin/python scripts/train_ner.py --model spacy --minutes 15 --out /tmp/ner-spacy
                                                             # the spaCy variant (compared, not shipped)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

# One core for training (the machine is shared); set before numpy/thinc load.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from nyhetsvakt._evaldata import find_shared  # noqa: E402
from nyhetsvakt.ner import corpora  # noqa: E402
from nyhetsvakt.ner.corpora import Sentence, sentence_key  # noqa: E402
from nyhetsvakt.ner.features import FeatureExtractor, LexiconCounts, read_clusters  # noqa: E402
from nyhetsvakt.ner.recognizer import MODEL_DIR  # noqa: E402

DEV_EVERY = 10   # every 10th NDT file / Swedish block is dev
SV_BLOCK = 20    # Swedish sentences per block for that split
SEED = 13


def data_dir(arg: Path | None) -> Path:
    if arg is not None:
        return arg
    shared = find_shared()
    if shared is None:
        sys.exit("evaluation data not found: put shared/ beside the repository, set NYHETSVAKT_SHARED "
                 "or pass --data")
    return shared / "data" / "ner"


def ud_eval_keys(data: Path) -> dict[str, set[str]]:
    """Sentence keys of the NorNE UD dev and test files, per file name."""
    out = {}
    for path in sorted((data / "no/ud").glob("no_*-ud-*.conllu")):
        if "-dev." in path.name or "-test." in path.name:
            keys = set()
            for line in path.read_text("utf-8").splitlines():
                if line.startswith("# text = "):
                    keys.add(sentence_key(line[9:]))
            out[path.name] = keys
    return out


Corpus = dict[str, dict[str, list[Sentence]]]  # split -> lang -> sentences


def load_corpus(data: Path, verbose: bool = True) -> Corpus:
    """Train and dev sentences per language, with the UD dev/test sentences removed (and proved)."""
    evals = ud_eval_keys(data)
    all_eval = set().union(*evals.values())
    found: set[str] = set()
    removed: Counter = Counter()
    corpus: Corpus = {"train": {}, "dev": {}}
    ndt = {lang: list(corpora.norne_ndt(data / "no/ndt" / sub, lang))
           for lang, sub in (("nb", "nob"), ("nn", "nno"))}
    # A UD sentence the treebank later corrected ("vi" → "oss") has no exact twin in NDT: match
    # it by its first and last 20 characters instead.
    ndt_keys = {sentence_key(s.text) for ss in ndt.values() for s in ss}
    fuzzy = {(k[:20], k[-20:]): k for k in all_eval - ndt_keys if len(k) >= 60}
    for lang in ("nb", "nn"):
        docs = sorted({s.doc for s in ndt[lang]})
        dev_docs = {d for i, d in enumerate(docs) if i % DEV_EVERY == DEV_EVERY - 1}
        for split in ("train", "dev"):
            corpus[split][lang] = []
        for s in ndt[lang]:
            k = sentence_key(s.text)
            if k not in all_eval and len(k) >= 60:
                k = fuzzy.get((k[:20], k[-20:]), k)
            if k in all_eval:
                found.add(k)
                for name, keys in evals.items():
                    if k in keys:
                        removed[(lang, name)] += 1
                        break
                continue
            corpus["dev" if s.doc in dev_docs else "train"][lang].append(s)
    sv = list(corpora.swedish(data / "sv/train_corpus.txt"))
    corpus["train"]["sv"] = [s for i, s in enumerate(sv) if (i // SV_BLOCK) % DEV_EVERY != DEV_EVERY - 1]
    corpus["dev"]["sv"] = [s for i, s in enumerate(sv) if (i // SV_BLOCK) % DEV_EVERY == DEV_EVERY - 1]
    corpus["train"]["da"] = list(corpora.danish(data / "da/da_ddt-ud-ner-train-10k.conll"))
    corpus["dev"]["da"] = list(corpora.danish(data / "da/da_ddt-ud-ner-dev.conll"))

    # The test sets of sv and da must not leak into training either: Webbnyheter's train and
    # test files share a few sentences (bylines, list numbers and about ten real sentences).
    test_keys = {sentence_key(s.text) for s in corpora.swedish(data / "sv/test_corpus.txt")}
    test_keys |= {sentence_key(s.text) for s in corpora.danish(data / "da/da_ddt-ud-ner-test.conll")}
    leaks = Counter()
    for split in ("train", "dev"):
        for lang in ("sv", "da"):
            kept = [s for s in corpus[split][lang] if sentence_key(s.text) not in test_keys]
            leaks[lang] += len(corpus[split][lang]) - len(kept)
            corpus[split][lang] = kept
    if verbose:
        print("UD dev/test sentences removed from NDT (by file they belong to):")
        for name, keys in evals.items():
            n = sum(v for (lang, f), v in removed.items() if f == name)
            print(f"  {name}: {len(keys)} sentences in the file, {n} removed from NDT")
        print(f"  total removed: {sum(removed.values())}; UD sentences not found in NDT: "
              f"{len(all_eval - found)}")
        print(f"  of which matched by first/last 20 characters (a later correction): {len(fuzzy)}")
        print(f"sv/da training sentences removed because they also occur in the test sets: {dict(leaks)}")
        for split in ("train", "dev"):
            sizes = {lang: (len(ss), sum(len(s.words) for s in ss)) for lang, ss in corpus[split].items()}
            print(split, sizes, "(sentences, tokens)")
    if all_eval - found:
        sys.exit(f"{len(all_eval - found)} UD dev/test sentences were not found in NDT: refusing to train")
    return corpus


# -- spaCy variant (measured for comparison; see docs/ner.md) ------------------------

SPACY_CONFIG = """
[nlp]
lang = "nb"
pipeline = ["tok2vec","ner"]
[components]
[components.tok2vec]
factory = "tok2vec"
[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"
[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = {rows}
include_static_vectors = false
[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = {depth}
window_size = 1
maxout_pieces = 3
[components.ner]
factory = "ner"
[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null
[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = {width}
"""


def spacy_f1(nlp, sents: list[Sentence]) -> float:
    from spacy.tokens import Doc

    tp = fp = fn = 0
    docs = [Doc(nlp.vocab, words=s.words, spaces=s.spaces) for s in sents]
    for _, proc in nlp.pipeline:
        docs = list(proc.pipe(docs, batch_size=256))
    for s, doc in zip(sents, docs, strict=True):
        gold = {(i, j, t) for i, j, t in corpora.entity_spans(s.tags) if t != "MISC"}
        pred = {(e.start, e.end, e.label_) for e in doc.ents if e.label_ != "MISC"}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def train_spacy(corpus: Corpus, out: Path, minutes: float, width: int, depth: int, rows: str) -> None:
    import spacy
    from spacy.tokens import Doc
    from spacy.training import Example
    from spacy.util import compounding, minibatch
    from thinc.api import Config

    random.seed(SEED)
    spacy.util.fix_random_seed(SEED)
    cfg = Config().from_str(SPACY_CONFIG.format(width=width, depth=depth, rows=rows))
    nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    ner = nlp.get_pipe("ner")
    for t in corpora.TYPES:
        ner.add_label(t)

    def example(s: Sentence) -> Example:
        ref = Doc(nlp.vocab, words=s.words, spaces=s.spaces, ents=s.tags)
        return Example(Doc(nlp.vocab, words=s.words, spaces=s.spaces), ref)

    train = [example(s) for ss in corpus["train"].values() for s in ss]
    dev = {lang: ss for lang, ss in corpus["dev"].items()}
    optimizer = nlp.initialize(lambda: train[:2000])
    t0 = time.monotonic()
    best, best_bytes, step, epoch = -1.0, None, 0, 0
    next_eval = 120.0
    while time.monotonic() - t0 < minutes * 60:
        epoch += 1
        random.shuffle(train)
        for batch in minibatch(train, size=compounding(100.0, 1000.0, 1.001)):
            nlp.update(batch, drop=0.1, sgd=optimizer, losses={})
            step += 1
            elapsed = time.monotonic() - t0
            if elapsed >= next_eval or elapsed >= minutes * 60:
                next_eval += 120.0
                scores = {lang: spacy_f1(nlp, ss) for lang, ss in dev.items()}
                mean = sum(scores.values()) / len(scores)
                print(f"{elapsed / 60:5.1f} min epoch {epoch} step {step} dev F1 (PER/ORG/LOC) "
                      + " ".join(f"{k} {v:.4f}" for k, v in scores.items()) + f" mean {mean:.4f}", flush=True)
                if mean > best:
                    best, best_bytes = mean, nlp.to_bytes()
                if elapsed >= minutes * 60:
                    break
    nlp.from_bytes(best_bytes)
    nlp.to_disk(out)
    print(f"best dev mean F1 {best:.4f}; saved to {out}")


# -- CRF (the shipped model) ----------------------------------------------------------

CRF_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}
REPEAT_DA = 1    # times the Danish sentences are repeated in training (measured in docs/ner.md)
FOLDS = 5        # jackknife folds for the lexicon features of the training sentences


def token_types(s: Sentence) -> list[str | None]:
    return [None if t == "O" else t[2:] for t in s.tags]


def fold_of(s: Sentence, i: int) -> int:
    """Documents stay in one fold (a name repeated in its article must not leak across)."""
    if s.doc is not None:
        return sum(map(ord, s.doc)) % FOLDS
    return (i // SV_BLOCK) % FOLDS


def lexicon_counts(sents: list[tuple[int, Sentence]]) -> list[LexiconCounts]:
    folds = [LexiconCounts() for _ in range(FOLDS)]
    for i, s in sents:
        folds[fold_of(s, i)].add(s.words, token_types(s))
    return folds


def merge(counts: list[LexiconCounts]) -> LexiconCounts:
    out = LexiconCounts()
    for c in counts:
        out.seen.update(c.seen)
        out.cap_inside.update(c.cap_inside)
        out.low_inside.update(c.low_inside)
        for w, ty in c.typed.items():
            out.typed.setdefault(w, Counter()).update(ty)
    return out


CLUSTERS_FINE = 256      # word clusters: k-means over PPMI-SVD vectors of neighbouring words
CLUSTERS_COARSE = 32
CLUSTER_MIN_COUNT = 3
CLUSTER_CONTEXTS = 1000  # most frequent words used as left/right contexts
CLUSTER_DIM = 64


def word_clusters(sents: list[Sentence]) -> dict[str, tuple[int, int]]:
    """Distributional word clusters from the training text itself (no outside data).

    Each lower-cased word with at least :data:`CLUSTER_MIN_COUNT` occurrences gets a vector of
    positive PMI with its left and right neighbours, reduced by a randomised SVD; k-means
    groups them into :data:`CLUSTERS_FINE` clusters, and those into :data:`CLUSTERS_COARSE`.
    Deterministic (fixed seed, initial centroids = the most frequent words).
    """
    import numpy as np

    counts = Counter(w.lower() for s in sents for w in s.words)
    vocab = [w for w, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if n >= CLUSTER_MIN_COUNT]
    index = {w: i for i, w in enumerate(vocab)}
    n_ctx = min(CLUSTER_CONTEXTS, len(vocab))
    mat = np.zeros((len(vocab), 2 * n_ctx), dtype=np.float32)
    for s in sents:
        ids = [index.get(w.lower(), -1) for w in s.words]
        for i, r in enumerate(ids):
            if r < 0:
                continue
            if i > 0 and 0 <= ids[i - 1] < n_ctx:
                mat[r, ids[i - 1]] += 1
            if i + 1 < len(ids) and 0 <= ids[i + 1] < n_ctx:
                mat[r, n_ctx + ids[i + 1]] += 1
    total = mat.sum()
    expected = mat.sum(axis=1, keepdims=True) * mat.sum(axis=0, keepdims=True) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        ppmi = np.where(mat > 0, np.log(mat / np.maximum(expected, 1e-12)), 0.0)
    ppmi = np.maximum(ppmi, 0.0).astype(np.float32)
    rng = np.random.default_rng(SEED)
    q, _ = np.linalg.qr(ppmi @ rng.standard_normal((ppmi.shape[1], CLUSTER_DIM * 2)).astype(np.float32))
    ub, sv, _ = np.linalg.svd(q.T @ ppmi, full_matrices=False)
    emb = (q @ ub[:, :CLUSTER_DIM]) * np.sqrt(sv[:CLUSTER_DIM])
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)

    def kmeans(x: np.ndarray, k: int, iters: int = 20) -> tuple[np.ndarray, np.ndarray]:
        centres = x[:k].copy()
        for _ in range(iters):
            assign = (x @ centres.T).argmax(axis=1)
            for c in range(k):
                members = x[assign == c]
                if len(members):
                    v = members.sum(axis=0)
                    centres[c] = v / max(np.linalg.norm(v), 1e-9)
        return assign, centres

    fine, centres = kmeans(emb, CLUSTERS_FINE)
    coarse_of_fine, _ = kmeans(centres, CLUSTERS_COARSE)
    return {w: (int(fine[i]), int(coarse_of_fine[fine[i]])) for i, w in enumerate(vocab)}


def cluster_features(clusters: dict[str, tuple[int, int]]) -> dict[str, tuple[str, ...]]:
    return read_clusters(f"{w}\t{a}\t{b}" for w, (a, b) in clusters.items())


def language_lists() -> tuple[list[str], list[str]]:
    from nyhetsvakt.ner.recognizer import pack_words

    return pack_words("titles"), pack_words("org_suffixes")


def train_crf(train: dict[str, list[Sentence]], model_path: Path, params: dict,
              clusters: dict[str, tuple[int, int]] | None) -> LexiconCounts:
    """Train a CRF on ``train``; returns the counts of all of it (for the shipped lexicon)."""
    import pycrfsuite

    titles, suffixes = language_lists()
    cfeats = cluster_features(clusters) if clusters else None
    indexed = []
    for ss in train.values():
        first: dict[int, int] = {}  # a repeated sentence keeps the fold of its first copy
        indexed += [(first.setdefault(id(s), i), s) for i, s in enumerate(ss)]
    folds = lexicon_counts(indexed)
    extractors = []
    for k in range(FOLDS):
        lex = merge([c for j, c in enumerate(folds) if j != k]).lexicon()
        extractors.append(FeatureExtractor(lex, titles, suffixes, cfeats))
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(params)
    t0 = time.monotonic()
    for i, s in indexed:
        trainer.append(extractors[fold_of(s, i)].sequence(s.words, s.lang), s.tags)
    print(f"features for {len(indexed)} sentences: {time.monotonic() - t0:.0f} s", flush=True)
    t0 = time.monotonic()
    trainer.train(str(model_path))
    info = trainer.logparser.last_iteration
    print(f"CRF trained: {time.monotonic() - t0:.0f} s, {len(trainer.logparser.iterations)} iterations, "
          f"loss {info.get('loss', float('nan')):.0f}, active features {info.get('active_features')}",
          flush=True)
    return merge(folds)


def crf_dev_scores(model_path: Path, counts: LexiconCounts, dev: dict[str, list[Sentence]],
                   clusters: dict[str, tuple[int, int]] | None) -> dict:
    import pycrfsuite

    titles, suffixes = language_lists()
    fx = FeatureExtractor(counts.lexicon(), titles, suffixes,
                          cluster_features(clusters) if clusters else None)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    out = {}
    for lang, sents in dev.items():
        tp = fp = fn = 0
        tpm = fpm = fnm = 0
        for s in sents:
            pred = set(corpora.entity_spans(tagger.tag(fx.sequence(s.words, s.lang))))
            gold = set(corpora.entity_spans(s.tags))
            tpm += len(gold & pred)
            fpm += len(pred - gold)
            fnm += len(gold - pred)
            pred = {e for e in pred if e[2] != "MISC"}
            gold = {e for e in gold if e[2] != "MISC"}
            tp += len(gold & pred)
            fp += len(pred - gold)
            fn += len(gold - pred)
        out[lang] = (2 * tp / max(1, 2 * tp + fp + fn), 2 * tpm / max(1, 2 * tpm + fpm + fnm))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, help="the ner/ data folder (default: ../shared/data/ner)")
    ap.add_argument("--model", choices=("crf", "spacy"), default="crf")
    ap.add_argument("--out", type=Path, help="where to write the model")
    ap.add_argument("--minutes", type=float, default=15.0, help="spaCy: training time budget")
    ap.add_argument("--width", type=int, default=96, help="spaCy: tok2vec width")
    ap.add_argument("--depth", type=int, default=4, help="spaCy: tok2vec depth")
    ap.add_argument("--rows", default="[20000,2000,5000,1000]",
                    help="spaCy: hash rows NORM,PREFIX,SUFFIX,SHAPE")
    ap.add_argument("--iterations", type=int, help="CRF: L-BFGS iterations")
    ap.add_argument("--c1", type=float, help="CRF: L1 penalty")
    ap.add_argument("--subsample", type=int, default=1,
                    help="CRF: every n-th training sentence (quick runs)")
    ap.add_argument("--no-final", action="store_true", help="CRF: dev scores only, no shipped model")
    ap.add_argument("--repeat-da", type=int, default=REPEAT_DA,
                    help="CRF: times the Danish training file is used")
    ap.add_argument("--no-clusters", dest="clusters", action="store_false", help="CRF: no word clusters")
    ap.add_argument("--drv", choices=("drop", "misc"), default="drop",
                    help="NorNE DRV ('Oslo-basert'): not a name (default) or MISC (measured in docs/ner.md)")
    args = ap.parse_args(argv)
    if args.drv == "misc":
        corpora.NORNE_MAP["DRV"] = "MISC"
    corpus = load_corpus(data_dir(args.data))
    if args.model == "spacy":
        train_spacy(corpus, args.out or Path("/tmp/nyhetsvakt-ner-spacy"), args.minutes,
                    args.width, args.depth, args.rows)
        return 0
    import json
    import tempfile

    params = dict(CRF_PARAMS)
    if args.iterations:
        params["max_iterations"] = args.iterations
    if args.c1 is not None:
        params["c1"] = args.c1
    t_start = time.monotonic()
    train = corpus["train"]
    if args.subsample > 1:
        train = {lang: ss[::args.subsample] for lang, ss in train.items()}
    if args.repeat_da > 1:
        # DDT's training file is 10k tokens against 450k of NorNE: repeating it weighs it up.
        train = {**train, "da": train["da"] * args.repeat_da}
    with tempfile.TemporaryDirectory() as tmp:
        dev_model = Path(tmp) / "dev.crfsuite"
        t0 = time.monotonic()
        clusters = word_clusters([s for ss in train.values() for s in ss]) if args.clusters else None
        print(f"word clusters: {len(clusters or {})} words, {time.monotonic() - t0:.0f} s", flush=True)
        counts = train_crf(train, dev_model, params, clusters)
        scores = crf_dev_scores(dev_model, counts, corpus["dev"], clusters)
        print("dev F1 (PER/ORG/LOC | with MISC): " + "  ".join(
            f"{lang} {a:.4f} | {b:.4f}" for lang, (a, b) in scores.items())
            + f"  mean {sum(a for a, _ in scores.values()) / len(scores):.4f}", flush=True)
    if args.no_final:
        return 0
    out = args.out or REPO / "src/nyhetsvakt/ner/models" / MODEL_DIR
    out.mkdir(parents=True, exist_ok=True)
    # The DDT dev file stays out: it is where the benchmark chooses post-processing options.
    full = {lang: train[lang] + (corpus["dev"][lang][::args.subsample] if lang != "da" else [])
            for lang in train}
    clusters = word_clusters([s for ss in full.values() for s in ss]) if args.clusters else None
    counts = train_crf(full, out / "crf.crfsuite", params, clusters)
    (out / "lexicon.tsv").write_text("\n".join(counts.lexicon().to_lines()) + "\n", "utf-8")
    if clusters:
        rows = (f"{w}\t{a}\t{b}\n" for w, (a, b) in sorted(clusters.items()))
        (out / "clusters.tsv").write_text("".join(rows), "utf-8")
    meta = {"params": params, "repeat_da": args.repeat_da, "folds": FOLDS, "clusters": bool(clusters),
            "drv": args.drv, "sentences": {k: len(v) for k, v in full.items()},
            "dev_f1_per_org_loc": {k: round(a, 4) for k, (a, _) in scores.items()}}
    (out / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", "utf-8")
    size = sum(f.stat().st_size for f in out.iterdir())
    print(f"wrote {out}: {size / 1e6:.1f} MB; total time {(time.monotonic() - t_start) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
