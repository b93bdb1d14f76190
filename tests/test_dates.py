"""Dates: formats, date lines vs sentences, labels, relative dates, packs as data, quality floor."""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from nyhetsvakt import dates
from nyhetsvakt.dates import DateMention, find_dates, parse_date, parse_date_line
from nyhetsvakt.langpacks import load_pack, load_packs

REF = dt.date(2013, 2, 12)  # a Tuesday, the Duckling reference day
D = dt.date
LANGS = ("sv", "nb", "nn", "da", "en")


def values(mentions: list[DateMention] | None) -> list[tuple[str, str | None]] | None:
    return None if mentions is None else [(m.value.isoformat(), m.label) for m in mentions]


def test_public_api():
    assert sorted(dates.__all__) == ["DateMention", "find_dates", "parse_date", "parse_date_line"]


# --- every format of the brief -------------------------------------------------------------------

FORMATS = [
    ("2022 05 23", D(2022, 5, 23)),
    ("2022-05-23", D(2022, 5, 23)),
    ("2022/05/23", D(2022, 5, 23)),
    ("2022.05.23", D(2022, 5, 23)),
    ("2015-3-3", D(2015, 3, 3)),
    ("2022-05-23T10:15:00+02:00", D(2022, 5, 23)),
    ("2022-05-23T23:59:59Z", D(2022, 5, 23)),
    ("23.05.2022", D(2022, 5, 23)),
    ("23.5.2022", D(2022, 5, 23)),
    ("23/05/2022", D(2022, 5, 23)),
    ("23-05-2022", D(2022, 5, 23)),
    ("23.05.22", D(2022, 5, 23)),
    ("30 jan 2026", D(2026, 1, 30)),
    ("30 jan. 2026", D(2026, 1, 30)),
    ("30 januari 2026", D(2026, 1, 30)),
    ("1 december 2025", D(2025, 12, 1)),
    ("14 dec 2025", D(2025, 12, 14)),
    ("23. mai 2022", D(2022, 5, 23)),
    ("23. mai 2022 kl. 10.15", D(2022, 5, 23)),
    ("tisdag 3 mars 2022", D(2022, 3, 3)),  # the weekday is wrong (a Thursday): the date stands
    ("March 3, 2022", D(2022, 3, 3)),
    ("3 March 2022", D(2022, 3, 3)),
    ("3rd of March 2022", D(2022, 3, 3)),
    ("1:a mars 2022", D(2022, 3, 1)),
    ("den 15:e februari 2022", D(2022, 2, 15)),
    ("tredje mars 2015", D(2015, 3, 3)),
    ("05/23/2022", D(2022, 5, 23)),  # only month-first is valid
]


@pytest.mark.parametrize(("text", "expected"), FORMATS)
def test_formats(text, expected):
    assert parse_date(text) == expected
    assert values(parse_date_line(text)) == [(expected.isoformat(), None)]
    found = find_dates(f"Beslutet kom {text} och gäller nu.")
    assert [m.value for m in found] == [expected]
    assert found[0].text in text


def test_compact_date_only_when_labelled():
    assert parse_date_line("20220523") is None
    assert find_dates("Ordernummer 20220523") == []
    assert values(parse_date_line("Publicerad 20220523")) == [("2022-05-23", "published")]
    assert [m.value for m in find_dates("Publicerad: 20220523")] == [D(2022, 5, 23)]


@pytest.mark.parametrize(
    "text",
    [
        "31 feb 2022",
        "31.02.2022",
        "2022-13-01",
        "29.02.2023",
        "32.01.2022",
        "2022-02-30",
        "0.1.2022",
        "31 april 2022",
    ],
)
def test_invalid_dates_are_not_dates(text):
    assert parse_date(text) is None
    assert parse_date_line(text) is None
    assert find_dates(f"Det hände {text} i Umeå.") == []


def test_leap_day():
    assert parse_date("29.02.2024") == D(2024, 2, 29)
    assert parse_date("29 februari", reference=D(2024, 3, 1)) == D(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31-10-74", D(1974, 10, 31)),
        ("23.05.22", D(2022, 5, 23)),
        ("01.01.68", D(2068, 1, 1)),
        ("01.01.69", D(1969, 1, 1)),
        ("3/3/15", D(2015, 3, 3)),
    ],
)
def test_two_digit_years(text, expected):
    assert parse_date(text) == expected


