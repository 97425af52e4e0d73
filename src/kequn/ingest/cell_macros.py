"""The SQL macros that read one staged cell as a canonical value (``kq_ts``,
``kq_money``, ``kq_income``, ``kq_count`` ...), and the patterns and word lists they are
made of: :mod:`kequn.ingest.convert` installs them and builds each column's fragment.

Dates accept the forms people type: ``2025-01-03``, ``2025/1/3``, ``2025.1.3``,
``2025年1月3日``, ``20250103``, with or without a time (``15:04``, ``3:04 PM``, ``下午3:04``),
ISO 8601 with an offset (converted to the workspace's zone), ``03/01/2025`` read
day-first or month-first as declared, ``03.01.2025`` day-first always (the dotted form is
Europe's; the US writes no dots), ``3/1/24`` (a two-digit year), ``3-Jan-25`` and
``Jan 3, 2025`` (with a time too: ``Jan 3, 2025 1:05 PM``), and an Excel serial number
(``45292``). Amounts accept ``¥1,234.50``, ``$1,234.50``, ``US$1,234.50`` (HK$, NT$, S$, A$,
C$ alike, and the codes HKD, TWD ...), ``1234.5元``, ``(12.00)`` (accounting negative),
``−12.00`` (the minus sign U+2212, as typeset reports have it) and ``1.5万``.
"""

from __future__ import annotations

from collections.abc import Callable

from kequn.core.invisible import INVISIBLE

_YMD = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y%m%d",
    "%Y%m%d %H:%M:%S",
    "%Y%m%d%H%M%S",
]
_DMY = ["%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y"]
_MDY = ["%m-%d-%Y %H:%M:%S", "%m-%d-%Y %H:%M", "%m-%d-%Y"]
#: a time of a 12-hour clock: 3:04 PM, and 下午3:04 as Excel and WPS in 中文 show a time
#: (kq_norm_dt writes 上午 / 下午 as AM / PM after the time)
_12H = [" %I:%M:%S %p", " %I:%M %p"]
_YMD += ["%Y-%m-%d" + f for f in _12H]
_DMY += ["%d-%m-%Y" + f for f in _12H]
_MDY += ["%m-%d-%Y" + f for f in _12H]
#: a month by its English name, as Excel shows dates in English (5-Jan-24, Jan 5, 2024),
#: with or without the time (Jan 5, 2024 1:05 PM: the time was refused with the date)
_NAMED_DAYS = ["%d-%b-%y", "%d-%b-%Y", "%d %b %Y", "%b %d, %Y", "%B %d, %Y", "%d %B %Y"]
_NAMED = [d + t for t in ("", " %H:%M:%S", " %H:%M", *_12H) for d in _NAMED_DAYS]
#: a year of two digits at the end (3/1/24 23:29: a Shopify export saved again by Excel
#: in the US), day or month first as declared: 00-68 are 2000-2068, 69-99 1969-1999.
#: Read as %Y they were the years 3 or 24 (%Y takes one digit as well)
_DMY2 = ["%d-%m-%y %H:%M:%S", "%d-%m-%y %H:%M", "%d-%m-%y"]
_MDY2 = ["%m-%d-%y %H:%M:%S", "%m-%d-%y %H:%M", "%m-%d-%y"]
_TZ = [
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M%z",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
]


#: a number as Excel shows one of more than 15 digits (6.95348989061019E+18, 1E+15), or
#: a phone kept as a number (1.38001E+10): its last digits are gone, and two orders or
#: two buyers may now share it. Such an id is refused rather than stored under wrong
#: digits (or merged with another order). Excel writes the exponent with its sign and
#: two digits at least; an id such as 3E8 is left alone
SCIENTIFIC = r"[0-9](\.[0-9]+)?[eE]\+[0-9]{2,}"


def _fmt_list(formats: list[str]) -> str:
    # formats are kequn's own constants, never user input
    return "[" + ", ".join("'" + f + "'" for f in formats) + "]"


