"""Readers for the NER corpora in ``../shared/data/ner`` (training, benchmark and tests only).

Every corpus is read into :class:`Sentence` objects whose tags are IOB2 over the four types
nyhetsvakt reports (PER, ORG, LOC, MISC), whatever the corpus's own tag set:

- NorNE (NDT ``*.conll`` and the UD ``*.conllu`` split): ``name=B-GPE_LOC`` in the last
  column; mapped with :data:`NORNE_MAP` (``DRV`` — "Oslo-basert", "LO-leder" — is not a name:
  dropped, see docs/ner.md for the measurement);
- Swedish Webbnyheter 2012: ``token TAB tag`` with tags PER/ORG/LOC/MISC without B-/I- and
  "O" written ``0``; adjacent tokens of one type form one entity (the corpus cannot say
  otherwise);
- Danish DDT (Plank 2019): ``token TAB IOB2 tag`` over PER/ORG/LOC/MISC.

The runtime never imports this module; nothing here is shipped data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "NORNE_MAP",
    "TYPES",
    "Sentence",
    "danish",
    "entity_spans",
    "norne_ndt",
    "norne_ud",
    "sentence_key",
    "swedish",
]

TYPES = ("PER", "ORG", "LOC", "MISC")
# NorNE's nine types onto ours; None means "not an entity".
NORNE_MAP: dict[str, str | None] = {
    "PER": "PER", "ORG": "ORG", "GPE_ORG": "ORG", "LOC": "LOC", "GPE_LOC": "LOC",
    "PROD": "MISC", "EVT": "MISC", "MISC": "MISC", "DRV": None,
}


@dataclass
class Sentence:
    """One gold sentence: tokens, IOB2 tags over :data:`TYPES`, and where it came from.

    ``spaces[i]`` says whether a space follows token ``i`` in ``text``; ``doc`` names the
    document the sentence belongs to (an NDT file, or None where the corpus has none).
    """

    words: list[str]
    tags: list[str]
    lang: str
    doc: str | None = None
    spaces: list[bool] = field(default_factory=list)
    sent_id: str | None = None

    def __post_init__(self) -> None:
        if not self.spaces:
            self.spaces = default_spaces(self.words)

    @property
    def text(self) -> str:
        return "".join(w + (" " if s else "") for w, s in zip(self.words, self.spaces, strict=True)).rstrip()

    def offsets(self) -> list[tuple[int, int]]:
        out, pos = [], 0
        for w, s in zip(self.words, self.spaces, strict=True):
            out.append((pos, pos + len(w)))
            pos += len(w) + (1 if s else 0)
        return out

    def char_entities(self) -> list[tuple[int, int, str]]:
        """Gold entities as (start, end, type) character offsets into :attr:`text`."""
        offs = self.offsets()
        return [(offs[i][0], offs[j - 1][1], t) for i, j, t in entity_spans(self.tags)]


_NO_SPACE_BEFORE = {".", ",", ":", ";", "!", "?", ")", "]", "»", "”", "%", "..."}
_NO_SPACE_AFTER = {"(", "[", "«", "“"}


def default_spaces(words: list[str]) -> list[bool]:
    """Plausible spacing for corpora that give none: no space before , . : ; ! ? ) »."""
    out = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        out.append(nxt is not None and nxt not in _NO_SPACE_BEFORE and w not in _NO_SPACE_AFTER)
    return out


def sentence_key(text: str) -> str:
    """Sentence identity across tokenisations: lower-cased letters and digits only."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def entity_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """IOB2 tags to (first token, end token exclusive, type); a stray I- starts an entity."""
    out: list[tuple[int, int, str]] = []
    start, typ = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and not (tag.startswith("I-") and tag[2:] == typ):
            out.append((start, i, typ))
            start = -1
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, typ = i, tag[2:]
    return out


def _norne_tag(raw: str) -> str:
    """``B-GPE_LOC`` → ``B-LOC``; dropped types → ``O``."""
    if raw in ("O", "_", ""):
        return "O"
    prefix, _, typ = raw.partition("-")
    mapped = NORNE_MAP.get(typ)
    return f"{prefix}-{mapped}" if mapped else "O"


def _repair_iob(tags: list[str]) -> list[str]:
    """After a mapping dropped a type, an I- may follow O: make it a B-."""
    out = []
    for i, t in enumerate(tags):
        if t.startswith("I-") and (i == 0 or out[-1] == "O" or out[-1][2:] != t[2:]):
            t = "B-" + t[2:]
        out.append(t)
    return out


def _misc_name(misc: str) -> str:
    for part in misc.split("|"):
        if part.startswith("name="):
            return part[5:]
    return "O"


def norne_ndt(folder: Path, lang: str) -> Iterator[Sentence]:
    """NorNE over the whole NDT: ``ner/no/ndt/nob`` (nb) or ``nno`` (nn); one file a document."""
    for path in sorted(folder.glob("*.conll")):
        words: list[str] = []
        tags: list[str] = []
        for line in [*path.read_text("utf-8").splitlines(), ""]:
            if not line.strip():
                if words:
                    yield Sentence(words, _repair_iob(tags), lang, doc=path.stem)
                words, tags = [], []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            words.append(cols[1])
            tags.append(_norne_tag(_misc_name(cols[-1])))


def norne_ud(path: Path, lang: str) -> Iterator[Sentence]:
    """A NorNE UD file (CoNLL-U, ``name=`` in MISC, real spacing from ``SpaceAfter=No``)."""
    words: list[str] = []
    tags: list[str] = []
    spaces: list[bool] = []
    sent_id = None
    for line in [*path.read_text("utf-8").splitlines(), ""]:
        if not line.strip():
            if words:
                spaces[-1] = False
                yield Sentence(words, _repair_iob(tags), lang, spaces=spaces, sent_id=sent_id)
            words, tags, spaces, sent_id = [], [], [], None
            continue
        if line.startswith("# sent_id"):
            sent_id = line.split("=", 1)[1].strip()
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        words.append(cols[1])
        tags.append(_norne_tag(_misc_name(cols[9])))
        spaces.append("SpaceAfter=No" not in cols[9])


def _token_lines(path: Path) -> Iterator[list[tuple[str, str]]]:
    """Sentences of (token, tag) from whitespace-separated two-column files."""
    rows: list[tuple[str, str]] = []
    for line in [*path.read_text("utf-8").splitlines(), ""]:
        parts = line.split()
        if len(parts) < 2:
            if rows:
                yield rows
            rows = []
            continue
        rows.append((" ".join(parts[:-1]), parts[-1]))


_SV_TYPES = {"PER", "ORG", "LOC", "MISC"}


def swedish(path: Path) -> Iterator[Sentence]:
    """Webbnyheter 2012: prefix-less tags (``0`` is O); runs of one type become one entity."""
    for rows in _token_lines(path):
        tags, prev = [], "O"
        for _, raw in rows:
            typ = raw if raw in _SV_TYPES else "O"
            tags.append("O" if typ == "O" else ("I-" if prev == typ else "B-") + typ)
            prev = typ
        yield Sentence([w for w, _ in rows], tags, "sv")


_IOB = re.compile(r"^[BI]-(PER|ORG|LOC|MISC)$")


def danish(path: Path) -> Iterator[Sentence]:
    """DDT with Plank's NER layer: IOB2 over PER/ORG/LOC/MISC."""
    for rows in _token_lines(path):
        tags = [raw if _IOB.match(raw) else "O" for _, raw in rows]
        yield Sentence([w for w, _ in rows], _repair_iob(tags), "da")