def test_has_time():
    assert parse_date_line("23. mai 2022 kl. 10.15")[0].has_time
    assert parse_date_line("2022-05-23T10:15:00+02:00")[0].has_time
    assert parse_date_line("30 jan 2026 | 14:32")[0].has_time
    assert parse_date_line("Publicerad 3 mars 2022 10:15 CET")[0].has_time
    assert not parse_date_line("30 jan 2026")[0].has_time
    assert find_dates("Mötet 3 mars 2022 kl 14 var kort")[0].has_time


# --- date lines: the seeds, labels, what is not a date line --------------------------------------

SEED_DATE_LINES = {
    "2022 05 23": [("2022-05-23", None)],
    "30 jan 2026": [("2026-01-30", None)],
    "30 januari 2026": [("2026-01-30", None)],
    "14 dec 2025": [("2025-12-14", None)],
    "1 december 2025": [("2025-12-01", None)],
    "28 februari 2026": [("2026-02-28", None)],
    "Uppdaterad: 03 mars 2022Publicerad: 02 mars 2022": [
        ("2022-03-03", "updated"),
        ("2022-03-02", "published"),
    ],
}


@pytest.mark.parametrize("line", sorted(SEED_DATE_LINES))
def test_seed_date_lines(line, examples_dir):
    assert any(line in p.read_text("utf-8").splitlines() for p in examples_dir.glob("*.txt"))
    assert values(parse_date_line(line)) == SEED_DATE_LINES[line]


@pytest.mark.parametrize("reference", [None, D(2026, 3, 1)])
def test_seed_files_only_date_lines_are_date_lines(examples_dir, reference):
    """Every line of the seeds that reads as a date line is one of the real date lines."""
    accepted = {
        ln
        for p in examples_dir.glob("*.txt")
        for ln in p.read_text("utf-8").splitlines()
        if parse_date_line(ln, reference=reference)
    }
    numeric = {ln for ln in accepted if re.fullmatch(r"\d{4} \d\d \d\d", ln)}
    assert accepted - numeric == set(SEED_DATE_LINES) - {"2022 05 23"}
    assert len(numeric) == 8  # distinct "2026 01 30"-style lines


def test_glued_labels_offsets():
    line = "Uppdaterad: 03 mars 2022Publicerad: 02 mars 2022"
    a, b = parse_date_line(line)
    assert (a.text, a.label, b.text, b.label) == ("03 mars 2022", "updated", "02 mars 2022", "published")
    assert line[a.start : a.end] == a.text and line[b.start : b.end] == b.text
    assert [(m.text, m.label) for m in find_dates(line)] == [(a.text, "updated"), (b.text, "published")]


NOT_DATE_LINES = [
    "70 procent vägrade",
    "2 500 soldater",
    "Över 3 000 har gripits",
    "Som kund kan du bara ringa företagets kundtjänst på telefonnummer 046-28 52 900.",
    "6 000 ryska soldater har dödats så långt, enligt ukrainska källor.",
    "Valuta störtdyker – rasat 30 procent",
    "Kina har tröttnat – inför 180 dagars blockad mot Ryssland",
    "LÄS MER: Har förlorat 357 miljarder dollar – på en dag",
    "Det senaste fallet för bitcoin ligger på nästan 4 procent till cirka 81 000 dollar.",
    "ner från de 5,3–5,5 miljoner fat per dag",
    "Brann–Molde 2-1",
    "2-1",
    "15.2",
    "Avsnitt 15.2",
    "kl. 10.15",
    "2022",
    "Mars 2022",
    "5 000",
    "1 200 000 kronor",
    "Ring 08-123 45 67",
    "Version 1.2.2022.5",
    "Geopositionerade filmbilder publicerade den 28 februari 2026 visar hur ukrainska styrkor anfaller",
    "Artikeln publicerades 3 mars 2022 och uppdaterades sedan",
    "Han föddes 1 december 1950.",
]


