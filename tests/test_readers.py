"""Readers: every input format on real files, encodings, and each kind of bad input.

Each bad input gives one clear ``InputError`` naming the file and the reason (or a
clean result), and reading goes on. Files are written to ``tmp_path``; nothing here
needs the network.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nyhetsvakt.readers as readers
from nyhetsvakt.errors import InputError, UsageError
from nyhetsvakt.readers import expand_inputs, read_source
from nyhetsvakt.readers.html import extract_html, wrap_text_as_html
from nyhetsvakt.readers.text import MAX_LINE_CHARS
from nyhetsvakt.records import RawDocument

NBSP = "\u00a0"
SEED_000 = "000_30c9a46bdec557f4.txt"


def read_all(path, **kwargs):
    return list(read_source(str(path), **kwargs))


def docs_and_errors(items):
    docs = [x for x in items if isinstance(x, RawDocument)]
    errors = [x for x in items if isinstance(x, InputError)]
    assert len(docs) + len(errors) == len(items)
    return docs, errors


def one_error(items, path) -> InputError:
    docs, errors = docs_and_errors(items)
    assert not docs and len(errors) == 1, items
    assert errors[0].uri == str(path)
    assert "\n" not in errors[0].reason
    return errors[0]


def chunks(text: str) -> list[list[str]]:
    """Blank-line-separated chunks of lines, trailing whitespace aside."""
    return [[line.rstrip() for line in c.strip("\n").split("\n")]
            for c in re.split(r"\n[ \t]*\n", text) if c.strip()]


def warc_bytes(records, gz=True) -> bytes:
    """A WARC made with warcio: records are (uri, type, content type or None, body, status)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for uri, rec_type, content_type, body, status in records:
        http = None
        if rec_type == "response":
            http = StatusAndHeaders(status, [("Content-Type", content_type)] if content_type else [],
                                    protocol="HTTP/1.1")
        headers = {"Content-Type": content_type} if rec_type == "resource" and content_type else None
        # length given: without it warcio spools the payload to a temp file it never closes
        record = writer.create_warc_record(uri, rec_type, payload=io.BytesIO(body), length=len(body),
                                           http_headers=http, warc_headers_dict=headers)
        writer.write_record(record)
    return buf.getvalue()


# --- the public surface -------------------------------------------------------------------------

def test_exported_members():
    assert sorted(readers.__all__) == ["ReadOptions", "expand_inputs", "read_source", "wrap_text_as_html"]
    for name in readers.__all__:
        assert getattr(readers, name).__doc__


# --- expand_inputs ------------------------------------------------------------------------------

def test_directories_recursively_sorted_hidden_skipped(tmp_path):
    for rel in ["b.txt", "a/z.txt", "a/b/y.txt", "c.html", ".hidden.txt", ".git/x.txt", "a/.cache/w.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    got = expand_inputs([str(tmp_path)])
    assert [Path(p).relative_to(tmp_path).as_posix() for p in got] == [
        "a/b/y.txt", "a/z.txt", "b.txt", "c.html"]


def test_globs_sorted_stdin_kept_duplicates_once(tmp_path):
    for name in ["3.txt", "1.txt", "2.txt", "x.html"]:
        (tmp_path / name).write_text("x")
    got = expand_inputs([str(tmp_path / "*.txt"), "-", str(tmp_path / "1.txt")])
    assert got == [str(tmp_path / n) for n in ["1.txt", "2.txt", "3.txt"]] + ["-"]
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "4.txt").write_text("x")
    assert expand_inputs([str(tmp_path / "**" / "*.txt")])[-1] == str(tmp_path / "sub" / "4.txt")


def test_missing_path_and_empty_glob_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match=r"nope\.txt"):
        expand_inputs([str(tmp_path / "nope.txt")])
    with pytest.raises(UsageError, match=r"\*\.warc"):
        expand_inputs([str(tmp_path / "*.warc")])


# --- text dumps ---------------------------------------------------------------------------------

