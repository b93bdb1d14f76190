"""Benchmark the SQLite store: bulk-load throughput and search latency.

Builds a store of ``--articles`` synthetic articles (:mod:`corpus`), one transaction per
file of 20 articles as ``ingest`` does (``Store.add_file``), timing only the store calls;
then runs a fixed set of about 200 realistic queries (single words, inflected forms,
two words, phrases, prefixes, exclusions; with and without language, date and outlet
filters; by relevance and by date) and reports p50/p95/p99 latency of the whole
``Store.search`` call (query, ranking, records, snippets). Wall-clock and CPU times are
both reported: CPU time is what the code costs, wall-clock what a user waits on a
machine that may be busy with other work.

    python benchmarks/search.py --articles 100000 --out benchmarks/results/search.md
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate_articles

from nyhetsvakt.records import Article
from nyhetsvakt.store import ArticleFilter, FileFingerprint, SQLiteStore
from nyhetsvakt.store.base import Store

PER_FILE = 20

# Queries as users type them: common and rare words, inflected forms in each language,
# names, compounds, phrases, prefixes, exclusions, and words found nowhere.
BASE_QUERIES = [
    "putin", "soldater", "soldaterna", "soldatene", "soldaten", "ukraina", "kriget", "krigen", "krig",
    "bitcoin", "valutan", "valutaen", "sanktioner", "sanktionerna", "kreml", "nato", "lukasjenko",
    "demonstranterna", "officeren", "russiske", "ryska", "bedragare", "sms", "polisen", "politiet",
    "drönarattacker", "försvarsministern", "energikrisen", "valutamarknaden", "sikkerhetssituasjonen",
    "Bergström", "Kovalenko", "Sørensen", "Åberg", "mål", "får", "øl", "refused", "soldiers", "scam",
    "ryska soldater", "putin kreml", "bitcoin rasar", "soldater vägrar", "russiske soldater",
    "nordkoreanska soldater", "valuta rekord", "belarus president", "olja export", "grain prices",
    '"ryska soldater"', '"digitale valutaen"', '"låg stridsmoral"', '"enligt ukrainska källor"',
    '"nato soldater"', "valut*", "sanktion*", "demonstr*", "putin -trump", "soldater -ukraina",
    "zelenskyj", "xylofonkonsert", "qwertyuiop", "Nato-soldater", "6 000", "2022",
]


@dataclass
class BenchQuery:
    text: str
    filters: ArticleFilter
    order: str

    def label(self) -> str:
        f = self.filters
        parts = [repr(self.text)]
        if f.language:
            parts.append(f"language={f.language}")
        if f.since or f.until:
            parts.append(f"{f.since}..{f.until}")
        if f.outlet:
            parts.append(f"outlet={f.outlet}")
        if self.order != "relevance":
            parts.append(f"order={self.order}")
        return " ".join(parts)


def bench_queries() -> list[BenchQuery]:
    """Each base query three times: plain; with a language or outlet filter; within a year
    (by relevance) or over everything by date. 66 × 3 = 198 queries."""
    out: list[BenchQuery] = []
    languages = ["sv", "nb", "da", "en"]
    outlets = ["Aftonbladet", "NRK", "Dagens PS", "DR"]
    for i, text in enumerate(BASE_QUERIES):
        out.append(BenchQuery(text, ArticleFilter(), "relevance"))
        if i % 3:
            out.append(BenchQuery(text, ArticleFilter(language=languages[i % 4]), "relevance"))
        else:
            out.append(BenchQuery(text, ArticleFilter(outlet=outlets[i % 4]), "relevance"))
        if i % 2:
            year = 2018 + i % 8
            out.append(BenchQuery(text, ArticleFilter(since=date(year, 1, 1), until=date(year, 12, 31)),
                                  "relevance"))
        else:
            out.append(BenchQuery(text, ArticleFilter(), "date"))
    return out


def load(store: Store, articles: Iterator[Article], per_commit: int, first_file: int,
          n: int) -> tuple[float, float]:
    """Add ``n`` articles, a file (``add_file``) of 20 at a time, ``per_commit`` articles a
    transaction. Returns (wall, CPU) seconds spent in the store."""
    wall = cpu = 0.0
    files_per_commit = max(1, per_commit // PER_FILE)
    file_no = first_file
    done = 0
    while done < n:
        group = []
        for _ in range(files_per_commit):
            batch = [a for _, a in zip(range(min(PER_FILE, n - done - sum(map(len, group)))), articles,
                                       strict=False)]
            if batch:
                group.append(batch)
        if not group:
            break
        w0, c0 = time.perf_counter(), time.process_time()
        with store.transaction():
            for batch in group:
                store.add_file(f"bench/{file_no:06d}.txt", FileFingerprint(1, 1, f"{file_no:064d}"), batch)
                file_no += 1
        wall += time.perf_counter() - w0
        cpu += time.process_time() - c0
        done += sum(map(len, group))
    return wall, cpu


def build(path: Path, n: int, seed: int, per_commit: int, incremental: int,
          optimize: bool) -> dict[str, float]:
    """Bulk-load ``n`` articles, then add ``incremental`` more one file per transaction."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    articles = generate_articles(n + incremental, seed, PER_FILE)
    out: dict[str, float] = {}
    with SQLiteStore(path) as store:
        out["wall"], out["cpu"] = load(store, articles, per_commit, 0, n)
        out["inc_wall"], out["inc_cpu"] = load(store, articles, PER_FILE, n // PER_FILE + 1, incremental)
        w0 = time.perf_counter()
        if optimize:
            store.optimize()
        out["optimize_wall"] = time.perf_counter() - w0
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[k]


def measure(path: Path, queries: list[BenchQuery], rounds: int) -> tuple[list[float], list[float], dict]:
    store = SQLiteStore(path, read_only=True)
    for q in queries:  # warm the page cache and the stem cache
        store.search(q.text, q.filters, order=q.order)
    wall: list[float] = []
    cpu: list[float] = []
    per_query: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    for _ in range(rounds):
        for q in queries:
            w0, c0 = time.perf_counter(), time.process_time()
            page = store.search(q.text, q.filters, order=q.order)
            dw, dc = time.perf_counter() - w0, time.process_time() - c0
            wall.append(dw * 1000)
            cpu.append(dc * 1000)
            per_query.setdefault(q.label(), []).append(dw * 1000)
            hits[q.label()] = len(page.items)
    store.close()
    return wall, cpu, {"per_query": per_query, "hits": hits}


def measure_listing(path: Path, rounds: int) -> list[float]:
    """Latency (wall ms) of listing pages of 50, newest first, with each kind of filter,
    first pages and third pages (through cursors)."""
    filters = [ArticleFilter(), ArticleFilter(language="en"), ArticleFilter(language="sv"),
               ArticleFilter(outlet="DR"), ArticleFilter(since=date(2021, 1, 1), until=date(2021, 3, 31)),
               ArticleFilter(language="nb", since=date(2024, 1, 1))]
    out: list[float] = []
    with SQLiteStore(path, read_only=True) as store:
        for _ in range(rounds + 1):
            for f in filters:
                cursor = None
                for _page in range(3):
                    w0 = time.perf_counter()
                    page = store.list_articles(f, limit=50, cursor=cursor)
                    out.append((time.perf_counter() - w0) * 1000)
                    cursor = page.next_cursor
                    if not cursor:
                        break
    return out


def db_size(path: Path) -> int:
    return sum(os.path.getsize(f"{path}{s}") for s in ("", "-wal") if os.path.exists(f"{path}{s}"))


def table_sizes(path: Path) -> list[tuple[str, int]]:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
    except sqlite3.OperationalError:  # dbstat not compiled in
        rows = []
    conn.close()
    groups: dict[str, int] = {}
    for name, size in rows:
        key = "article_search (FTS5)" if name.startswith("article_search") else name
        groups[key] = groups.get(key, 0) + size
    return sorted(groups.items(), key=lambda kv: -kv[1])


def report(args: argparse.Namespace, n: int, load: dict[str, float], wall: list[float], cpu: list[float],
           detail: dict, size: int, tables: list[tuple[str, int]], peak_rss_mb: float) -> str:
    slowest = sorted(((statistics.median(v), k) for k, v in detail["per_query"].items()), reverse=True)[:8]
    cmd = " ".join(["python", "benchmarks/search.py", *sys.argv[1:]])
    lines = [
        "# Search benchmark (SQLite store)",
        "",
        f"Command: `{cmd}`  ",
        f"Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()}  ",
        f"Load average when done: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
        "(other work shares the machine: compare CPU times)",
        "",
        "## Loading",
        "",
        "Store time only (article generation is not timed): analysis, JSON record, dropped lines, "
        "FTS5 row and indexes per article, files of 20 articles added with `add_file`.",
        "",
        "| phase | articles | per transaction | wall s | articles/s (wall) | CPU s | articles/s (CPU) |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| bulk load into an empty store | {args.articles:,} | {args.per_commit} | {load['wall']:.1f} | "
        f"{args.articles / load['wall']:,.0f} | {load['cpu']:.1f} | {args.articles / load['cpu']:,.0f} |",
        f"| then one file per transaction | {args.incremental:,} | {PER_FILE} | {load['inc_wall']:.1f} | "
        f"{args.incremental / load['inc_wall']:,.0f} | {load['inc_cpu']:.1f} | "
        f"{args.incremental / load['inc_cpu']:,.0f} |",
        "",
        f"Database: {size / 2**20:,.0f} MiB for {n:,} articles; peak RSS {peak_rss_mb:,.0f} MiB; "
        + ("FTS index optimized (merged) before searching." if args.optimize
           else "FTS index as left by loading (not optimized)."),
        "",
        "Space by table: " + ", ".join(f"{name} {sz / 2**20:,.0f} MiB" for name, sz in tables[:6]),
        "",
        "## Search latency",
        "",
        f"{len(detail['per_query'])} queries × {args.rounds} rounds after one warm-up round, "
        "read-only connection, 20 hits a page with snippets.",
        "",
        "| | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|",
        f"| wall-clock | {pct(wall, 50):.1f} | {pct(wall, 95):.1f} | {pct(wall, 99):.1f} | {max(wall):.1f} |",
        f"| CPU | {pct(cpu, 50):.1f} | {pct(cpu, 95):.1f} | {pct(cpu, 99):.1f} | {max(cpu):.1f} |",
        "",
        "Slowest queries (median wall ms, hits on the first page):",
        "",
    ]
    lines += [f"- {ms:.1f} ms — {label} ({detail['hits'][label]} hits)" for ms, label in slowest]
    listing = detail["listing"]
    lines += [
        "",
        "## Listing latency",
        "",
        f"`list_articles`, 50 a page, newest first, pages 1-3 through cursors, with no filter, a "
        f"language, an outlet, a date range: {len(listing)} calls, wall-clock p50 {pct(listing, 50):.1f} ms, "
        f"p95 {pct(listing, 95):.1f} ms, max {max(listing):.1f} ms.",
        "",
        "## Notes",
        "",
        "- The corpus is synthetic (`benchmarks/corpus.py`, recombined from the five seed files): its "
        "vocabulary is small, so common words match 50-80 % of all articles, harder on search than real "
        "news; publication dates are uniformly random over eight years, harder on the date index than "
        "news ingested as it appears.",
        "- Relevance ranks the newest 4,000 matches after filters (`RANK_WINDOW`); queries with fewer "
        "matches are ranked exactly. Date order stops after one page.",
        "- The per-file phase right after a bulk load also pays FTS5 merge work the bulk load left.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", type=Path, default=Path("benchmarks/out/search-bench.db"))
    parser.add_argument("--per-commit", type=int, default=500,
                        help="Articles per transaction while bulk loading (files of 20 grouped).")
    parser.add_argument("--incremental", type=int, default=5000,
                        help="Articles added after the bulk load, one file (20) per transaction.")
    parser.add_argument("--optimize", action="store_true", help="Merge the FTS index before searching.")
    parser.add_argument("--reuse", action="store_true", help="Search an existing --db, do not rebuild.")
    parser.add_argument("--out", type=Path, default=None, help="Write the markdown report here.")
    args = parser.parse_args(argv)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    if args.reuse and args.db.exists():
        load = dict.fromkeys(("wall", "cpu", "inc_wall", "inc_cpu", "optimize_wall"), float("nan"))
        with SQLiteStore(args.db, read_only=True) as store:
            n = store.stats().articles
    else:
        load = build(args.db, args.articles, args.seed, args.per_commit, args.incremental, args.optimize)
        n = args.articles + args.incremental
        print(f"loaded {args.articles:,} articles: {args.articles / load['wall']:,.0f}/s wall, "
              f"{args.articles / load['cpu']:,.0f}/s CPU", flush=True)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall, cpu, detail = measure(args.db, bench_queries(), args.rounds)
    detail["listing"] = measure_listing(args.db, args.rounds)
    text = report(args, n, load, wall, cpu, detail, db_size(args.db), table_sizes(args.db), peak_rss_mb)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
