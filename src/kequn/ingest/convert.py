"""SQL that turns staged text into canonical values, one fragment per logical kind.

The staged columns are positional (``c0 .. cN``, named by kequn, never by the file), and
everything that varies per workspace (time zone, synonym lists) is passed as a bound
parameter, so no text from a file or a user is ever spliced into SQL. What each kind
accepts is told in :mod:`kequn.ingest.cell_macros`, whose macros read the cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from kequn.core.traditional import simplified
from kequn.ingest import reasons, region
from kequn.ingest.cell_macros import MACROS, PEOPLE_WORDS, YEARS_OLD_WORDS, plain_key, sql_text
from kequn.ingest.mapping import value_synonyms

#: a column with more distinct unknown words than this is no column of choices (a name or
#: an address taken for one): its words are not looked at
MAX_SPELLINGS = 10_000
#: a cell that may be written in traditional characters (CJK ideographs, as RE2 reads them)
_HAN = "[\u3400-\u9fff\uf900-\ufaff]"


def other_spellings(
    con: duckdb.DuckDBPyConnection,
    expr: str,
    columns: Sequence[str],
    known: Sequence[str | None],
    relation: str = "raw",
) -> dict[str, str]:
    """The file's own spellings of known words: each distinct cell of ``expr`` (SQL over
    ``columns`` of ``relation``, compared as :func:`kq_pick` compares it) that is no word
    of ``known`` but whose simplified form is (交易關閉 -> 交易关闭), with that word.

    Each distinct cell is converted once, in Python, and the cells are left as they are:
    a file's status words are a handful however many its rows, and what kq_pick is given
    grows by those few. ``expr`` is read on the distinct values of its columns (30 ms for
    a million rows of four words, measured; cleaning every cell first took 1.1 s) and the
    known words are left out in Python (DuckDB's list_contains with the bound list of
    words took 34 s a million rows). A cell with no 汉字 (paid, 1, -) is not looked at."""
    words = {k for k in known if k is not None}
    cols = ", ".join(columns)
    rows = con.execute(
        f"""SELECT DISTINCT w FROM (SELECT lower(trim(CAST({expr} AS VARCHAR))) AS w
            FROM (SELECT DISTINCT {cols} FROM {relation})) WHERE regexp_matches(w, $han)
            LIMIT $most""",
        {"han": _HAN, "most": MAX_SPELLINGS + len(words) + 1},
    ).fetchall()
    if len(rows) > MAX_SPELLINGS + len(words):
        return {}
    found = {}
    for (cell,) in rows:
        word = plain_key(simplified(str(cell)))
        if cell not in words and word in words:
            found[str(cell)] = word
    return found


def with_spellings(
    keys: list[str | None], vals: list[str | None], spellings: dict[str, str]
) -> tuple[list[str | None], list[str | None]]:
    """``keys`` and ``vals`` (as :func:`kq_pick` is given them) with each of a file's
    other spellings standing for what its word stands for."""
    meaning: dict[str | None, str | None] = {}
    for key, val in zip(keys, vals, strict=True):
        meaning.setdefault(key, val)  # kq_pick takes a key's first place
    extra = [cell for cell in spellings if cell not in meaning]
    return [*keys, *extra], [*vals, *(meaning[spellings[cell]] for cell in extra)]


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    for statement in MACROS.split(";\n"):
        if statement.strip():
            con.execute(statement)
    region.install_macros(con)


@dataclass(frozen=True)
class Fragment:
    """SQL for one canonical column: its value and, when it can fail, the failure test."""

    value: str
    failed: str | None  # true when the cell had text but no value could be made of it
    reason: str | None  # quarantine reason code for that failure


def choice_params(kind: str) -> dict[str, list[str | None]]:
    """Bound parameters for a choice column: raw synonyms and the values they stand for.

    Synonyms of "no value" (未知, unknown, ...) map to NULL and are not failures.
    """
    keys: list[str | None] = []
    vals: list[str | None] = []
    for value, synonyms in value_synonyms(kind).items():
        for synonym in synonyms:
            keys.append(plain_key(synonym))
            vals.append(value)
    return {f"{kind}_keys": keys, f"{kind}_vals": vals}


def _choice_fragment(col: str, kind: str) -> Fragment:
    picked = f"kq_pick({col}, ${kind}_keys, ${kind}_vals)"
    known = f"list_contains(${kind}_keys, lower(trim(CAST({col} AS VARCHAR))))"
    return Fragment(picked, f"NOT kq_blank({col}) AND NOT {known}", reasons.BAD_CHOICE)


#: DuckDB's number types: a date column holding numbers (a Parquet file's int64 time)
_NUMBERS = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT"}
    | {"UINTEGER", "UBIGINT", "FLOAT", "DOUBLE"}
)


def _epoch(col: str, record: bool = True) -> str:
    """A number as a time: 20240305 as that day; else a Unix time, told by its size (a
    Parquet INT64 without a TIMESTAMP logical type carries no unit: apache/parquet-format
    LogicalTypes.md gives the unit, MILLIS, MICROS or NANOS, only with that annotation),
    each unit's range giving 1973 to 5138: seconds from 1e8, milliseconds from 1e11,
    microseconds from 1e14 (as Java and databases write them), nanoseconds from 1e17 (a
    pandas time as an integer: pandas.Timestamp.value), an instant turned into the
    workspace's local time.

    A record's time (``record``: an order's, an interaction's, a customer's sign-up) of
    a smaller number is none: 0 (how a time is left unset), -1, a year (2024), a count
    of days (20061: polars' from_epoch time_unit="d") or an Excel serial (45627) all read
    as the first hours of 1970 and were kept as such, silently. A birth date may be
    before 1973, or 1970: its seconds are read whatever their size."""
    v = f"CAST({col} AS DOUBLE)"
    nanos = f"CAST({col} AS HUGEINT) // 1000"  # exact: a DOUBLE holds 2^53, not 1.7e18
    micros = (
        f"CASE WHEN abs({v}) >= 1e17 THEN {nanos} WHEN abs({v}) >= 1e14 THEN {v} "
        f"WHEN abs({v}) >= 1e11 THEN {v} * 1e3 ELSE {v} * 1e6 END"
    )
    instant = f"timezone($tz, timezone('UTC', make_timestamp(CAST({micros} AS BIGINT))))"
    day = f"try_strptime(CAST(CAST({v} AS BIGINT) AS VARCHAR), '%Y%m%d')"
    smallest = f"{v} >= 1e8" if record else "true"
    return (
        f"CASE WHEN {v} BETWEEN 19000101 AND 29991231 AND {v} = floor({v}) THEN {day} "
        f"WHEN {smallest} AND abs({v}) < 9.2e18 THEN {instant} END"
    )


def fragment(col: str, logical: str, source_type: str) -> Fragment:
    """SQL for reading positional column ``col`` (of DuckDB type ``source_type``) as ``logical``.

    ``logical`` is a kind of :mod:`kequn.core.schema` or the name of a choice list
    (``gender``, ``kind``, ``status``).
    """
    text = source_type.upper().startswith("VARCHAR")
    if logical in {"string", "map"}:
        # a text column comes cleaned (``kq_text``) already
        return Fragment(col if text else f"kq_text({col})", None, None)
    if logical in {"gender", "kind", "status"}:
        return _choice_fragment(col, logical)
    if logical == "bool":
        if source_type.upper() == "BOOLEAN":
            return Fragment(col, None, None)
        picked = _choice_fragment(col, "bool")
        return Fragment(f"CAST({picked.value} AS BOOLEAN)", picked.failed, reasons.BAD_BOOL)
    if logical in {"timestamp", "date"}:
        return _time_fragment(col, logical, source_type)
    if logical == "birth_date":
        return _birth_fragment(col, source_type)
    if logical == "money":
        value = f"kq_money({col})" if text else f"try_cast({col} AS DECIMAL(18, 2))"
        return Fragment(value, f"NOT kq_blank({col}) AND ({value}) IS NULL", reasons.BAD_MONEY)
    if logical in {"income", "income_monthly"}:
        return _income_fragment(col, logical == "income_monthly", text)
    if logical in _COUNTS:
        return _count_fragment(col, logical, text)
    if logical == "money_band":
        value = f"kq_band({col})" if text else f"try_cast({col} AS DECIMAL(18, 2))"
        failed = f"NOT kq_blank({col}) AND NOT kq_undisclosed({col}) AND ({value}) IS NULL"
        return Fragment(value, failed, reasons.BAD_MONEY)
    if logical == "int":
        value = f"kq_int({col})" if text else f"try_cast({col} AS BIGINT)"
        return Fragment(value, f"NOT kq_blank({col}) AND ({value}) IS NULL", reasons.BAD_NUMBER)
    raise ValueError(f"no conversion for {logical}")


def _time_fragment(col: str, logical: str, source_type: str, record: bool = True) -> Fragment:
    """A time (or a date): text as people type one, a zoned time in the workspace's zone,
    a number as a Unix time or a yyyymmdd day (:func:`_epoch`: ``record``, a record's
    time, not a birth date)."""
    if source_type.upper().startswith("VARCHAR"):
        value = f"kq_ts({col}, $tz, $day_first)"
    elif "TIME ZONE" in source_type.upper():
        value = f"timezone($tz, {col})"
    elif source_type.upper() in _NUMBERS:
        value = _epoch(col, record)
    else:
        value = f"try_cast({col} AS TIMESTAMP)"
    if logical == "date":
        value = f"CAST({value} AS DATE)"
    return Fragment(value, f"NOT kq_blank({col}) AND ({value}) IS NULL", reasons.BAD_DATE)


def _birth_fragment(col: str, source_type: str) -> Fragment:
    """A birth date as member files give one: a date, else a year and month (1985年7月,
    1985-07, 1985.7) read as its 1st, or a year alone (1975, 1975年; a column of numbers
    1900-2100) as its 1 January: an age needs no more, and they were "not a date" and
    left empty. A month and day without a year (05-01) is still not a date. A generation
    (90后, 95后) is the 1 January of the year it stands for (:func:`_count_fragment`),
    tested first: a cell that is no date costs kq_ts 25 µs (one thread, measured)."""
    whole = _time_fragment(col, "date", source_type, record=False)
    if source_type.upper().startswith("VARCHAR"):
        value = (
            f"CASE WHEN kq_blank({col}) THEN NULL "
            f"WHEN contains({col}, '后') OR contains({col}, '後') "
            f"THEN make_date(kq_generation({col}), 1, 1) "
            f"ELSE coalesce({whole.value}, kq_birth_partial({col})) END"
        )
    elif source_type.upper() in _NUMBERS:
        year = f"CAST({col} AS DOUBLE)"
        value = (
            f"CASE WHEN {year} BETWEEN 1900 AND 2100 AND {year} = floor({year}) "
            f"THEN make_date(CAST({year} AS INTEGER), 1, 1) ELSE {whole.value} END"
        )
    else:
        return whole
    return Fragment(value, f"NOT kq_blank({col}) AND ({value}) IS NULL", reasons.BAD_DATE)


def _income_fragment(col: str, monthly: bool, text: bool) -> Fragment:
    """A declared income, kept per year (bands, units, months: :data:`_N` above); a
    column of numbers headed per month is multiplied by 12. 保密 and the like are empty
    without a warning: they say no income was given."""
    per = "true" if monthly else "false"
    value = (
        f"kq_income({col}, {per})"
        if text
        else f"try_cast(try_cast({col} AS DECIMAL(38, 2)) * {12 if monthly else 1} AS DECIMAL(18, 2))"
    )
    failed = f"NOT kq_blank({col}) AND NOT kq_undisclosed({col}) AND ({value}) IS NULL"
    return Fragment(value, failed, reasons.BAD_MONEY)


#: the counts read with their words and bands (:data:`PEOPLE_WORDS`): a headcount and an age
_COUNTS = {"headcount": PEOPLE_WORDS, "age": YEARS_OLD_WORDS}


def _count_fragment(col: str, logical: str, text: bool) -> Fragment:
    """A company's headcount or a person's age as written (300人, 50-99人, 少于50人,
    25岁, 30-39岁, 三十二岁): the band read as :func:`kq_count` reads it; 保密 and the like
    are empty without a warning. An age given as a generation (90后, 九零后, 95后) is the
    age its year of birth gives in the year of the import, in the workspace's time zone:
    a decade's generation is born in its middle year, 1 January (90后, 1990-1999: 1995),
    one naming a year in that year (95后: 1995), two digits 00-19 in this century (00后:
    2005) and 20-99 in the last, so 90后 is 31 in an import of 2026. It is kept as of the
    import, as every age an age column gives; in a birth column the generation's 1 January
    is kept, and the age grows with each run's as-of date."""
    words = sql_text(_COUNTS[logical])
    if not text:
        value = f"try_cast({col} AS BIGINT)"
    elif logical == "age":
        value = f"kq_age({col}, {words}, year(timezone($tz, now())))"
    else:
        value = f"kq_count({col}, {words})"
    failed = f"NOT kq_blank({col}) AND NOT kq_undisclosed({col}) AND ({value}) IS NULL"
    return Fragment(value, failed, reasons.BAD_NUMBER)
