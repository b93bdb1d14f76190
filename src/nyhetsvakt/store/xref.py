"""Teaser titles resolved to the stored articles they name (schema 4).

A teaser names an article when its folded text is the article's folded headline or a
word-prefix of it with at least :data:`MIN_WORDS` words ("Valuta störtdyker" names
"Valuta störtdyker – rasat 30 procent"). When several stored articles match, the one
published closest before the teasing article wins (a teaser points back in time), then
the latest. Resolution runs both ways, so the order of ingest does not matter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..attribution.text import fold
from ..records import Article
from .dialect import Db

__all__ = ["CrossReference", "cross_references_of", "resolve_new_articles"]

MIN_WORDS = 2
MAX_PREFIX_WORDS = 24
_INSERT_HEADLINE = ("INSERT INTO headline_keys (doc, key, published) VALUES (?, ?, ?) "
                    "ON CONFLICT (doc) DO UPDATE SET key = excluded.key, published = excluded.published")
# A teaser and the article stored before its own (a lower doc) that it names, or NULL
# (always for a NULL key: a teaser too short to name one). The headlines it may name are
# its own key and the keys that extend it by words: `keys` steps through those distinct
# keys in the index (a loose index scan: one step a key, however many copies each has);
# for each, the copy published last on or before the teaser's day, and the copy published
# last of all; the first kind wins, then the later publication, then the later row.
_INSERT_TEASER = """
INSERT INTO teasers (doc, teaser, key, target) VALUES (?, ?, ?, (
    WITH RECURSIVE keys (k) AS (
        SELECT min(key) FROM headline_keys WHERE key >= ? AND key < ?
        UNION ALL
        SELECT (SELECT min(h.key) FROM headline_keys AS h WHERE h.key > keys.k AND h.key < ?)
        FROM keys WHERE keys.k IS NOT NULL),
    best (before_doc, any_doc) AS (
        SELECT (SELECT h.doc FROM headline_keys AS h
                WHERE h.key = keys.k AND h.published > '' AND h.published <= ? AND h.doc < ?
                ORDER BY h.published DESC, h.doc DESC LIMIT 1),
               (SELECT h.doc FROM headline_keys AS h WHERE h.key = keys.k AND h.doc < ?
                ORDER BY h.published DESC, h.doc DESC LIMIT 1)
        FROM keys WHERE keys.k IS NOT NULL),
    found (doc, tier) AS (
        SELECT before_doc, 1 FROM best WHERE before_doc IS NOT NULL
        UNION ALL SELECT any_doc, 0 FROM best WHERE any_doc IS NOT NULL)
    SELECT a.id FROM found JOIN headline_keys AS h ON h.doc = found.doc
    JOIN articles AS a ON a.doc = found.doc
    ORDER BY found.tier DESC, h.published DESC, h.doc DESC LIMIT 1))"""
# Teasers without a target that name a new article (its headline's prefixes, a list parameter).
_UPDATE_TARGETS = "UPDATE teasers SET target = ? WHERE target IS NULL AND {key_in} AND doc != ?"


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


def resolve_new_articles(db: Db, new: Sequence[tuple[int, Article]]) -> None:
    """Index new articles' headlines and teasers and resolve both ways, as if the articles
    (row ``doc``, ascending) were stored one by one: a teaser names an article stored
    before its own, and a new article becomes the target of the earlier teasers without one.

    Three statements for the batch, nothing read back. Setting the targets after all
    teasers are in gives what one by one gives: a later teaser that an article's headline
    prefixes match already names that article or a better one, so it is not NULL.
    """
    headlines, teasers, targets = [], [], []
    for doc, a in new:
        key = _key(a.headline)
        published = a.published.isoformat() if a.published else ""
        if key:
            headlines.append((doc, key, published))
            prefixes = _prefixes(key)
            if prefixes:
                targets.append((a.id, db.dialect.list_param(prefixes), doc))
        for teaser in a.related:
            tkey = _key(teaser)
            if len(tkey.split()) < MIN_WORDS:
                teasers.append((doc, teaser, tkey, None, None, None, None, None, None))
            else:
                end = tkey + "!"  # after every key that is tkey or extends it by words ("tkey …")
                teasers.append((doc, teaser, tkey, tkey, end, end, published or "9999", doc, doc))
    for statement, rows in ((_INSERT_HEADLINE, headlines), (_INSERT_TEASER, teasers),
                            (_UPDATE_TARGETS.format(key_in=db.dialect.in_("key")), targets)):
        if rows:
            db.executemany(statement, rows)


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
