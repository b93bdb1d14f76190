"""Benchmark the web app: requests per second and latency of search and story pages.

Builds a store of ``--articles`` synthetic articles (:mod:`corpus`) grouped into stories,
starts ``nyhetsvakt``'s server (uvicorn, a separate process, ``--workers`` processes) on
127.0.0.1, and drives it with a load generator on loopback: ``wrk`` (Debian package
``wrk``: one thread, ``--connections`` keep-alive connections, a Lua script cycling through
the URLs) when installed, else a Python asyncio/httpx generator. Each page kind runs for
``--duration`` seconds after every URL was requested once (warm-up, and a check that
each answers 200). Reported: requests per second, latency percentiles, and the server's
CPU time per request (steadier than wall-clock on a machine shared with other work).

The store: articles join a story open in the last days (dated 0-5 days after its first
article) or start one, and one in fifty joins one of twenty long-running "hot" stories
(dated over four months). Entities, quotes, sources and claims are computed (capitalised
words, no NER model) for the articles of the measured stories only: the attribution
step costs about 13 ms an article, 20 minutes for all 100k. Story records are built for
the measured stories only (``build_story_record`` costs about 3 ms an article: four minutes
for the 48k articles in stories of two or more); the other articles carry their story id.
The store is kept in ``--db`` and reused when its parameters match.

    .venv/bin/python benchmarks/web.py --out benchmarks/results/web.md        # about 10 minutes
    .venv/bin/python benchmarks/web.py --articles 5000 --duration 5             # a smoke test
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from corpus import generate_articles
from search import BASE_QUERIES

from nyhetsvakt.attribution import AttributionStep, EntityStep
from nyhetsvakt.records import Article
from nyhetsvakt.store import SQLiteStore
from nyhetsvakt.stories import build_story_record
from nyhetsvakt.web.server import free_port

PER_COMMIT = 500
HOT_STORIES = 20
HOT_SHARE = 0.02  # of articles, joining a hot story
JOIN_SHARE = 0.38  # of articles, joining a story opened in the last days
OPEN_WINDOW = 300  # stories a new article may join
MEASURED_STORIES = 200  # of two articles or more, at random, besides the hot ones
BUILD_VERSION = "web-bench 2"


@dataclass(frozen=True)
class Plan:
    """Which story each generated article joins, and the stories measured."""

    story_of: list[str]
    offset_days: list[int]  # days after the story's first article
    measured: set[str]
    sizes: Counter[str]


def plan_stories(n: int, seed: int) -> Plan:
    rng = random.Random(seed + 1)
    story_of: list[str] = []
    offsets: list[int] = []
    recent: list[str] = []
    hot = [f"s-hot-{i:02d}" for i in range(HOT_STORIES)]
    made = 0
    for _ in range(n):
        roll = rng.random()
        if roll < HOT_SHARE:
            story_of.append(rng.choice(hot))
            offsets.append(rng.randrange(120))
        elif roll < HOT_SHARE + JOIN_SHARE and recent:
            story_of.append(rng.choice(recent[-OPEN_WINDOW:]))
            offsets.append(rng.randrange(6))
        else:
            made += 1
            sid = f"s-bench-{made:06d}"
            recent.append(sid)
            story_of.append(sid)
            offsets.append(0)
    sizes = Counter(story_of)
    multi = sorted(s for s, k in sizes.items() if k >= 2 and not s.startswith("s-hot"))
    measured = set(random.Random(seed + 2).sample(multi, min(MEASURED_STORIES, len(multi))))
    measured |= {s for s in hot if sizes[s]}
    return Plan(story_of, offsets, measured, sizes)


def build(path: Path, n: int, seed: int) -> dict[str, float]:
    """The benchmark store at ``path`` (rebuilt); seconds spent per phase."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    plan = plan_stories(n, seed)
    entities, attribution = EntityStep(use_model=False), AttributionStep()
    entities.setup()
    attribution.setup()
    first_day: dict[str, object] = {}
    times = {"generate": 0.0, "attribution": 0.0, "store": 0.0, "stories": 0.0}
    batch: list[Article] = []
    with SQLiteStore(path) as store:
        t = time.perf_counter()
        for i, article in enumerate(generate_articles(n, seed)):
            sid = plan.story_of[i]
            start = first_day.setdefault(sid, article.published)
            article.published = start + timedelta(days=plan.offset_days[i])  # type: ignore[operator]
            article.listed = article.published
            article.story_id = sid if plan.sizes[sid] > 1 else None
            if sid in plan.measured:
                t1 = time.perf_counter()
                article = next(attribution.run(entities.run(iter([article]))))
                times["attribution"] += time.perf_counter() - t1
            batch.append(article)
            if len(batch) >= PER_COMMIT:
                times["generate"] += time.perf_counter() - t
                t = time.perf_counter()
                store.add_articles(batch)
                times["store"] += time.perf_counter() - t
                batch, t = [], time.perf_counter()
        store.add_articles(batch)
        times["store"] += time.perf_counter() - t
        t = time.perf_counter()
        _story_records(store, sorted(plan.measured))
        times["stories"] = time.perf_counter() - t
        times["generate"] -= times["attribution"]
        store.conn.executemany("INSERT OR REPLACE INTO store_meta (name, value) VALUES (?, ?)",
                               [("bench_web", _params(n, seed)), ("bench_web_build", json.dumps(times))])
    return times


