"""Ingest throughput and peak memory on a generated corpus.

    python benchmarks/ingest.py --articles 100000

Generates text dumps in the seed format (``benchmarks/corpus.py``), then runs each mode in
a fresh process and measures wall time and peak RSS:

- ``pipeline``: read + segment + language + dates, no store, in-process (one core);
- ``ingest-local``: the same into a new SQLite database, in-process (one core);
- ``ingest-process``: into SQLite with the process-pool executor (two workers on two cores);
- ``html-ours`` vs ``html-trafilatura``: the same articles as HTML pages, our whole pipeline
  against bare ``trafilatura.extract`` (the library a user would otherwise pick), same run.

Writes ``benchmarks/results/ingest.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _corpus(workdir: Path, n: int, per_file: int) -> Path:
    from corpus import write_dump_files

    out = workdir / f"corpus-{n}"
    marker = out / ".complete"
    if not marker.exists():
        out.mkdir(parents=True, exist_ok=True)
        write_dump_files(out, n, articles_per_file=per_file, seed=0)
        marker.write_text(str(n))
    return out


def _html_corpus(workdir: Path, text_dir: Path, n_files: int) -> Path:
    from nyhetsvakt.readers.html import wrap_text_as_html

    out = workdir / f"html-{n_files}"
    marker = out / ".complete"
    if not marker.exists():
        out.mkdir(parents=True, exist_ok=True)
        for f in sorted(text_dir.glob("*.txt"))[:n_files]:
            (out / (f.stem + ".html")).write_text(wrap_text_as_html(f.read_text("utf-8"), f.stem), "utf-8")
        marker.write_text(str(n_files))
    return out


def _worker(mode: str, path: str, db: str) -> dict:
    """Runs in a child process; prints one JSON line."""
    from nyhetsvakt import NewsArchive, analyze

    start = time.perf_counter()
    cpu_start = time.process_time()
    articles = 0
    if mode == "pipeline":
        for result in analyze([path]):
            articles += len(result.articles)
    elif mode in ("ingest-local", "ingest-process"):
        executor = "local" if mode == "ingest-local" else "process"
        with NewsArchive(db) as archive:
            report = archive.ingest([path], executor=executor, workers=2)
        articles = report.added
    elif mode == "html-ours":
        for result in analyze([path]):
            articles += len(result.articles)
    elif mode == "html-trafilatura":
        import trafilatura

        for f in sorted(Path(path).glob("*.html")):
            text = trafilatura.extract(f.read_text("utf-8"), favor_recall=True)
            articles += 1 if text else 0  # pages, not articles: trafilatura does not split them
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    rss_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                 resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return {"mode": mode, "articles": articles, "seconds": seconds, "cpu_seconds": cpu,
            "peak_rss_mb": rss_kb / 1024}


def _run(mode: str, path: Path, db: Path) -> dict:
    if db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    out = subprocess.run([sys.executable, __file__, "--worker", mode, str(path), str(db)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--per-file", type=int, default=50)
    ap.add_argument("--html-files", type=int, default=100, help="files of the corpus also run as HTML pages")
    ap.add_argument("--workdir", type=Path, default=HERE / "out")
    ap.add_argument("--modes", default="pipeline,ingest-local,ingest-process,html-ours,html-trafilatura")
    ap.add_argument("--worker", nargs=3, metavar=("MODE", "PATH", "DB"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(*args.worker)))
        return

    args.workdir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    corpus = _corpus(args.workdir, args.articles, args.per_file)
    html = _html_corpus(args.workdir, corpus, args.html_files)
    gen_s = time.perf_counter() - t0
    size_mb = sum(f.stat().st_size for f in corpus.glob("*.txt")) / 1e6
    rows = []
    for mode in args.modes.split(","):
        path = html if mode.startswith("html") else corpus
        row = _run(mode, path, args.workdir / "bench.db")
        # per core: wall time on both cores for the pool; CPU time of the one process otherwise
        # (robust to other work on a shared machine)
        row["per_core"] = (row["articles"] / row["seconds"] / 2 if mode == "ingest-process"
                           else row["articles"] / row["cpu_seconds"])
        rows.append(row)
        print(f"{mode:18} {row['articles']:>8} articles {row['seconds']:8.1f} s "
              f"{row['cpu_seconds']:8.1f} cpu-s "
              f"{row['articles'] / row['seconds']:8.0f}/s {row['per_core']:8.0f}/s/core "
              f"{row['peak_rss_mb']:7.0f} MB", flush=True)

    # Rows of modes not run this time are kept from the previous run (re-run one mode with --modes).
    saved = HERE / "results" / "ingest.json"
    previous = json.loads(saved.read_text("utf-8")) if saved.exists() else {}
    if previous.get("articles") == args.articles:
        fresh = {r["mode"] for r in rows}
        rows = [r for r in previous["rows"] if r["mode"] not in fresh] + rows
        order = ["pipeline", "ingest-local", "ingest-process", "html-ours", "html-trafilatura"]
        rows.sort(key=lambda r: order.index(r["mode"]) if r["mode"] in order else len(order))
    saved.parent.mkdir(exist_ok=True)
    saved.write_text(json.dumps({"articles": args.articles, "rows": rows}, indent=1), "utf-8")
    by = {r["mode"]: r for r in rows}
    lines = [
        "## Ingest throughput",
        "",
        f"Command: `python benchmarks/ingest.py --articles {args.articles}` "
        f"({datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}). Corpus: {args.articles:,} generated articles in "
        f"{args.articles // args.per_file:,} text dumps ({size_mb:.0f} MB, generated in {gen_s:.0f} s) "
        "made by "
        "varying the seeds (`benchmarks/corpus.py`). Each mode runs in a fresh process; peak RSS is "
        "that of the main process (forkserver workers are not its children, so the pool row shows "
        "the writer alone). Per core: articles per CPU-second for the in-process modes, wall "
        "throughput divided by two for the pool.",
        "",
        "| mode | articles | wall s | CPU s (main process) | articles/s (wall) | articles/s per core "
        "| peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['mode']} | {r['articles']:,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | "
                     f"{r['articles'] / r['seconds']:,.0f} | {r['per_core']:,.0f} | "
                     f"{r['peak_rss_mb']:,.0f} |")
    if "html-ours" in by and "html-trafilatura" in by:
        ours, traf = by["html-ours"], by["html-trafilatura"]
        ratio = (ours["seconds"] / traf["seconds"]) if traf["seconds"] else float("nan")
        lines += ["", f"HTML: {args.html_files} pages (each a listing of {args.per_file} articles). "
                  "Our whole "
                  f"pipeline (trafilatura extraction + segmentation into {ours['articles']:,} articles + "
                  f"language + dates) takes {ratio:.2f}× the time of bare `trafilatura.extract`, "
                  "which returns one undivided text per page."]
    lines += ["", "Reading the numbers: the pipeline here is the whole default pipeline (reading, "
              "segmentation, language, dates, NER, quotes, sources, claims); the product target with "
              "NER is 50 articles/s per core. Ingest adds, in the main process, duplicate detection "
              "(fingerprints, about 0.3 ms an article), story clustering (features 2.5 ms, the "
              "clusterer 1.1 ms) and the SQLite writes. The pool runs the steps in two worker processes, "
              "but the main process does dedup, stories and all writes (one writer) and on two cores "
              "competes with the workers, so the pool is slower than one core here. Moving story "
              "features, fingerprints, serialisation and index terms into the workers is the next step "
              "for scaling (the Ray/PostgreSQL issue). The 100k-article run of the foundation pipeline "
              "(without NER and enrichment) measured 569 articles per CPU-second for the pipeline and "
              "371 for ingest."]
    lines.append("")
    out = HERE / "results" / "ingest.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines), "utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