#: full-width ASCII (Ｕ+FF01-FF5E), the ideographic space and the no-break spaces as their
#: plain forms, as NFKC has them (２００.００ is 200.00), and the zero-width characters
#: dropped (a buyer "amy" with U+200B after it was a second customer printing exactly like
#: the first; so was "C1" with the U+00A0 a cell copied from a web page or set with
#: Excel's CHAR(160) ends with: trimmed only once it is a space)
_SPACES = "\u3000\u00a0\u2007\u202f"
_WIDE = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + _SPACES
_NARROW = "".join(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)) + " " * len(_SPACES)
#: the controls and the characters that print as nothing (kequn.core.invisible: one set
#: for the cells and the names an editor writes)
_INVISIBLE = INVISIBLE


def sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_PLAIN = str.maketrans(_WIDE, _NARROW, _INVISIBLE)


def plain_key(word: str) -> str:
    """A word as :func:`kq_pick` compares cells with it: made plain as :func:`plain`
    makes a cell (a platform's status 已发货，待收货 has a full-width comma; the cell's
    has become ","), trimmed, lower case."""
    return word.translate(_PLAIN).strip().lower()


#: the characters :func:`plain` changes, as an RE2 class
_CHANGED = "[\uff01-\uff5e" + _SPACES + _INVISIBLE + "]"


def plain(expr: str) -> str:
    """SQL for text ``expr`` with full-width ASCII made plain and zero-width characters
    dropped (the part of NFKC that export files need; DuckDB has NFC only).

    Only a cell holding one of them is translated: DuckDB's ``translate`` with these
    100 characters costs about 2 µs a cell (2.1 s per million, measured), the test for
    them 0.07 µs, and nearly every cell of an export has none."""
    changed = f"regexp_matches({expr}, {sql_text(_CHANGED)})"
    translated = f"translate({expr}, {sql_text(_WIDE + _INVISIBLE)}, {sql_text(_NARROW)})"
    return f"CASE WHEN {changed} THEN {translated} ELSE {expr} END"


#: the characters a cell is trimmed of (kq_text, kq_clean): the spaces and line breaks at
#: its edges; the ideographic space U+3000 is one of :func:`plain`'s too
_TRIMMED = " \t\n\r\u3000"

#: an RE2 pattern fully matching a cell that :func:`cleaned` leaves as it is: no character
#: :func:`plain` changes, none trimmed at either edge, and no ``=`` or ``'`` first (the
#: two spreadsheet escapes it removes)
_CHANGES = _CHANGED[1:-1]
_UNTOUCHED = f"[^{_CHANGES}{_TRIMMED}=']([^{_CHANGES}]*[^{_CHANGES}{_TRIMMED}])?"


def cleaned(expr: str, escapes: Callable[[str], str]) -> str:
    """SQL for a cell ``expr`` made plain (:func:`plain`), trimmed and with the
    spreadsheet escapes ``escapes`` removes (SQL of a cell's SQL), or ``expr`` itself where none
    of them changes it: nearly every cell of an export (ids, amounts, dates, plain words),
    whose test costs a tenth of the work (four text columns at 100k rows: 0.08-0.10 s of
    CPU against 0.23-0.27 s; cells of Chinese text the same either way). The cell is
    named once, as a lambda's ``x``, so a macro using this copies its argument once."""
    trimmed = f"trim({plain('x')}, {' || '.join(f'chr({ord(c)})' for c in _TRIMMED)})"
    work = escapes(trimmed)
    return (
        f"list_transform([{expr}], lambda x: CASE WHEN regexp_full_match(x, "
        f"{sql_text(_UNTOUCHED)}) THEN x ELSE {work} END)"
    )


#: a plain ISO date or time without a zone, as nearly every export writes it: DuckDB's
#: cast reads it as the formats below would (hours 00-23, seconds 00-59, at most six
#: decimals, where the cast alone would also take 24:00 or round a seventh), 10x faster
#: than normalising the text first (2.8 s per million cells, measured)
_ISO = r"\d{4}-\d{2}-\d{2}( ([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?)?"

#: a date Excel wrote as its serial number (45292 is 2024-01-01: days since 1899-12-30,
#: a fraction for the time), as a CSV saved from a sheet whose column was not formatted
#: as a date has it. Five digits from 10000 (1927) to 69999 (2091); fewer or more are a
#: year, a yyyymmdd or a Unix time, never a serial

