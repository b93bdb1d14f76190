"""Exports of stored (or freshly analysed) articles: JSON Lines, CSV, Parquet.

JSON Lines is the output contract itself, one article a line. CSV flattens it for
spreadsheets (lists joined, body as one text). Parquet keeps the nesting (blocks as
a list of structs); fields later steps fill (entities, quotes, sources, claims) are
JSON strings so the file schema stays stable while their shape grows.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from .records import Article

FORMATS = ("jsonl", "csv", "parquet")
PARQUET_BATCH = 2000

CSV_COLUMNS = (
    "id", "outlet", "headline", "lead", "published", "updated", "listed", "date_conflict", "language",
    "authors", "photo_credit", "image_caption", "related", "body", "source_uri", "line_start", "line_end",
    "duplicate_of", "story_id",
)
_NESTED_AS_JSON = ("entities", "quotes", "sources", "claims")


def write_jsonl(articles: Iterable[Article], out: IO[str]) -> int:
    n = 0
    for article in articles:
        out.write(json.dumps(article.to_contract(), ensure_ascii=False) + "\n")
        n += 1
    return n


def _csv_row(article: Article) -> dict[str, Any]:
    c = article.to_contract()
    return {
        **{k: c[k] for k in CSV_COLUMNS if k in c},
        "authors": "; ".join(c["authors"]),
        "related": " | ".join(c["related"]),
        "body": "\n\n".join(b["text"] for b in c["blocks"]),
        "source_uri": c["source"]["uri"],
        "line_start": c["source"]["line_start"],
        "line_end": c["source"]["line_end"],
    }


def write_csv(articles: Iterable[Article], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for article in articles:
        writer.writerow(_csv_row(article))
        n += 1
    return n


def _parquet_schema() -> Any:
    import pyarrow as pa

    s = pa.string()
    return pa.schema([
        ("schema", s), ("id", s),
        ("source", pa.struct([("uri", s), ("line_start", pa.int64()), ("line_end", pa.int64())])),
        ("outlet", s), ("headline", s), ("lead", s),
        ("published", pa.date32()), ("updated", pa.date32()), ("listed", pa.date32()),
        ("date_conflict", pa.bool_()), ("language", s), ("authors", pa.list_(s)),
        ("photo_credit", s), ("image_caption", s), ("related", pa.list_(s)),
        ("blocks", pa.list_(pa.struct([("kind", s), ("text", s)]))),
        *[(name, s) for name in _NESTED_AS_JSON],
        ("duplicate_of", s), ("story_id", s),
    ])


def _parquet_rows(articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
    for article in articles:
        row = article.to_contract()
        row["published"], row["updated"], row["listed"] = article.published, article.updated, article.listed
        for name in _NESTED_AS_JSON:
            row[name] = json.dumps(row[name], ensure_ascii=False)
        yield row


def write_parquet(articles: Iterable[Article], path: str | IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    n = 0
    batch: list[dict[str, Any]] = []
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for row in _parquet_rows(articles):
            batch.append(row)
            if len(batch) >= PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n, batch = n + len(batch), []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n
