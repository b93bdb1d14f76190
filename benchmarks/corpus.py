"""A deterministic generator of synthetic but realistic news articles, for benchmarks.

The seed files in ``examples/`` are cut crudely into headlines, leads, paragraphs and
subheadings; each generated article recombines paragraphs across seed articles and
varies names, numbers, dates, outlets and compound words from a seed, so the corpus has
the seeds' texture (long Scandinavian compounds, NO-BREAK SPACE in numbers, quotes led
by dashes) with a realistic spread of rare words. A few hand-written Danish, English and
Nynorsk paragraphs give those languages a share too.

- :func:`generate_articles` yields :class:`~nyhetsvakt.records.Article` objects;
- :func:`write_dump_files` writes raw text dumps in the seed format (listing date,
  headline, ``YYYY MM DD``, lead, paragraphs, subheadings, teasers, photo and text
  credits, two blank lines between articles) for ingest benchmarks.

Only for benchmark data: this is not the segmenter.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from nyhetsvakt.langpacks import load_pack, load_packs
from nyhetsvakt.records import Article, Block, DroppedLine, Provenance

__all__ = ["LANGUAGE_WEIGHTS", "generate_articles", "main", "render_article", "write_dump_files"]

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NBSP = "\u00a0"

# Share of each language in the corpus (roughly a Swedish/Norwegian news watch).
LANGUAGE_WEIGHTS = {"sv": 0.55, "nb": 0.25, "da": 0.1, "en": 0.06, "nn": 0.04}
# Paragraphs per article (seed paragraphs average ~200 characters: articles of 1.5-4 kB).
BODY_PARAGRAPHS = (7, 18)
# The seed file holding Norwegian text; the others are Swedish.
_NB_SEEDS = ("004_",)

OUTLETS = {
    "sv": ["Aftonbladet", "Expressen", "Dagens Nyheter", "Svenska Dagbladet", "Göteborgs-Posten",
           "Sydsvenskan", "Dagens PS", "Omni", "SVT Nyheter", "Sveriges Radio", "Nyheter Idag",
           "Kvällsposten"],
    "nb": ["VG", "Dagbladet", "Aftenposten", "NRK", "E24", "TV 2", "Nettavisen", "Bergens Tidende",
           "Adresseavisen", "Dagens Næringsliv"],
    "nn": ["NRK Nynorsk", "Framtida", "Dag og Tid", "Sogn Avis"],
    "da": ["DR", "TV 2 Nyheder", "Politiken", "Berlingske", "Jyllands-Posten", "Ekstra Bladet", "BT"],
    "en": ["BBC News", "Reuters", "The Guardian", "CNN", "Associated Press", "The Local"],
}
FIRST_NAMES = ["Anna", "Erik", "Lars", "Karin", "Ingrid", "Mikael", "Sofia", "Johan", "Maria", "Anders",
               "Kristin", "Ola", "Sigrid", "Henrik", "Mette", "Rasmus", "Freja", "Jens", "Astrid", "Magnus",
               "Olena", "Dmitrij", "Irina", "Sergej", "Natalia", "Oleksandr", "Tatjana", "Mykola", "Jurij",
               "Aleksej", "James", "Sarah", "Emma", "Oliver", "Nils", "Birgitta", "Åsa", "Øystein", "Bjørn",
               "Søren", "Ærling", "Gösta", "Märta", "Örjan", "Håkon", "Kjersti", "Trond", "Sanna", "Linnea"]
LAST_NAMES = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
              "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nielsen", "Jensen",
              "Kovalenko", "Bondarenko", "Tkatjenko", "Sjevtjenko", "Ivanov", "Petrov", "Smirnov", "Volkov",
              "Lindqvist", "Bergström", "Sandberg", "Holm", "Dahl", "Strand", "Haugen", "Berg", "Solberg",
              "Sørensen", "Mørch", "Østergaard", "Åberg", "Öberg", "Ström", "Lund", "Brown", "Taylor",
              "Wilson", "Evans", "Novak", "Horvath", "Kowalski", "Lukasjenko", "Zelenskyj", "Stoltenberg"]
# Names in the seed texts that a generated article may swap for another person.
SEED_NAMES = ["Vladimir Putin", "Putin", "Lukasjenko", "Lukashenko", "Donald Trump", "Trump", "Jerome Powell",
              "Tokayev", "Jeremy Fleming", "Malin Beeck", "Kassym-Jomart Tokayev", "Aleksandr Lukasjenko"]
# Compound parts: Scandinavian news coins compounds freely, which is what makes the
# vocabulary long-tailed (and stemming matter).
COMPOUND_HEADS = {
    "sv": ["försvars", "krigs", "säkerhets", "energi", "valuta", "bostads", "kärnkrafts", "cyber", "gräns",
           "flykting", "sanktions", "vapen", "olje", "gas", "börs", "ränte", "skatte", "polis", "militär",
           "regerings", "el", "spannmåls", "drönar", "stridsvagns", "bedrägeri", "krypto", "hamn", "tull",
           "valrörelse", "opinions", "sjukvårds", "skol", "klimat", "livsmedels", "nato", "eu", "fack",
           "arbetslöshets", "inflations", "export"],
    "nb": ["forsvars", "krigs", "sikkerhets", "energi", "valuta", "bolig", "atomkraft", "cyber", "grense",
           "flyktning", "sanksjons", "våpen", "olje", "gass", "børs", "rente", "skatte", "politi", "militær",
           "regjerings", "strøm", "korn", "drone", "stridsvogn", "svindel", "krypto", "havne", "toll",
           "valgkamp", "helse", "skole", "klima", "matvare", "nato", "eu", "fagforenings", "arbeidsledighets",
           "inflasjons", "eksport", "fiskeri"],
    "da": ["forsvars", "krigs", "sikkerheds", "energi", "valuta", "bolig", "atomkraft", "cyber", "grænse",
           "flygtninge", "sanktions", "våben", "olie", "gas", "børs", "rente", "skatte", "politi", "militær",
           "regerings", "el", "korn", "drone", "kampvogns", "svindel", "krypto", "havne", "told", "valgkamp",
           "sundheds", "skole", "klima", "fødevare", "nato", "eu", "fagforenings", "ledigheds", "inflations",
           "eksport", "landbrugs"],
}
COMPOUND_TAILS = {
    "sv": ["minister", "politik", "krisen", "avtalet", "läget", "stöd", "frågan", "utredningen",
           "systemet", "hotet", "attacken", "bolaget", "marknaden", "chefen", "rådet", "myndigheten",
           "planen", "insatsen", "nivån", "paketet", "priset", "reformen", "larmet", "experten", "beslutet",
           "kostnaderna",
           "förhandlingarna", "sektorn", "kollapsen", "satsningen", "utskottet", "kommissionen", "rapporten",
           "åtgärderna", "överenskommelsen", "skandalen", "läckan", "utbrottet", "gränsen", "målet"],
    "nb": ["minister", "politikk", "krisen", "avtalen", "situasjonen", "støtte", "spørsmålet", "utredningen",
           "systemet", "trusselen", "angrepet", "selskapet", "markedet", "sjefen", "rådet", "direktoratet",
           "planen", "innsatsen", "nivået", "pakken", "prisen", "reformen", "alarmen", "eksperten",
           "vedtaket",
           "kostnadene", "forhandlingene", "sektoren", "kollapsen", "satsingen", "komiteen", "kommisjonen",
           "rapporten", "tiltakene", "enigheten", "skandalen", "lekkasjen", "utbruddet", "grensen", "målet"],
    "da": ["minister", "politik", "krisen", "aftalen", "situationen", "støtte", "spørgsmålet", "udredningen",
           "systemet", "truslen", "angrebet", "selskabet", "markedet", "chefen", "rådet", "styrelsen",
           "planen", "indsatsen", "niveauet", "pakken", "prisen", "reformen", "alarmen", "eksperten",
           "beslutningen", "omkostningerne", "forhandlingerne", "sektoren", "kollapsen", "satsningen",
           "udvalget", "kommissionen", "rapporten", "tiltagene", "enigheden", "skandalen", "lækket",
           "udbruddet", "grænsen", "målet"],
}
COMPOUND_HEADS["nn"] = COMPOUND_HEADS["nb"]
COMPOUND_TAILS["nn"] = COMPOUND_TAILS["nb"]

# Hand-written paragraphs for the languages the seeds lack (same beat: war, markets, scams).
EXTRA_TEXT = {
    "da": {
        "headlines": ["Russiske soldater nægter at kæmpe", "Valutaen styrtdykker igen",
                      "Svindlere lokker med falske investeringer",
                      "Forsvarsministeren vil sende flere droner til Ukraine",
                      "Kornpriserne stiger efter angreb på havnen"],
        "subheadings": ["Lav kampmoral", "Nægtede at adlyde ordrer", "Bitcoin falder",
                        "Advarsel fra politiet", "Ny hjælpepakke"],
        "paragraphs": [
            "Flere russiske soldater har nægtet at deltage i angrebet, oplyser det ukrainske forsvar ifølge "
            "Reuters. Oplysningerne har ikke kunnet bekræftes af uafhængige kilder.",
            "– Vi vidste ikke, hvad vi skulle derind for. Ingen fortalte os noget, siger en af soldaterne "
            "til avisen.",
            "Ifølge ukrainske kilder er over 6\u00a0000 russiske soldater dræbt, mens russiske kilder taler "
            "om cirka 500.",
            "Den digitale valuta bitcoin faldt fredag til det laveste niveau i to måneder, skriver "
            "Bloomberg.",
            "Politiet advarer mod svindlere, der ringer op og udgiver sig for at være fra banken. Flere "
            "ældre har mistet store beløb.",
            "Regeringen vil bruge yderligere 2\u00a0500 millioner kroner på militær støtte til Ukraine, "
            "oplyser forsvarsministeren.",
            "Eksperter vurderer, at krigen kan trække ud i flere år, og at sanktionerne først for alvor "
            "vil ramme den russiske økonomi næste år.",
            "Angrebet på havnen i Odesa har sendt kornpriserne i vejret på de internationale markeder.",
            "Danske virksomheder mærker allerede de højere energipriser, siger en økonom fra Danske Bank.",
            "Det er uklart, hvor mange der er blevet anholdt i forbindelse med demonstrationerne.",
        ],
    },
    "en": {
        "headlines": ["Russian soldiers refuse to fight, officer says", "Bitcoin slides to two-month low",
                      "Police warn of investment scam targeting pensioners", "Belarus leader warns of "
                      "escalation", "Grain prices jump after port strike"],
        "subheadings": ["Low morale", "Refused orders", "Markets fall", "Police warning", "New aid package"],
        "paragraphs": [
            "Several Russian soldiers have refused to take part in the offensive, Ukraine's military said, "
            "according to Reuters. The claims could not be independently verified.",
            "\"We did not know why we were there. Nobody told us anything,\" one of the soldiers told CNN.",
            "More than 6,000 Russian soldiers have been killed, according to Ukrainian sources; Russian "
            "sources put the figure at about 500.",
            "Bitcoin fell on Friday to its lowest level in two months, Bloomberg reported.",
            "Police are warning of fraudsters who call pretending to be from the bank. Several pensioners "
            "have lost large sums.",
            "The government will spend a further 250 million pounds on military aid to Ukraine, the defence "
            "secretary said.",
            "Analysts expect the war to drag on for years and the sanctions to bite hardest next year.",
            "The strike on the port of Odesa sent grain prices soaring on international markets.",
        ],
    },
    "nb": {
        "headlines": ["Russiske soldater nekter å kjempe", "Bitcoin stuper til laveste nivå på to måneder",
                      "Politiet advarer mot falske SMS-er"],
        "subheadings": ["Advarsel fra politiet", "Kraftig fall"],
        "paragraphs": [
            "Flere russiske soldater skal ha nektet å delta i angrepet, opplyser det ukrainske forsvaret "
            "ifølge Reuters. Opplysningene er ikke bekreftet av uavhengige kilder.",
            "Ifølge ukrainske kilder er over 6\u00a0000 russiske soldater drept, mens russiske kilder "
            "oppgir rundt 500.",
            "Den digitale valutaen bitcoin falt fredag til det laveste nivået på to måneder, skriver "
            "Bloomberg.",
            "Politiet advarer mot svindlere som ringer og utgir seg for å være fra banken. Flere eldre har "
            "mistet store beløp.",
            "Regjeringen vil bruke ytterligere 2\u00a0500 millioner kroner på militær støtte til Ukraina, "
            "opplyser forsvarsministeren.",
            "Eksperter mener krigen kan trekke ut i flere år, og at sanksjonene først for alvor vil ramme "
            "den russiske økonomien neste år.",
            "Angrepet på havnen i Odesa har sendt kornprisene til værs på de internasjonale markedene.",
            "– Vi ble ikke fortalt noe om hvorfor vi var der. Ingen visste noe, sier en av soldatene "
            "til NRK.",
        ],
    },
    "nn": {
        "headlines": ["Russiske soldatar nektar å kjempe", "Valutaen stuper igjen", "Politiet åtvarar mot "
                      "svindel"],
        "subheadings": ["Låg kampmoral", "Nekta å adlyde ordrar", "Åtvaring frå politiet"],
        "paragraphs": [
            "Fleire russiske soldatar har nekta å delta i åtaket, opplyser det ukrainske forsvaret ifølgje "
            "Reuters. Opplysningane har ikkje vore moglege å stadfeste.",
            "– Vi visste ikkje kva vi skulle der. Ingen fortalde oss noko, seier ein av soldatane til avisa.",
            "Den digitale valutaen bitcoin fall fredag til det lågaste nivået på to månader, skriv "
            "Bloomberg.",
            "Politiet åtvarar mot svindlarar som ringjer og seier dei er frå banken. Fleire eldre har mista "
            "store summar.",
            "Regjeringa vil bruke ytterlegare 2\u00a0500 millionar kroner på militær støtte til Ukraina.",
        ],
    },
}

_DATE_LINE = re.compile(r"^\d{4} \d{2} \d{2}$")
_LISTING = re.compile(r"^\d{1,2} \w{3,9}\.? \d{4}$")
_NUMBER = re.compile(r"\d+")
_LONG_WORD = re.compile(r"\b[a-zåäöæø]{7,}\b")


@dataclass
class _Pool:
    headlines: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    subheadings: list[str] = field(default_factory=list)


def _furniture() -> tuple[tuple[str, ...], set[str]]:
    packs = load_packs()
    keys = ("teaser_prefixes", "boilerplate_prefixes", "photo_labels", "author_labels")
    prefixes = [w.lower() for key in keys for w in packs.words("segment", key)]
    lines = {w.lower() for w in packs.words("segment", "boilerplate_lines")}
    lines.update(name.lower() for names in OUTLETS.values() for name in names)
    return tuple(prefixes), lines


@cache
def _pools() -> dict[str, _Pool]:
    """Cut the seed files into pools of headlines, leads, paragraphs and subheadings."""
    prefixes, furniture = _furniture()
    pools = {lang: _Pool() for lang in LANGUAGE_WEIGHTS}
    for path in sorted(EXAMPLES.glob("*.txt")):
        lang = "nb" if path.name.startswith(_NB_SEEDS) else "sv"
        pool = pools[lang]
        # 004 puts one paragraph per line; the others separate paragraphs by blank lines.
        text = path.read_text("utf-8")
        pieces = text.split("\n") if lang == "nb" else re.split(r"\n\s*\n", text)
        # Drop furniture lines inside pieces too ("ANNONS" printed twice).
        pieces = ["\n".join(ln for ln in p.split("\n") if ln.strip().lower() not in furniture).strip()
                  for p in pieces]
        pieces = [p for p in pieces if p]
        after_date = False
        for i, piece in enumerate(pieces):
            low = piece.lower()
            if _DATE_LINE.match(piece):
                after_date = True
                continue
            if _LISTING.match(piece) or low in furniture or low.startswith(prefixes) or "publicerad:" in low:
                continue
            if i + 1 < len(pieces) and _DATE_LINE.match(pieces[i + 1]):
                pool.headlines.append(piece)
                continue
            if after_date:
                pool.leads.append(piece)
                after_date = False
                continue
            if len(piece) < 70 and not piece.endswith((".", "?", "!", ":")):
                pool.subheadings.append(piece.lstrip("-– ").strip())
            elif len(piece) >= 40:
                pool.paragraphs.append(piece.replace("\n", " "))
    nb = pools["nb"]
    nb.headlines.extend(s for s in nb.subheadings if len(s) > 12)
    nb.leads.extend(p.split(". ")[0].rstrip(".") + "." for p in nb.paragraphs[:6])
    for lang, extra in EXTRA_TEXT.items():
        pool = pools[lang]
        pool.headlines.extend(extra["headlines"])
        pool.subheadings.extend(extra["subheadings"])
        pool.paragraphs.extend(extra["paragraphs"])
        pool.leads.extend(p for p in extra["paragraphs"] if len(p) < 160)
    return pools


class _Varier:
    """Deterministic variations of seed text for one article."""

    def __init__(self, rng: random.Random, language: str) -> None:
        self.rng = rng
        self.language = language
        self.names = {name: f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                      if " " in name else rng.choice(LAST_NAMES) for name in SEED_NAMES if rng.random() < 0.5}
        self.compounds = [rng.choice(COMPOUND_HEADS[language]) + rng.choice(COMPOUND_TAILS[language])
                          for _ in range(3)] if language in COMPOUND_HEADS else []

    def number(self, m: re.Match[str]) -> str:
        """Another number of the same size; years stay years, and numbers under 100
        (days of the month, small counts, decimals) stay as they are."""
        digits = m.group()
        if len(digits) < 3:
            return digits
        if len(digits) == 4 and digits.startswith(("19", "20")):
            return str(self.rng.randint(2014, 2026))
        return str(self.rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))

    def vary(self, text: str) -> str:
        for old, new in self.names.items():
            text = text.replace(old, new)
        if self.rng.random() < 0.7:
            text = _NUMBER.sub(self.number, text)
        if self.compounds and self.rng.random() < 0.6:
            words = _LONG_WORD.findall(text)
            if words:
                target = self.rng.choice(words)
                text = text.replace(target, self.rng.choice(self.compounds), 1)
        return text


def _pick_language(rng: random.Random) -> str:
    return rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]


def _article(index: int, rng: random.Random, per_file: int) -> Article:
    language = _pick_language(rng)
    pool = _pools()[language]
    v = _Varier(rng, language)
    published = date(2018, 1, 1) + timedelta(days=rng.randrange(8 * 365 + 60))
    blocks: list[Block] = []
    count = rng.randint(*BODY_PARAGRAPHS)
    # Without repeats while the pool lasts (the hand-written pools are small).
    paragraphs = rng.sample(pool.paragraphs, min(count, len(pool.paragraphs)))
    paragraphs += rng.choices(pool.paragraphs, k=count - len(paragraphs))
    for text in paragraphs:
        if pool.subheadings and rng.random() < 0.25:
            blocks.append(Block("subheading", v.vary(rng.choice(pool.subheadings))))
        blocks.append(Block("paragraph", v.vary(text)))
    headline = v.vary(rng.choice(pool.headlines))
    if v.compounds and rng.random() < 0.3:
        headline = f"{headline} – {v.compounds[0]}"
    file_no, n = divmod(index, per_file)
    pack = load_pack(language)
    dropped = [DroppedLine(0, line, "boilerplate") for line in pack.words("segment", "boilerplate_lines")[:2]
               if rng.random() < 0.3]
    return Article(
        id=f"bench_{file_no:06d}#{n + 1}",
        source=Provenance(f"bench/{file_no:06d}.txt", 0, 0),
        outlet=rng.choice(OUTLETS[language]),
        headline=headline,
        lead=v.vary(rng.choice(pool.leads)),
        published=published,
        listed=published + timedelta(days=rng.choice((0, 0, 0, 1, 2))),
        language=language,
        authors=[rng.choice(pack.words("segment", "collective_authors"))],
        photo_credit=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        related=[v.vary(rng.choice(pool.headlines))] if rng.random() < 0.4 else [],
        blocks=blocks,
        dropped=dropped,
    )


def generate_articles(n: int, seed: int = 0, articles_per_file: int = 20) -> Iterator[Article]:
    """``n`` articles, the same for the same ``seed``. Ids and uris group them into files
    of ``articles_per_file`` (as :func:`write_dump_files` would write them)."""
    rng = random.Random(seed)
    for i in range(n):
        yield _article(i, rng, articles_per_file)


def _listing_date(d: date, language: str) -> str:
    months = load_pack(language).months
    short = min((name for name, num in months.items() if num == d.month), key=len)
    return f"{d.day} {short} {d.year}"


def render_article(a: Article, with_listing: bool = True) -> list[str]:
    """An article as dump lines in the seed format (blank line between paragraphs)."""
    pack = load_pack(a.language or "sv")
    teaser = pack.words("segment", "teaser_prefixes")[0].upper()
    lines: list[str] = []
    if with_listing and a.listed:
        lines += [_listing_date(a.listed, a.language or "sv"), ""]
    lines += [a.headline or "", ""]
    if a.published:
        lines += [a.published.strftime("%Y %m %d"), ""]
    if a.lead:
        lines += [a.lead, ""]
    for i, block in enumerate(a.blocks):
        lines += [block.text, ""]
        if i == 2 and a.related:
            lines += [f"{teaser}: {a.related[0]}", ""]
        if i == 4 and a.dropped:
            lines += [a.dropped[0].text, ""]
    lines += [f"{pack.words('segment', 'photo_labels')[0]}: {a.photo_credit}", ""]
    lines += [f"{pack.words('segment', 'author_labels')[0]}: {', '.join(a.authors)}"]
    return lines


def write_dump_files(out_dir: str | Path, n_articles: int, articles_per_file: int = 20,
                     seed: int = 0) -> list[Path]:
    """Write ``n_articles`` as raw text dumps of ``articles_per_file`` each; returns the files."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    current: list[str] = []
    file_no = -1
    for i, article in enumerate(generate_articles(n_articles, seed, articles_per_file)):
        if i % articles_per_file == 0:
            if current:
                files.append(_write(out, file_no, current))
            file_no, current = file_no + 1, []
        else:
            current += ["", ""]
        # Like the seeds: the first article of a page has no listing date above it.
        current += render_article(article, with_listing=i % articles_per_file != 0)
    if current:
        files.append(_write(out, file_no, current))
    return files


def _write(out: Path, file_no: int, lines: list[str]) -> Path:
    path = out / f"bench_{file_no:06d}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--per-file", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    files = write_dump_files(args.out_dir, args.articles, args.per_file, args.seed)
    print(f"{len(files)} files, {args.articles} articles in {args.out_dir}")


if __name__ == "__main__":
    main()