@pytest.mark.parametrize("line", NOT_DATE_LINES)
def test_sentences_and_headlines_are_not_date_lines(line):
    assert parse_date_line(line) is None
    assert parse_date_line(line, reference=REF) is None


@pytest.mark.parametrize(
    "text", [t for t in NOT_DATE_LINES if not re.search(r"\d{4}(?!\d)", t) or "5 000" in t]
)
def test_numbers_in_sentences_are_not_dates(text):
    assert find_dates(text) == []
    assert find_dates(text, reference=REF) == []


def test_sentence_with_a_date_is_found_but_is_no_date_line():
    line = "Under natten mellan den 27 och 28 februari anföll styrkorna."
    assert parse_date_line(line, reference=REF) is None
    assert [(m.text, m.value) for m in find_dates(line, reference=REF)] == [("28 februari", D(2013, 2, 28))]
    assert find_dates(line) == []  # no year and no reference day: no date


def test_loose_forms_need_a_label_or_a_time_on_a_line():
    assert parse_date_line("23.05", reference=REF) is None
    assert values(parse_date_line("Publicerad 23.05", reference=REF)) == [("2013-05-23", "published")]
    assert values(parse_date_line("23.05 kl. 10.15", reference=REF)) == [("2013-05-23", None)]
    assert parse_date("23.05", reference=REF) == D(2013, 5, 23)


def test_rejects_are_counted_by_reason():
    rejects: Counter[str] = Counter()
    find_dates("Den 31.02.2022, order 20220523, och den 3 mars.", rejects=rejects)
    assert rejects == Counter({"invalid_date": 1, "unlabelled_compact": 1, "no_year": 1})
    rejects.clear()
    find_dates("Han gav 2 Jan Svensson boken och top 3 may leave", reference=REF, rejects=rejects)
    assert rejects == Counter({"capitalised_abbreviation": 1, "ambiguous_month": 1})


def test_ambiguous_words_are_months_only_with_a_year_or_a_capital():
    assert find_dates("The top 3 may leave.", reference=REF) == []
    assert [m.value for m in find_dates("Signed 3 May 2022 and 4 may 2022.")] == [
        D(2022, 5, 3),
        D(2022, 5, 4),
    ]
    assert [m.value for m in find_dates("Han kom 2 jan till Oslo.", reference=REF)] == [D(2013, 1, 2)]


# --- relative dates and missing years --------------------------------------------------------------

RELATIVE = [
    ("idag", D(2013, 2, 12)),
    ("i går", D(2013, 2, 11)),
    ("igår 10:15", D(2013, 2, 11)),
    ("i förrgår", D(2013, 2, 10)),
    ("i morgen", D(2013, 2, 13)),
    ("i overimorgen", D(2013, 2, 14)),
    ("nästa tisdag", D(2013, 2, 19)),  # strictly after the reference Tuesday
    ("neste onsdag", D(2013, 2, 13)),
    ("nästa fredag igen", D(2013, 2, 22)),
    ("förra tisdag", D(2013, 2, 5)),
    ("sidste søndag", D(2013, 2, 10)),
    ("söndag i förra veckan", D(2013, 2, 10)),
    ("onsdag neste uke", D(2013, 2, 20)),
    ("tirsdag i denne uge", D(2013, 2, 12)),
    ("3 veckor sedan", D(2013, 1, 22)),
    ("for 2 dager siden", D(2013, 2, 10)),
    ("om én uge", D(2013, 2, 19)),
    ("3 måneder siden", D(2012, 11, 12)),
    ("for 2 timer siden", D(2013, 2, 12)),  # the reference is a day: hours count in whole days
    ("for 26 timer siden", D(2013, 2, 11)),
    ("3 hours ago", D(2013, 2, 12)),
    ("Den 15:e", D(2013, 2, 15)),
    ("Den femtende", D(2013, 2, 15)),
    ("15. februar", D(2013, 2, 15)),
    ("Fre, Jul 18", D(2014, 7, 18)),  # the year in which 18 July is a Friday, nearest the reference
    ("kl. 19:30, Lör, 20 sep", D(2014, 9, 20)),
    ("första tisdagen i oktober", D(2013, 10, 1)),
    ("siste mandag i mars", D(2013, 3, 25)),
]


