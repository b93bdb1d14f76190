"""The date grammar: regular expressions built once per :class:`PackSet` from its word lists.

Each rule is a named group (``dmon``, ``ymd``, …) whose inner groups are named
``<rule>_<field>``, so one match says which rule fired and what it captured. No word of any
language is written here: months, weekdays, labels, ordinals and relative words all come
from the packs' ``[months]``, ``[weekdays]`` and ``[dates]`` tables.

The patterns are lower case and case-sensitive: callers match them against ``lower(text)``
(same length, same offsets). Case-insensitive matching turns off the regex engine's literal
fast paths and was 1.5× slower.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..langpacks import PackSet

__all__ = ["ABSOLUTE_RULES", "LOOSE_RULES", "RELATIVE_RULES", "Grammar", "grammar_for", "lower", "norm"]

HWS = r"[^\S\n]"  # horizontal white space; NO-BREAK SPACE included, a line break never
BEFORE_WORD = r"(?<![^\W\d_])"  # not glued to a letter before ("2022Publicerad" is fine)
AFTER_WORD = r"(?![^\W\d_])"
# A date's digits are not the tail or head of a longer number: "046-28 52 900", "1.2.2022.5".
NUM_START = r"(?<!\d)(?<!\d[.,/:-])"
NUM_END = r"(?!\d)(?![.,/:-]\d)"
YEAR = r"[12]\d{3}"
DAY = r"3[01]|[12]\d|0?[1-9]"
DAY2 = r"3[01]|[12]\d|0[1-9]"
MONTH2 = r"1[0-2]|0[1-9]"
HOUR = r"(?:[01]?\d|2[0-3])"
# Time-zone abbreviations are not words of a language; they stand after clock times.
TIMEZONES = ("CEST", "CET", "EEST", "EET", "WEST", "WET", "BST", "GMT", "UTC")
ISO_TIME = r"t(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?(?:z|[+-]\d{2}(?::?\d{2})?)?"
LABEL_WINDOW = 60  # characters looked back from a date for its label ("Publicerad den …")
SEPARATORS = r"[\s|,;:/().·•–—-]+"

# [dates] lists used as plain alternations.
PLAIN_LISTS = (
    "ordinal_suffixes",
    "month_joiners",
    "day_articles",
    "clock_labels",
    "again_words",
    "ago_prefixes",
    "ago_suffixes",
    "in_prefixes",
    "last_in_month",
    "day_words",
    "in_month",
    "weekday_endings",
)
UNITS = ("minute", "hour", "day", "week", "month", "year")  # each a [dates] list "<unit>_units"
SCAN_UNITS = ("minute", "hour", "day", "week")  # units of "3 dagar sedan" that running text is scanned for
# Rule order matters: at one position the first rule that matches wins.
ABSOLUTE_RULES = ("ymd", "ymd_sp", "compact", "dmy", "dmon", "mond", "ordmon", "nthwd")
LOOSE_RULES = ("dm", "dayonly")  # only where the text is known to be a date (parse_date, date lines)
RELATIVE_RULES = ("relword", "relwd", "wdweek", "ago", "later")


_WORD = re.compile(r"[^\W\d_]+")


def lower(text: str) -> str:
    """``text`` in lower case with every offset kept (a character whose lower case is longer,
    like "İ", stays as it is)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _first_words(phrases: Iterable[str]) -> set[str]:
    """The first word of each phrase: where a rule that opens with the phrase can start."""
    return {m.group() for p in phrases if (m := _WORD.search(p.lower()))}


