"""The same seed articles come out whether read as .txt, .txt.gz, HTML, WARC or JSON Lines."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from nyhetsvakt import analyze
from nyhetsvakt.readers.html import wrap_text_as_html

# What may legitimately differ between containers: where the text came from.
VOLATILE = ("id", "source")


def _articles(paths):
    out = []
    for result in analyze([str(p) for p in paths]):
        assert not result.errors, result.errors
        out += result.articles
    return out


def _comparable(a, numbering=None):
    """The contract without where it came from; story_id and duplicate_of, which are made
    from article ids, replaced by the position of what they point to."""
    c = a.to_contract()
    for key in VOLATILE:
        c.pop(key)
    if numbering is not None:
        c["story_id"] = numbering.get(("story", c["story_id"]))
        c["duplicate_of"] = numbering.get(("article", c["duplicate_of"]))
    return c


def _all_comparable(articles):
    numbering = {("article", a.id): i for i, a in enumerate(articles)}
    for a in articles:
        numbering.setdefault(("story", a.story_id), len(numbering))
    return [_comparable(a, numbering) for a in articles]


@pytest.fixture(scope="module")
def baseline(examples_dir):
    return _all_comparable(_articles(sorted(examples_dir.glob("*.txt"))))


def test_gzip(tmp_path, examples_dir, baseline):
    for f in sorted(examples_dir.glob("*.txt")):
        (tmp_path / (f.name + ".gz")).write_bytes(gzip.compress(f.read_bytes()))
    assert _all_comparable(_articles(sorted(tmp_path.glob("*.gz")))) == baseline


def test_html(tmp_path, examples_dir, baseline):
    for f in sorted(examples_dir.glob("*.txt")):
        (tmp_path / (f.stem + ".html")).write_text(wrap_text_as_html(f.read_text("utf-8"), f.stem), "utf-8")
    got = _all_comparable(_articles(sorted(tmp_path.glob("*.html"))))
    assert got == baseline


def _warc(path, pages):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, html in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            body = html.encode("utf-8")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                               http_headers=headers)
            writer.write_record(record)


def test_warc(tmp_path, examples_dir, baseline):
    pages = [(f"https://example.org/{f.stem}", wrap_text_as_html(f.read_text("utf-8"), f.stem))
             for f in sorted(examples_dir.glob("*.txt"))]
    _warc(tmp_path / "crawl.warc.gz", pages)
    assert _all_comparable(_articles([tmp_path / "crawl.warc.gz"])) == baseline


def test_jsonl_one_article_a_line(tmp_path, examples_dir, baseline):
    """Each seed article's own lines as one JSON line, with its id kept."""
    rows = []
    for result in analyze([str(examples_dir)]):
        lines = Path(result.uri).read_text("utf-8").split("\n")
        for a in result.articles:
            text = "\n".join(lines[a.source.line_start - 1: a.source.line_end])
            rows.append({"id": a.id, "text": text})
    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()))
    got = _articles([path])
    assert [a.id for a in got] == [r["id"] for r in rows]
    assert _all_comparable(got) == baseline
