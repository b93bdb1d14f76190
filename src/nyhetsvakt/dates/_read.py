"""From one grammar match to a date: field decoding, validation, years and relative arithmetic.

The rules that decide what is *not* a date live here, each with the reason it is counted under.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ._grammar import LOOSE_RULES, RELATIVE_RULES, Grammar, norm

__all__ = ["Mode", "Reading", "complete", "read", "why_not"]

Mode = Literal["scan", "line", "phrase"]  # running text, a date line, one known date expression

TWO_DIGIT_PIVOT = 69  # "74" → 1974, "22" → 2022: the POSIX strptime convention
# "3 månader sedan" names a day only where the caller says it is a date (parse_date): not SCAN_UNITS.
COARSE_UNITS = ("month", "year")
DAYS_PER_UNIT = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7}
WEEKDAY_YEAR_SPAN = 11  # a weekday + day + month recurs within 11 years: the window searched for a year


@dataclass(slots=True)
class Reading:
    """What one match says before a year is inferred: y is None when the text gave none."""

    rule: str
    y: int | None = None
    m: int = 0
    d: int = 0
    value: dt.date | None = None  # set directly by relative rules
    weekday: int | None = None
    nth: int = 0  # "tredje tisdagen i mars": 3, "sista": -1; nth_weekday None counts days
    nth_weekday: int | None = None
    has_time: bool = False
    relative: bool = False
    loose: bool = False
    needs_label: bool = False
    reason: str | None = None  # why this is not a date; None when it is


def _date(y: int, m: int, d: int) -> dt.date | None:
    if 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]:
        return dt.date(y, m, d)
    return None


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _nth_in_month(year: int, month: int, nth: int, weekday: int | None) -> dt.date | None:
    """The nth (or, for -1, the last) day or given weekday of a month."""
    length = calendar.monthrange(year, month)[1]
    if weekday is None:
        return _date(year, month, length if nth < 0 else nth)
    if nth < 0:
        return dt.date(year, month, length - (dt.date(year, month, length).isoweekday() - weekday) % 7)
    return _date(year, month, 1 + (weekday - dt.date(year, month, 1).isoweekday()) % 7 + 7 * (nth - 1))


def complete(r: Reading, reference: dt.date | None) -> dt.date | None:
    """The date of a reading. A missing year is the reference's; with a weekday given
    ("Fre, Jul 18"), the year nearest the reference in which that day is that weekday."""
    if r.value is not None or r.reason:
        return r.value
    if r.nth:
        year = r.y if r.y is not None else reference.year if reference else None
        return None if year is None else _nth_in_month(year, r.m, r.nth, r.nth_weekday)
    if r.y is not None:
        return _date(r.y, r.m, r.d)
    if reference is None:
        return None
    if r.weekday is not None:
        years = range(reference.year - WEEKDAY_YEAR_SPAN, reference.year + WEEKDAY_YEAR_SPAN + 1)
        fits = [c for y in years if (c := _date(y, r.m, r.d)) and c.isoweekday() == r.weekday]
        if fits:
            return min(fits, key=lambda c: abs((c - reference).days))
    return _date(reference.year, r.m, r.d)


def why_not(r: Reading) -> str:
    """The reason a reading gave no date, for the ``rejects`` counter."""
    return r.reason or ("no_year" if r.y is None else "invalid_date")


def read(
    g: Grammar, m: re.Match[str], rule: str, mode: Mode, reference: dt.date | None, original: str
) -> Reading:
    """Decode the fields of ``rule`` in match ``m`` (made on the lower-cased ``original``);
    set ``reason`` when it is not a date."""
    fields = g.fields[rule]

    def get(field: str) -> str | None:
        return m.group(f"{rule}_{field}") if field in fields else None

    r = Reading(rule, has_time=bool(get("t") or get("iso")), loose=rule in LOOSE_RULES)
    if rule in RELATIVE_RULES or rule == "dayonly":
        r.relative = True
        if reference is None:
            r.reason = "needs_reference"
            return r
        try:
            return _relative(g, r, get, reference, mode)
        except OverflowError:  # "i går" on 1 January of the year 1
            r.reason = "out_of_range"
            return r
    year, yy, mon = get("y"), get("yy"), get("mon")
    if rule == "nthwd":
        r.y, r.m, r.relative = (int(year) if year else None), g.months[mon], year is None
        r.nth = -1 if get("last") else g.ordinals[norm(get("dw"))]
        r.nth_weekday = g.weekdays[get("wd")] if get("wd") else None
        if r.nth > 5 and r.nth_weekday is not None:
            r.reason = "invalid_date"
        return r
    r.y = int(year) if year else None
    r.d = int(get("d")) if get("d") else g.ordinals.get(norm(get("dw") or ""), 0)
    if mon:
        r.m = g.months[norm(mon)]
        capital = original[m.start(f"{rule}_mon")].isupper()
        if year is None and mode != "phrase" and mon in g.ambiguous_months and not capital:
            r.reason = "ambiguous_month"  # "top 3 may leave"
        elif year is None and mode == "scan" and mon in g.month_abbreviations and capital:
            r.reason = "capitalised_abbreviation"  # "gav 2 Jan Svensson"
        if rule == "mond" and year is None:
            if mode == "scan":
                r.reason = r.reason or "month_day_without_year"  # "i mars 3 gånger"
            r.loose = True
    else:
        r.m = int(get("m") or 0)
    if rule == "compact":
        r.needs_label = True
    if yy is not None:
        if mode != "phrase" and (len(get("d") or "") < 2 or len(get("m") or "") < 2):
            r.reason = "short_two_digit_year"  # "1-2-10" reads as a score, "23.05.22" as a date
        n = int(yy)
        r.y = 2000 + n if n < TWO_DIGIT_PIVOT else 1900 + n
    if get("s") == "/" and r.m > 12 >= r.d and rule == "dmy":
        r.d, r.m = r.m, r.d  # "05/23/2022" can only be month first
    # Without a year, check against a leap year: "29 februari" may stand.
    if r.reason is None and _date(2000 if r.y is None else r.y, r.m, r.d) is None:
        r.reason = "invalid_date"
    return r


def _relative(
    g: Grammar, r: Reading, get: Callable[[str], str | None], reference: dt.date, mode: Mode
) -> Reading:
    """Dates counted from the reference day: "i går", "nästa fredag", "3 veckor sedan", "den 15:e"."""
    rule = r.rule
    if rule == "relword":
        r.value = reference + dt.timedelta(days=g.relative_days[norm(get("rw"))])
    elif rule == "dayonly":
        d = int(get("d")) if get("d") else g.ordinals[norm(get("dw"))]
        r.value = _date(reference.year, reference.month, d)
    elif rule == "relwd":
        wd = g.weekdays[norm(get("wd"))]
        if g.directions[norm(get("dir"))] > 0:
            ahead = (wd - reference.isoweekday() - 1) % 7 + 1  # strictly after the reference day
            r.value = reference + dt.timedelta(days=ahead + (7 if get("again") else 0))
        else:
            back = (reference.isoweekday() - wd - 1) % 7 + 1
            r.value = reference - dt.timedelta(days=back)
    elif rule == "wdweek":
        monday = reference - dt.timedelta(days=reference.isoweekday() - 1)
        offset = g.week_offsets[norm(get("wk"))]
        r.value = monday + dt.timedelta(days=7 * offset + g.weekdays[norm(get("wd"))] - 1)
    else:  # ago / later
        raw = get("n")
        n = int(raw) if raw.isdigit() else g.counts[norm(raw)]
        n = -n if rule == "ago" else n
        unit = g.units[norm(get("unit"))]
        if unit in COARSE_UNITS and mode != "phrase":
            r.reason = "coarse_relative"  # "for 100 år siden" is no day; only parse_date reads it as one
            return r
        if unit in DAYS_PER_UNIT:  # the reference is a day, not a time: "2 timmar sedan" is that day
            r.value = reference + dt.timedelta(days=int(n * DAYS_PER_UNIT[unit]))
        else:
            r.value = _add_months(reference, n * (12 if unit == "year" else 1))
    if r.value is None:
        r.reason = "invalid_date"
    return r
