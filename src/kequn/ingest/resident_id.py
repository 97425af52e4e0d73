"""The birth date and gender a mainland resident ID number (居民身份证号码) gives, for a
customers file that has no birth or gender column of its own, and for the rows whose
birth cell lacks them where it has one (:func:`fill_birth_sql`).

Member lists and offline forms carry one (a member import template's 证件类型 | 身份证号
columns: github biaobro/DataAnalysis_2024, S001_HengDa_UserData_Process/10.sql). The
number is GB 11643-1999's: 6 digits of the place, 8 of the birth date (YYYYMMDD), 3 of
the order, odd for a man and even for a woman, and a check character by ISO 7064 MOD
11-2, X standing for 10 (python-stdnum's stdnum/cn/ric.py; the standard's layout as
jayknoxqu/id-number-util's README quotes it). Only a number whose check character is
right and whose date is a date is read: a mistyped one gives nothing, rather than a
wrong age.

The first-generation number, issued before 1999 and still found in old member lists, has
15 digits (GB 11643-1989): 6 of the place, 6 of the birth date without its century
(YYMMDD, all in the 1900s), 3 of the order, the last odd for a man; no check character
(hutool's CIN.convert15To18 inserts "19" before the date and appends the check character
to make the 18-digit form: github dromara/hutool, hutool-core/src/main/java/org/dromara/
hutool/core/data/CIN.java; LXKing/ccclubs-bj's WebRoot/js/ccclubs.check.idcard.js splits
it 6+2+2+2+3 the same way). With nothing to check it by, it is read only when its first
digit is a region's (1-8: GB/T 2260's 11 北京 to 82 澳门) and its digits 7-12 a real
date (710229 is none): other 15 digits (a card number in a 证件号码 column) give nothing.

The number itself stays among the customer's attributes, which viewers see masked
(kequn.snapshots.read.mask_personal) and an erasure removes with the customer.
"""

from __future__ import annotations

from kequn.core.schema import RESIDENT_ID_HEADERS
from kequn.ingest.mapping import normalise_header

#: the headers of such a column, normalised (kequn.ingest.mapping.normalise_header)
HEADERS = frozenset(normalise_header(h) for h in RESIDENT_ID_HEADERS)

#: ISO 7064 MOD 11-2 weights of the first 17 digits (2^(18-i) mod 11), and the check
#: character for each remainder of the weighted sum by 11
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


def check_character(first17: str) -> str:
    """The check character of the first 17 digits of a number (for tests and docs)."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK[total % 11]


def valid_sql(cell: str) -> str:
    """SQL: whether ``cell`` (a cleaned text) is an 18-character number whose check
    character is right and whose digits 7-14 are a date from 1900 on."""
    # try_cast: DuckDB may compute the sum of a cell the pattern refuses (abc) too
    total = " + ".join(
        f"try_cast(substr({cell}, {i + 1}, 1) AS INTEGER) * {w}" for i, w in enumerate(WEIGHTS)
    )
    check = f"substr('{CHECK}', CAST(({total}) % 11 AS INTEGER) + 1, 1)"
    return (
        f"coalesce(regexp_full_match({cell}, '[0-9]{{17}}[0-9Xx]') "
        f"AND {check} = upper(substr({cell}, 18, 1)) "
        f"AND try_strptime(substr({cell}, 7, 8), '%Y%m%d') >= TIMESTAMP '1900-01-01', false)"
    )


def _born_15_sql(cell: str) -> str:
    """SQL: the birth date (a timestamp) of a 15-digit first-generation number, else
    NULL: a region's first digit, and 19YYMMDD a date."""
    return (
        f"CASE WHEN coalesce(regexp_full_match({cell}, '[1-8][0-9]{{14}}'), false) "
        f"THEN try_strptime('19' || substr({cell}, 7, 6), '%Y%m%d') END"
    )


def birth_date_sql(cell: str) -> str:
    """SQL: the birth date a valid number gives (18 digits or 15), else NULL."""
    return (
        f"CASE WHEN {valid_sql(cell)} "
        f"THEN CAST(try_strptime(substr({cell}, 7, 8), '%Y%m%d') AS DATE) "
        f"ELSE CAST({_born_15_sql(cell)} AS DATE) END"
    )


def gender_sql(cell: str) -> str:
    """SQL: 'male' for an odd order digit of a valid number (the 17th of 18, the 15th of
    15), 'female' for an even one."""
    digit = (
        f"CASE WHEN {valid_sql(cell)} THEN substr({cell}, 17, 1) "
        f"WHEN {_born_15_sql(cell)} IS NOT NULL THEN substr({cell}, 15, 1) END"
    )
    return f"CASE try_cast({digit} AS INTEGER) % 2 WHEN 1 THEN 'male' WHEN 0 THEN 'female' END"


#: a birth cell giving a year alone (1990, 1990年, 1990.0 from a number column), as
#: kequn.ingest.birthday reads one for its 1 January
_YEAR_ALONE = r"(19|20)\d{2}年?(\.0+)?"


def fill_birth_sql(born: str, raw: str) -> str:
    """SQL: an UPDATE of the parsed rows of a file with a birth column of its own and an
    ID number column, where ``born`` is the date the number gives (:func:`birth_date_sql`)
    and ``raw`` the birth cell as written. The file's column wins for what it gives; the
    number fills what it does not, row by row:

    - a cell empty or no date (abc, 02-30): the number's birth date and birthday (the
      cell's warning stays: it was no date);
    - a month and day alone (03-15): the number's birth date, for the age; the birthday
      stays the cell's, even where the number's differs (a birthday kept by the lunar
      calendar, or the day the customer celebrates: what the shop's coupon is sent on),
      and the "no year" warning goes, the customer having a birth date after all;
    - a year, a year and month, a generation (1990, 1990年3月, 90后): the number's whole
      date and birthday where it falls in them (the same year, month, decade); where it
      does not, the cell's stays, the number is not read;
    - a whole date: the cell's, the number not read, whether they agree or not.
    """
    generation = f"contains({raw}, '后') OR contains({raw}, '後')"
    agrees = (
        f"CASE WHEN {generation} THEN year({born}) // 10 = year(birth_date) // 10 "
        f"WHEN regexp_full_match(trim({raw}), '{_YEAR_ALONE}') "
        f"THEN year({born}) = year(birth_date) "
        f"ELSE year({born}) = year(birth_date) AND month({born}) = month(birth_date) END"
    )
    return (
        f"UPDATE parsed SET birth_date = {born}, "
        f"birthday = coalesce(birthday, strftime({born}, '%m-%d')), "
        f"bad__birth_date = bad__birth_date AND birthday IS NULL "
        f"WHERE {born} IS NOT NULL AND (birth_date IS NULL "
        f"OR (birthday IS NULL AND coalesce({agrees}, false)))"
    )
