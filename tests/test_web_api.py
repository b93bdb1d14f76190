"""The web app's JSON API and pages: in-process (an ASGI test client) and over a real
socket (uvicorn on 127.0.0.1, a free port).

The store is built once from the seed files (``examples/``, the same five files as
``shared/seeds``) plus one hostile article (``<script>``, ``<img onerror>``), with
entities from capitalised words (no NER model needed).
"""

from __future__ import annotations

import asyncio
import io
import json
import re
from pathlib import Path

import httpx
import jsonschema
import pytest

fastapi = pytest.importorskip("fastapi", reason="the web extra is not installed (pip install -e '.[web]')")

from fastapi.testclient import TestClient  # noqa: E402

from nyhetsvakt import NewsArchive, article_schema  # noqa: E402
from nyhetsvakt.pipeline import PipelineOptions  # noqa: E402
from nyhetsvakt.web import create_app  # noqa: E402
from nyhetsvakt.web.charts import bucket_days, citation_graph, stacked_bars  # noqa: E402
from nyhetsvakt.web.highlight import Span, article_spans, render_block, render_marked  # noqa: E402
from nyhetsvakt.web.server import ThreadedServer  # noqa: E402
from nyhetsvakt.web.uploads import safe_name  # noqa: E402

OFFICER = "000_30c9a46bdec557f4#1"
OFFICER_NB = "004_2d5c5d973ad852de#1"
HOSTILE_ID = "hostile-1"
TOKEN = "test-token-0123456789abcdef"
OPTIONS = PipelineOptions(ner_model=False)

HOSTILE = {
    "id": HOSTILE_ID,
    "headline": "<script>alert('headline')</script> Ryska soldater <b>vägrar</b>",
    "published": "2024-02-03",
    "outlet": "<img src=x onerror=alert('outlet')>",
    "language": "sv",
    "text": "Enligt Reuters har 6\u00a0000 ryska soldater vägrat strida "
    "<img src=x onerror=alert('body')>.\n\n"
    "– <script>document.title = 'pwned'</script> Vi vill hem, säger en soldat till CNN.\n\n"
    'Uppgifterna har inte kunnat bekräftas. Åsa Ørsted i Malmö såg "<svg onload=alert(1)>".',
}


def build_store(path: Path | str, examples: Path, folder: Path | None = None) -> Path | str:
    """The seed files and the hostile article in a new store at ``path`` (a file or a URL;
    the hostile article's file goes to ``folder``, by default the store's)."""
    hostile = (folder or Path(path).parent) / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    with NewsArchive(path) as archive:
        report = archive.ingest([str(examples), str(hostile)], options=OPTIONS)
    assert not report.errors, report.errors
    return path


