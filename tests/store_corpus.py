"""A generated corpus of news dumps in sv, nb, nn, da and en, for the store tests.

Each file holds a few articles in the text-dump layout the seeds use (headline, date, lead,
paragraphs; two blank lines between articles) with what the pipeline extracts: quotes with
a speaker and a medium, cited sources, figures with a NO-BREAK SPACE, unconfirmed claims,
teasers naming other articles' headlines, and republished copies. Deterministic (a seed).
"""

from __future__ import annotations

import random
from pathlib import Path

PEOPLE = ["Anna Lindqvist", "Jonas Gahr Støre", "Mette Frederiksen", "Volodymyr Zelenskyj", "Ulf Kristersson",
          "Erna Solberg", "Jens Stoltenberg", "Magdalena Andersson"]
PLACES = ["Kyiv", "Moskva", "Oslo", "Stockholm", "København", "Bergen", "Göteborg", "Kharkiv"]
SOURCES = ["Reuters", "AFP", "NTB", "TT", "Ritzau", "BBC"]

TEMPLATES = {
    "sv": {
        "headline": "{person} varnar för läget i {place}",
        "lead": "Läget i {place} är allvarligt, enligt {source}.",
        "body": [
            "– Vi ser att {n}\u00a0000 soldater har samlats vid gränsen, säger {person} till {source}.",
            "Enligt {source} har {m}\u00a0000 människor lämnat {place} den senaste veckan. "
            "Uppgifterna har inte kunnat bekräftas.",
            "Regeringen ska samlas till ett extra möte på torsdag för att diskutera situationen.",
        ],
        "teaser": "LÄS OCKSÅ: {other}",
    },
    "nb": {
        "headline": "{person} advarer om situasjonen i {place}",
        "lead": "Situasjonen i {place} er alvorlig, ifølge {source}.",
        "body": [
            "– Vi ser at {n}\u00a0000 soldater har samlet seg ved grensen, sier {person} til {source}.",
            "Ifølge {source} har {m}\u00a0000 mennesker forlatt {place} den siste uken. "
            "Opplysningene er ikke bekreftet.",
            "Regjeringen skal samles til et ekstra møte på torsdag for å diskutere situasjonen.",
        ],
        "teaser": "LES OGSÅ: {other}",
    },
    "nn": {
        "headline": "{person} åtvarar om situasjonen i {place}",
        "lead": "Situasjonen i {place} er alvorleg, ifølgje {source}.",
        "body": [
            "– Vi ser at {n}\u00a0000 soldatar har samla seg ved grensa, seier {person} til {source}.",
            "Ifølgje {source} har {m}\u00a0000 menneske forlate {place} den siste veka. "
            "Opplysningane er ikkje stadfesta.",
            "Regjeringa skal samlast til eit ekstra møte på torsdag for å diskutere situasjonen.",
        ],
        "teaser": "LES OGSÅ: {other}",
    },
    "da": {
        "headline": "{person} advarer om situationen i {place}",
        "lead": "Situationen i {place} er alvorlig, ifølge {source}.",
        "body": [
            "– Vi ser, at {n}\u00a0000 soldater har samlet sig ved grænsen, siger {person} til {source}.",
            "Ifølge {source} har {m}\u00a0000 mennesker forladt {place} den seneste uge. "
            "Oplysningerne er ikke bekræftet.",
            "Regeringen skal samles til et ekstra møde på torsdag for at drøfte situationen.",
        ],
        "teaser": "LÆS OGSÅ: {other}",
    },
    "en": {
        "headline": "{person} warns about the situation in {place}",
        "lead": "The situation in {place} is serious, according to {source}.",
        "body": [
            '"We see that {n},000 soldiers have gathered at the border," {person} told {source}.',
            "According to {source}, {m},000 people have left {place} in the past week. The figures could not "
            "be confirmed.",
            "The government will meet for an extra session on Thursday to discuss the situation.",
        ],
        "teaser": "READ MORE: {other}",
    },
}


def _article(rng: random.Random, language: str, day: int, headlines: list[str]) -> tuple[str, str]:
    t = TEMPLATES[language]
    values = {"person": rng.choice(PEOPLE), "place": rng.choice(PLACES), "source": rng.choice(SOURCES),
              "n": rng.randint(2, 9), "m": rng.randint(10, 90)}
    headline = t["headline"].format(**values) + f" ({day})"
    lines = [headline, "", f"2024 {1 + day // 28:02d} {1 + day % 28:02d}", "", t["lead"].format(**values), ""]
    for paragraph in t["body"]:
        lines += [paragraph.format(**values), ""]
    if headlines and rng.random() < 0.3:
        lines += [t["teaser"].format(other=rng.choice(headlines)), ""]
    return headline, "\n".join(lines)


def write_corpus(folder: Path, files: int = 24, per_file: int = 3, seed: int = 7) -> list[Path]:
    """Write ``files`` dumps of ``per_file`` articles into ``folder``; returns their paths, sorted."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    headlines: list[str] = []
    texts: list[str] = []
    paths = []
    for f in range(files):
        language = list(TEMPLATES)[f % len(TEMPLATES)]
        parts = []
        for i in range(per_file):
            if texts and rng.random() < 0.1:
                parts.append(rng.choice(texts))  # republished: an exact copy of an earlier article
                continue
            headline, text = _article(rng, language, (f * per_file + i) % 300, headlines)
            headlines.append(headline)
            texts.append(text)
            parts.append(text)
        path = folder / f"gen_{f:03d}_{language}.txt"
        path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
        paths.append(path)
    return sorted(paths)