#: a comma in an amount is read as a thousands separator only where it groups three
#: digits (1,234.50): "12,50" or "1.234,50" (a decimal comma) is no amount rather than
#: 1250 or 1.23, and is quarantined with its text. A plain number (digits, a point, a
#: sign) is cast at once, as the rest would have it (each rule below reads the cleaned
#: text again: 0.7 s per million amounts, measured, most of a CSV's parsing); a count
#: too, up to 15 digits (exact in the DOUBLE the rest goes through)

#: a declared income, as customer files and survey forms give one (kq_income): an amount
#: (12000, ¥120,000, 1.5万, 15k), a band read as its middle (5000-10000, 10万-20万, 10-20万
#: with the unit once, 20k~30k, 10万至20万), an open band as its bound (30万以上, 30w+,
#: ≥50万, 超过50万) or half of it (5万以下, <5万), per month (月入8千, 8000/月, 税前月薪15k,
#: or the whole column's header 月收入 / monthly income) made per year (x 12), with
#: 收入 / 年收入 / 约 / 左右 around it; 保密, 不详 and the like are no income given.
#: A number past DECIMAL(18, 2) (a 30-digit income, 12 x a 16-digit monthly one, a
#: headcount past BIGINT) is no amount, emptied with a warning: cast outright, it stopped
#: the whole import ("Could not cast value inf to DECIMAL(18,2)")
_N = r"(\d+(?:\.\d+)?)"
_U = "(万|w|千|k|亿)?"
_TO = "(?:-|~|～|至|到|—|–)"
_ABOVE = "(?:>=?|≥|超过|高于|大于|多于)"
_PLUS = "(?:以上|及以上|或以上|\\+|起)"
_BELOW = "(?:<=?|≤|低于|少于|小于|不足|不到)"
_MINUS = "(?:以下|及以下|或以下)"
_SAID = (
    "^(个人|家庭|税前|税后)*(年|月)?(收入|薪资|薪水|月薪|年薪|薪|工资|入)(水平|区间|范围)?[:：]?"
)
_PERIOD = "^(每月|每年)|/月|/年|每月|每年|/month|/year|/mo|/yr|permonth|peryear|monthly|yearly|annual|pa$|pm$|月|年|左右|约|大约"
_MONTH = "月|/mo|permonth|monthly|pm$"
_YEAR = "年|/y|peryear|yearly|annual|pa$"
_UNDISCLOSED = "保密|不详|未知|不便透露|不愿透露|暂无|未填|未填写|不公开|n/?a|unknown|undisclosed|prefer not to say"
#: a count of people or years as company-data sites and member files write one, read by
#: kq_count with the bands of kq_income_amount (the whole part of a band's middle, an open
#: band's bound, half of "fewer than"): 企查查 / 天眼查's 人员规模 (少于50人, 50-99人,
#: 100-499人, 10000人以上, 员工 300 人) and a member's 年龄 (25岁, 68周岁, 30-39岁, 60岁以上);
#: the words around the number are dropped
PEOPLE_WORDS = (
    "[,\\s]|人数|从业人员|员工|职工|雇员|人|名|位|约|大约|左右|staff|employees|people|persons"
)
YEARS_OLD_WORDS = "[\\s]|周岁|週歲|岁|歲|约|大约|左右|years old|years|year|yrs|y/o"
#: a number in Chinese numerals, as a member's 年龄 is typed (三十二, 三十二岁, 二十五周岁,
#: 六十岁以上, 三十至四十岁) and a headcount too (五十人): kq_cn_numbers writes each run of
#: these characters as digits, positionally (三十二 32, 十八 18, 一百零五 105, 两百 200,
#: 一百二 120 as it is said) or digit by digit (一九九零 1990, 九五 95), and kq_count reads
#: the rest as it reads 32岁. A cell where 百 has no digit before it, or 十 and 百 stand
#: together (百岁, 十十), is left as it is and told as no number. Only a cell holding one
#: of these characters is rewritten, with regexp_replace in a chain (1.9 µs a cell, one
#: thread, measured; splitting it into runs with regexp_extract_all and list_transform
#: cost 7 µs)
_CN_DIGITS = "〇零一二两兩三四五六七八九"
_CN = _CN_DIGITS + "十百"
_D = f"[{_CN_DIGITS}]"
#: a generation as member files and forms give one in an age or a birth column (90后,
#: 九零后, 80後, 00后, 95后, 1990年后), read by kq_generation as a year of birth: a decade's
#: middle (90后, born 1990-1999: 1995, its 1 January the decade's middle day), a year that
#: ends no decade its own (95后: 1995, as the year alone 1995 is read). Two digits 00-19
#: are this century's (00后 2005, 10后 2015), 20-99 the last's. A birth column keeps that
#: year's 1 January; an age column the age it gives in the year of the import (90后 is 31
#: in an import of 2026), as any age the column gives is kept as of its import
_GENERATION = r"^((19|20)?\d{2})年?[后後]$"
#: a birthday without its year, as member lists and forms keep one (生日 03-15, 3月15日,
#: 15/03, March 15, 15 Mar; vCard's and ISO 8601's --03-15, --0315): no birth date, as a
#: date needs its year and an age more so; told as such rather than "not a date"
_M = "(0?[1-9]|1[0-2])"
_DAY = "(0?[1-9]|[12][0-9]|3[01])"
_MONTH_NAME = "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?"
MONTH_DAY = (
    f"(--)?{_M}[-/.]{_DAY}\\.?|--{_M}{_DAY}|{_DAY}[-/.]{_M}\\.?|{_M}月{_DAY}[日号]?"
    f"|{_MONTH_NAME},?\\s*{_DAY}(st|nd|rd|th)?|{_DAY}(st|nd|rd|th)?\\s*(of\\s+)?{_MONTH_NAME}"
)