def _last_words(phrases: Iterable[str]) -> set[str]:
    """The last word of each phrase: a text without any of them cannot hold the phrases."""
    return {w[-1] for p in phrases if (w := _WORD.findall(p.lower()))}


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first, inner spaces matching any run of spaces."""
    uniq = sorted({w.strip().lower() for w in words if w.strip()}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", HWS + "+") for w in uniq) or "(?!)"


def norm(phrase: str) -> str:
    """The lookup key of a matched word or phrase: lower case, single spaces."""
    return " ".join(phrase.lower().split())


def _abbreviations(table: dict[str, int]) -> set[str]:
    """Names that are the start of a longer name for the same number ("jan" of "januari")."""
    return {a for a, n in table.items() for b, k in table.items() if k == n and b != a and b.startswith(a)}


def _ordered(packs: PackSet, key: str) -> dict[str, int]:
    """An ordered ``[dates]`` list (position = value, "|" between spellings) as word → value."""
    out: dict[str, int] = {}
    for pack in packs:
        for i, item in enumerate(pack.words("dates", key), start=1):
            for word in item.split("|"):
                out.setdefault(norm(word), i)
    return out


def _clock(tl: str, tz: str, *, after_date: bool) -> str:
    """A clock time: "kl. 10.15", "10:15 CET"; after a date also ", 19:00" and a bare "10.15"."""
    labelled = rf"(?:{tl})\.?{HWS}*{HOUR}(?:[.:][0-5]\d){{0,2}}(?!\d)"
    zone = rf"(?:{HWS}*(?:{tz}){AFTER_WORD})?"
    if not after_date:
        return rf"(?:{labelled}|{HOUR}:[0-5]\d(?::[0-5]\d)?(?![\d:])){zone}"
    bare = rf"{HOUR}(?::[0-5]\d(?::[0-5]\d)?|\.[0-5]\d)(?![\d.:])"
    return rf"(?:,?{HWS}*{labelled}|,?{HWS}+{bare}){zone}"


@dataclass(frozen=True)
class Grammar:
    """Compiled patterns and word tables for one PackSet."""

    scan_absolute: re.Pattern[str]  # rules tried in running text without a reference day
    scan_relative: re.Pattern[str]  # … and with one
    openers_absolute: frozenset[str]  # words a scan rule can start with, besides digits
    openers_relative: frozenset[str]
    relative_keys: frozenset[str]  # a relative rule needs one of these words: "går", "fredag", "veckor"
    line: re.Pattern[str]  # one token of a date line: a date of any rule, a label, a time, a filler word …
    label_before: re.Pattern[str]  # a label ending where a date starts ("Publicerad den ")
    weekday_before: re.Pattern[str]  # a full weekday name ending where a date starts
    fields: dict[str, frozenset[str]]  # rule → the fields its pattern captures
    months: dict[str, int]
    month_abbreviations: frozenset[str]
    ambiguous_months: frozenset[str]
    weekdays: dict[str, int]
    ordinals: dict[str, int]
    counts: dict[str, int]
    relative_days: dict[str, int]  # "i går" → -1
    directions: dict[str, int]  # "nästa" → +1, "förra" → -1
    week_offsets: dict[str, int]  # "i förra veckan" → -1
    units: dict[str, str]  # "veckor" → "week"


def _rules(w: dict[str, str], weekdays: str) -> dict[str, str]:
    """Rule name → pattern with ``@`` standing for the rule's group prefix."""
    mon = rf"(?P<@mon>{w['months']}){AFTER_WORD}(?:\.(?=,?{HWS}*\d))?"
    year_after = rf"(?:,?{HWS}*(?P<@y>{YEAR})(?!\d))?"
    suffix = rf"(?:\.|{w['ordinal_suffixes']})?"
    joiner = rf"(?:(?:{w['month_joiners']}){HWS}+)?"
    time = rf"(?P<@t>{_clock(w['clock_labels'], w['tz'], after_date=True)})?"
    return {
        "ymd": rf"{NUM_START}(?P<@y>{YEAR})(?P<@s>[-/.])(?P<@m>\d{{1,2}})(?P=@s)(?P<@d>\d{{1,2}})"
        rf"(?P<@iso>{ISO_TIME})?{NUM_END}{time}",
        "ymd_sp": rf"{NUM_START}(?<!\d{HWS})(?P<@y>{YEAR}){HWS}(?P<@m>{MONTH2}){HWS}(?P<@d>{DAY2})"
        rf"{time}(?!\d)(?!{HWS}?\d)",
        "compact": rf"{NUM_START}(?P<@y>{YEAR})(?P<@m>{MONTH2})(?P<@d>{DAY2}){NUM_END}",
        "dmy": rf"{NUM_START}(?P<@d>\d{{1,2}})(?P<@s>[-/.])(?P<@m>\d{{1,2}})(?P=@s)"
        rf"(?:(?P<@y>{YEAR})|(?P<@yy>\d\d)){NUM_END}{time}",
        "dmon": rf"{NUM_START}{BEFORE_WORD}(?P<@d>{DAY}){suffix}{HWS}*{joiner}{mon}{year_after}{time}",
        "mond": rf"{BEFORE_WORD}{mon}{HWS}*(?P<@d>{DAY})(?:{w['ordinal_suffixes']})?(?!\d){AFTER_WORD}"
        rf"(?:,?{HWS}+(?P<@y>{YEAR})(?!\d))?{time}",
        "ordmon": rf"{BEFORE_WORD}(?P<@dw>{w['ordinals']}){HWS}+{joiner}"
        rf"(?P<@mon>{w['full_months']}){AFTER_WORD}{year_after}{time}",
        # "första tisdagen i oktober 2014", "sidste dag i marts": counted within the month.
        "nthwd": rf"{BEFORE_WORD}(?:(?P<@dw>{w['ordinals']})|(?P<@last>{w['last_in_month']})){HWS}+"
        rf"(?:(?P<@wd>{weekdays})(?:{w['weekday_endings']})?|(?P<@day>{w['day_words']})){AFTER_WORD}"
        rf"{HWS}+(?:{w['in_month']}){HWS}+(?P<@mon>{w['months']}){AFTER_WORD}{year_after}",
        "dm": rf"{NUM_START}(?P<@d>\d{{1,2}})(?P<@s>[-/.])(?P<@m>\d{{1,2}}){NUM_END}{time}",
        # Atomic, so "den 3:e mars" cannot shrink to "den 3" to dodge the month check after it.
        "dayonly": rf"{BEFORE_WORD}(?:{w['day_articles']}){HWS}+(?>(?P<@d>{DAY}){suffix}(?!\d)|"
        rf"(?P<@dw>{w['ordinals']}){AFTER_WORD})(?!{HWS}*{joiner}(?:{w['months']}){AFTER_WORD})"
        rf"{time}",
        "relword": rf"{BEFORE_WORD}(?P<@rw>{w['relwords']}){AFTER_WORD}{time}",
        # Not when an explicit date follows: "på lördag 10 juni" is 10 June.
        "relwd": rf"{BEFORE_WORD}(?P<@dir>{w['directions']}){HWS}+(?P<@wd>{weekdays}){AFTER_WORD}\.?"
        rf"(?:{HWS}+(?P<@again>{w['again_words']}){AFTER_WORD})?{time}(?!,?{HWS}*\d)",
        "wdweek": rf"{BEFORE_WORD}(?P<@wd>{weekdays}){AFTER_WORD}\.?,?{HWS}+"
        rf"(?P<@wk>{w['weeks']}){AFTER_WORD}",
        # The count is no thousands group: "för 5 000 år sedan".
        "ago": rf"{BEFORE_WORD}(?:(?:{w['ago_prefixes']}){HWS}+)?(?<!\d{HWS})"
        rf"(?P<@n>\d{{1,3}}|{w['counts']}){HWS}+(?P<@unit>{w['units']}){HWS}+(?:{w['ago_suffixes']}){AFTER_WORD}",
        "later": rf"{BEFORE_WORD}(?:{w['in_prefixes']}){HWS}+(?P<@n>\d{{1,3}}|{w['counts']}){HWS}+"
        rf"(?P<@unit>{w['units']}){AFTER_WORD}",
    }


