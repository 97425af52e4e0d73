"""kq_text and kq_clean (every cell of an import goes through one of them) leave out the
blank words with a list_filter whose lambda is written as DuckDB's ``lambda v: ...``:
the arrow form (``v -> ...``) is deprecated since DuckDB 1.3, 1.5 is the last release
taking it without a setting, and with it refused every import failed as the macros were
installed. The values are what the nested NULLIFs the list_filter replaced gave (each
checked against that SQL, 442bf1a), every kind of input an export has."""

from __future__ import annotations

import duckdb
import pytest

from kequn.ingest import convert, shape

#: cell -> (kq_text, kq_clean)
CELLS: dict[str | None, tuple[str | None, str | None]] = {
    None: (None, None),
    "": (None, None),
    "-": (None, None),
    "--": (None, "--"),
    "—": (None, "—"),
    "——": (None, "——"),
    "－": (None, None),  # full width: made "-" before the blank words are compared
    "－－": (None, "--"),
    " - ": (None, None),
    "\u3000-\u3000": (None, None),
    " \t ": (None, None),
    '="123"': ("123", "123"),
    '="-"': (None, None),
    '=""': (None, None),
    "'123": ("123", "123"),
    "'-": (None, None),
    "'": ("'", None),
    "\u200b-": (None, None),
    "ａｂｃ": ("abc", "abc"),
    '="0123"': ("0123", "0123"),
    "abc": ("abc", "abc"),
}


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET lambda_syntax = 'DISABLE_SINGLE_ARROW'")
    convert.install_macros(con)
    shape.install_macros(con)
    return con


def test_the_blank_words_are_left_out_without_the_arrow_lambda(
    con: duckdb.DuckDBPyConnection,
) -> None:
    for cell, expected in CELLS.items():
        found = con.execute("SELECT kq_text(?::VARCHAR), kq_clean(?::VARCHAR)", [cell, cell])
        assert found.fetchone() == expected, cell


def test_typed_cells_are_their_text(con: duckdb.DuckDBPyConnection) -> None:
    """A Parquet or workbook column of numbers, dates, booleans: cast to text inside."""
    row = con.execute(
        "SELECT kq_text(42), kq_text(-1.5::DOUBLE), kq_text(DATE '2024-01-02'), kq_text(true), "
        "kq_text(12.50::DECIMAL(18, 2)), kq_text(TIMESTAMP '2024-01-02 03:04:05'), "
        "kq_clean(0), kq_text(NULL::INTEGER)"
    ).fetchone()
    assert row == ("42", "-1.5", "2024-01-02", "true", "12.50", "2024-01-02 03:04:05", "0", None)


def test_a_place_is_read_without_the_arrow_lambda() -> None:
    """kq_region binds its split cell with nested lambdas: written with the arrow, every
    import of customers with a place failed as its macros were installed."""
    from kequn.ingest import region

    con = duckdb.connect()
    con.execute("SET lambda_syntax = 'DISABLE_SINGLE_ARROW'")
    region.install_macros(con)
    row = con.execute(
        "SELECT kq_region('中国 浙江 杭州', 'country', true), "
        "kq_region('浙江省 杭州市', 'province', true), kq_region('美国 纽约', 'city', true)"
    ).fetchone()
    assert row == ("中国", "浙江省", "纽约")