def _story_records(store: SQLiteStore, ids: list[str]) -> None:
    """The records of the stories ``ids``, from their stored articles."""
    conn = store.conn
    for i in range(0, len(ids), 200):
        members: dict[str, list[Article]] = defaultdict(list)
        rows = conn.execute(
            "SELECT a.story_id, r.record FROM articles AS a JOIN article_records AS r ON r.doc = a.doc "
            "WHERE a.story_id IN (SELECT value FROM json_each(?))", (json.dumps(ids[i:i + 200]),)).fetchall()
        for sid, record in rows:
            members[sid].append(Article.from_record(json.loads(record)))
        store.put_story_records([build_story_record(sid, arts) for sid, arts in members.items()])


def _params(n: int, seed: int) -> str:
    return f"{BUILD_VERSION} n={n} seed={seed}"


def reusable(path: Path, n: int, seed: int) -> dict[str, float] | None:
    """The build times of a store at ``path`` made with these parameters (None: rebuild)."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        rows = conn.execute("SELECT name, value FROM store_meta WHERE name LIKE 'bench_web%'").fetchall()
        meta = dict(rows)
        conn.close()
    except sqlite3.Error:
        return None
    if meta.get("bench_web") != _params(n, seed):
        return None
    return json.loads(meta.get("bench_web_build") or "{}")


# -- URLs -----------------------------------------------------------------------------------

def search_urls(path: str) -> list[str]:
    """Each base query of benchmarks/search.py plain, with a language or outlet, and within a
    year or by date: the mix benchmarks/search.py measures on the store directly."""
    languages, outlets = ["sv", "nb", "da", "en"], ["Aftonbladet", "NRK", "Dagens PS", "DR"]
    out = []
    for i, q in enumerate(BASE_QUERIES):
        out.append({"q": q})
        out.append({"q": q, "language": languages[i % 4]} if i % 3 else {"q": q, "outlet": outlets[i % 4]})
        year = 2018 + i % 8
        out.append({"q": q, "since": f"{year}-01-01", "until": f"{year}-12-31"} if i % 2
                   else {"q": q, "order": "date"})
    return [f"{path}?{urlencode(p)}" for p in out]


def story_urls(db: Path, measured: set[str]) -> tuple[list[str], list[int]]:
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    sizes = dict(conn.execute("SELECT story_id, size FROM stories WHERE story_id IN "
                              "(SELECT value FROM json_each(?))", (json.dumps(sorted(measured)),)).fetchall())
    conn.close()
    ids = sorted(sizes)
    random.Random(7).shuffle(ids)
    return [f"/story/{quote(s, safe='')}" for s in ids], [sizes[s] for s in ids]


def article_urls(db: Path, n: int = 300) -> list[str]:
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    ids = [r[0] for r in conn.execute(
        "SELECT a.id FROM articles AS a JOIN entity_mentions AS m ON m.doc = a.doc GROUP BY a.doc LIMIT ?",
        (n,))]
    conn.close()
    return [f"/article/{quote(i, safe='')}" for i in ids]


# -- the server and the load ----------------------------------------------------------------

def start_server(db: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    code = ("from nyhetsvakt.web.server import serve; "
            f"serve({str(db)!r}, host='127.0.0.1', port={port}, workers={workers}, log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit("the server did not start")
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not answer within a minute")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (uvicorn's workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def warm(base: str, urls: list[str]) -> Counter[int]:
    codes: Counter[int] = Counter()
    with httpx.Client(base_url=base, timeout=60) as http:
        for url in urls:
            codes[http.get(url).status_code] += 1
    return codes


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "duration_us": %%d, "p50": %%d, "p95": %%d, ' ..
    '"p99": %%d, "max": %%d, "status_errors": %%d, "socket_errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def run_wrk(base: str, urls: list[str], connections: int, duration: float) -> dict[str, float]:
    lua = WRK_SCRIPT % ", ".join(json.dumps(u) for u in urls)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(lua)
    try:
        out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration:.0f}s", "--timeout", "30s",
                              "-s", fh.name, base], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(fh.name)
    data = json.loads(out.split("RESULT ", 1)[1].splitlines()[0])
    seconds = data["duration_us"] / 1e6
    return {"requests": data["requests"], "seconds": seconds, "rps": data["requests"] / seconds,
            "p50": data["p50"] / 1000, "p95": data["p95"] / 1000, "p99": data["p99"] / 1000,
            "max": data["max"] / 1000, "errors": data["status_errors"] + data["socket_errors"]}


def run_python(base: str, urls: list[str], connections: int, duration: float) -> dict[str, float]:
    """The same load from Python (asyncio, httpx), where wrk is not installed."""
    latencies: list[float] = []
    errors = 0

    async def worker(http: httpx.AsyncClient, offset: int, stop: float) -> None:
        nonlocal errors
        i = offset
        while time.perf_counter() < stop:
            t = time.perf_counter()
            response = await http.get(urls[i % len(urls)])
            latencies.append((time.perf_counter() - t) * 1000)
            errors += response.status_code != 200
            i += connections

    async def main() -> float:
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
            start = time.perf_counter()
            await asyncio.gather(*(worker(http, k, start + duration) for k in range(connections)))
            return time.perf_counter() - start

    seconds = asyncio.run(main())
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]

    return {"requests": len(latencies), "seconds": seconds, "rps": len(latencies) / seconds, "p50": pct(50),
            "p95": pct(95), "p99": pct(99), "max": ordered[-1], "errors": errors}


def measure(name: str, base: str, urls: list[str], pid: int, connections: int,
            args: argparse.Namespace) -> dict[str, float]:
    codes = warm(base, urls)
    load = run_wrk if args.generator == "wrk" else run_python
    cpu0 = cpu_seconds(pid)
    result = load(base, urls, connections, args.duration)
    result["cpu_ms"] = (cpu_seconds(pid) - cpu0) * 1000 / max(1, result["requests"])
    result["warm_codes"] = dict(codes)  # type: ignore[assignment]
    result["urls"] = len(urls)
    print(f"{name}: {result['rps']:.1f} req/s, p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, "
          f"server CPU {result['cpu_ms']:.1f} ms/request, warm-up codes {dict(codes)}", flush=True)
    return result


def report(args: argparse.Namespace, build_times: dict[str, float] | None, n: int,
           runs: dict[tuple[int, int], dict[str, dict]], story_sizes: list[int], hot_sizes: list[int],
           db_mib: float) -> str:
    cmd = " ".join(["python", "benchmarks/web.py", *sys.argv[1:]])
    generator = ("wrk 4.1 (one thread, keep-alive)" if args.generator == "wrk"
                 else "Python asyncio + httpx (keep-alive)")
    lines = [
        "# Web benchmark (HTTP API and web UI)",
        "",
        f"Command: `{cmd}`  ",
        f"Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()}  ",
        f"Load average when done: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
        "(other work shares the machine: compare CPU times)",
        "",
        f"Store: {n:,} synthetic articles (`benchmarks/corpus.py`), {db_mib:,.0f} MiB, "
        f"{len(story_sizes)} stories measured (sizes {min(story_sizes)}-{max(story_sizes)}, median "
        f"{statistics.median(story_sizes):.0f}; the {HOT_STORIES} long-running ones, dated over four months, "
        f"hold {min(hot_sizes, default=0)}-{max(hot_sizes, default=0)}). "
        "Server: `nyhetsvakt serve` (uvicorn; read-only SQLite connections in reader threads) on "
        f"127.0.0.1. Load: {generator}, {args.duration:.0f} s per page kind after each URL was requested "
        "once; one connection measures latency, eight measure throughput (their latency includes queueing).",
    ]
    labels = {"search": "search page `/search?q=…` (HTML, 20 hits with snippets)",
              "story": "story page `/story/{id}` (HTML, timelines, graph, claims)",
              "story_hot": "… of the long-running stories only",
              "api_search": "search API `/api/search?q=…` (JSON)",
              "article": "article page `/article/{id}` (HTML, highlights)"}
    for (workers, connections), results in runs.items():
        lines += ["", f"## {workers} server process{'es' if workers > 1 else ''}, {connections} "
                  f"connection{'s' if connections > 1 else ''}", "",
                  "| page | URLs | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | server CPU ms/req "
                  "| errors |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for key, r in results.items():
            lines.append(f"| {labels[key]} | {r['urls']} | {r['requests']:,} | {r['rps']:,.1f} | "
                         f"{r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | "
                         f"{r['cpu_ms']:.1f} | {r['errors']} |")
        lines += ["", "Status codes in the warm-up: "
                  + "; ".join(f"{k} {r['warm_codes']}" for k, r in results.items()) + "."]
    if build_times:
        lines += ["", "Building the store (not part of the measurement; kept in `--db` and reused): "
                  + ", ".join(f"{k} {v:.0f} s" for k, v in build_times.items()) + "."]
    lines += [
        "",
        "## Notes",
        "",
        "- Search pages use the queries of `benchmarks/search.py` (single words, phrases, prefixes, "
        "exclusions; language, outlet and date filters; by relevance and by date), rendered as the HTML "
        "page a browser gets. The store's own search latency is in `search.md`: the page adds the "
        "template, the outlet list for the form and HTTP.",
        "- Story pages read the story record, every member's date, language, outlet and headline, and draw "
        "two timelines and the who-cites-whom graph as SVG, and list at most 100 claims, 30 speakers and "
        "40 sources (the JSON record has all). Cost grows with the story's size: the long-running stories "
        "are the slow tail.",
        "- The server, the load generator and other work share two cores; CPU ms per request is the "
        "server's own cost (all its processes), the steadier number. A second server process buys "
        "nothing here: there is no idle core for it.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--db", type=Path, default=Path("benchmarks/out/web-bench.db"))
    parser.add_argument("--duration", type=float, default=15.0, help="Seconds of load per page kind.")
    parser.add_argument("--runs", default="1x1,1x8,2x8",
                        help="Server processes x client connections, one run each (comma-separated).")
    parser.add_argument("--generator", choices=["wrk", "python"],
                        default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--out", type=Path, default=None, help="Write the markdown report here.")
    args = parser.parse_args(argv)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    build_times = reusable(args.db, args.articles, args.seed)
    if build_times is not None:
        print(f"reusing {args.db}", flush=True)
    else:
        build_times = build(args.db, args.articles, args.seed)
        print("built:", {k: round(v, 1) for k, v in build_times.items()}, flush=True)
    plan = plan_stories(args.articles, args.seed)
    stories, sizes = story_urls(args.db, plan.measured)
    hot = [u for u in stories if u.startswith("/story/s-hot-")]
    hot_sizes = [n for u, n in zip(stories, sizes, strict=True) if u in hot]
    runs: dict[tuple[int, int], dict[str, dict]] = {}
    for run in args.runs.split(","):
        workers, connections = (int(x) for x in run.split("x"))
        port = free_port()
        server = start_server(args.db, port, workers)
        base = f"http://127.0.0.1:{port}"
        print(f"-- {workers} server process(es), {connections} connection(s)", flush=True)
        kinds = {"search": ("search page", search_urls("/search")), "story": ("story page", stories),
                 "story_hot": ("story page, long-running stories", hot),
                 "api_search": ("search API", search_urls("/api/search")),
                 "article": ("article page", article_urls(args.db))}
        try:
            runs[workers, connections] = {
                key: measure(name, base, urls, server.pid, connections, args)
                for key, (name, urls) in kinds.items()
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
    size = sum(os.path.getsize(f"{args.db}{s}") for s in ("", "-wal") if os.path.exists(f"{args.db}{s}"))
    text = report(args, build_times, args.articles, runs, sizes, hot_sizes, size / 2**20)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
