"""Teaser titles resolved to the stored articles they name (schema 4).

A teaser names an article when its folded text is the article's folded headline or a
word-prefix of it with at least :data:`MIN_WORDS` words ("Valuta störtdyker" names
"Valuta störtdyker – rasat 30 procent"). When several stored articles match, the one
published closest before the teasing article wins (a teaser points back in time), then
the latest. Resolution runs both ways, so the order of ingest does not matter.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..attribution.text import fold
from ..records import Article
from .dialect import Db

__all__ = ["CrossReference", "cross_references_of", "resolve_new_article"]

MIN_WORDS = 2
MAX_PREFIX_WORDS = 24
_INSERT_TEASER = "INSERT INTO teasers (doc, teaser, key, target) VALUES (?, ?, ?, ?)"


@dataclass(slots=True)
class CrossReference:
    teaser: str
    target: str | None
    target_headline: str | None = None


def _key(text: str | None) -> str:
    return fold(text or "")


def _prefixes(key: str) -> list[str]:
    words = key.split()[:MAX_PREFIX_WORDS]
    return [" ".join(words[:n]) for n in range(MIN_WORDS, len(words) + 1)]


def resolve_new_article(db: Db, doc: int, a: Article) -> None:
    """Index the article's headline and teasers; resolve in both directions."""
    key = _key(a.headline)
    published = a.published.isoformat() if a.published else ""
    if key:
        db.execute("INSERT INTO headline_keys (doc, key) VALUES (?, ?) "
                   "ON CONFLICT (doc) DO UPDATE SET key = excluded.key", (doc, key))
        prefixes = _prefixes(key)
        if prefixes:
            # Stored teasers that name this article and have no target yet.
            marks = ", ".join("?" * len(prefixes))
            db.execute(f"UPDATE teasers SET target = ? WHERE target IS NULL AND key IN ({marks}) "
                         "AND doc != ?", (a.id, *prefixes, doc))
    for teaser in a.related:
        tkey = _key(teaser)
        if len(tkey.split()) < MIN_WORDS:
            db.execute(_INSERT_TEASER, (doc, teaser, tkey, None))
            continue
        row = db.execute(
            """SELECT a.id FROM headline_keys AS h JOIN articles AS a ON a.doc = h.doc
               WHERE (h.key = ? OR (h.key > ? AND h.key < ?)) AND a.doc != ?
               ORDER BY (a.published != '' AND a.published <= ?) DESC, a.published DESC, a.doc DESC
               LIMIT 1""",
            (tkey, tkey + " ", tkey + "!", doc, published or "9999")).fetchone()
        db.execute(_INSERT_TEASER,
                     (doc, teaser, tkey, row[0] if row else None))


def cross_references_of(db: Db, article_id: str) -> list[CrossReference]:
    rows = db.execute(
        """SELECT t.teaser, t.target, ta.doc FROM teasers AS t JOIN articles AS a ON a.doc = t.doc
           LEFT JOIN articles AS ta ON ta.id = t.target WHERE a.id = ? ORDER BY t.rowid""",
        (article_id,)).fetchall()
    out = []
    for teaser, target, tdoc in rows:
        headline = None
        if tdoc is not None:
            rec = db.execute(f"SELECT {db.dialect.field('record', 'headline')} FROM article_records "
                             "WHERE doc = ?", (tdoc,)).fetchone()
            headline = rec[0] if rec else None
        out.append(CrossReference(teaser, target, headline))
    return out
