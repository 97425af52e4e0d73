"""A customer's birthday (month and day, 'MM-DD'), beside the birth date: what a shop's
birthday coupon is sent on, and what tells a birth date read whole from one stored as
the 1st of its month or year.

A birth date written as a year alone (1990, as a number or text), a year and month
(1985年7月) or a generation (90后) is stored as its 1 January or 1st for the age, and
has no birthday. Stored alone, 1990-01-01 from "1990" could not be told from a real
1 January birthday: shown so, and compared so when records are linked into persons
(kequn.identity: "same date" evidence, and a blocking rule pairing records of one birth
date and city, which then paired everyone born "1990" in a city). A month and day
without a year (03-15, 3月15日, --0315, as shops collect for birthday coupons) has a
birthday and no birth date, nor an age; it was not kept at all.
"""

from __future__ import annotations

#: a month and day as people write them in a birthday column, month first as Chinese
#: writes it (03-15, 3/15, 3.15, 3月15日; vCard's --03-15 and --0315), else day first
#: where the first cannot be a month (15/03)
_PAIR = r"^(?:--)?(\d{1,2})[-/.](\d{1,2})\.?$"
_PACKED = r"^--(\d{2})(\d{2})$"
_CHINESE = r"^(\d{1,2})月(\d{1,2})[日号]?$"
#: and in English, as the birthday column's warning reads them (cell_macros.MONTH_DAY):
#: March 15, Mar. 15, Sep 1st; 15 March, 1st of Sep
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NAME = f"({'|'.join(_MONTHS)})[a-z]*\\.?"
_NAMED_FIRST = f"^{_NAME},?\\s*(\\d{{1,2}})(st|nd|rd|th)?$"
_NAMED_LAST = f"^(\\d{{1,2}})(st|nd|rd|th)?\\s*(of\\s+)?{_NAME}$"


def month_day(cell: str) -> str:
    """SQL: 'MM-DD' of a month-and-day ``cell``, NULL for anything else (a date that is
    none, 02-30, too). 29 February is a birthday (tried in the leap year 2000)."""
    parts = []
    for pattern in (_PAIR, _PACKED, _CHINESE):
        first = f"try_cast(nullif(regexp_extract({cell}, '{pattern}', 1), '') AS INTEGER)"
        second = f"try_cast(nullif(regexp_extract({cell}, '{pattern}', 2), '') AS INTEGER)"
        if pattern == _PAIR:
            month = f"CASE WHEN {first} > 12 THEN {second} ELSE {first} END"
            day = f"CASE WHEN {first} > 12 THEN {first} ELSE {second} END"
        else:
            month, day = first, second
        parts.append(f"strftime(try(make_date(2000, {month}, {day})), '%m-%d')")
    names = "[" + ", ".join(f"'{m}'" for m in _MONTHS) + "]"
    for pattern, month_at, day_at in ((_NAMED_FIRST, 1, 2), (_NAMED_LAST, 4, 1)):
        month = (
            f"nullif(list_position({names}, regexp_extract({cell}, '{pattern}', {month_at})), 0)"
        )
        day = f"try_cast(nullif(regexp_extract({cell}, '{pattern}', {day_at}), '') AS INTEGER)"
        parts.append(f"strftime(try(make_date(2000, {month}, {day})), '%m-%d')")
    return f"coalesce({', '.join(parts)})"


#: a birth cell read as the 1st of its month or year (convert: _birth_fragment): a year
#: (1990, or 1990.0 from a number column), a year and month (1985年7月, 1985-07, 1985.7,
#: 2001/12), a generation (90后); one expression, tested once per row
_PARTIAL = r"(19|20)\d{2}([-/.年]\s*(0?[1-9]|1[0-2])月?)?[-/.年]?(\.0+)?|.*[后後].*"


def birthday_sql(raw: str, born: str) -> str:
    """SQL: the birthday of a row whose birth column's cell is ``raw`` (as the file wrote
    it) and whose birth date was read as ``born``: the birth date's month and day where
    the cell gave the whole date, else the cell's month and day, else NULL (a year, a
    year and month, a generation)."""
    cell = f"trim(CAST({raw} AS VARCHAR))"
    return (
        f"CASE WHEN {born} IS NULL THEN {month_day(f'lower({cell})')} "
        f"WHEN NOT coalesce(regexp_full_match({cell}, '{_PARTIAL}'), false) "
        f"THEN strftime({born}, '%m-%d') END"
    )
