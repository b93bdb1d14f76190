"""Reader benchmark: text dumps, HTML pages, WARC parsing (warcio vs fastwarc) and WARC reading."""

import io
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from nyhetsvakt.readers import ReadOptions, read_source, wrap_text_as_html
from nyhetsvakt.readers.html import extract_html

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
seeds = sorted(Path("examples").glob("*.txt"))
random.seed(1)
WORDS = (
    ["kriget", "officer", "ryska", "soldater", "enligt", "uppgifter", "säger", "han", "till", "CNN", "regeringen", "6", "000", "källor"]
)


def best(fn, n=3):
    out = 1e9
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t0)
    return out


def page(i):  # ~10 KB of text: 25 paragraphs of 60 words
    paras = "".join("<p>" + " ".join(random.choice(WORDS) for _ in range(60)) + "</p>\n" for _ in range(25))
    return (
        f"<!doctype html><html lang=sv><head><title>Artikel nummer {i}</title><script>var a={i};</script>"
        f"</head><body><nav><a href=/>Hem</a></nav><article><h1>Rubrik {i}</h1>{paras}</article></body></html>"
    ).encode()


def make_warc(path, gz):
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        for i in range(N):
            body, req = page(i), b"GET / HTTP/1.1\r\n\r\n"
            w.write_record(
                w.create_warc_record(
                    f"https://ex.se/a/{i}", "request", payload=io.BytesIO(req), length=len(req)
                )
            )
            hh = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            w.write_record(
                w.create_warc_record(
                    f"https://ex.se/a/{i}",
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=hh,
                )
            )


def parse_warcio(path):
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    with open(path, "rb") as fh:
        for r in ArchiveIterator(fh):
            if r.rec_type == "response":
                r.http_headers.get_header("Content-Type")
                r.content_stream().read()
                n += 1
    return n


def parse_fastwarc(path):
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    n = 0
    with open(path, "rb") as fh:
        for r in ArchiveIterator(fh, parse_http=True):
            if r.record_type == WarcRecordType.response:
                r.http_headers.get("Content-Type")
                r.reader.read()
                n += 1
    return n


t = best(lambda: [list(read_source(str(f))) for _ in range(200) for f in seeds])
print(
    f"| text dumps: read_source on the 5 seeds x 200 | {t / 1000 * 1e6:.0f} µs per file | {1000 / t:,.0f} files/s |"
)
pages = [wrap_text_as_html(f.read_text("utf-8"), f.stem) for f in seeds]
for fast in (False, True):
    t = best(lambda: [extract_html(p, fast=fast) for _ in range(10) for p in pages])
    print(
        f"| HTML: extract_html on the 5 seeds as HTML x 10, fast={fast} | {t / 50 * 1000:.1f} ms per page | {50 / t:,.0f} pages/s |"
    )
with tempfile.TemporaryDirectory() as tmp:
    for gz in (True, False):
        path = os.path.join(tmp, "b.warc" + (".gz" if gz else ""))
        make_warc(path, gz)
        size = os.path.getsize(path) / 2**20
        for name, fn in (("warcio 1.8.1", parse_warcio), ("fastwarc 2.0.1", parse_fastwarc)):
            try:
                t = best(lambda: fn(path))
            except ImportError:
                print(f"| {name}: not installed |")
                continue
            print(
                f"| WARC{'.gz' if gz else ''} ({size:.0f} MiB, {N:,} responses + {N:,} requests): parse with {name} | {t:.2f} s | {N / t:,.0f} responses/s |"
            )
        if gz:
            for fast in (False, True):
                st = Counter()
                t0 = time.perf_counter()
                n = sum(1 for _ in read_source(path, options=ReadOptions(fast_html=fast), stats=st))
                t = time.perf_counter() - t0
                print(
                    f"| WARC.gz: read_source (parse + HTML extraction), fast_html={fast} | {t:.1f} s | {n / t:,.0f} documents/s ({t / n * 1000:.1f} ms each) |"
                )
