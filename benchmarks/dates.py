"""Date normalisation: nyhetsvakt.dates against dateparser on the Duckling phrases, in one run.

    .venv/bin/python benchmarks/dates.py [--shared ../shared] [--write] [--failures]

Data: ``shared/data/dates/duckling_{sv,nb,da}.jsonl`` (phrase, reference time, gold value and
grain). Every phrase is put in one class by a rule that looks only at the phrase and the gold
(never at either system's output), and both systems are scored on the same classes:

- **absolute day**: gold is a single value of grain day or finer, and the phrase names the month
  (a month name of any language pack, or digits as in "25/4", "2015-3-3") *and* the day (the gold
  day of month as a number of its own, not part of a clock time, or a word of four or more
  letters right before the month name: "förste mars"). The year may be missing: it is then the
  reference's. Clock times in the phrase are allowed; only the date is compared.
- **absolute month/year**: gold grain month or year and a four-digit year in the phrase
  ("Oktober 2014", "1954").
- **relative day**: every other single value of grain day ("i går", "nästa fredag", "3 veckor
  sedan", "måndag"): the reference day is given to both systems.

Everything else (clock times, intervals, weeks, quarters) is out of scope and only timed.
Scores: accuracy (correct / phrases) and *wrong* (a date was returned and it is wrong: worse
than none). Speed: phrases per second over all phrases of a language, one process, one core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from nyhetsvakt.dates import find_dates, parse_date, parse_date_line
from nyhetsvakt.langpacks import PackSet, load_packs

REPO = Path(__file__).resolve().parent.parent
LANGS = ("sv", "nb", "da")
CLASSES = ("absolute day", "absolute month/year", "relative day")
SPEED_ROUNDS = 5  # timing rounds; the best counts (the machine may be shared)
DATEPARSER_ROUNDS = 3  # dateparser is ~100x slower: fewer rounds keep the run short

Predict = Callable[[str, dt.datetime], "dt.date | None"]


def shared_dir(arg: str | None) -> Path:
    for cand in [Path(arg)] if arg else [REPO.parent / "shared", REPO.parent.parent / "shared"]:
        if (cand / "data" / "dates").is_dir():
            return cand
    sys.exit("shared/data/dates not found: pass --shared")


def load(shared: Path, lang: str) -> list[dict]:
    path = shared / "data" / "dates" / f"duckling_{lang}.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def classify(row: dict, month_names: re.Pattern[str]) -> str | None:
    """The class of a phrase (see the module docstring), from the phrase and the gold only."""
    if row["type"] != "value":
        return None
    text, grain, value = row["text"], row["grain"], row["value"]
    if grain in ("month", "year"):
        return "absolute month/year" if re.search(r"(?<!\d)[12]\d{3}(?!\d)", text) else None
    if grain not in ("day", "hour", "minute", "second"):
        return None
    gold_day = int(value[8:10])
    no_times = re.sub(r"\d{1,2}:\d{2}(?::\d{2})?", " ", text)
    numeric = re.search(r"(?<!\d)\d{1,4}[-/.]\d{1,2}(?!\d)", no_times)
    named = month_names.search(no_times)
    day_digits = any(int(n) == gold_day for n in re.findall(r"(?<!\d)\d{1,2}(?!\d)", no_times))
    day_word = named and re.search(r"[^\W\d_]{4,}\s+$", no_times[: named.start()])
    if numeric or (named and (day_digits or day_word)):
        return "absolute day"
    return "relative day" if grain == "day" else None


def gold_of(row: dict) -> tuple[int, ...]:
    y, m, d = (int(x) for x in row["value"][:10].split("-"))
    return {"year": (y,), "month": (y, m)}.get(row["grain"], (y, m, d))


def make_ours(packs: PackSet) -> Predict:
    def predict(text: str, ref: dt.datetime) -> dt.date | None:
        return parse_date(text, packs, reference=ref.date())

    return predict


def make_dateparser(lang: str) -> Predict:
    import dateparser  # only the benchmark needs it; tests import this module for its classifier

    def predict(text: str, ref: dt.datetime) -> dt.date | None:
        got = dateparser.parse(text, languages=[lang], settings={"RELATIVE_BASE": ref})
        return got.date() if got else None

    return predict


def score(rows: list[dict], predict: Predict, cls: str, month_names: re.Pattern[str]) -> dict:
    n = ok = wrong = 0
    failures = []
    for row in rows:
        if classify(row, month_names) != cls:
            continue
        n += 1
        ref = dt.datetime.fromisoformat(row["reference_time"]).replace(tzinfo=None)
        got = predict(row["text"], ref)
        gold = gold_of(row)
        if got is not None and (got.year, got.month, got.day)[: len(gold)] == gold:
            ok += 1
        else:
            wrong += got is not None
            failures.append((row["text"], row["value"][:10], got))
    return {"n": n, "ok": ok, "wrong": wrong, "failures": failures}


def speed(rows: list[dict], predict: Predict, rounds: int) -> float:
    refs = [dt.datetime.fromisoformat(r["reference_time"]).replace(tzinfo=None) for r in rows]
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for row, ref in zip(rows, refs, strict=True):
            predict(row["text"], ref)
        best = min(best, time.perf_counter() - t0)
    return len(rows) / best


def seed_line_speed() -> tuple[int, float, float]:
    """Lines per second of parse_date_line and find_dates over every line of examples/*.txt."""
    lines = [
        ln for p in sorted((REPO / "examples").glob("*.txt")) for ln in p.read_text("utf-8").splitlines()
    ]
    ref = dt.date(2026, 3, 1)
    out = []
    for fn in (lambda s: parse_date_line(s, reference=ref), lambda s: find_dates(s, reference=ref)):
        best = float("inf")
        for _ in range(SPEED_ROUNDS):
            t0 = time.perf_counter()
            for ln in lines:
                fn(ln)
            best = min(best, time.perf_counter() - t0)
        out.append(len(lines) / best)
    return len(lines), out[0], out[1]


def running_text_speed(shared: Path) -> tuple[int, float, float, float]:
    """find_dates over real sentences (``data/langid/lid_ud.tsv``): sentences/s without and with a
    reference day, and characters/s without."""
    path = shared / "data" / "langid" / "lid_ud.tsv"
    texts = [ln.split("\t", 1)[1] for ln in path.read_text("utf-8").splitlines() if "\t" in ln]
    rates = []
    for ref in (None, dt.date(2013, 2, 12)):
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            for text in texts:
                find_dates(text, reference=ref)
            best = min(best, time.perf_counter() - t0)
        rates.append(best)
    chars = sum(map(len, texts))
    return len(texts), len(texts) / rates[0], len(texts) / rates[1], chars / rates[0]


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def pct(s: dict) -> str:
    return f"{100 * s['ok'] / s['n']:.1f} % ({s['ok']}/{s['n']}, {s['wrong']} wrong)" if s["n"] else "–"


def show(cls: str, system: str, s: dict) -> str:
    return "not supported (by design)" if cls == "absolute month/year" and system != "dp" else pct(s)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", help="the shared/ folder (default: beside the repository)")
    ap.add_argument("--write", action="store_true", help="write benchmarks/results/dates.md")
    ap.add_argument("--failures", action="store_true", help="print every phrase ours gets wrong")
    args = ap.parse_args()
    import dateparser

    warnings.filterwarnings("ignore")  # dateparser warns about pytz/tz internals on some phrases
    shared = shared_dir(args.shared)
    packs = load_packs()
    month_names = re.compile(
        r"(?<![^\W\d_])(?:" + "|".join(sorted(packs.months, key=len, reverse=True)) + r")(?![^\W_])",
        re.IGNORECASE,
    )
    table = [
        "| language | class | phrases | nyhetsvakt (all packs) | nyhetsvakt (own pack) | dateparser |",
        "|---|---|---:|---|---|---|",
    ]
    speed_rows = [
        "| language | phrases | nyhetsvakt phrases/s | dateparser phrases/s | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    systems = ("ours", "own", "dp")
    totals = {(c, s): {"n": 0, "ok": 0, "wrong": 0} for c in CLASSES for s in systems}
    ours = make_ours(packs)
    fail_lines = []
    for lang in LANGS:
        rows = load(shared, lang)
        dp = make_dateparser(lang)
        dp("1 januari 2020", dt.datetime(2020, 1, 1))  # warm-up: dateparser loads its language data
        own = make_ours(load_packs((lang,)))
        for cls in CLASSES:
            res = {k: score(rows, f, cls, month_names) for k, f in zip(systems, (ours, own, dp), strict=True)}
            table.append(
                f"| {lang} | {cls} | {res['ours']['n']} | "
                + " | ".join(show(cls, k, res[k]) for k in systems)
                + " |"
            )
            for key in systems:
                for f in ("n", "ok", "wrong"):
                    totals[(cls, key)][f] += res[key][f]
            fail_lines += [f"{lang} {cls}: {t!r} gold {g} got {o}" for t, g, o in res["ours"]["failures"]]
        ours_ps, dp_ps = speed(rows, ours, SPEED_ROUNDS), speed(rows, dp, DATEPARSER_ROUNDS)
        speed_rows.append(
            f"| {lang} | {len(rows)} | {ours_ps:,.0f} | {dp_ps:,.0f} | {ours_ps / dp_ps:.0f}× |"
        )
    for cls in CLASSES:
        table.append(
            f"| **all** | {cls} | {totals[(cls, 'ours')]['n']} | "
            + " | ".join(show(cls, k, totals[(cls, k)]) for k in systems)
            + " |"
        )
    n_lines, line_ps, find_ps = seed_line_speed()
    n_sent, sent_ps, sent_ref_ps, chars_ps = running_text_speed(shared)
    stamp = dt.date.today().isoformat()
    loadavg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    out = "\n".join(
        [
            "# Dates: nyhetsvakt vs dateparser",
            "",
            "Command: `.venv/bin/python benchmarks/dates.py --write` "
            f"(machine: {cpu_name()}, {os.cpu_count()} cores, one used; Python {platform.python_version()}, "
            f"dateparser {dateparser.__version__}; {stamp}; load average {loadavg:.1f} at the end: "
            "speeds are best-of-N rounds, and both systems are timed in the same run).",
            "",
            "Data: Duckling phrases (`shared/data/dates/duckling_{sv,nb,da}.jsonl`), reference day "
            "2013-02-12 given to both systems. nyhetsvakt reads every phrase with all language packs "
            "at once (`parse_date(text, reference=…)`, the default: dates are read before the language "
            "is known) and with only the phrase's own pack (`load_packs((lang,))`); dateparser is told "
            "the language (`dateparser.parse(text, languages=[lang], settings={'RELATIVE_BASE': ref})`). "
            "Classes are defined in the benchmark's docstring; *wrong* = a date returned that is not "
            "the gold one.",
            "",
            "## Accuracy",
            "",
            *table,
            "",
            "## Speed (all phrases of the file, one core)",
            "",
            *speed_rows,
            "",
            f"Seed files (`examples/*.txt`, {n_lines} lines): `parse_date_line` {line_ps:,.0f} lines/s, "
            f"`find_dates` {find_ps:,.0f} lines/s (reference day given).",
            "",
            f"Running text (`data/langid/lid_ud.tsv`, {n_sent:,} sentences, news-heavy UD treebanks): "
            f"`find_dates` {sent_ps:,.0f} sentences/s ({chars_ps / 1e6:.1f} M characters/s) without a "
            f"reference day, {sent_ref_ps:,.0f} sentences/s with one (relative words are tried too).",
            "",
        ]
    )
    print(out)
    if args.failures:
        print("\n".join(fail_lines))
    if args.write:
        (REPO / "benchmarks" / "results").mkdir(exist_ok=True)
        (REPO / "benchmarks" / "results" / "dates.md").write_text(out, "utf-8")


if __name__ == "__main__":
    main()
