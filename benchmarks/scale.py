"""Scale: the executors side by side, SQLite against PostgreSQL, and growth with the corpus.

    python benchmarks/scale.py --part executors --articles 4000
    python benchmarks/scale.py --part stores --sizes 100000,1000000 [--pg URL]
    python benchmarks/scale.py --part e2e --sizes 2000,10000,40000
    python benchmarks/scale.py --part e2e --sizes 1000000 --budget 3000   # again until done
    python benchmarks/scale.py --part all --out benchmarks/results/scale.md

- ``executors``: the whole pipeline (NER, attribution, dedup, stories) over generated text
  dumps (``corpus.write_dump_files``), each configuration in a fresh process: ``ingest``
  into SQLite and ``run --output`` (JSON lines, no store), with the in-process executor,
  the process pool and Ray, at 1 and 2 workers. Wall-clock time, as a user waits for it.
- ``stores``: the same synthetic articles (``corpus.generate_articles``) loaded into SQLite
  and into PostgreSQL through the Store interface (``add_file``, 500 articles a
  transaction), then the search benchmark's 198 queries (``search.bench_queries``) against
  each: p50/p95 latency of the whole ``Store.search`` call (query, ranking, records,
  snippets), and listing pages. PostgreSQL is the server at ``--pg`` or a throw-away one
  started on 127.0.0.1 from the local install (as the tests do).
- ``e2e``: ``nyhetsvakt ingest`` of the whole pipeline with the process pool (2 workers)
  at growing corpus sizes: time per article, to show how the cost grows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.append(str(REPO / "tests"))  # tests/pg.py starts a throw-away PostgreSQL

from corpus import generate_articles, write_dump_files  # noqa: E402
from search import PER_FILE, bench_queries, load, pct  # noqa: E402

from nyhetsvakt.store import ArticleFilter, open_store  # noqa: E402

PER_COMMIT = 500
EXECUTOR_CONFIGS = [("local", 1), ("process", 1), ("process", 2), ("ray", 1), ("ray", 2)]


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def _corpus(workdir: Path, n: int, per_file: int = 50) -> Path:
    out = workdir / f"dumps-{n}-{per_file}"
    marker = out / ".complete"
    if not marker.exists():
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        write_dump_files(out, n, articles_per_file=per_file, seed=0)
        marker.write_text(str(n))
    return out


def _nyhetsvakt(*args: str, timeout: float = 7200) -> float:
    """Run the command line in a fresh process; returns its wall-clock seconds."""
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "nyhetsvakt", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)
    wall = time.perf_counter() - t0
    if done.returncode not in (0, 1):  # 1: some inputs failed, reported
        raise RuntimeError(f"nyhetsvakt {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return wall


# -- executors --------------------------------------------------------------------------------
def part_executors(args: argparse.Namespace) -> str:
    corpus = _corpus(args.workdir, args.articles)
    rows = []
    for executor, workers in EXECUTOR_CONFIGS:
        if executor == "ray" and not _has_ray():
            rows.append((executor, workers, None, None))
            continue
        db = args.workdir / "exec.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        ingest = _nyhetsvakt("--db", str(db), "ingest", "--no-progress", "--executor", executor,
                             "--workers", str(workers), str(corpus))
        out = args.workdir / "exec-run"
        shutil.rmtree(out, ignore_errors=True)
        run = _nyhetsvakt("run", "--executor", executor, "--workers", str(workers), "--output", str(out),
                          str(corpus))
        rows.append((executor, workers, ingest, run))
        print(f"{executor:8} x{workers}: ingest {ingest:7.1f} s, run {run:7.1f} s", flush=True)
    base = {task: rows[0][2 + i] for i, task in enumerate(("ingest", "run"))}
    lines = [
        f"### Executors: the whole pipeline over {args.articles:,} generated articles "
        f"({args.articles // 50} files of 50)",
        "",
        "Wall-clock seconds in a fresh process (model loading and, for Ray, starting the local "
        "cluster included); articles per second; speed-up over the in-process executor.",
        "",
        "| executor | workers | ingest s | ingest art/s | × local | run s | run art/s | × local |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for executor, workers, ingest, run in rows:
        if ingest is None:
            lines.append(f"| {executor} | {workers} | not installed | | | | | |")
            continue
        lines.append(f"| {executor} | {workers} | {ingest:.1f} | {args.articles / ingest:.0f} | "
                     f"{base['ingest'] / ingest:.2f} | {run:.1f} | {args.articles / run:.0f} | "
                     f"{base['run'] / run:.2f} |")
    return "\n".join(lines)


def _has_ray() -> bool:
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


# -- stores -----------------------------------------------------------------------------------
def _latencies(url: str, rounds: int) -> dict[str, list[float]]:
    queries = bench_queries()
    out: dict[str, list[float]] = {"search": [], "listing": []}
    with open_store(url, read_only=True) as store:
        for q in queries:  # warm caches
            store.search(q.text, q.filters, order=q.order)
        for _ in range(rounds):
            for q in queries:
                t0 = time.perf_counter()
                store.search(q.text, q.filters, order=q.order)
                out["search"].append((time.perf_counter() - t0) * 1000)
            for f in (ArticleFilter(), ArticleFilter(language="nb"), ArticleFilter(outlet="NRK")):
                cursor = None
                for _ in range(3):
                    t0 = time.perf_counter()
                    page = store.list_articles(f, limit=50, cursor=cursor)
                    out["listing"].append((time.perf_counter() - t0) * 1000)
                    cursor = page.next_cursor
    return out


def part_stores(args: argparse.Namespace) -> str:
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = [("SQLite", None)]
    server = None
    pg = args.pg
    if pg is None:
        server = _start_postgres(args.workdir)
        pg = server.admin_url if server else None
    if pg:
        backends.append(("PostgreSQL", pg))
    rows = []
    try:
        for n in sizes:
            urls = {name: _fresh_store(args.workdir, n, base) for name, base in backends}
            if args.concurrent_load:
                with ProcessPoolExecutor(len(urls), mp_context=get_context("spawn")) as pool:
                    loaded = dict(zip(urls, pool.map(_load, urls.values(), [n] * len(urls)), strict=True))
            else:
                loaded = {name: _load(url, n) for name, url in urls.items()}
            for name, url in urls.items():
                wall, cpu = loaded[name]
                lat = _latencies(url, args.rounds)
                rows.append((n, name, wall, cpu, lat))
                s = lat["search"]
                print(f"{n:>9,} {name:10}: load {n / wall:6.0f}/s; search p50 {pct(s, 50):6.1f} "
                      f"p95 {pct(s, 95):6.1f} ms", flush=True)
    finally:
        if server is not None:
            server.stop()
    lines = [
        "### SQLite and PostgreSQL side by side",
        "",
        f"The same synthetic articles through the Store interface (`add_file`, {PER_COMMIT} articles a "
        f"transaction), then {len(bench_queries())} queries × {args.rounds} rounds after a warm-up "
        "round, 20 hits a page with snippets, one reader; listing: 50 a page, newest first, three pages "
        "through cursors with no filter, a language, an outlet."
        + (" The two stores of a size were loaded at the same time, so their load rates are not "
           "comparable (each had about one core); the searches ran one store after the other."
           if args.concurrent_load else ""),
        "",
        "| articles | store | load art/s (wall) | search p50 ms | search p95 ms | search p99 ms | "
        "search max ms | listing p50 ms | listing p95 ms |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, name, wall, _cpu, lat in rows:
        s, ls = lat["search"], lat["listing"]
        lines.append(f"| {n:,} | {name} | {n / wall:,.0f} | {pct(s, 50):.1f} | {pct(s, 95):.1f} | "
                     f"{pct(s, 99):.1f} | {max(s):.1f} | {pct(ls, 50):.1f} | {pct(ls, 95):.1f} |")
    if not pg:
        lines += ["", "PostgreSQL: not measured (no server found or started)."]
    return "\n".join(lines)


def _fresh_store(workdir: Path, n: int, pg_admin: str | None) -> str:
    """A new, empty store: a SQLite file, or a database on the PostgreSQL server."""
    if pg_admin is not None:
        return _fresh_pg(pg_admin, f"bench_{n}")
    url = str(workdir / f"stores-{n}.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{url}{suffix}").unlink(missing_ok=True)
    return url


def _load(url: str, n: int) -> tuple[float, float]:
    with open_store(url) as store:
        return load(store, generate_articles(n, 0, PER_FILE), PER_COMMIT, 0, n)


# A server as one would run it for this: durable (fsync on), commits acknowledged before they
# are flushed (synchronous_commit=off, as SQLite's WAL with synchronous=NORMAL), memory for a
# 24 GB machine shared with the application.
PG_SETTINGS = ("-c synchronous_commit=off -c shared_buffers=2GB -c effective_cache_size=8GB "
               "-c work_mem=32MB -c maintenance_work_mem=512MB -c max_wal_size=4GB -c max_connections=60")


def _start_postgres(workdir: Path):  # type: ignore[no-untyped-def]
    try:
        from pg import Unavailable, start_local
    except ImportError:
        return None
    try:
        return start_local(PG_SETTINGS)
    except Unavailable as exc:
        print(f"PostgreSQL not started: {exc}", file=sys.stderr)
        return None


def _fresh_pg(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


# -- end to end -------------------------------------------------------------------------------
def part_e2e(args: argparse.Namespace) -> str:
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for n in sizes:
        if args.budget:
            rows.append(_e2e_in_segments(args, n))
            continue
        corpus = _corpus(args.workdir, n)
        db = args.workdir / "e2e.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        wall = _nyhetsvakt("--db", str(db), "ingest", "--no-progress", "--executor", "process", "--workers",
                           "2", str(corpus))
        rows.append((n, n, wall, db.stat().st_size, 1))
        print(f"{n:>9,}: {wall:8.1f} s, {n / wall:6.1f} art/s", flush=True)
    lines = [
        "### End to end, growing corpus",
        "",
        "`nyhetsvakt ingest --executor process --workers 2` of generated text dumps (50 articles a "
        "file) into a new SQLite store, the whole pipeline (NER, attribution, dedup, stories, search "
        "index). *Segments*: a run longer than one sitting is stopped with `kill -9` after a time "
        "budget and resumed by the next ingest (files already stored are skipped); its wall time is "
        "the sum of the segments, each including its start-up.",
        "",
        "| articles | stored so far | wall s | art/s | ms per article | database MiB | segments |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, done, wall, size, segments in rows:
        lines.append(f"| {n:,} | {done:,} | {wall:,.0f} | {done / wall:.1f} | {1000 * wall / done:.1f} | "
                     f"{size / 2**20:,.0f} | {segments} |")
    return "\n".join(lines)


def _e2e_in_segments(args: argparse.Namespace, n: int) -> tuple[int, int, float, int, int]:
    """One more segment (at most ``--budget`` seconds) of the ingest of ``n`` articles into a
    store kept in the work folder; the segments so far are in ``e2e-N.json`` beside it."""
    corpus = _corpus(args.workdir, n)
    db = args.workdir / f"e2e-{n}.db"
    log_path = args.workdir / f"e2e-{n}.json"
    segments = json.loads(log_path.read_text()) if log_path.exists() else []
    done = _stored(db)
    if not any(seg["finished"] for seg in segments):
        cmd = [sys.executable, "-m", "nyhetsvakt", "--db", str(db), "ingest", "--no-progress", "--executor",
               "process", "--workers", "2", str(corpus)]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            proc.wait(timeout=args.budget)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # as a crash would: the next ingest resumes
            proc.wait()
        wall = time.perf_counter() - t0
        now = _stored(db)
        segments.append({"wall": wall, "before": done, "after": now, "finished": proc.returncode in (0, 1),
                         "at": datetime.now(UTC).isoformat(timespec="seconds")})
        log_path.write_text(json.dumps(segments, indent=1))
        print(f"{n:>9,}: segment {len(segments)}: {now - done:,} articles in {wall:,.0f} s "
              f"({(now - done) / wall:.1f}/s); {now:,} stored", flush=True)
        done = now
    wall = sum(seg["wall"] for seg in segments)
    return n, done, wall, db.stat().st_size, len(segments)


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["executors", "stores", "e2e", "all"], default="all")
    ap.add_argument("--articles", type=int, default=4000, help="corpus size for the executors part")
    ap.add_argument("--sizes", default=None, help="comma-separated corpus sizes (stores, e2e)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--concurrent-load", action="store_true",
                    help="stores: load SQLite and PostgreSQL at the same time (saves time at 1M; their "
                         "load rates are then not comparable, the search latencies, measured one store "
                         "after the other, are)")
    ap.add_argument("--budget", type=float, default=None,
                    help="e2e: run at most this many seconds, into a store kept in the work folder, and "
                         "report the segments so far (a long run over several sittings)")
    ap.add_argument("--pg", default=None, help="PostgreSQL URL (a role that may create databases)")
    ap.add_argument("--workdir", type=Path, default=HERE / "out")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    sections = []
    started = datetime.now(UTC).strftime("%Y-%m-%d")
    parts = ["executors", "stores", "e2e"] if args.part == "all" else [args.part]
    for part in parts:
        sub = argparse.Namespace(**vars(args))
        if sub.sizes is None:
            sub.sizes = "100000,1000000" if part == "stores" else "2000,10000,40000"
        sections.append({"executors": part_executors, "stores": part_stores, "e2e": part_e2e}[part](sub))
    text = "\n\n".join([
        "## Scale: executors, stores, growth",
        f"Command: `python benchmarks/scale.py {' '.join(argv or sys.argv[1:])}` — {started}, {_machine()}, "
        "a shared machine.",
        *sections,
    ]) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
