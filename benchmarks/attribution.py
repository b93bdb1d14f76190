"""Attribution benchmark: quality on the seeds against their answer key, and speed per core.

Quality: the seeds through the whole pipeline, scored by
:func:`nyhetsvakt.attribution.evaluate.score` (quote precision/recall, speaker accuracy,
sources cited per article, the listed claims with value, source and status, the 6 000 /
500 conflict, entity variant groups), once with entities from the NER model and once from
capitalised words only.

Speed: generated articles (:mod:`corpus`) through the steps after segmentation, one core,
CPU time (``time.process_time``): language ID alone, + entities (capitalised words),
+ attribution, + entities from the NER model. Articles per CPU-second.

    .venv/bin/python benchmarks/attribution.py --out benchmarks/results/attribution.md
    .venv/bin/python benchmarks/attribution.py --articles 300      # a smoke test
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate_articles

from nyhetsvakt._evaldata import find_shared
from nyhetsvakt.api import analyze
from nyhetsvakt.attribution import AttributionStep, EntityStep
from nyhetsvakt.attribution.evaluate import Glosses, score
from nyhetsvakt.language import LanguageStep
from nyhetsvakt.pipeline import PipelineOptions

REPO = Path(__file__).resolve().parent.parent
GLOSSES = REPO / "tests" / "data" / "seed_glosses.toml"


def seed_scores(shared: Path, ner_model: bool) -> dict:
    files = sorted(str(p) for p in (shared / "seeds").glob("*.txt"))
    options = PipelineOptions(ner_model=ner_model)
    contracts = {a.id: a.to_contract() for r in analyze(files, options=options) for a in r.articles}
    gold = json.loads((shared / "gold" / "seeds.json").read_text("utf-8"))
    return score(contracts, gold, Glosses.load(GLOSSES)).as_dict()


def speed(n: int) -> list[tuple[str, float, float]]:
    base = list(generate_articles(n, seed=7))
    words = sum(len(b.text.split()) for a in base for b in a.blocks)
    rows = []
    configs = [
        ("language ID only", [LanguageStep()]),
        ("+ entities (capitalised words)", [LanguageStep(), EntityStep(use_model=False)]),
        ("+ entities (capitalised words) + attribution",
         [LanguageStep(), EntityStep(use_model=False), AttributionStep()]),
        ("+ entities (NER model) + attribution", [LanguageStep(), EntityStep(), AttributionStep()]),
    ]
    for name, steps in configs:
        for s in steps:
            s.setup()
        arts = [a.from_record(a.to_record()) for a in base]
        t0 = time.process_time()
        records = iter(arts)
        for s in steps:
            records = s.run(records)
        done = sum(1 for _ in records)
        cpu = time.process_time() - t0
        rows.append((name, done / cpu, words / cpu))
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    lines = ["# Attribution: quality on the seeds, speed per core", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
             "Command: `.venv/bin/python benchmarks/attribution.py "
             "--out benchmarks/results/attribution.md`", ""]
    shared = find_shared()
    if shared is not None:
        lines += ["## Seeds against gold/seeds.json", "",
                  "| entities from | quote P | quote R | speaker acc. | not-quotes found | source recall "
                  "| claims right | conflict found | entity groups merged |",
                  "|---|---|---|---|---|---|---|---|---|"]
        misses = {}
        for label, ner in (("NER model", True), ("capitalised words", False)):
            s = seed_scores(shared, ner)
            misses[label] = s.pop("misses")
            cells = [label, f"{s['quote_precision']:.3f}", f"{s['quote_recall']:.3f}",
                     f"{s['speaker_accuracy']:.3f}", str(s["not_quotes_found"]), f"{s['source_recall']:.3f}",
                     f"{s['claims_right']}/{s['claims_total']}",
                     f"{s['conflicts_found']}/{s['conflicts_total']}",
                     f"{s['entity_groups_merged']}/{s['entity_groups_total']}"]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        for label, ms in misses.items():
            lines += [f"Misses ({label}):", ""] + [f"- {m}" for m in ms or ["none"]] + [""]
    lines += ["## Speed per core", "",
              f"{args.articles} generated articles (`benchmarks/corpus.py`, seed 7), already segmented; "
              "CPU seconds on one core.", "",
              "| steps | articles / CPU-s | words / CPU-s |", "|---|---|---|"]
    for name, aps, wps in speed(args.articles):
        lines.append(f"| {name} | {aps:,.0f} | {wps:,.0f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
