"""Language packs: what nyhetsvakt knows about each language, as data.

One TOML file per language (``sv.toml``, ``nb.toml``, …) beside this module. Adding a
language is a file and a test, not code. Pipeline code asks a :class:`LanguagePack`
(or the union of all of them, :class:`PackSet`) for cue words; it never spells a
Swedish word itself.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["LanguagePack", "PackSet", "available_languages", "load_pack", "load_packs"]


@dataclass(frozen=True)
class LanguagePack:
    code: str
    name: str
    stemmer: str
    postgres_config: str
    months: dict[str, int]
    weekdays: dict[str, int]
    dates: dict[str, list[str]]
    segment: dict[str, list[str]]
    extra: dict[str, Any] = field(default_factory=dict)

    def words(self, section: str, key: str) -> list[str]:
        """A word list from any section (``pack.words("segment", "teaser_prefixes")``)."""
        table = getattr(self, section, None)
        if table is None:
            table = self.extra.get(section, {})
        return list(table.get(key, []))


def available_languages() -> list[str]:
    files = resources.files(__name__)
    return sorted(p.name[:-5] for p in files.iterdir() if p.name.endswith(".toml"))


@cache
def load_pack(code: str) -> LanguagePack:
    try:
        raw = resources.files(__name__).joinpath(f"{code}.toml").read_text("utf-8")
    except FileNotFoundError:
        raise KeyError(f"no language pack for {code!r} (have: {', '.join(available_languages())})") from None
    data = tomllib.loads(raw)
    known = {"code", "name", "stemmer", "postgres_config", "months", "weekdays", "dates", "segment"}
    return LanguagePack(
        code=data["code"],
        name=data["name"],
        stemmer=data["stemmer"],
        postgres_config=data.get("postgres_config", "simple"),
        months={k.lower(): int(v) for k, v in data.get("months", {}).items()},
        weekdays={k.lower(): int(v) for k, v in data.get("weekdays", {}).items()},
        dates=data.get("dates", {}),
        segment=data.get("segment", {}),
        extra={k: v for k, v in data.items() if k not in known},
    )


class PackSet:
    """Several packs read as one: the union of their word lists.

    Segmentation runs before the language is known, so it matches page furniture
    against every pack at once.
    """

    def __init__(self, packs: Iterable[LanguagePack]) -> None:
        self.packs = list(packs)

    def __iter__(self) -> Iterator[LanguagePack]:
        return iter(self.packs)

    def words(self, section: str, key: str) -> list[str]:
        seen: dict[str, None] = {}
        for pack in self.packs:
            for w in pack.words(section, key):
                seen.setdefault(w, None)
        return list(seen)

    @property
    def months(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for pack in self.packs:
            out.update(pack.months)
        return out

    @property
    def weekdays(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for pack in self.packs:
            out.update(pack.weekdays)
        return out

    def get(self, code: str) -> LanguagePack | None:
        return next((p for p in self.packs if p.code == code), None)


@cache
def load_packs(codes: tuple[str, ...] | None = None) -> PackSet:
    """All packs (or the given ones) as a :class:`PackSet`."""
    return PackSet(load_pack(c) for c in (codes or tuple(available_languages())))