def test_seed_text_dump_verbatim(examples_dir):
    path = examples_dir / SEED_000
    [doc] = read_all(path)
    assert doc.text == path.read_text("utf-8")
    assert (doc.uri, doc.kind, doc.first_line, doc.stem) == (str(path), "text", 1, "000_30c9a46bdec557f4")
    assert "order.\u00a0\n" in doc.text  # NO-BREAK SPACE kept exactly, even at a line end
    [doc] = read_all(examples_dir / "001_05a0466f22381025.txt")
    assert f"\n6{NBSP}000 ryska soldater" in doc.text


def test_gzip_by_magic_bytes_not_name(tmp_path, examples_dir):
    raw = (examples_dir / SEED_000).read_bytes()
    for name in ["000_30c9a46bdec557f4.txt.gz", "plain_named.txt", "no_extension"]:
        (tmp_path / name).write_bytes(gzip.compress(raw))
        [doc] = read_all(tmp_path / name)
        assert doc.text == raw.decode("utf-8")
    assert read_all(tmp_path / "000_30c9a46bdec557f4.txt.gz")[0].stem == "000_30c9a46bdec557f4"
    (tmp_path / "not_really.txt.gz").write_bytes(raw)  # a .gz name on plain bytes is read as it is
    assert read_all(tmp_path / "not_really.txt.gz")[0].text == raw.decode("utf-8")


def test_cp1252_swedish(tmp_path, examples_dir):
    text = (examples_dir / SEED_000).read_text("utf-8")
    (tmp_path / "legacy.txt").write_bytes(text.encode("cp1252"))
    assert read_all(tmp_path / "legacy.txt")[0].text == text
    (tmp_path / "short.txt").write_bytes("Läs också: Sverige på väg".encode("cp1252"))
    assert read_all(tmp_path / "short.txt")[0].text == "Läs också: Sverige på väg"


def test_utf8_bom_stripped_and_newlines_normalised(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "Rubrik\r\n\r\nText på\rsvenska\u2028slut".encode())
    [doc] = read_all(tmp_path / "bom.txt")
    assert doc.text == "Rubrik\n\nText på\nsvenska\nslut"
    assert doc.text.splitlines() == doc.text.split("\n")


def test_mojibake_repaired_nbsp_kept(tmp_path):
    broken = f"LÃ¤s ocksÃ¥: Valuta stÃ¶rtdyker\n\n6{NBSP}000 soldater, enligt kÃ¤llor â€“ inte 500\n"
    (tmp_path / "moji.txt").write_text(broken, "utf-8")
    [doc] = read_all(tmp_path / "moji.txt")
    assert doc.text == f"Läs också: Valuta störtdyker\n\n6{NBSP}000 soldater, enligt källor – inte 500\n"
    # a genuine NBSP inside a broken line survives the repair too
    (tmp_path / "moji2.txt").write_text(f"LÃ¤s ocksÃ¥{NBSP}nu", "utf-8")
    assert read_all(tmp_path / "moji2.txt")[0].text == f"Läs också{NBSP}nu"


def test_clean_text_untouched(tmp_path):
    text = f"“Citat” – säger han. Å, ä och ö; æ, ø; 6{NBSP}000 &amp; ﬁ\n"
    (tmp_path / "clean.txt").write_text(text, "utf-8")
    assert read_all(tmp_path / "clean.txt")[0].text == text


def test_invalid_utf8_bytes_give_a_clean_result(tmp_path):
    path = tmp_path / "bad_utf8.txt"
    path.write_bytes(b"Rubrik\n\nEn mening om " + b"\xff\xfe\xfa" + b" soldater.\n")
    [doc] = read_all(path)
    assert doc.text.startswith("Rubrik\n\nEn mening om ") and doc.text.endswith(" soldater.\n")
    # UTF-8 with one stray Windows-1252 byte: the UTF-8 stays UTF-8
    path.write_bytes("Läs också ".encode() + b"caf\xe9")
    assert read_all(path)[0].text == "Läs också café"


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    assert one_error(read_all(path), path).reason.startswith("binary file (NUL byte")
    path.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 100 + b"abc")
    assert "control characters" in one_error(read_all(path), path).reason


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n  ", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert one_error(read_all(path), path).reason.startswith("empty file")