@pytest.mark.parametrize(("text", "expected"), RELATIVE)
def test_relative_with_reference(text, expected):
    assert parse_date(text, reference=REF) == expected
    assert parse_date(text, reference=dt.datetime(2013, 2, 12, 23, 59)) == expected
    assert parse_date(text) is None  # without a reference day, no date


def test_relative_at_the_ends_of_the_calendar():
    assert parse_date("i går", reference=D(1, 1, 1)) is None
    assert find_dates("i morgon", reference=D(9999, 12, 31)) == []


def test_months_and_weeks_counted_in_month_arithmetic():
    assert parse_date("1 månad sedan", reference=D(2024, 3, 31)) == D(2024, 2, 29)
    assert parse_date("om ett år", reference=D(2024, 2, 29)) == D(2025, 2, 28)


def test_nth_weekday_with_year_needs_no_reference():
    assert parse_date("tredje tisdagen i september 2014") == D(2014, 9, 16)
    assert parse_date("sidste søndag i marts 2014") == D(2014, 3, 30)
    assert parse_date("last day of February 2024") == D(2024, 2, 29)


def test_ambiguous_relative_expressions_are_left_unread():
    assert parse_date("fredag", reference=REF) is None  # Duckling says the coming one, dateparser the last
    assert find_dates("Etter seieren på fredag var det vanskelig.", reference=REF) == []  # nb: just past
    assert parse_date("på fredag", load_packs(("sv",)), reference=REF) == D(2013, 2, 15)  # sv: coming
    assert find_dates("for 100 år siden", reference=REF) == []  # no day behind it …
    assert parse_date("for 100 år siden", reference=REF) == D(1913, 2, 12)  # … unless the caller insists
    assert find_dates("för 5 000 år sedan", reference=REF) == []


def test_relative_in_running_text():
    text = "Kazakstans inrikesdepartement uppger i dag fredag att 25 har dödats."
    (m,) = find_dates(text, reference=REF)
    assert (m.text, m.value, m.relative) == ("i dag", REF, True)
    assert find_dates(text) == []
    (m,) = find_dates("De kommer att spela på lördag 10 juni.", reference=REF)
    assert (m.text, m.value) == ("lördag 10 juni", D(2017, 6, 10))


# --- per language -------------------------------------------------------------------------------

LINES = {
    "sv": [
        ("Publicerad: 3 mars 2022 kl. 10.15", [("2022-03-03", "published")]),
        (
            "Publicerad 23 maj 2022, uppdaterad 24 maj 2022",
            [("2022-05-23", "published"), ("2022-05-24", "updated")],
        ),
        ("Uppdaterad idag 10:15", [("2013-02-12", "updated")]),
        ("tisdag 3 mars 2022 | 14:32", [("2022-03-03", None)]),
        ("Senast uppdaterad: i går 18.40", [("2013-02-11", "updated")]),
    ],
    "nb": [
        (
            "Publisert 23.05.2022, oppdatert 24.05.2022",
            [("2022-05-23", "published"), ("2022-05-24", "updated")],
        ),
        ("23. mai 2022 kl. 10.15", [("2022-05-23", None)]),
        ("Oppdatert i går kl. 12.00", [("2013-02-11", "updated")]),
        ("Sist oppdatert: 24. mai 2022 10:15 CET", [("2022-05-24", "updated")]),
        ("Publ. 23.05.2022 | Endret 24.05.2022", [("2022-05-23", "published"), ("2022-05-24", "updated")]),
    ],
    "nn": [
        ("Publisert tysdag 23. mai 2022", [("2022-05-23", "published")]),
        ("Oppdatert i går klokka 12.00", [("2013-02-11", "updated")]),
        ("Endra 3. januar 2023 - 09:12", [("2023-01-03", "updated")]),
        ("Publisert 18.01.2011 kl 10:46", [("2011-01-18", "published")]),
    ],
    "da": [
        ("Publiceret 23. maj 2022 kl. 10.15", [("2022-05-23", "published")]),
        ("Opdateret i dag kl. 14.00", [("2013-02-12", "updated")]),
        ("Sidst opdateret 3. marts 2022", [("2022-03-03", "updated")]),
        ("Søndag, 10 feb", [("2013-02-10", None)]),
    ],
    "en": [
        ("Published March 3, 2022", [("2022-03-03", "published")]),
        ("Updated 3rd of March 2022 at 10:15", [("2022-03-03", "updated")]),
        ("Last updated: Tuesday 3 March 2022 10:15 GMT", [("2022-03-03", "updated")]),
        ("Posted yesterday at 10:15", [("2013-02-11", "published")]),
    ],
}
SENTENCES = {
    "sv": ("Riksdagen röstade den 3 mars 2022 om förslaget, som gäller från 1 januari.", ["2022-03-03"]),
    "nb": ("Loven ble vedtatt 23. mai 2022, og 3 000 søkte før 1.6.2022.", ["2022-05-23", "2022-06-01"]),
    "nn": ("Frå 1. juli 2006 omfattar etaten 2 500 tilsette.", ["2006-07-01"]),
    "da": ("Aftalen blev underskrevet den 3. marts 2015 af 12 partier.", ["2015-03-03"]),
    "en": ("The treaty was signed on 3 March 2022 by 30 nations.", ["2022-03-03"]),
}


