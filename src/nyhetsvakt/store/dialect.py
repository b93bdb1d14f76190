"""What differs between the SQL of SQLite and of PostgreSQL, in one place.

The shared query modules (:mod:`.sqlstore`, :mod:`.attribution`, :mod:`.stories`,
:mod:`.xref`, :mod:`.browse`) write their statements once, with ``?`` placeholders, and
take the few expressions that differ from a :class:`Dialect`. They run them through a
:class:`Db`: a connection with ``execute``/``executemany`` and its dialect (for SQLite
the connection's own methods, for PostgreSQL :class:`~.postgres.PGConnection`, which
turns ``?`` into psycopg's ``%s``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .filters import ArticleFilter

__all__ = ["POSTGRES", "SQLITE", "Db", "Dialect", "filter_clauses"]


@dataclass(frozen=True, slots=True)
class Dialect:
    """SQL templates for what the two databases spell differently."""

    name: str
    # "{column} is one of a list given as one parameter" (see list_param).
    in_list: str
    list_param: Callable[[Iterable[Any]], Any]
    # Aggregate joining distinct texts with commas: "{expr}" is "DISTINCT column".
    group_concat: str
    # A top-level text field of a JSON column.
    json_text: str
    # The JSON object in "{column}" has the key given as a parameter.
    json_has_key: str
    # An expression the planner must not answer from an index (SQLite's unary plus).
    unindexed: str

    def in_(self, column: str) -> str:
        return self.in_list.format(column=column)

    def concat(self, expr: str) -> str:
        return self.group_concat.format(expr=expr)

    def field(self, column: str, key: str) -> str:
        return self.json_text.format(column=column, key=key)


def _json_list(values: Iterable[Any]) -> str:
    return json.dumps(list(values))


SQLITE = Dialect(
    name="sqlite",
    in_list="{column} IN (SELECT value FROM json_each(?))",
    list_param=_json_list,
    group_concat="group_concat({expr})",
    json_text="json_extract({column}, '$.{key}')",
    json_has_key="json_extract({column}, '$.' || ?) IS NOT NULL",
    unindexed="+{expr}",
)

POSTGRES = Dialect(
    name="postgresql",
    in_list="{column} = ANY(?)",
    list_param=list,
    group_concat="string_agg({expr}, ',')",
    json_text="({column}::json ->> '{key}')",
    json_has_key="({column}::json -> ?) IS NOT NULL",
    unindexed="{expr}",
)


class Db:
    """A connection as the shared query code sees it: ``execute``, ``executemany``, dialect.

    ``execute`` returns a cursor with ``fetchone``, ``fetchall``, ``fetchmany`` and iteration.
    """

    __slots__ = ("dialect", "execute", "executemany")

    def __init__(self, conn: Any, dialect: Dialect) -> None:
        self.dialect = dialect
        # The connection's own bound methods: no wrapper call on SQLite's hot path.
        self.execute = conn.execute
        self.executemany = conn.executemany


def filter_clauses(f: ArticleFilter, dialect: Dialect, alias: str = "a") -> tuple[list[str], list[Any]]:
    """SQL conditions (on table ``alias`` = articles) and their parameters."""
    where: list[str] = []
    params: list[Any] = []
    for column, value in (("language", f.language), ("outlet", f.outlet), ("source_uri", f.source_uri),
                          ("content_hash", f.content_hash), ("story_id", f.story)):
        if value is not None:
            where.append(f"{alias}.{column} = ?")
            params.append(value)
    if f.since is not None:
        where.append(f"{alias}.published >= ?")
        params.append(f.since.isoformat())
    if f.until is not None:
        # '' (no date) sorts before every date: exclude it explicitly.
        where.append(f"{alias}.published > '' AND {alias}.published <= ?")
        params.append(f.until.isoformat())
    if f.ids is not None:
        where.append(f"({dialect.in_(alias + '.id')} OR {dialect.in_(alias + '.key')})")
        ids = dialect.list_param(f.ids)
        params.extend((ids, ids))
    return where, params
