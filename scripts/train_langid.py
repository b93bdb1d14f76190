"""Train the Scandinavian language model (sv/da/nb/nn) shipped in ``language/models/``.

Data (from ``../shared/data`` or ``$NYHETSVAKT_SHARED/data``; never copied into the repo):

- nb, nn: NorNE/NDT ``ner/no/ndt/{nob,nno}/*.conll``, after removing every sentence whose
  text matches a UD dev/test sentence (``ner/no/ud/*-{dev,test}.conllu`` and
  ``ud/no_*-ud-{dev,test}.conllu``) — those are the evaluation sentences;
- sv: Webbnyheter 2012 ``ner/sv/train_corpus.txt``;
- da: DDT ``ner/da/da_ddt-ud-ner-train-10k.conll`` (the UD train part).

Any sentence that also occurs in ``langid/lid_ud.tsv`` is dropped too; the script fails
unless that overlap is 0. Sentences are compared by their lower-cased letters and digits,
so different tokenisations of one sentence still match.

Every 10th NDT file (and every 10th block of sv/da sentences) is held out as dev: the
hyper-parameters below were chosen on it (the script prints the sweep). The shipped model
is then trained on train+dev with those settings. Deterministic: same data, same bytes.

    .venv/bin/python scripts/train_langid.py            # train, evaluate, write the model
    .venv/bin/python scripts/train_langid.py --sweep    # also print the hyper-parameter sweep
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from nyhetsvakt._evaldata import find_shared  # noqa: E402
from nyhetsvakt.language.features import word_features  # noqa: E402
from nyhetsvakt.language.model import DEFAULT_MODEL, ScandinavianModel  # noqa: E402

CLASSES = ("sv", "da", "nb", "nn")
# Chosen on dev with --sweep, then checked on lid_ud.tsv (docs/language.md).
ALPHA = 0.1            # additive smoothing of feature counts
BETA = 0.0             # pooled Dirichlet prior (feature counts); 1e4–3e6 only traded nb for da

MIN_COUNT = 2          # features seen fewer times in all training data are dropped
MIN_SPREAD = 0.05      # features whose per-class log-probs differ less than this are dropped
TABLE_MIN_COUNT = 1    # training words scored in advance and shipped (the rest are scored on first use)
DEV_EVERY = 10         # every 10th file / block is dev
BLOCK = 20             # sv/da sentences per block for the dev split


def shared_data() -> Path:
    shared = find_shared()
    if shared is None:
        sys.exit("evaluation data not found: put shared/ beside the repository or set NYHETSVAKT_SHARED")
    return shared / "data"


def key(text: str) -> str:
    """Sentence identity across tokenisations: lower-cased letters and digits only."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def detok(words: list[str]) -> str:
    return re.sub(r" ([.,:;!?)»])", r"\1", " ".join(words))


def conll_sentences(path: Path, form_col: int = 1) -> Iterator[list[str]]:
    """Token lists from a CoNLL(-U) file with blank lines between sentences."""
    words: list[str] = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            if words:
                yield words
            words = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue  # multi-word ranges and empty nodes
            words.append(cols[form_col])
    if words:
        yield words


def plain_sentences(path: Path) -> Iterator[list[str]]:
    """Token lists from ``token TAB tag`` lines, split at blank lines or final punctuation."""
    words: list[str] = []
    for line in path.read_text("utf-8").splitlines():
        tok = line.split("\t")[0].strip()
        if not tok:
            if words:
                yield words
            words = []
            continue
        words.append(tok)
        if tok in {".", "!", "?"}:
            yield words
            words = []
    if words:
        yield words


def ud_eval_keys(data: Path) -> set[str]:
    sources = ((data / "ner/no/ud", "*-ud-{}.conllu"), (data / "ud", "no_*-ud-{}.conllu"))
    files = [f for folder, pattern in sources for split in ("dev", "test")
             for f in sorted(folder.glob(pattern.format(split)))]
    out = set()
    for f in files:
        for line in f.read_text("utf-8").splitlines():
            if line.startswith("# text = "):
                out.add(key(line[9:]))
    return out


def lid_keys(data: Path) -> set[str]:
    out = set()
    for line in (data / "langid/lid_ud.tsv").read_text("utf-8").splitlines():
        if "\t" in line:
            out.add(key(line.split("\t", 1)[1]))
    return out


Corpus = dict[str, dict[str, list[str]]]  # split -> lang -> sentences


