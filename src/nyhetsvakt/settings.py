"""Settings: one table of (name, default, help) that drives the CLI, the API and the docs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    env: str | None = None

    def value(self) -> Any:
        """The environment's value (converted to the default's type) or the default."""
        raw = os.environ.get(self.env) if self.env else None
        if raw is None or raw == "":
            return self.default
        return type(self.default)(raw) if self.default is not None else raw


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "nyhetsvakt.db",
            "The database: a SQLite file path (or sqlite:///path), or a PostgreSQL URL "
            "(postgresql://user@host/db; the 'postgres' extra).",
            env="NYHETSVAKT_DB"),
    Setting("executor", "local",
            "How input files are processed: 'local' (in this process), 'process' (a pool of worker "
            "processes, one per core unless --workers says otherwise) or 'ray' (Ray Data; the 'ray' "
            "extra).", env="NYHETSVAKT_EXECUTOR"),
    Setting("workers", 0, "Workers for the 'process' and 'ray' executors; 0 means one per CPU core "
            "(for a Ray cluster: one per CPU of the cluster).", env="NYHETSVAKT_WORKERS"),
)

BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> Setting:
    return BY_NAME[name]