def _join(rules: dict[str, str], names: Iterable[str]) -> str:
    return "|".join(
        f"(?P<{n}>{rules[n].replace('(?P<@', f'(?P<{n}_').replace('(?P=@', f'(?P={n}_')})" for n in names
    )


def _words(packs: PackSet, key: str) -> list[str]:
    return packs.words("dates", key)


def _tables(packs: PackSet) -> dict:
    """The word → value tables the rules resolve with."""
    rel_keys = {"today": 0, "yesterday": -1, "tomorrow": 1, "day_before_yesterday": -2}
    rel_keys["day_after_tomorrow"] = 2
    directions = {norm(x): 1 for x in _words(packs, "next_words")}
    directions.update({norm(x): -1 for x in _words(packs, "last_words")})
    for word in _words(packs, "not_direction_words"):  # one language's "next" is another's "just past"
        directions.pop(norm(word), None)
    week_keys = {"this_week": 0, "next_week": 1, "last_week": -1}
    return {
        "months": packs.months,
        "month_abbreviations": frozenset().union(*(_abbreviations(p.months) for p in packs)),
        "ambiguous_months": frozenset(norm(x) for x in _words(packs, "ambiguous_months")),
        "weekdays": packs.weekdays,
        "ordinals": _ordered(packs, "day_ordinals"),
        "counts": _ordered(packs, "counts"),
        "relative_days": {norm(x): off for key, off in rel_keys.items() for x in _words(packs, key)},
        "directions": directions,
        "week_offsets": {norm(x): off for key, off in week_keys.items() for x in _words(packs, key)},
        "units": {norm(x): u for u in UNITS for x in _words(packs, f"{u}_units")},
    }