def load_corpus(data: Path) -> tuple[Corpus, dict[str, int]]:
    ud = ud_eval_keys(data)
    lid = lid_keys(data)
    corpus: Corpus = {"train": {c: [] for c in CLASSES}, "dev": {c: [] for c in CLASSES}}
    stats = Counter()

    def add(lang: str, split: str, words: list[str]) -> None:
        text = detok(words)
        k = key(text)
        if not k:
            return
        if k in ud:
            stats[f"{lang}: removed as UD dev/test"] += 1
            return
        if k in lid:
            stats[f"{lang}: removed as lid_ud"] += 1
            return
        corpus[split][lang].append(text)

    for lang, sub in (("nb", "nob"), ("nn", "nno")):
        for i, f in enumerate(sorted((data / "ner/no/ndt" / sub).glob("*.conll"))):
            split = "dev" if i % DEV_EVERY == DEV_EVERY - 1 else "train"
            for words in conll_sentences(f):
                add(lang, split, words)
    for lang, path in (("sv", data / "ner/sv/train_corpus.txt"),
                       ("da", data / "ner/da/da_ddt-ud-ner-train-10k.conll")):
        for i, words in enumerate(plain_sentences(path)):
            split = "dev" if (i // BLOCK) % DEV_EVERY == DEV_EVERY - 1 else "train"
            add(lang, split, words)
    # The guarantee the benchmark relies on: nothing we train on is in lid_ud.tsv.
    overlap = sum(key(s) in lid for split in corpus.values() for sents in split.values() for s in sents)
    if overlap:
        sys.exit(f"{overlap} training sentences occur in lid_ud.tsv")
    stats["overlap with lid_ud.tsv after filtering"] = overlap
    return corpus, dict(stats)


def word_counts(sentences: Iterable[str]) -> Counter:
    from nyhetsvakt.language.features import tokens

    c: Counter = Counter()
    for s in sentences:
        c.update(tokens(s))
    return c


def train(per_class_words: dict[str, Counter], alpha: float, min_count: int,
          min_spread: float, temperature: float = 1.0, beta: float | None = None) -> ScandinavianModel:
    """Multinomial naive Bayes over word features, uniform class prior.

    Smoothing: ``alpha`` added to every count, plus a Dirichlet prior of strength ``beta``
    centred on the pooled distribution of all classes. Without the prior, a class with little
    data (Danish: 20x less than Bokmål) is punished for every n-gram it merely never saw.
    """
    beta = BETA if beta is None else beta
    feat_counts: dict[str, Counter] = {}
    for lang in CLASSES:
        fc: Counter = Counter()
        for word, n in per_class_words[lang].items():
            for f in word_features(word):
                fc[f] += n
        feat_counts[lang] = fc
    total: Counter = Counter()
    for fc in feat_counts.values():
        total.update(fc)
    feats = sorted(f for f, n in total.items() if n >= min_count)
    counts = np.array([[feat_counts[lang].get(f, 0) for lang in CLASSES] for f in feats], dtype=np.float64)
    pooled = counts.sum(axis=1) / counts.sum()
    smoothed = counts + alpha + beta * pooled[:, None]
    mat = np.log(smoothed / smoothed.sum(axis=0, keepdims=True))
    mat -= mat.mean(axis=1, keepdims=True)  # a shift per feature changes no decision
    keep = (mat.max(axis=1) - mat.min(axis=1)) >= min_spread
    feats = [f for f, k in zip(feats, keep, strict=True) if k]
    meta = {"alpha": alpha, "beta": beta, "min_count": min_count, "min_spread": min_spread,
            "temperature": temperature, "classes": list(CLASSES)}
    vocab_words: Counter = Counter()
    for lang in CLASSES:
        vocab_words.update(per_class_words[lang])
    table = sorted(w for w, n in vocab_words.items() if n >= TABLE_MIN_COUNT)
    return ScandinavianModel(CLASSES, feats, mat[keep], meta, table)


def accuracy(model: ScandinavianModel, sents: dict[str, list[str]]) -> dict[str, float]:
    out = {}
    for lang in CLASSES:
        ok = n = 0
        for s in sents[lang]:
            sc = model.score(s)
            if not sc.n_tokens:
                continue
            n += 1
            ok += model.classes[max(range(len(CLASSES)), key=sc.loglik.__getitem__)] == lang
        out[lang] = ok / n if n else float("nan")
    return out


def fit_temperature(model: ScandinavianModel, sents: dict[str, list[str]]) -> float:
    """Temperature minimising dev log-loss, so ``confidence`` means what it says."""
    scored = [(model.score(s), CLASSES.index(lang)) for lang in CLASSES for s in sents[lang]]
    scored = [(np.array(sc.loglik), y) for sc, y in scored if sc.n_tokens]
    best = (float("inf"), 1.0)
    for t in [1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20]:
        loss = 0.0
        for v, y in scored:
            z = v / t
            z -= z.max()
            loss -= z[y] - math.log(np.exp(z).sum())
        best = min(best, (loss / len(scored), float(t)))
    return best[1]


def context_sweep(model: ScandinavianModel, dev: dict[str, list[str]]) -> None:
    """Article context on dev: 5-sentence articles, pure and with one foreign sentence."""
    import tempfile

    from nyhetsvakt.language import identifier as ident_mod

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dev.npz"
        model.save(path)
        ident = ident_mod.LanguageIdentifier(model_path=str(path))
        ident.setup()
    articles = [(lang, dev[lang][i:i + 5]) for lang in CLASSES for i in range(0, len(dev[lang]) - 4, 5)]
    mixed = []
    for k, (lang, sents) in enumerate(articles):
        other = CLASSES[(CLASSES.index(lang) + 1 + k % 3) % len(CLASSES)]
        mixed.append((lang, other, [*sents[:2], dev[other][k % len(dev[other])], *sents[3:]]))
    original = ident_mod.OVERRIDE, ident_mod.OVERRIDE_CLOSE
    print("\narticle context on dev: block accuracy in pure articles / inserted foreign sentence kept")
    for override, close in ((2.0, 2.0), (3.0, 3.0), (4.0, 4.0), (4.0, 6.0), (4.0, 8.0), (6.0, 6.0),
                            (8.0, 8.0), (4.0, 12.0)):
        ident_mod.OVERRIDE, ident_mod.OVERRIDE_CLOSE = override, close
        pure = Counter()
        n = Counter()
        for lang, sents in articles:
            _, guesses = ident.identify_document(sents)
            pure[lang] += sum(g.code == lang for g in guesses)
            n[lang] += len(guesses)
        kept = Counter()
        m = Counter()
        for _lang, other, sents in mixed:
            _, guesses = ident.identify_document(sents)
            kept[other] += guesses[2].code == other
            m[other] += 1
        print(f"override={override:<4} close={close:<5} pure: "
              + "  ".join(f"{c} {pure[c] / n[c]:.4f}" for c in CLASSES)
              + "   kept: " + "  ".join(f"{c} {kept[c] / m[c]:.4f}" for c in CLASSES))
    ident_mod.OVERRIDE, ident_mod.OVERRIDE_CLOSE = original


def fmt(acc: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:.4f}" for k, v in acc.items())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sweep", action="store_true", help="print the hyper-parameter sweep on dev")
    ap.add_argument("--out", type=Path, default=REPO / "src/nyhetsvakt/language/models" / DEFAULT_MODEL)
    args = ap.parse_args(argv)

    data = shared_data()
    corpus, stats = load_corpus(data)
    for k, v in sorted(stats.items()):
        print(f"{k}: {v}")
    for split in ("train", "dev"):
        print(split, {lang: len(s) for lang, s in corpus[split].items()})
    words_train = {lang: word_counts(corpus["train"][lang]) for lang in CLASSES}

    if args.sweep:
        print("\nsweep on dev (sentence accuracy):")
        for alpha in (0.01, 0.1, 0.5, 1.0):
            for min_count in (1, 2, 3):
                m = train(words_train, alpha, min_count, MIN_SPREAD)
                print(f"alpha={alpha:<5} min_count={min_count} features={m.n_features:>7}  "
                      f"{fmt(accuracy(m, corpus['dev']))}")

    dev_model = train(words_train, ALPHA, MIN_COUNT, MIN_SPREAD)
    temperature = fit_temperature(dev_model, corpus["dev"])
    print(f"\ndev (model trained on train only): {fmt(accuracy(dev_model, corpus['dev']))}")
    print(f"temperature fitted on dev: {temperature}")
    if args.sweep:
        dev_model.temperature = temperature
        dev_model.meta["temperature"] = temperature
        context_sweep(dev_model, corpus["dev"])

    words_all = {lang: words_train[lang] + word_counts(corpus["dev"][lang]) for lang in CLASSES}
    final = train(words_all, ALPHA, MIN_COUNT, MIN_SPREAD, temperature)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    final.save(args.out)
    print(f"final model: {final.n_features} features, {args.out.stat().st_size / 1e6:.2f} MB -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
