"""The birth date and gender a mainland resident ID number (居民身份证号码) gives, for a
customers file that has no birth or gender column of its own.

Member lists and offline forms carry one (a member import template's 证件类型 | 身份证号
columns: github biaobro/DataAnalysis_2024, S001_HengDa_UserData_Process/10.sql). The
number is GB 11643-1999's: 6 digits of the place, 8 of the birth date (YYYYMMDD), 3 of
the order, odd for a man and even for a woman, and a check character by ISO 7064 MOD
11-2, X standing for 10 (python-stdnum's stdnum/cn/ric.py; the standard's layout as
jayknoxqu/id-number-util's README quotes it). Only a number whose check character is
right and whose date is a date is read: a mistyped one gives nothing, rather than a
wrong age. The number itself stays among the customer's attributes, which viewers see
masked (kequn.snapshots.read.mask_personal) and an erasure removes with the customer.
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


def birth_date_sql(cell: str) -> str:
    """SQL: the birth date a valid number gives, else NULL."""
    return (
        f"CASE WHEN {valid_sql(cell)} "
        f"THEN CAST(try_strptime(substr({cell}, 7, 8), '%Y%m%d') AS DATE) END"
    )


def gender_sql(cell: str) -> str:
    """SQL: 'male' for an odd 17th digit of a valid number, 'female' for an even one."""
    return (
        f"CASE WHEN {valid_sql(cell)} THEN CASE WHEN try_cast(substr({cell}, 17, 1) AS INTEGER) "
        "% 2 = 1 THEN 'male' ELSE 'female' END END"
    )
