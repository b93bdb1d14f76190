"""The command line end to end on a real SQLite file (click's CliRunner, in process)."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
from click.testing import CliRunner

from nyhetsvakt.cli import cli


@pytest.fixture()
def db(tmp_path):
    return str(tmp_path / "news.db")


@pytest.fixture()
def run(db):
    runner = CliRunner()

    def _run(*args, input=None):
        return runner.invoke(cli, ["--db", db, *args], input=input, catch_exceptions=False)

    return _run


@pytest.fixture()
def ingested(run, examples_dir):
    result = run("ingest", "--no-progress", "--json", str(examples_dir))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ingest_report(ingested):
    assert ingested == {"files": 5, "skipped": 0, "added": 11, "unchanged": 0, "replaced": 0, "errors": 0}


def test_reingest_changes_nothing(run, ingested, examples_dir):
    again = json.loads(run("ingest", "--no-progress", "--json", str(examples_dir)).stdout)
    assert again["skipped"] == 5 and again["added"] == 0
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["articles"] == 11


def test_stats_counts(run, ingested):
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["articles"] == 11
    assert stats["languages"]["sv"] == 10 and stats["languages"]["nb"] == 1
    assert stats["dropped_lines"]["boilerplate"] >= 9
    assert stats["dropped_lines"]["teaser"] >= 10


def test_search_and_show(run, ingested):
    out = run("search", "soldaterna", "--json").stdout.splitlines()
    hits = [json.loads(line) for line in out]
    assert hits and all(h["highlights"] for h in hits)
    assert "001_05a0466f22381025#1" in {h["id"] for h in hits}
    shown = json.loads(run("show", "001_05a0466f22381025#1", "--json", "--dropped").stdout)
    assert shown["outlet"] == "Dagens PS" and shown["schema"] == "nyhetsvakt.article/1"
    assert any(d["reason"] == "boilerplate" for d in shown["dropped"])


def test_show_missing_is_an_error(run, ingested):
    result = run("show", "nope#1")
    assert result.exit_code == 1 and "no article" in result.output


def test_articles_pagination(run, ingested):
    seen, cursor = [], None
    while True:
        args = ["articles", "--limit", "4", "--json"] + (["--cursor", cursor] if cursor else [])
        result = run(*args)
        page = [json.loads(line)["id"] for line in result.stdout.splitlines()]
        seen += page
        runner_err = result.stderr if hasattr(result, "stderr") else ""
        nxt = [ln for ln in runner_err.splitlines() if ln.startswith("next: --cursor ")]
        if not page or not nxt:
            break
        cursor = nxt[0].split("next: --cursor ", 1)[1]
    assert len(seen) == 11 and len(set(seen)) == 11


def test_articles_filters(run, ingested):
    out = run("articles", "--lang", "nb").stdout.splitlines()
    assert len(out) == 1 and out[0].startswith("004_2d5c5d973ad852de#1")
    out = run("articles", "--since", "2026-01-01").stdout.splitlines()
    assert {ln.split("\t")[1][:4] for ln in out} == {"2026"}


def test_export_jsonl_csv_parquet(run, ingested, tmp_path):
    lines = run("export", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 11 and json.loads(lines[0])["schema"] == "nyhetsvakt.article/1"
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    assert len(rows) == 11 and {"id", "headline", "body"} <= set(rows[0])
    target = tmp_path / "a.parquet"
    assert run("export", "--format", "parquet", "-o", str(target)).exit_code == 0
    import pyarrow.parquet as pq

    table = pq.read_table(target)
    assert table.num_rows == 11 and "blocks" in table.column_names


def test_analyze_prints_contract(run, examples_dir):
    result = run("analyze", str(examples_dir / "004_2d5c5d973ad852de.txt"))
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["language"] == "nb" and rows[0]["headline"] is None


def test_stdin_and_gzip(run, examples_dir):
    data = gzip.compress((examples_dir / "001_05a0466f22381025.txt").read_bytes())
    result = run("ingest", "--no-progress", "--json", "-", input=data)
    assert json.loads(result.stdout)["added"] == 1


def test_bad_file_exit_1_and_run_goes_on(run, examples_dir, tmp_path):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (bad / "good.txt").write_bytes((examples_dir / "003_a6b0f0bae6cbd3b5.txt").read_bytes())
    result = run("ingest", "--no-progress", "--json", str(bad))
    assert result.exit_code == 1
    err_lines = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert len(err_lines) == 2
    assert any("empty.txt" in ln and "empty" in ln.split("empty.txt", 1)[1] for ln in err_lines)
    assert any("binary.txt" in ln and "binary" in ln for ln in err_lines)
    assert json.loads(result.stdout)["added"] == 3


def test_usage_errors_exit_2(run):
    assert run("ingest").exit_code == 2
    assert run("search", "x", "--since", "yesterday").exit_code == 2
    assert run("export", "--format", "xml").exit_code == 2



def test_missing_path_is_one_error_and_the_rest_is_stored(run, examples_dir):
    seed = str(examples_dir / "004_2d5c5d973ad852de.txt")
    result = run("ingest", "--no-progress", "--json", "/no/such/path", seed)
    assert result.exit_code == 1
    assert "error: /no/such/path: no such file or directory" in result.stderr
    assert json.loads(result.stdout)["added"] == 1


def test_export_to_missing_folder_is_one_line(run, ingested):
    result = run("export", "--format", "csv", "-o", "/no/such/dir/out.csv")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "No such file or directory" in result.output


def test_named_pipe_is_read_like_stdin(run, examples_dir, tmp_path):
    import os
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    data = (examples_dir / "004_2d5c5d973ad852de.txt").read_bytes()
    writer = threading.Thread(target=lambda: fifo.write_bytes(data))
    writer.start()
    result = run("ingest", "--no-progress", "--json", str(fifo))
    writer.join()
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == 1


def test_reindex(run, ingested):
    assert run("reindex").stdout.strip() == "11 articles indexed"
    assert run("search", "bitcoin").stdout.startswith("000_30c9a46bdec557f4#2")


def test_entities_any_spelling(run, ingested):
    rows = [json.loads(line) for line in run("entities", "--json", "--limit", "100").stdout.splitlines()]
    assert rows and all({"entity_id", "canonical", "type", "articles", "mentions"} <= set(r) for r in rows)
    # Lukasjenko (003) and Lukashenko (002) are one entity, whichever spelling is asked for.
    one = [json.loads(line) for line in run("entities", "Lukashenko", "--json").stdout.splitlines()]
    other = [json.loads(line) for line in run("entities", "Lukasjenko", "--json").stdout.splitlines()]
    assert [r["entity_id"] for r in one] == [r["entity_id"] for r in other] and len(one) == 1
    assert one[0]["articles"] == 2


def test_quotes_by_speaker(run, ingested):
    out = run("quotes", "--speaker", "Tokayev", "--kind", "direct", "--json").stdout.splitlines()
    quotes = [json.loads(line) for line in out]
    assert len(quotes) == 4 and {q["speaker"] for q in quotes} == {"Kassym-Jomart Tokayev"}
    assert run("quotes", "--speaker", "nobody at all").stdout == ""


def test_sources_and_claims(run, ingested):
    sources = [json.loads(line) for line in run("sources", "--json", "--limit", "200").stdout.splitlines()]
    names = {s["canonical"] for s in sources}
    assert {"CNN", "Reuters", "The Moscow Times", "ukrainska källor"} <= names
    cnn = next(s for s in sources if s["canonical"] == "CNN")
    assert cnn["type"] == "news_outlet" and cnn["articles"] == 3
    out = run("claims", "--status", "unverified", "--json").stdout
    unverified = [json.loads(line) for line in out.splitlines()]
    assert [c["value"] for c in unverified] == [70]
    conflicts = [json.loads(line) for line in run("claims", "--conflicts", "--json").stdout.splitlines()]
    assert sorted(c["value"] for c in conflicts) == [500, 6000]
    assert run("claims", "--status", "nonsense").exit_code == 2