def test_fifty_megabyte_single_line(tmp_path):
    path = tmp_path / "big.txt"
    size = 50 * 1024 * 1024
    with open(path, "wb") as fh:
        for _ in range(50):
            fh.write(b"a" * (1024 * 1024))
    reason = one_error(read_all(path), path).reason
    assert reason == f"line 1 has {size:,} characters (limit {MAX_LINE_CHARS:,}): not a text dump"


def test_long_line_names_its_line(tmp_path):
    path = tmp_path / "long.txt"
    path.write_bytes(b"Rubrik\n\n" + b"x" * (MAX_LINE_CHARS + 1) + b"\nslut\n")
    assert one_error(read_all(path), path).reason.startswith(f"line 3 has {MAX_LINE_CHARS + 1:,} characters")


def test_truncated_gzip(tmp_path):
    path = tmp_path / "truncated.txt.gz"
    data = gzip.compress(("Rubrik\n\n2022 05 23\n\n" + "Text. " * 5000).encode())  # 110 bytes
    path.write_bytes(data[: len(data) // 2])
    assert one_error(read_all(path), path).reason.startswith("truncated gzip stream")


def test_corrupt_gzip(tmp_path):
    data = bytearray(gzip.compress(b"Rubrik\n\nText " * 500))
    data[30] ^= 0xFF
    path = tmp_path / "corrupt.txt.gz"
    path.write_bytes(bytes(data))
    assert one_error(read_all(path), path).reason.startswith("corrupt gzip stream")


def test_unreadable_path_is_an_error_not_an_exception(tmp_path):
    missing = tmp_path / "gone.txt"
    assert one_error(read_all(missing), missing).reason.startswith("cannot open")
    assert one_error(read_all(tmp_path), tmp_path).reason.startswith("cannot open")


# --- HTML ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", sorted(p.name for p in Path(__file__).parent.parent.glob("examples/*.txt")))
def test_seed_wrapped_as_html_keeps_every_line(tmp_path, examples_dir, seed):
    """Every content line of the seed, in order, in the same blank-line chunks, NBSP included."""
    text = (examples_dir / seed).read_text("utf-8")
    path = tmp_path / (Path(seed).stem + ".html")
    path.write_text(wrap_text_as_html(text, Path(seed).stem), "utf-8")
    [doc] = read_all(path)
    assert (doc.kind, doc.stem, doc.first_line) == ("html", Path(seed).stem, 1)
    assert chunks(doc.text) == chunks(text)
    assert doc.text.count(NBSP) == text.count(NBSP)
    assert doc.hints.headline is None  # a one-word <title> (the file name) is not a headline
    assert extract_html(path.read_text("utf-8")).method == "trafilatura"


PAGE = """<!DOCTYPE html><html lang="sv-SE"><head><meta charset="utf-8">
<title>Officer överger Putin – skuldkänslorna växer | Nyheter Idag</title>
<meta property="og:site_name" content="Nyheter Idag"><meta name="author" content="Anna Andersson">
<meta property="article:published_time" content="2022-05-23T08:15:00+02:00">
<script>window.TRACKER = "SCRIPT-IN-HEAD";</script><style>.x { color: red }</style></head>
<body><header><nav><a href="/">Hem</a> <a href="/sport">Sport</a></nav></header>
<form action="/s"><input name="q" value="FORM-VALUE"><button>FORM-BUTTON</button></form>
<main><article><h1>Officer överger Putin – skuldkänslorna växer</h1>
<p>En officer i det ryska anfallskriget har gått ut offentligt med sin historia, berättar han för CNN.</p>
<h2>Anonym på grund av säkerheten</h2>
<p>– Vi var smutsiga och trötta, säger officeren till CNN.<br>Ingen visste vad målet var.</p>
<script>document.write("SCRIPT-IN-BODY")</script>
<p>Enligt ukrainska källor har 6&nbsp;000 ryska soldater dödats. Uppgifterna har inte kunnat bekräftas.
Enligt ryska källor rör det sig om ett betydligt lägre antal, kring femhundra.</p>
<p>Foto: F. Andrejevic</p><p>Text: Redaktionen</p></article></main>
<footer>© Nyheter Idag AB</footer><noscript>NOSCRIPT-TEXT</noscript></body></html>"""


def test_html_page_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, "utf-8")
    [doc] = read_all(path)
    assert doc.text.split("\n\n")[:3] == [
        "Officer överger Putin – skuldkänslorna växer",
        "En officer i det ryska anfallskriget har gått ut offentligt med sin historia, berättar han för CNN.",
        "Anonym på grund av säkerheten"]
    assert "– Vi var smutsiga och trötta, säger officeren till CNN.\nIngen visste vad målet var." in doc.text
    assert f"6{NBSP}000 ryska soldater" in doc.text
    assert "Foto: F. Andrejevic\n\nText: Redaktionen" in doc.text
    for leak in ("SCRIPT-IN-HEAD", "SCRIPT-IN-BODY", "FORM-VALUE", "FORM-BUTTON", "NOSCRIPT", "color: red"):
        assert leak not in doc.text
    h = doc.hints
    assert h.headline == "Officer överger Putin – skuldkänslorna växer"
    assert (h.published, h.outlet, h.authors, h.language) == (date(2022, 5, 23), "Nyheter Idag",
                                                              ["Anna Andersson"], "sv")


def test_html_full_of_scripts(tmp_path):
    path = tmp_path / "scripts.html"
    path.write_bytes(b"<html><head><script>alert(1)</script></head><body>"
                     + b"<script>document.write('x')</script>" * 200 + b"</body></html>")
    assert one_error(read_all(path), path).reason == "no text in HTML"
    path.write_text("<html><body><script>var SECRET = 1;</script><p>Kort text om kriget.</p>"
                    "<style>p { color: red }</style><script>alert('SECRET2')</script></body></html>")
    [doc] = read_all(path)
    assert doc.text == "Kort text om kriget."


def test_html_fallback_when_trafilatura_flattens_a_short_page():
    page = ("<html><head><title>Kort</title></head><body><article><h1>Rubrik her</h1>"
            f"<p>Ingress <b>fet</b> tekst om 6{NBSP}000 soldater.</p><h2>Mellomtittel</h2>"
            "<p>Linje en<br>linje to</p><figure><img src=a.jpg><figcaption>Foto: Kalle Kula</figcaption>"
            "</figure></article><script>var s = 'SECRET';</script></body></html>")
    got = extract_html(page)
    # trafilatura's baseline would give "Ingress\nfet\ntekst om 6 000 soldater." in one paragraph
    assert got.method == "visible text (trafilatura gave its flat baseline dump)"
    assert got.text == (f"Rubrik her\n\nIngress fet tekst om 6{NBSP}000 soldater.\n\nMellomtittel\n\n"
                        "Linje en\nlinje to\n\nFoto: Kalle Kula")


def test_html_fallback_when_trafilatura_drops_the_article():
    para = "Ett par veckor in i kriget fick han nog, berättar en rysk officer för CNN. Mannen valde att gå. "
    body = "".join(f'<div class="comments-section"><p>{i}: {para}</p></div>' for i in range(6))
    page = (f"<html><head><title>Officer överger Putin</title></head><body><article><h1>Officer överger Putin"
            f"</h1><p>Kort ingress här.</p>{body}</article></body></html>")
    got = extract_html(page)
    assert got.method.startswith("visible text (trafilatura kept")
    assert all(f"{i}: Ett par veckor" in got.text for i in range(6))


def test_html_teaser_lists_do_not_send_a_page_to_the_fallback():
    para = "Ett par veckor in i kriget fick han nog, berättar en rysk officer för CNN. Mannen valde att gå. "
    related = "".join(f'<li><a href="/r{i}">Relaterad artikel {i} med en lång rubrik om något annat</a>'
                      "</li>" for i in range(30))
    page = (f"<html><head><title>Officer överger Putin</title></head><body><article><h1>Officer överger Putin"
            f"</h1><p>{para}</p><div class='related'><h3>Läs också</h3><ul>{related}</ul></div>"
            f"<p>Andra stycket. {para}</p></article></body></html>")
    got = extract_html(page)
    assert got.method == "trafilatura" and "Andra stycket." in got.text


def test_html_with_control_characters_and_no_xml_chars():
    got = extract_html("<html><body><p>Hej\x01\x02 där\x0b, 6\u00a0000 soldater\ud800.</p></body></html>")
    assert got.text == "Hej där, 6\u00a0000 soldater."


def test_html_charset_from_meta_and_gzip(tmp_path):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            "<title>Läs också</title></head><body><p>Räntan höjs, säger Riksbanken.</p></body></html>")
    (tmp_path / "legacy.htm.gz").write_bytes(gzip.compress(page.encode("cp1252")))
    [doc] = read_all(tmp_path / "legacy.htm.gz")
    assert doc.text == "Räntan höjs, säger Riksbanken." and doc.stem == "legacy"


