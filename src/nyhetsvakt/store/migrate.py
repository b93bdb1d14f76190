"""Numbered schema migrations, the sqlite-utils way.

Migrations are the files ``migrations/NNNN_name.sql`` (SQLite) and
``migrations_pg/NNNN_name.sql`` (PostgreSQL, the same versions and names) beside this
module. Each runs in its own transaction together with its row in ``schema_migrations``,
so a migration is either applied and recorded or not at all. A database recording a
version this code does not know was written by a newer nyhetsvakt: refused, never
touched. This module applies SQLite's; the PostgreSQL store applies its own with the
same rules (:mod:`.postgres`).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources

from ..errors import StoreError

__all__ = ["PG_FOLDER", "SQLITE_FOLDER", "Migration", "applied_versions", "latest_version", "migrate",
           "migrations", "pending", "pending_of", "statements"]

SQLITE_FOLDER = "migrations"
PG_FOLDER = "migrations_pg"

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)"""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


@cache
def migrations(folder: str = SQLITE_FOLDER) -> tuple[Migration, ...]:
    """Every migration shipped with the package for one backend, in order."""
    found = []
    for entry in resources.files(__package__).joinpath(folder).iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), entry.read_text("utf-8")))
    found.sort(key=lambda mig: mig.version)
    return tuple(found)


def latest_version(folder: str = SQLITE_FOLDER) -> int:
    return migrations(folder)[-1].version if migrations(folder) else 0


def applied_versions(conn: sqlite3.Connection) -> set[int]:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").fetchone()
    if not exists:
        return set()
    return {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}


def pending_of(applied: set[int], location: str, folder: str = SQLITE_FOLDER) -> list[Migration]:
    """Migrations not in ``applied``; StoreError if the database is newer than this code."""
    newer = sorted(v for v in applied if v > latest_version(folder))
    if newer:
        raise StoreError(f"{location}: database schema version {newer[-1]} is newer than this nyhetsvakt "
                         f"knows ({latest_version(folder)}); upgrade nyhetsvakt to open it")
    return [m for m in migrations(folder) if m.version not in applied]


def pending(conn: sqlite3.Connection, path: str) -> list[Migration]:
    """Migrations not yet applied to a SQLite database (see :func:`pending_of`)."""
    return pending_of(applied_versions(conn), path)


def _has_code(text: str) -> bool:
    return any(ln.strip().strip(";").strip() and not ln.lstrip().startswith("--") for ln in text.splitlines())


def statements(sql: str) -> list[str]:
    """Split a script into statements (``executescript`` would commit our transaction)."""
    out: list[str] = []
    buf = ""
    for chunk in sql.split(";"):
        buf += chunk + ";"
        if sqlite3.complete_statement(buf):
            if _has_code(buf):
                out.append(buf.strip())
            buf = ""
    if _has_code(buf):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buf[:80]!r}")
    return out


def migrate(conn: sqlite3.Connection, path: str) -> list[int]:
    """Apply pending migrations, each in its own transaction. Returns the versions applied.

    ``conn`` must be in autocommit mode (``isolation_level=None``). The pending list is
    re-read under the write lock, so two processes opening a new database at once do
    not both apply a migration.
    """
    done: list[int] = []
    if not pending(conn, path):
        return done
    for migration in migrations():
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(_CREATE_TABLE)
            if migration in pending(conn, path):
                for statement in statements(migration.sql):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                             (migration.version, migration.name, datetime.now(UTC).isoformat()))
                done.append(migration.version)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return done