@lru_cache(maxsize=16)
def grammar_for(packs: PackSet) -> Grammar:
    """Compile the grammar of ``packs`` (cached per PackSet: the regexes are built once)."""
    t = _tables(packs)
    weekday_abbr = set().union(*(_abbreviations(p.weekdays) for p in packs))
    full_weekdays = set(t["weekdays"]) - weekday_abbr
    words = {
        "months": _alt(t["months"]),
        "full_months": _alt(set(t["months"]) - t["month_abbreviations"]),
        "ordinals": _alt(t["ordinals"]),
        "counts": _alt(t["counts"]),
        "relwords": _alt(t["relative_days"]),
        "directions": _alt(t["directions"]),
        "weeks": _alt(t["week_offsets"]),
        "units": _alt(t["units"]),
        "tz": _alt(TIMEZONES),
        **{k: _alt(_words(packs, k)) for k in PLAIN_LISTS},
    }
    # In running text only full weekday names count: "man", "tor", "sön" are ordinary words too.
    scan_rules = _rules(words, _alt(full_weekdays))
    line_rules = _rules(words, _alt(t["weekdays"]))
    labels = (
        rf"(?P<lab_upd>{_alt(_words(packs, 'updated_labels'))}){AFTER_WORD}\.?|"
        rf"(?P<lab_pub>{_alt(_words(packs, 'published_labels'))}){AFTER_WORD}\.?"
    )
    filler = _alt(_words(packs, "filler"))
    line_tokens = [
        _join(line_rules, ABSOLUTE_RULES + LOOSE_RULES + RELATIVE_RULES),
        rf"(?P<clock>{_clock(words['clock_labels'], words['tz'], after_date=False)})",
        labels,
        rf"(?P<weekday>{_alt(t['weekdays'])}){AFTER_WORD}\.?",
        rf"(?P<filler>{filler}){AFTER_WORD}\.?",
        rf"(?P<tz>{words['tz']}){AFTER_WORD}",
        rf"(?P<sep>{SEPARATORS})",
    ]
    between = rf"(?:(?:{filler}|{_alt(full_weekdays)}){AFTER_WORD}\.?,?{HWS}*)*"  # "Publicerad den tisdag "
    openers = _first_words([*t["months"], *t["ordinals"], *_words(packs, "last_in_month")])
    openers_relative = openers | _first_words(
        [*t["relative_days"], *t["directions"], *t["counts"], *full_weekdays]
        + [w for key in ("day_articles", "ago_prefixes", "in_prefixes") for w in _words(packs, key)]
    )
    return Grammar(
        scan_absolute=re.compile(_join(scan_rules, ABSOLUTE_RULES)),
        scan_relative=re.compile(_join(scan_rules, ABSOLUTE_RULES + RELATIVE_RULES)),
        openers_absolute=frozenset(openers),
        openers_relative=frozenset(openers_relative),
        # Not month and year units: "3 år sedan" is never a date in running text (see COARSE_UNITS).
        relative_keys=frozenset(
            _last_words(
                [*t["relative_days"], *full_weekdays, *(u for u, k in t["units"].items() if k in SCAN_UNITS)]
            )
        ),
        line=re.compile("|".join(line_tokens)),
        label_before=re.compile(rf"{BEFORE_WORD}(?:{labels}){HWS}*:?{HWS}*{between}$"),
        weekday_before=re.compile(rf"{BEFORE_WORD}(?P<wd>{_alt(full_weekdays)}){AFTER_WORD}\.?,?{HWS}*$"),
        fields={name: frozenset(re.findall(r"\(\?P<@(\w+)>", rule)) for name, rule in line_rules.items()},
        **t,
    )