def test_html_sniffed_without_extension(tmp_path):
    (tmp_path / "page").write_text(PAGE, "utf-8")
    assert read_all(tmp_path / "page")[0].kind == "html"


# --- WARC ---------------------------------------------------------------------------------------

def crawl(examples_dir) -> list[tuple]:
    seeds = sorted(examples_dir.glob("*.txt"))
    html = [wrap_text_as_html(p.read_text("utf-8"), p.stem).encode() for p in seeds]
    return [
        ("https://example.org/0", "request", None, b"GET /0 HTTP/1.1\r\n\r\n", ""),
        ("https://example.org/0", "response", "text/html; charset=utf-8", html[0], "200 OK"),
        ("https://example.org/logo.png", "response", "image/png", b"\x89PNG\r\n", "200 OK"),
        ("https://example.org/old", "response", "text/html", b"", "301 Moved Permanently"),
        ("https://example.org/1.txt", "response", "text/plain; charset=windows-1252",
         seeds[1].read_text("utf-8").encode("cp1252"), "200 OK"),
        ("https://example.org/404", "response", "text/html", b"<html><body><p>Saknas</p></body></html>",
         "404 Not Found"),
        ("https://example.org/2", "resource", "text/html", html[2], ""),
        ("https://example.org/3", "response", "application/xhtml+xml", html[3], "200 OK"),
    ]