@pytest.fixture(params=LANGS)
def lang(request):
    return request.param


def test_date_lines_per_language(lang):
    for packs in (load_packs((lang,)), load_packs()):
        for line, expected in LINES[lang]:
            assert values(parse_date_line(line, packs, reference=REF)) == expected, line


def test_sentences_per_language(lang):
    text, expected = SENTENCES[lang]
    for packs in (load_packs((lang,)), load_packs()):
        assert [m.value.isoformat() for m in find_dates(text, packs)] == expected
        assert parse_date_line(text, packs) is None


# --- language packs are data --------------------------------------------------------------------


def test_pack_tables(lang):
    pack = load_pack(lang)
    assert len(pack.words("dates", "day_ordinals")) == 31
    assert len(pack.words("dates", "counts")) >= 12
    assert set(pack.months.values()) == set(range(1, 13))
    assert set(pack.weekdays.values()) == set(range(1, 8))
    for key in ("published_labels", "updated_labels", "today", "yesterday", "clock_labels", "day_units"):
        assert pack.words("dates", key), key


def test_no_word_means_two_numbers_across_packs():
    for key in ("day_ordinals", "counts"):
        seen: dict[str, int] = {}
        for code in LANGS:
            for i, item in enumerate(load_pack(code).words("dates", key), 1):
                for word in item.split("|"):
                    assert seen.setdefault(word, i) == i, (key, word)
    for table in ("months", "weekdays"):
        seen = {}
        for code in LANGS:
            for word, n in getattr(load_pack(code), table).items():
                assert seen.setdefault(word, n) == n, (table, word)


def test_no_nordic_word_in_the_code():
    """Language knowledge is data: no string literal in the dates code holds a word of the packs."""
    words = set()
    for code in ("sv", "nb", "nn", "da"):
        pack = load_pack(code)
        items = [*pack.months, *pack.weekdays, *(w for v in pack.dates.values() for w in v)]
        words |= {w for item in items for w in re.findall(r"[^\W\d_]{4,}", item.lower())}
    for path in (REPO / "src" / "nyhetsvakt" / "dates").glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                found = words & set(re.findall(r"[^\W\d_]{4,}", node.value.lower()))
                assert not found, f"{path.name}: {found} in {node.value!r}"


# --- properties ---------------------------------------------------------------------------------


