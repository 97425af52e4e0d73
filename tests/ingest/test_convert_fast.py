"""The conversion macros' shortcuts for plain cells give what their general rules give.

Each macro (``kq_ts``, ``kq_money``, ``kq_int``, ``kq_text``) starts with a test for the
plain form nearly every export writes (an ISO time, a bare number, text without
full-width or zero-width characters) and converts it at once. Here the same cells go
through the macro with its shortcut taken out, and must come out equal."""

from __future__ import annotations

import duckdb
import pytest

from kequn.ingest import convert

TIMES = [
    "2024",
    "2024-05",
    "2024-05-05",
    "2024-5-5",
    "2024-05-05 20:00",
    "2024-05-05 20:00:45",
    "2024-05-05 20:00:45.4657",
    "2024-05-05 20:00:45.465733",
    "2024-05-05 20:00:45.1234567",
    "2024-02-30",
    "2024-02-29",
    "2023-02-29",
    "2024-05-05 24:00:00",
    "2024-05-05 23:59:60",
    "2024-05-05 23:60",
    "0001-01-01",
    "9999-12-31 23:59:59.999999",
    "2024-05-05T20:00:00",
    "2024-05-05 20:00:00+08:00",
    "2024-05-05 20:00:00Z",
    "20240505",
    "2024/05/05 8:00",
    "05/06/2024",
    "2024-13-01",
    "2024-00-10",
    "2024-05-00",
    "2024-05-05 20:00:45.",
    "2024-05-05 2:00",
    "-2024-05-05",
]
NUMBERS = [
    "278.43",
    "0",
    "-0",
    "007",
    "1.005",
    "1.004",
    "-12.5",
    "12.",
    ".5",
    "1e3",
    "+5",
    "3.0",
    "99999999999999999.99",
    "9999999999999999.995",
    "123456789012345678",
    "123456789012345",
    "1234567890123456",
    "-999999999999999",
    "12,50",
    "1,234.50",
    "¥12",
    "(12.00)",
    "1.5万",
    "abc",
    "00000000000000000000001.1",
    "١٢٣",
    "１２",
    "−12.00",
]


def _general(con: duckdb.DuckDBPyConnection) -> None:
    """The macros again as ``<name>_general``, without their first (shortcut) test."""
    for statement in convert.MACROS.split(";\n"):
        for name in ("kq_ts", "kq_money", "kq_int"):
            head = f"MACRO {name}("
            if head not in statement:
                continue
            lines = statement.split("\n")
            shortcut = [i for i, line in enumerate(lines) if "regexp_full_match(s," in line]
            assert len(shortcut) == 1, name
            del lines[shortcut[0]]
            con.execute("\n".join(lines).replace(head, f"MACRO {name}_general("))


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    convert.install_macros(con)
    _general(con)
    return con


@pytest.mark.parametrize("text", TIMES)
@pytest.mark.parametrize("day_first", [False, True])
def test_the_time_shortcut_reads_as_the_formats(con, text: str, day_first: bool) -> None:
    query = "SELECT kq_ts($s, 'Asia/Shanghai', $d), kq_ts_general($s, 'Asia/Shanghai', $d)"
    fast, general = con.execute(query, {"s": text, "d": day_first}).fetchone()
    assert fast == general


@pytest.mark.parametrize("text", NUMBERS)
@pytest.mark.parametrize("name", ["kq_money", "kq_int"])
def test_the_number_shortcuts_read_as_the_rules(con, text: str, name: str) -> None:
    fast, general = con.execute(f"SELECT {name}($s), {name}_general($s)", {"s": text}).fetchone()
    assert fast == general


def test_plain_cells_read_as_expected(con) -> None:
    row = con.execute(
        "SELECT kq_ts('2024-05-05 20:00:45.5', 'UTC', false), kq_money('12.5'), kq_int('42'), "
        "kq_money('−12.00'), kq_ts('45292.75', 'UTC', false), kq_ts('70000', 'UTC', false)"
    ).fetchone()
    assert [str(v) for v in row] == [
        "2024-05-05 20:00:45.500000",
        "12.50",
        "42",
        "-12.00",
        "2024-01-01 18:00:00",  # an Excel serial number
        "None",  # six digits: no serial
    ]


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("ａｍｙ", "amy"),
        (" amy\u200b ", "amy"),
        ("已发货，待收货", "已发货,待收货"),
        ("x\u3000", "x"),
        ('="001"', "001"),
        ("'0012", "0012"),
        ("", None),
        ("C1", "C1"),
        ("-", None),  # a dash standing for nothing
        (" — ", None),
        ("-1", "-1"),
        ("a-b", "a-b"),
    ],
)
def test_text_is_made_plain_only_where_needed(con, text: str, plain: str | None) -> None:
    assert con.execute("SELECT kq_text($s)", {"s": text}).fetchone()[0] == plain