@pytest.mark.parametrize("gz", [True, False])
def test_warc(tmp_path, examples_dir, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(warc_bytes(crawl(examples_dir), gz=gz))
    stats: Counter[str] = Counter()
    docs, errors = docs_and_errors(read_all(path, stats=stats))
    assert not errors
    assert [d.uri for d in docs] == [f"{path}#https://example.org/{u}" for u in ("0", "1.txt", "2", "3")]
    assert [d.stem for d in docs] == ["crawl#r2", "crawl#r5", "crawl#r7", "crawl#r8"]
    assert [d.kind for d in docs] == ["html", "text", "html", "html"]
    assert docs[0].hints.url == "https://example.org/0"
    seeds = sorted(examples_dir.glob("*.txt"))
    assert docs[1].text == seeds[1].read_text("utf-8")
    for doc, seed in zip([docs[0], docs[2], docs[3]], [seeds[0], seeds[2], seeds[3]], strict=True):
        assert chunks(doc.text) == chunks(seed.read_text("utf-8"))
    assert stats["warc: skipped request record"] == 1
    assert stats["warc: skipped image/png"] == 1
    assert stats["warc: skipped HTTP 301"] == 1 and stats["warc: skipped HTTP 404"] == 1


def test_truncated_warc_gz(tmp_path, examples_dir):
    data = warc_bytes(crawl(examples_dir), gz=True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: int(len(data) * 0.8)])
    items = read_all(path)
    docs, errors = docs_and_errors(items)
    assert len(docs) == 3 and len(errors) == 1 and items[-1] is errors[0]
    assert errors[0].uri == str(path) and errors[0].reason.startswith("truncated WARC")
    assert "after 7 records" in errors[0].reason