def _renderers(code: str):
    """Ways each language writes a date, as functions (date, draw) -> text."""
    pack = load_pack(code)
    by_month: dict[int, list[str]] = {}
    for name, n in pack.months.items():
        by_month.setdefault(n, []).append(name)
    full = {n: max(names, key=len) for n, names in by_month.items()}
    weekday = {n: max((w for w, k in pack.weekdays.items() if k == n), key=len) for n in range(1, 8)}
    suffix = (pack.words("dates", "ordinal_suffixes") or [""])[0]
    time_label = pack.words("dates", "clock_labels")[0]
    ordinal = [item.split("|")[0] for item in pack.words("dates", "day_ordinals")]
    joiners = [f"{j} " for j in pack.words("dates", "month_joiners")] or [""]
    return [
        lambda d, draw: f"{d.day}{suffix} {draw(st.sampled_from(joiners))}{full[d.month]} {d.year}",
        lambda d, draw: f"{ordinal[d.day - 1]} {full[d.month]} {d.year}",
        lambda d, draw: d.strftime("%Y %m %d"),
        lambda d, draw: d.strftime(
            draw(st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"]))
        ),
        lambda d, draw: f"{d.day}.{d.month}.{d.year}",
        lambda d, draw: d.strftime("%Y-%m-%dT%H:%M:%S+02:00"),
        lambda d, draw: f"{d.day} {draw(st.sampled_from(sorted(by_month[d.month])))} {d.year}",
        lambda d, draw: f"{d.day}. {full[d.month]} {d.year} {time_label}. 10.15",
        lambda d, draw: f"{weekday[d.isoweekday()]} {d.day}{suffix} {full[d.month]} {d.year}",
        lambda d, draw: f"{full[d.month].capitalize()} {d.day}, {d.year}",
    ]


@settings(max_examples=300, deadline=None)
@given(st.data(), st.sampled_from(LANGS), st.dates(D(1900, 1, 1), D(2099, 12, 31)))
def test_round_trip(data, code, day):
    render = data.draw(st.sampled_from(_renderers(code)))
    text = render(day, data.draw)
    for packs in (load_packs((code,)), load_packs()):
        assert parse_date(text, packs) == day, text
        found = find_dates(f"Sedan {text} gäller det.", packs)
        assert [(m.value, m.text) for m in found] == [(day, text)]


@settings(max_examples=300, deadline=None)
@given(st.dates(D(1969, 1, 1), D(2068, 12, 31)))
def test_round_trip_two_digit_year(day):
    assert parse_date(day.strftime("%d.%m.%y")) == day


TOKENS = [
    "3",
    "23",
    "2022",
    "05",
    "31",
    "0",
    "000",
    "12",
    ".",
    "-",
    "/",
    ":",
    ",",
    " ",
    "\u00a0",
    "\n",
    "mars",
    "maj",
    "Jan",
    "may",
    "tisdag",
    "fre",
    "kl.",
    "10:15",
    "i går",
    "nästa",
    "sedan",
    "dagar",
    "om",
    "den",
    "Publicerad",
    "Oppdatert:",
    "T",
    "Z",
    "+02:00",
    ":e",
    "3rd",
    "of",
    "tredje",
    "sista",
    "i",
    "CET",
    "år",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(TOKENS), max_size=30).map("".join) | st.text(max_size=200),
    st.none() | st.dates(D(1900, 1, 1), D(2099, 12, 31)),
)
def test_never_raises_and_offsets_slice(text, reference):
    found = find_dates(text, reference=reference)
    end = 0
    for m in found:
        assert text[m.start : m.end] == m.text and m.start >= end
        assert isinstance(m.value, dt.date)
        end = m.end
    for m in parse_date_line(text, reference=reference) or []:
        assert text[m.start : m.end] == m.text
    parse_date(text, reference=reference)


# --- quality floor on data nobody here wrote -----------------------------------------------------


def _benchmark():
    spec = importlib.util.spec_from_file_location("bench_dates", REPO / "benchmarks" / "dates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Measured 100 % absolute / 70 % relative with all packs, 0 wrong (benchmarks/results/dates.md).
FLOORS = {"absolute day": 0.95, "relative day": 0.65}


@pytest.mark.parametrize("code", ["sv", "nb", "da"])
def test_duckling_quality_floor(shared_dir: Path, code):
    bench = _benchmark()
    packs = load_packs()
    month_names = re.compile(
        r"(?<![^\W\d_])(?:" + "|".join(sorted(packs.months, key=len, reverse=True)) + r")(?![^\W_])",
        re.IGNORECASE,
    )
    rows = bench.load(shared_dir, code)
    for cls, floor in FLOORS.items():
        s = bench.score(rows, bench.make_ours(packs), cls, month_names)
        assert s["n"] >= 20
        assert s["ok"] / s["n"] >= floor, (cls, s["failures"])
        assert s["wrong"] == 0, (cls, s["failures"])
