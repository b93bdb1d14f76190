"""Teaser titles resolved to the stored articles they name (schemas 4 and 8).

A teaser names an article when its folded text is the article's folded headline or a
word-prefix of it with at least :data:`MIN_WORDS` words ("Valuta störtdyker" names
"Valuta störtdyker – rasat 30 procent"). When several stored articles match, the one
published closest before the teasing article wins (a teaser points back in time), then
the latest. Resolution runs both ways, so the order of ingest does not matter.

Each headline is stored under every word-prefix of it a teaser may be
(``headline_prefixes``), so a teaser is one index look-up however many stored headlines
share or extend it.
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
_INSERT_PREFIX = "INSERT INTO headline_prefixes (prefix, published, doc) VALUES (?, ?, ?)"
# A teaser and the article stored before its own (a lower doc) that it names, or NULL
# (always for a NULL key: a teaser too short to name one): of the headlines stored under
# the teaser's key as a prefix, the one published last on or before the teaser's day, else
# the one published last; then the later stored. Each is one step in the index.
_BEST = """(SELECT a.id FROM headline_prefixes AS p JOIN articles AS a ON a.doc = p.doc
    WHERE p.prefix = ? {also}AND p.doc < ? ORDER BY p.published DESC, p.doc DESC LIMIT 1)"""
_BEFORE = "AND p.published > '' AND p.published <= ? "
_INSERT_TEASER = ("INSERT INTO teasers (doc, teaser, key, target) VALUES (?, ?, ?, "
                  f"COALESCE({_BEST.format(also=_BEFORE)}, {_BEST.format(also='')}))")
# Teasers without a target that name a new article (its headline's prefixes, a list parameter).
_UPDATE_TARGETS = "UPDATE teasers SET target = ? WHERE target IS NULL AND {key_in} AND doc != ?"


@dataclass(slots=True)
class CrossReference:
    teaser: str
    target: str | None
    target_headline: str | None = None


def _key(text: str | None) -> str:
    return fold(text or "")


def _prefixes(key: str, most: int | None = MAX_PREFIX_WORDS) -> list[str]:
    """The word-prefixes of ``key`` of MIN_WORDS words or more (up to ``most`` words)."""
    words = key.split()[:most]
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
            headlines += [(prefix, published, doc) for prefix in _prefixes(key, None)]
            prefixes = _prefixes(key)
            if prefixes:
                targets.append((a.id, db.dialect.list_param(prefixes), doc))
        for teaser in a.related:
            tkey = _key(teaser)
            if len(tkey.split()) < MIN_WORDS:
                teasers.append((doc, teaser, tkey, None, None, None, None, None))
            else:
                teasers.append((doc, teaser, tkey, tkey, published or "9999", doc, tkey, doc))
    for statement, rows in ((_INSERT_PREFIX, headlines), (_INSERT_TEASER, teasers),
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