def test_truncated_warc_anywhere(examples_dir):
    """Cut anywhere: the records read whole, then one error (or a shorter valid archive at a boundary)."""
    records = crawl(examples_dir)[:2] + crawl(examples_dir)[4:5]
    for gz in (True, False):
        data = warc_bytes(records, gz=gz)
        full = [d.text for d in read_source("-", stdin=io.BytesIO(data))]
        for cut in range(40, len(data), max(1, len(data) // 60)):
            docs, errors = docs_and_errors(list(read_source("-", stdin=io.BytesIO(data[:cut]))))
            assert [d.text for d in docs] == full[: len(docs)], cut
            assert len(errors) == 1 or (not errors and len(docs) < len(full)), (gz, cut, errors)


def test_arc_file(tmp_path, examples_dir):
    page = wrap_text_as_html((examples_dir / "001_05a0466f22381025.txt").read_text("utf-8"), "x").encode()
    payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page
    desc = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n"
    path = tmp_path / "old.arc"
    header = b"http://example.org/a 1.2.3.4 20220523000000 text/html %d\n" % len(payload)
    path.write_bytes(b"filedesc://old.arc 0.0.0.0 20220523000000 text/plain %d\n%s\n" % (len(desc), desc)
                     + header + payload + b"\n")
    [doc] = read_all(path)
    assert (doc.uri, doc.stem, doc.kind) == (f"{path}#http://example.org/a", "old#r2", "html")


def test_not_a_warc(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_bytes(b"this is not an archive\n" * 10)
    reason = one_error(read_all(path), path).reason
    assert "WARC" in reason


# --- JSON Lines ---------------------------------------------------------------------------------

def test_jsonl_good_and_bad_lines(tmp_path, examples_dir):
    page = wrap_text_as_html((examples_dir / "001_05a0466f22381025.txt").read_text("utf-8"), "Dagens PS")
    lines = [
        json.dumps({"id": "a1", "text": f"Rubrik\n\n6{NBSP}000 soldater.", "published": "2026-01-30"}),
        "{not json",
        json.dumps({"headline": "Valuta störtdyker", "text": "Brödtext.", "authors": ["A", "B"],
                    "published": "2026-01-30T10:00:00+01:00", "outlet": "Dagens PS", "language": "sv",
                    "url": "https://x.se/a"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"id": 7, "html": page}),
        json.dumps({"title": "news-please", "maintext": "Text.", "date_publish": "2022-05-23 10:00:00",
                    "source_domain": "x.se"}),
        json.dumps({"text": 5}),
        json.dumps({"url": "https://x.se/b"}),
        json.dumps({"text": "x", "published": "30 jan 2026"}),
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    items = read_all(path)
    docs, errors = docs_and_errors(items)
    assert [d.first_line for d in docs] == [1, 3, 6, 7]
    assert [d.uri for d in docs] == [f"{path}:{n}" for n in (1, 3, 6, 7)]
    assert [d.stem for d in docs] == ["export#l1", "export#l3", "export#l6", "export#l7"]
    assert {d.kind for d in docs} == {"article"}
    assert [d.hints.id for d in docs] == ["a1", None, "7", None]
    assert docs[0].text == f"Rubrik\n\n6{NBSP}000 soldater." and docs[0].hints.published == date(2026, 1, 30)
    h = docs[1].hints
    assert (h.headline, h.authors, h.published, h.outlet, h.language, h.url) == (
        "Valuta störtdyker", ["A", "B"], date(2026, 1, 30), "Dagens PS", "sv", "https://x.se/a")
    assert docs[2].text.startswith("Dagens PS") and docs[2].hints.headline == "Dagens PS"
    assert (docs[3].hints.headline, docs[3].hints.published, docs[3].hints.outlet) == (
        "news-please", date(2022, 5, 23), "x.se")
    assert [(e.uri, e.reason) for e in errors] == [
        (f"{path}:2", "invalid JSON: Expecting property name enclosed in double quotes at column 2"),
        (f"{path}:4", "not a JSON object but an array"),
        (f"{path}:8", "field 'text' must be a string, not a number"),
        (f"{path}:9", "no 'text' or 'html' field"),
        (f"{path}:10", "field 'published': '30 jan 2026' is not an ISO date or datetime"),
    ]


def test_jsonl_gz_truncated_keeps_whole_lines(tmp_path):
    rows = "".join(json.dumps({"id": str(i), "text": f"Artikel {i}. " * 50}) + "\n" for i in range(200))
    path = tmp_path / "export.jsonl.gz"
    data = gzip.compress(rows.encode())
    path.write_bytes(data[: len(data) // 2])
    items = read_all(path)
    docs, errors = docs_and_errors(items)
    assert len(docs) > 10 and [d.hints.id for d in docs] == [str(i) for i in range(len(docs))]
    assert len(errors) == 1 and items[-1] is errors[0]
    assert errors[0].uri == str(path) and errors[0].reason.startswith("truncated gzip stream after line")


def test_jsonl_text_that_is_not_text(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"text": "a\u0000b\ud800c", "headline": "Rubrik"}) + "\n"
                    + json.dumps({"text": "x" * (MAX_LINE_CHARS + 1)}) + "\n", "utf-8")
    docs, errors = docs_and_errors(read_all(path))
    assert [d.text for d in docs] == ["a\ufffdb\ufffdc"]
    assert errors[0].uri == f"{path}:2" and "characters (limit" in errors[0].reason


def test_jsonl_invalid_utf8_line(tmp_path):
    path = tmp_path / "x.ndjson"
    path.write_bytes(b'{"text": "ok"}\n{"text": "bad \xff byte"}\n{"text": "ok again"}\n')
    docs, errors = docs_and_errors(read_all(path))
    assert [d.text for d in docs] == ["ok", "ok again"]
    assert [(e.uri, e.reason) for e in errors] == [(f"{path}:2", "not UTF-8: byte 0xff at column 15")]


# --- stdin --------------------------------------------------------------------------------------

def test_stdin_formats(examples_dir):
    raw = (examples_dir / SEED_000).read_bytes()
    for data in (raw, gzip.compress(raw)):
        [doc] = read_source("-", stdin=io.BytesIO(data))
        assert (doc.uri, doc.stem, doc.text) == ("<stdin>", "stdin", raw.decode("utf-8"))
    [doc] = read_source("-", stdin=io.BytesIO(b'{"id": "x", "text": "Hej."}\n'))
    assert (doc.kind, doc.uri, doc.stem, doc.hints.id) == ("article", "<stdin>:1", "stdin#l1", "x")
    [doc] = read_source("-", stdin=io.BytesIO(PAGE.encode()))
    assert doc.kind == "html"
    warc = warc_bytes(crawl(examples_dir)[:2])
    [doc] = read_source("-", stdin=io.BytesIO(warc))
    assert (doc.uri, doc.stem) == ("<stdin>#https://example.org/0", "stdin#r2")
    [err] = read_source("-", stdin=io.BytesIO(b""))
    assert (err.uri, err.reason) == ("<stdin>", "empty file")


def test_options_and_stats(examples_dir):
    stats: Counter[str] = Counter()
    page = wrap_text_as_html((examples_dir / SEED_000).read_text("utf-8"), "x").encode()
    options = readers.ReadOptions(fast_html=True)
    [doc] = read_source("-", stdin=io.BytesIO(gzip.compress(page)), options=options, stats=stats)
    assert doc.kind == "html" and stats == Counter({"format: html.gz": 1})


# --- never raises -------------------------------------------------------------------------------

PREFIXES = [b"", b"WARC/1.0\r\n", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\n",
            b"<!doctype html><html><body><p>", b'{"text": "', b"\xef\xbb\xbf", b"\x1f\x8b\x08\x00"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=600), gz=st.booleans())
def test_read_source_never_raises(prefix, body, gz):
    data = prefix + body
    if gz:
        data = gzip.compress(data)[: max(2, len(data) // 2 + 10)]
    for item in read_source("-", stdin=io.BytesIO(data)):
        assert isinstance(item, RawDocument | InputError)
        if isinstance(item, RawDocument):
            assert "\r" not in item.text and item.text.splitlines() == item.text.split("\n")[
                : len(item.text.splitlines())]