@pytest.fixture(scope="module")
def db(module_store_url: str, tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> str:
    """The store every read test uses: on SQLite, and on PostgreSQL."""
    return str(build_store(module_store_url, examples_dir, tmp_path_factory.mktemp("web")))


@pytest.fixture(scope="module")
def client(db: str):
    with TestClient(create_app(db)) as c:
        yield c


@pytest.fixture()
def writable(store_url: str, tmp_path: Path, examples_dir: Path):
    """A fresh store with writing on (the token), and a client for it."""
    path = store_url
    with NewsArchive(path) as archive:
        archive.ingest([str(examples_dir / "001_05a0466f22381025.txt")], options=OPTIONS)
    app = create_app(
        path, token=TOKEN, max_upload_bytes=200_000, upload_dir=tmp_path / "up", pipeline=OPTIONS
    )
    with TestClient(app) as c:
        yield c


def _error(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    assert "Traceback" not in response.text
    return body["error"]


def _same_story(client: TestClient) -> bool:
    a = client.get(f"/api/articles/{OFFICER.replace('#', '%23')}").json()
    b = client.get(f"/api/articles/{OFFICER_NB.replace('#', '%23')}").json()
    return bool(a["story_id"]) and a["story_id"] == b["story_id"]


# -- reading ------------------------------------------------------------------------------------


def test_health_and_stats(client: TestClient) -> None:
    health = client.get("/api/health").json()
    assert health == {"status": "ok", "version": health["version"], "articles": 12, "writing": False}
    stats = client.get("/api/stats").json()
    assert stats["articles"] == 12
    assert {"value": "nb", "count": 1} in stats["languages"]
    assert stats["files"] == 6


def test_article_is_the_output_contract(client: TestClient, db: str) -> None:
    response = client.get("/api/articles/" + OFFICER.replace("#", "%23"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert "Skuldkänslorna växer".encode() in response.content  # UTF-8, not \\u escapes
    body = response.json()
    with NewsArchive(db, read_only=True) as archive:
        assert body == json.loads(json.dumps(archive.show(OFFICER).to_contract()))
    jsonschema.validate(body, article_schema())


def test_articles_pages_with_cursor_cover_everything_once(client: TestClient) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = client.get(
            "/api/articles", params={"limit": 5, **({"cursor": cursor} if cursor else {})}
        ).json()
        seen += [a["id"] for a in page["items"]]
        for a in page["items"]:
            jsonschema.validate(a, article_schema())
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 12


def test_article_filters(client: TestClient) -> None:
    nb = client.get("/api/articles", params={"language": "nb"}).json()["items"]
    assert [a["id"] for a in nb] == [OFFICER_NB]
    dated = client.get("/api/articles", params={"since": "2026-01-01", "until": "2026-12-31"}).json()["items"]
    assert dated and all("2026-01-01" <= a["published"] <= "2026-12-31" for a in dated)
    story = client.get("/api/articles/" + OFFICER.replace("#", "%23")).json()["story_id"]
    members = client.get("/api/articles", params={"story": story}).json()["items"]
    assert OFFICER in [a["id"] for a in members]
    assert client.get("/api/articles", params={"story": "s-nothing"}).json() == {
        "items": [],
        "next_cursor": None,
    }


def test_search_with_highlights_filters_and_cursor(client: TestClient) -> None:
    page = client.get("/api/search", params={"q": "ryska soldater"}).json()
    assert page["items"]
    hit = page["items"][0]
    assert hit["highlights"] and all(len(h) == 2 for h in hit["highlights"])
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower() in {"ryska", "soldater", "ryske", "rysk", "soldaterna"}
    assert (
        client.get("/api/search", params={"q": "soldater", "language": "nb"}).json()["items"][0]["id"]
        == OFFICER_NB
    )
    ids: list[str] = []
    cursor = None
    while True:
        params = {"q": "soldater", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/search", params=params).json()
        ids += [h["id"] for h in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(ids) == len(set(ids)) >= 4


def test_search_by_entity_and_story(client: TestClient) -> None:
    by_name = client.get("/api/search", params={"q": "soldater", "entity": "CNN"}).json()["items"]
    assert by_name and OFFICER in [h["id"] for h in by_name]
    eid = client.get("/api/entities", params={"name": "CNN"}).json()["items"][0]["entity_id"]
    by_id = client.get("/api/search", params={"q": "soldater", "entity": eid}).json()["items"]
    assert [h["id"] for h in by_id] == [h["id"] for h in by_name]
    assert client.get("/api/search", params={"q": "soldater", "entity": "Nobody Atall"}).json()["items"] == []
    story = client.get("/api/articles/" + OFFICER.replace("#", "%23")).json()["story_id"]
    in_story = client.get("/api/search", params={"q": "officer", "story": story}).json()["items"]
    assert OFFICER in [h["id"] for h in in_story]


def test_lists_of_stories_entities_quotes_sources_claims(client: TestClient) -> None:
    stories = client.get("/api/stories").json()["items"]
    assert stories and {"story_id", "title", "first_seen", "last_seen", "size", "languages"} <= set(
        stories[0]
    )
    record = client.get(f"/api/stories/{stories[0]['story_id']}").json()
    assert record["id"] == stories[0]["story_id"] and record["articles"]
    lukas = client.get("/api/entities", params={"name": "Lukashenko"}).json()["items"]
    assert lukas and "Lukasjenko" in " ".join(lukas[0]["variants"])
    detail = client.get(f"/api/entities/{lukas[0]['entity_id']}").json()
    assert detail["articles"] >= 1 and detail["variants"] and detail["months"]
    quotes = client.get("/api/quotes", params={"kind": "direct", "limit": 5}).json()["items"]
    assert quotes and all(q["kind"] == "direct" for q in quotes)
    sources = client.get("/api/sources", params={"cited": "CNN"}).json()["items"]
    assert sources[0]["canonical"] == "CNN" and sources[0]["type"] == "news_outlet"
    claims = client.get("/api/claims", params={"status": "unverified"}).json()["items"]
    assert claims and all(c["status"] == "unverified" for c in claims)


def test_offset_cursors_page_without_repeats_and_belong_to_their_query(client: TestClient) -> None:
    names: list[str] = []
    cursor = None
    for _ in range(100):
        page = client.get(
            "/api/entities", params={"limit": 7, **({"cursor": cursor} if cursor else {})}
        ).json()
        names += [e["entity_id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(names) == len(set(names)) > 7
    first = client.get("/api/entities", params={"limit": 2}).json()["next_cursor"]
    _error(
        client.get("/api/entities", params={"limit": 2, "type": "PER", "cursor": first}), 400, "bad_request"
    )
    _error(client.get("/api/articles", params={"cursor": "not-a-cursor"}), 400, "bad_request")


def test_not_found_and_validation_errors_have_one_shape(client: TestClient) -> None:
    _error(client.get("/api/articles/nothing%23here"), 404, "not_found")
    _error(client.get("/api/stories/s-nothing"), 404, "not_found")
    _error(client.get("/api/entities/e000000000000"), 404, "not_found")
    _error(client.get("/api/no-such-endpoint"), 404, "not_found")
    err = _error(client.get("/api/search", params={"q": "x", "since": "yesterday"}), 422, "validation_error")
    assert err["details"][0]["parameter"] == "since"
    _error(client.get("/api/articles", params={"limit": 0}), 422, "validation_error")
    _error(client.get("/api/search"), 422, "validation_error")
    _error(client.get("/api/search", params={"q": "x" * 501}), 422, "validation_error")
    _error(client.delete("/api/articles"), 405, "method_not_allowed")


def test_internal_errors_say_nothing_of_the_inside(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from nyhetsvakt.store.sqlstore import SQLStore

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail in /srv/internal/path")

    monkeypatch.setattr(SQLStore, "entity_detail", broken)
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        response = c.get("/api/entities/e000000000000")
    err = _error(response, 500, "internal_error")
    assert (
        "secret" not in response.text and "/srv" not in response.text and err["message"] == "internal error"
    )


def test_missing_store_is_503_without_the_folder(tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "news.db").write_bytes(b"this is not a database at all" * 100)
    with TestClient(create_app(tmp_path / "locked" / "news.db")) as c:
        response = c.get("/api/health")
        err = _error(response, 503, "store_unavailable")
        assert str(tmp_path) not in err["message"] and "news.db" in err["message"]
        page = c.get("/search?q=x")
        assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("migrated", [False, True])
def test_a_new_database_is_created_and_answers(backend: str, migrated: bool, tmp_path: Path,
                                                request: pytest.FixtureRequest) -> None:
    if backend == "sqlite":
        db = str(tmp_path / "new.db")
    else:  # an empty database: the app creates the tables when it starts
        server = request.getfixturevalue("postgres_server")
        db = server.create_database(migrated=migrated)
        request.addfinalizer(lambda: server.drop_database(db))
    with TestClient(create_app(db)) as c:
        assert c.get("/api/health").json()["articles"] == 0
        assert c.get("/").status_code == 200
        assert c.get("/search?q=putin").status_code == 200


def test_readers_are_read_only(client: TestClient) -> None:
    readers = client.app.state.web.readers  # type: ignore[attr-defined]

    def try_write(archive: NewsArchive) -> str:
        assert archive.read_only and archive.store.read_only
        try:
            archive.store.conn.execute("CREATE TABLE intruder (x int)")  # type: ignore[attr-defined]
        except Exception as exc:  # sqlite3.OperationalError, psycopg's ReadOnlySqlTransaction
            return str(exc)
        return "wrote"

    message = client.portal.call(readers.run, try_write)  # type: ignore[union-attr]
    assert "readonly" in message.replace("-", "").replace(" ", "") or "read only" in message


def test_openapi_document(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    for path in (
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/search",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/entities",
        "/api/quotes",
        "/api/sources",
        "/api/claims",
        "/api/stats",
        "/api/health",
        "/api/ingest",
    ):
        assert path in doc["paths"], path
    assert "Article" in doc["components"]["schemas"]
    assert not any(p.startswith(("/search", "/article/", "/story/")) for p in doc["paths"])
    assert client.get("/docs").status_code == 404  # the CDN-loading docs page is off


# -- writing ------------------------------------------------------------------------------------


def test_writing_is_off_without_a_token(client: TestClient) -> None:
    files = {"files": ("a.txt", b"Rubrik\n\n2024 01 01\n\nText.", "text/plain")}
    _error(client.post("/api/ingest", files=files), 403, "writing_disabled")
    _error(
        client.post("/api/ingest", files=files, headers={"Authorization": f"Bearer {TOKEN}"}),
        403,
        "writing_disabled",
    )
    _error(client.post("/api/reindex"), 403, "writing_disabled")
    assert client.get("/upload").status_code == 403


def test_a_short_token_is_refused(tmp_path: Path) -> None:
    from nyhetsvakt import UsageError

    with pytest.raises(UsageError):
        create_app(tmp_path / "x.db", token="short")


def test_upload_needs_the_token_and_ingests(writable: TestClient, examples_dir: Path) -> None:
    data = (examples_dir / "000_30c9a46bdec557f4.txt").read_bytes()
    files = {"files": ("../../etc/000_30c9a46bdec557f4.txt", data, "text/plain")}
    _error(writable.post("/api/ingest", files=files), 401, "unauthorized")
    _error(
        writable.post("/api/ingest", files=files, headers={"Authorization": "Bearer wrong-token-xxxxxxxx"}),
        401,
        "unauthorized",
    )
    auth = {"Authorization": f"Bearer {TOKEN}"}
    _error(writable.post("/api/ingest", headers=auth, json={"files": []}), 415, "unsupported_media_type")
    report = writable.post("/api/ingest", files=files, headers=auth).json()
    assert report["files"] == 1 and report["added"] == 3 and not report["errors"]
    assert report["uploads"][0]["articles"][0] == OFFICER
    again = writable.post("/api/ingest", files=files, headers=auth).json()
    assert again["skipped"] == 1 and again["added"] == 0
    article = writable.get("/api/articles/" + OFFICER.replace("#", "%23")).json()
    assert Path(article["source"]["uri"]).name == "000_30c9a46bdec557f4.txt"
    assert "/etc/" not in article["source"]["uri"]
    assert writable.post("/api/reindex", headers=auth).json()["indexed"] == 4


def test_upload_page_with_the_token_field(writable: TestClient, examples_dir: Path) -> None:
    assert 'type="password"' in writable.get("/upload").text
    data = (examples_dir / "003_a6b0f0bae6cbd3b5.txt").read_bytes()
    files = {"files": ("003_a6b0f0bae6cbd3b5.txt", data, "text/plain")}
    refused = writable.post("/upload", files=files, data={"token": "nope"})
    assert refused.status_code == 401 and "unauthorized" in refused.text
    done = writable.post("/upload", files=files, data={"token": TOKEN})
    assert done.status_code == 200 and "003_a6b0f0bae6cbd3b5#1" in done.text


def test_bodies_over_the_limits_are_refused(writable: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = {"files": ("big.txt", b"x" * 300_000, "text/plain")}
    _error(writable.post("/api/ingest", files=big, headers=auth), 413, "payload_too_large")

    def chunks():
        for _ in range(30):
            yield b"y" * 10_000

    chunked = writable.post(
        "/api/ingest", content=chunks(), headers={**auth, "content-type": "multipart/form-data; boundary=xyz"}
    )
    _error(chunked, 413, "payload_too_large")
    _error(writable.post("/api/search?q=x", content=b"z" * 70_000), 413, "payload_too_large")


def test_safe_upload_names() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\temp\\nyheter 1.warc.gz") == "nyheter_1.warc.gz"
    assert safe_name("Åsa–Ørsted.txt") == "Asa_Orsted.txt"
    assert safe_name("") == safe_name(None) == "upload"
    assert safe_name(".hidden") == "hidden"
    assert len(safe_name("a" * 500 + ".jsonl")) <= 120 and safe_name("a" * 500 + ".jsonl").endswith(".jsonl")


# -- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search",
        "/search?q=ryska+soldater",
        "/search?q=soldater&language=sv&since=2022-01-01&order=date",
        "/search?q=&entity=CNN",
        "/stories",
        "/stories?min_size=2",
        "/entities",
        "/entities?type=PER",
        "/sources",
        "/sources?language=sv",
        "/quotes",
        "/quotes?speaker=Budanov",
        "/claims",
        "/claims?status=unverified&conflicts=1",
        f"/article/{OFFICER.replace('#', '%23')}",
    ],
)
def test_pages_render(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert '<script src="/static/htmx-2.0.11.min.js" defer></script>' in response.text


def test_bad_form_values_are_shown_not_fatal(client: TestClient) -> None:
    page = client.get("/search", params={"q": "soldater", "since": "igår", "order": "sideways"})
    assert page.status_code == 200
    assert "is not a date" in page.text and "choose from" in page.text


def test_article_page_marks_entities_quotes_sources_and_claims(client: TestClient) -> None:
    html = client.get(f"/article/{OFFICER.replace('#', '%23')}").text
    assert "Skuldkänslorna växer i Ryssland" in html
    for layer in ("hl-entity", "hl-quote", "hl-cue", "hl-source", "hl-claim"):
        assert f"hl {layer}" in html, layer
    assert 'class="badge status-unverified"' in html
    assert "Lines dropped from the text (2)" in html and "Text: Redaktionen" in html
    assert "lines 1–53" in html


def test_date_conflicts_are_visible(client: TestClient, db: str) -> None:
    with NewsArchive(db, read_only=True) as archive:
        conflicted = [a for a in archive.store.iter_articles() if a.date_conflict]
    assert conflicted, "the seeds hold a listing date far from the publication date"
    html = client.get("/article/" + conflicted[0].id.replace("#", "%23")).text
    assert "Date conflict:" in html


def test_story_page(client: TestClient) -> None:
    story = client.get("/api/articles/" + OFFICER.replace("#", "%23")).json()["story_id"]
    html = client.get(f"/story/{story}").text
    assert 'class="chart timeline by-language"' in html and 'data-series="sv"' in html
    assert "Who cites whom" in html and 'class="chart graph"' in html
    if _same_story(client):
        assert 'data-series="nb"' in html and OFFICER_NB in html


def test_story_page_sets_conflicting_figures_side_by_side(client: TestClient) -> None:
    story = client.get("/api/articles/001_05a0466f22381025%231").json()["story_id"]
    record = client.get(f"/api/stories/{story}").json()
    assert record["conflicts"], "001 gives 6 000 dead according to Ukrainian and 500 to Russian sources"
    html = client.get(f"/story/{story}").text
    conflict = html.split('<div class="conflict">', 1)[1].split('<table class="claims">', 1)[0]
    assert conflict.count('class="figure-card"') >= 2
    assert "6\u202f000" in conflict and "500" in conflict
    assert "ukrainska källor" in conflict and "ryska källor" in conflict


def test_entity_page(client: TestClient) -> None:
    eid = client.get("/api/entities", params={"name": "Lukashenko"}).json()["items"][0]["entity_id"]
    html = client.get(f"/entity/{eid}").text
    for part in ("Spellings", "Mentions over time", "Stories", "Named together with", "Lukasjenko"):
        assert part in html
    assert client.get("/entity/e000000000000").status_code == 404


def test_sources_page_counts_unverified_claims(client: TestClient) -> None:
    html = client.get("/sources").text
    unverified = len(client.get("/api/claims", params={"status": "unverified", "limit": 100}).json()["items"])
    assert re.search(rf'<strong id="unverified-count">{unverified}</strong>', html)
    assert "Which outlets cite which sources" in html


def test_hostile_article_is_shown_as_text(client: TestClient) -> None:
    for url in (
        f"/article/{HOSTILE_ID}",
        "/search?q=soldater",
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/",
        "/quotes",
        "/claims",
        "/sources",
    ):
        html = client.get(url).text
        assert "<script>" not in html and "<img src=x" not in html and "<svg onload" not in html, url
        assert "<b>vägrar</b>" not in html, url
    html = client.get(f"/article/{HOSTILE_ID}").text
    assert "&lt;script&gt;alert(&#39;headline&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(&#39;outlet&#39;)&gt;" in html


def test_not_found_page_is_html_outside_the_api(client: TestClient) -> None:
    response = client.get("/article/nothing-here")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert "not_found" in response.text and "nothing-here" in response.text


# -- building blocks ----------------------------------------------------------------------------


def test_render_block_nests_crossing_spans_and_escapes() -> None:
    text = "<b>Putin</b> säger & hävdar"
    spans = [
        Span(0, 12, "quote", "", "q"),
        Span(3, 8, "entity", "ent-PER", "PER · Putin", "/entity/e1"),
        Span(10, 19, "source", "", "s<x>"),
    ]
    html = str(render_block(text, spans))
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    assert html.count("<span") + html.count("<a ") == html.count("</span>") + html.count("</a>")
    assert 'title="s&lt;x&gt;"' in html and 'href="/entity/e1"' in html
    depth = 0
    for tag in re.findall(r"</?(?:span|a)\b", html):  # well-formed: never closes more than it opened
        depth += -1 if tag.startswith("</") else 1
        assert depth >= 0
    assert depth == 0


def test_spans_outside_their_block_are_left_out() -> None:
    record = {
        "blocks": [{"kind": "paragraph", "text": "Kort."}],
        "entities": [
            {"block": 0, "start": 0, "end": 99, "type": "PER"},
            {"block": 3, "start": 0, "end": 2},
            {"block": 0, "start": "0", "end": 2},
            {"block": 0, "start": 0, "end": 4, "type": "LOC", "entity_id": "e1", "canonical": "Kort"},
        ],
        "quotes": [{"block": 0, "start": 2, "end": 1}],
        "sources": [],
        "claims": [],
    }
    spans = article_spans(record)
    assert [(s.start, s.end) for s in spans[0]] == [(0, 4)]


def test_search_marks_escape() -> None:
    assert str(render_marked("a <i>b</i> c", [(3, 4)])) == "a &lt;<mark>i</mark>&gt;b&lt;/i&gt; c"


def test_buckets_and_charts() -> None:
    days = bucket_days([("2022-05-23", "sv", 1), ("2022-05-25", "nb", 2), (None, "nb", 1)])
    assert [b.label for b in days] == ["2022-05-23", "2022-05-24", "2022-05-25", "undated"]
    assert days[-1].counts == {"nb": 1}
    months = bucket_days([("2018-01-01", "sv", 1), ("2025-12-31", "sv", 1)])
    assert len(months) <= 2 * 60 and months[0].label.startswith("2018")
    svg = str(stacked_bars(days, ["sv", "nb"], label="<t>"))
    assert 'data-series="sv"' in svg and 'data-series="nb"' in svg and "&lt;t&gt;" in svg
    graph = str(citation_graph({("<o>", "CNN"): 2}, label="g"))
    assert "&lt;o&gt;" in graph and "<o>" not in graph


# -- over a real socket -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live(db: str, tmp_path_factory: pytest.TempPathFactory):
    app = create_app(
        db, token=TOKEN, max_upload_bytes=100_000, upload_dir=tmp_path_factory.mktemp("up"), pipeline=OPTIONS
    )
    with ThreadedServer(app) as server:
        yield server.url


def test_real_server_reads(live: str) -> None:
    assert live.startswith("http://127.0.0.1:")
    with httpx.Client(base_url=live, timeout=10) as http:
        assert http.get("/api/health").json()["articles"] == 12
        hits = http.get("/api/search", params={"q": "ryska soldater"}).json()["items"]
        assert hits
        article = http.get("/api/articles/" + OFFICER.replace("#", "%23"))
        assert article.json()["id"] == OFFICER and "växer".encode() in article.content
        _error(http.get("/api/articles/missing"), 404, "not_found")
        page = http.get("/search", params={"q": "soldater"})
        assert page.status_code == 200 and "content-security-policy" in page.headers
        assert "server" not in page.headers


def test_real_server_bounds_uploads(live: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=live, timeout=10) as http:
        big = {"files": ("big.txt", io.BytesIO(b"x" * 150_000), "text/plain")}
        _error(http.post("/api/ingest", files=big, headers=auth), 413, "payload_too_large")

        def chunks():
            for _ in range(20):
                yield b"y" * 10_000

        response = http.post(
            "/api/ingest",
            content=chunks(),
            headers={**auth, "content-type": "multipart/form-data; boundary=xyz"},
        )
        _error(response, 413, "payload_too_large")
        _error(http.post("/api/ingest", files={"files": ("a.txt", b"x", "text/plain")}), 401, "unauthorized")


def test_real_server_concurrent_reads(live: str) -> None:
    async def many() -> list[int]:
        async with httpx.AsyncClient(base_url=live, timeout=20) as http:
            urls = [
                "/api/search?q=soldater",
                "/story/" + "x",
                f"/article/{OFFICER.replace('#', '%23')}",
                "/api/entities",
                "/sources",
            ] * 8
            return [r.status_code for r in await asyncio.gather(*(http.get(u) for u in urls))]

    codes = asyncio.run(many())
    assert codes.count(404) == 8 and set(codes) == {200, 404}