#: the words a cell holds for no value: nothing, a dash (-, --, —: how exports and hand-made
#: sheets leave a value out; Douyin writes "-" in every empty cell), the text null (淘宝's
#: order export writes it in empty cells, github-code-index:32213070838; so do database
#: dumps) and the zero date a MySQL table keeps for "not set" (0000-00-00): each was a
#: warning of a bad amount or date on a row that had simply left the cell empty
_BLANKS = ", ".join(
    f"'{w}'"
    for w in ("", "-", "--", "—", "——", "null", "NULL", "Null", "0000-00-00", "0000-00-00 00:00:00")
)


def _escapes(cell: str) -> str:
    """What kq_text removes of a cell (made plain and trimmed): the ``="..."`` a
    spreadsheet keeps text in, then a leading ``'`` before a character."""
    unquoted = f"regexp_replace({cell}, " + r"""'^="(.*)"$', '\1')"""
    return f"regexp_replace({unquoted}, " + r"""'^''(.)', '\1')"""


#: kq_text leaves out the blank words with one list_filter. Five nested NULLIFs did it
#: before, and DuckDB plans each NULLIF as a CASE that repeats its argument: 32 copies of
#: the cell's expression, which its planner handles in time growing with the square of a
#: query's size. A one-row file of 1,200 columns took 209 s to import, 200 columns 4.5 s;
#: now 1.2 and 0.3 s. Per cell the two cost the same within 5-10% (3M cells, measured).
MACROS = rf"""
CREATE OR REPLACE TEMP MACRO kq_blank(s) AS s IS NULL
    OR list_contains([{_BLANKS}, '－'], trim(CAST(s AS VARCHAR)));
CREATE OR REPLACE TEMP MACRO kq_text(s) AS list_filter({cleaned("CAST(s AS VARCHAR)", _escapes)},
    lambda v: NOT list_contains([{_BLANKS}], v))[1];
CREATE OR REPLACE TEMP MACRO kq_norm_dt(s) AS trim(regexp_replace(regexp_replace(regexp_replace(
    regexp_replace(regexp_replace(
    replace(replace(replace(replace(trim(s), '年', '-'), '月', '-'), '日', ' '), '号', ' '),
    '上午\s*(\d{{1,2}}:\d{{2}}(:\d{{2}})?)', '\1 AM'),
    '[下中]午\s*(\d{{1,2}}:\d{{2}}(:\d{{2}})?)', '\1 PM'),
    '^(\d{{1,4}})[/.](\d{{1,2}})[/.](\d{{1,4}})', '\1-\2-\3'),
    '^(\d{{4}}-\d{{1,2}}-\d{{1,2}})T', '\1 '), '\s+', ' ', 'g'));
CREATE OR REPLACE TEMP MACRO kq_ts(s, tz, day_first) AS CASE
    WHEN kq_blank(s) THEN NULL
    WHEN regexp_full_match(s, '{_ISO}') THEN try_cast(s AS TIMESTAMP)
    WHEN regexp_matches(s, '^[1-6][0-9]{{4}}([.][0-9]+)?$') THEN TIMESTAMP '1899-12-30'
        + to_microseconds(CAST(round(CAST(s AS DOUBLE) * 86400000) AS BIGINT) * 1000)
    WHEN regexp_matches(kq_norm_dt(s), '\d:\d{{2}}(:\d{{2}}(\.\d+)?)?\s*(Z|[+-]\d{{2}}:?\d{{2}})$') THEN
        timezone(tz, try_strptime(regexp_replace(kq_norm_dt(s), 'Z$', '+00:00'), {_fmt_list(_TZ)}))
    WHEN regexp_matches(s, '^\s*\d{{1,2}}\.\d{{1,2}}\.\d{{4}}') THEN
        try_strptime(kq_norm_dt(s), {_fmt_list(_DMY)})
    WHEN regexp_matches(s, '^\s*\d{{1,2}}\.\d{{1,2}}\.\d{{2}}(\s|$)') THEN
        try_strptime(kq_norm_dt(s), {_fmt_list(_DMY2)})
    WHEN regexp_full_match(kq_norm_dt(s), '\d{{1,2}}-\d{{1,2}}-\d{{2}}( .*)?') THEN CASE
        WHEN day_first THEN try_strptime(kq_norm_dt(s), {_fmt_list(_DMY2)})
        ELSE try_strptime(kq_norm_dt(s), {_fmt_list(_MDY2)}) END
    WHEN day_first THEN coalesce(try_strptime(kq_norm_dt(s), {_fmt_list(_YMD)}),
                                 try_strptime(kq_norm_dt(s), {_fmt_list(_DMY)}),
                                 try_strptime(kq_norm_dt(s), {_fmt_list(_NAMED)}))
    ELSE coalesce(try_strptime(kq_norm_dt(s), {_fmt_list(_YMD)}),
                  try_strptime(kq_norm_dt(s), {_fmt_list(_MDY)}),
                  try_strptime(kq_norm_dt(s), {_fmt_list(_NAMED)}))
    END;
CREATE OR REPLACE TEMP MACRO kq_money_marked(s) AS regexp_replace(
    regexp_replace(replace(trim(s), '−', '-'), '^\((.*)\)$', '-\1'),
    '(us|hk|nt|nz|au|ca|mop|s|a|c)?\$|[¥￥€£\s]|元|人民币|rmb|cny|usd|eur|gbp|hkd|twd|ntd|sgd|aud|cad|jpy',
    '', 'gi');
CREATE OR REPLACE TEMP MACRO kq_money_txt(s) AS replace(kq_money_marked(s), ',', '');
CREATE OR REPLACE TEMP MACRO kq_money(s) AS CASE
    WHEN kq_blank(s) THEN NULL
    WHEN regexp_full_match(s, '-?\d+(\.\d+)?') THEN try_cast(s AS DECIMAL(18, 2))
    WHEN contains(kq_money_marked(s), ',')
         AND NOT regexp_matches(kq_money_marked(s), '^[-+]?\d{{1,3}}(,\d{{3}})+(\.\d*)?[万亿]?$')
        THEN NULL
    WHEN kq_money_txt(s) LIKE '%万'
        THEN try_cast(try_cast(rtrim(kq_money_txt(s), '万') AS DECIMAL(30, 6)) * 10000
                      AS DECIMAL(18, 2))
    WHEN kq_money_txt(s) LIKE '%亿'
        THEN try_cast(try_cast(rtrim(kq_money_txt(s), '亿') AS DECIMAL(30, 6)) * 100000000
                      AS DECIMAL(18, 2))
    ELSE try_cast(kq_money_txt(s) AS DECIMAL(18, 2)) END;
CREATE OR REPLACE TEMP MACRO kq_unit(u) AS CASE WHEN u IN ('万', 'w') THEN 10000
    WHEN u IN ('千', 'k') THEN 1000 WHEN u = '亿' THEN 100000000 ELSE 1 END;
CREATE OR REPLACE TEMP MACRO kq_undisclosed(s) AS regexp_full_match(lower(trim(CAST(s AS VARCHAR))),
    '{_UNDISCLOSED}');
CREATE OR REPLACE TEMP MACRO kq_income_amount(t) AS CASE
    WHEN regexp_full_match(t, '{_N}{_U}{_TO}{_N}{_U}') THEN (
        CAST(regexp_extract(t, '^{_N}', 1) AS DOUBLE)
            * kq_unit(coalesce(nullif(regexp_extract(t, '^{_N}{_U}', 2), ''),
                CASE WHEN CAST(regexp_extract(t, '^{_N}', 1) AS DOUBLE)
                          <= CAST(regexp_extract(t, '{_N}{_U}$', 1) AS DOUBLE)
                     THEN regexp_extract(t, '{_N}{_U}$', 2) END))
        + CAST(regexp_extract(t, '{_N}{_U}$', 1) AS DOUBLE)
            * kq_unit(regexp_extract(t, '{_N}{_U}$', 2))) / 2
    WHEN regexp_full_match(t, '{_ABOVE}{_N}{_U}(以上)?') OR regexp_full_match(t, '{_N}{_U}{_PLUS}')
        THEN CAST(regexp_extract(t, '{_N}', 1) AS DOUBLE) * kq_unit(regexp_extract(t, '{_N}{_U}', 2))
    WHEN regexp_full_match(t, '{_BELOW}{_N}{_U}(以下)?') OR regexp_full_match(t, '{_N}{_U}{_MINUS}')
        THEN CAST(regexp_extract(t, '{_N}', 1) AS DOUBLE)
            * kq_unit(regexp_extract(t, '{_N}{_U}', 2)) / 2
    WHEN regexp_full_match(t, '{_N}{_U}')
        THEN CAST(regexp_extract(t, '{_N}', 1) AS DOUBLE) * kq_unit(regexp_extract(t, '{_N}{_U}', 2))
    END;
CREATE OR REPLACE TEMP MACRO kq_income(s, monthly) AS CASE
    WHEN kq_blank(s) THEN NULL
    ELSE coalesce(try_cast(CAST(kq_money(s) AS DECIMAL(38, 2))
            * CASE WHEN monthly THEN 12 ELSE 1 END AS DECIMAL(18, 2)),
        try_cast(kq_income_amount(regexp_replace(regexp_replace(lower(kq_money_txt(s)),
            '{_SAID}', ''), '{_PERIOD}', '', 'g'))
        * CASE WHEN regexp_matches(lower(kq_money_txt(s)), '{_MONTH}') THEN 12
               WHEN regexp_matches(lower(kq_money_txt(s)), '{_YEAR}') THEN 1
               WHEN monthly THEN 12 ELSE 1 END AS DECIMAL(18, 2))) END;
CREATE OR REPLACE TEMP MACRO kq_band(s) AS CASE
    WHEN kq_blank(s) THEN NULL
    ELSE coalesce(kq_money(s), try_cast(kq_income_amount(lower(kq_money_txt(s))) AS DECIMAL(18, 2)))
    END;
CREATE OR REPLACE TEMP MACRO kq_cn_tens(t) AS translate(replace(regexp_replace(regexp_replace(
    regexp_replace(t, '({_D})十({_D})', '\1\2', 'g'), '({_D})十', '\10', 'g'),
    '十({_D})', '1\1', 'g'), '十', '10'), '{_CN_DIGITS}', '0012223456789');
CREATE OR REPLACE TEMP MACRO kq_cn_numbers(s) AS CASE
    WHEN regexp_matches(s, '[十百]{{2}}|(^|[^{_CN_DIGITS}])百') THEN s
    WHEN contains(s, '百') THEN kq_cn_tens(regexp_replace(regexp_replace(regexp_replace(
        regexp_replace(regexp_replace(s, '({_D})百({_D})十({_D})', '\1\2\3', 'g'),
        '({_D})百({_D})十', '\1\20', 'g'), '({_D})百[〇零]({_D})', '\10\2', 'g'),
        '({_D})百({_D})([^{_CN}]|$)', '\1\20\3', 'g'), '({_D})百', '\100', 'g'))
    ELSE kq_cn_tens(s) END;
CREATE OR REPLACE TEMP MACRO kq_count(s, words) AS CASE
    WHEN kq_blank(s) THEN NULL
    WHEN regexp_full_match(s, '-?\d{{1,15}}') THEN try_cast(s AS BIGINT)
    WHEN regexp_matches(s, '[{_CN}]') THEN list_transform(
        [regexp_replace(lower(trim(kq_cn_numbers(s))), words, '', 'g')],
        lambda t: try_cast(floor(kq_income_amount(t)) AS BIGINT))[1]
    ELSE try_cast(floor(kq_income_amount(regexp_replace(lower(trim(s)), words, '', 'g'))) AS BIGINT)
    END;
CREATE OR REPLACE TEMP MACRO kq_generation_year(y) AS CASE
    WHEN length(y) = 4 THEN CAST(y AS INTEGER)
    WHEN CAST(y AS INTEGER) < 20 THEN 2000 + CAST(y AS INTEGER)
    ELSE 1900 + CAST(y AS INTEGER) END;
CREATE OR REPLACE TEMP MACRO kq_generation(s) AS list_transform([regexp_extract(regexp_replace(
    CASE WHEN regexp_matches(s, '[{_CN}]') THEN kq_cn_numbers(s) ELSE s END, '\s', '', 'g'),
    '{_GENERATION}', 1)],
    lambda y: CASE WHEN y <> '' THEN kq_generation_year(y)
                   + CASE WHEN kq_generation_year(y) % 10 = 0 THEN 5 ELSE 0 END END)[1];
CREATE OR REPLACE TEMP MACRO kq_age(s, words, this_year) AS CASE
    WHEN kq_blank(s) THEN NULL
    WHEN regexp_full_match(s, '-?\d{{1,15}}') THEN try_cast(s AS BIGINT)
    WHEN contains(s, '后') OR contains(s, '後')
        THEN coalesce(this_year - kq_generation(s), kq_count(s, words))
    ELSE kq_count(s, words) END;
CREATE OR REPLACE TEMP MACRO kq_birth_txt(s) AS rtrim(regexp_replace(
    replace(replace(trim(s), '年', '-'), '月', ''), '[/.]', '-', 'g'), '-');
CREATE OR REPLACE TEMP MACRO kq_birth_partial(s) AS CASE
    WHEN regexp_full_match(kq_birth_txt(s), '(19|20)\d{{2}}-(0?[1-9]|1[0-2])')
        THEN make_date(CAST(split_part(kq_birth_txt(s), '-', 1) AS INTEGER),
                       CAST(split_part(kq_birth_txt(s), '-', 2) AS INTEGER), 1)
    WHEN regexp_full_match(kq_birth_txt(s), '(19|20)\d{{2}}')
        THEN make_date(CAST(kq_birth_txt(s) AS INTEGER), 1, 1)
    END;
CREATE OR REPLACE TEMP MACRO kq_int(s) AS CASE
    WHEN kq_blank(s) THEN NULL
    WHEN regexp_full_match(s, '-?\d{{1,15}}') THEN try_cast(s AS BIGINT)
    WHEN try_cast(regexp_replace(trim(s), '[,\s人名个家]', '', 'g') AS DOUBLE)
         = floor(try_cast(regexp_replace(trim(s), '[,\s人名个家]', '', 'g') AS DOUBLE))
        THEN try_cast(try_cast(regexp_replace(trim(s), '[,\s人名个家]', '', 'g') AS DOUBLE) AS BIGINT)
    END;
CREATE OR REPLACE TEMP MACRO kq_pick(s, keys, vals) AS
    list_extract(vals, list_position(keys, lower(trim(CAST(s AS VARCHAR)))));
"""
