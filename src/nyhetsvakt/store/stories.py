"""Story rows of the SQL stores (schema 5): features, records, links."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .dialect import Db

__all__ = [
    "StorySummary",
    "active_features",
    "clear_stories",
    "delete_story_rows",
    "get_story",
    "list_stories",
    "put_links",
    "put_story_features",
    "put_story_record",
    "set_story_ids",
    "stored_stories_of",
]


@dataclass(slots=True)
class StorySummary:
    story_id: str
    title: str | None
    first_seen: str | None
    last_seen: str | None
    size: int
    languages: dict[str, int] = field(default_factory=dict)


def put_story_features(
    db: Db, items: Sequence[tuple[str, dict[str, Any]]], version: str
) -> None:
    db.executemany(
        "INSERT INTO story_features (doc, version, features) SELECT doc, ?, ? FROM articles WHERE id = ? "
        "ON CONFLICT (doc) DO UPDATE SET version = excluded.version, features = excluded.features",
        [(version, json.dumps(f, ensure_ascii=False, separators=(",", ":")), key) for key, f in items],
    )


def active_features(
    db: Db, since: str, version: str
) -> Iterator[tuple[str, str, str | None, dict[str, Any]]]:
    """``(id, published, story_id, features)`` of articles published on or after ``since``."""
    rows = db.execute(
        """SELECT a.id, a.published, a.story_id, f.features FROM story_features AS f
           JOIN articles AS a ON a.doc = f.doc
           WHERE f.version = ? AND (a.published >= ? OR a.published = '') ORDER BY a.published, a.doc""",
        (version, since),
    )
    for key, published, story_id, features in rows:
        yield key, published, story_id, json.loads(features)


def set_story_ids(db: Db, changes: dict[str, str | None]) -> None:
    """The articles' ``story_id`` column (the store updates their records)."""
    db.executemany("UPDATE articles SET story_id = ? WHERE id = ?",
                   [(story_id, key) for key, story_id in changes.items()])


def put_story_record(db: Db, record: dict[str, Any]) -> None:
    if not record.get("articles"):
        db.execute("DELETE FROM stories WHERE story_id = ?", (record["id"],))
        return
    db.execute(
        "INSERT INTO stories (story_id, title, first_seen, last_seen, size, languages, record) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (story_id) DO UPDATE SET title = excluded.title, "
        "first_seen = excluded.first_seen, last_seen = excluded.last_seen, size = excluded.size, "
        "languages = excluded.languages, record = excluded.record",
        (
            record["id"],
            record.get("title"),
            record.get("first_seen") or "",
            record.get("last_seen") or "",
            len(record["articles"]),
            json.dumps(record.get("languages") or {}),
            json.dumps(record, ensure_ascii=False, default=str),
        ),
    )


def put_links(db: Db, links: Sequence[tuple[str, str, float, str, Sequence[str]]]) -> None:
    db.executemany(
        "INSERT INTO story_links (article, other, score, kind, shared) VALUES (?, ?, ?, ?, ?)",
        [(a, b, s, k, json.dumps(list(sh), ensure_ascii=False)) for a, b, s, k, sh in links],
    )


def get_story(db: Db, story_id: str) -> dict[str, Any] | None:
    row = db.execute("SELECT record FROM stories WHERE story_id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    record = json.loads(row[0])
    record["links"] = [
        {"article": a, "other": b, "score": s, "kind": k, "shared": json.loads(sh)}
        for a, b, s, k, sh in db.execute(
            "SELECT l.article, l.other, l.score, l.kind, l.shared FROM story_links AS l "
            "JOIN articles AS a ON a.id = l.article WHERE a.story_id = ? ORDER BY l.rowid",
            (story_id,),
        )
    ]
    return record


def list_stories(
    db: Db,
    *,
    since: str | None = None,
    language: str | None = None,
    min_size: int = 1,
    limit: int = 50,
) -> list[StorySummary]:
    where, params = ["size >= ?"], [min_size]
    if since:
        where.append("last_seen >= ?")
        params.append(since)
    if language:
        where.append(db.dialect.json_has_key.format(column="languages"))
        params.append(language)
    rows = db.execute(
        "SELECT story_id, title, first_seen, last_seen, size, languages FROM stories "
        f"WHERE {' AND '.join(where)} "
        "ORDER BY last_seen DESC, size DESC, story_id LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [
        StorySummary(sid, title, fs or None, ls or None, size, json.loads(langs))
        for sid, title, fs, ls, size, langs in rows
    ]


def stored_stories_of(db: Db, keys: Sequence[str]) -> set[str]:
    marks = ", ".join("?" * len(keys))
    return {
        r[0]
        for r in db.execute(
            f"SELECT DISTINCT story_id FROM articles WHERE id IN ({marks}) AND story_id IS NOT NULL", keys
        )
    }


def delete_story_rows(db: Db, doc: int, article_id: str) -> None:
    """Forget a deleted article's features and the links from and to it (links name ids)."""
    db.execute("DELETE FROM story_features WHERE doc = ?", (doc,))
    db.execute("DELETE FROM story_links WHERE article = ? OR other = ?", (article_id, article_id))


def clear_stories(db: Db) -> None:
    """Forget every story (for recluster): records, links, and each article's story_id
    column (the store clears the records)."""
    db.execute("DELETE FROM stories")
    db.execute("DELETE FROM story_links")
    db.execute("UPDATE articles SET story_id = NULL WHERE story_id IS NOT NULL")
