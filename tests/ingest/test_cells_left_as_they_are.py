"""A cell that cleaning would not change is taken as it is (:func:`~kequn.ingest.cell_macros.
cleaned`): the test that spares the work must never let through a cell the work would have
changed. Compared here with the work itself on every cell, over strings made of the
characters that matter (full-width forms, the spaces and invisible characters made plain,
line breaks and tabs at the edges and inside, the spreadsheet escapes = and ', blank words,
Chinese text, NUL)."""

from __future__ import annotations

import random

import duckdb
import pytest

from kequn.ingest import cell_macros, shape

_POOL = [
    *"张三é全角 \t\n\r\x0b\x0c\x01\x1f\x7f\x85\xa0\u00ad\u2028\u2066\u200b\u200e\u3000\u3001",
    *"\ufeff\uff0c\uff10\uff1d\uff21=\"'-—0:aZ9~!&<>()\\x\x00",
    "null",
    "NULL",
    "0000-00-00",
    "--",
    "——",
    '="',
]


def _cells(count: int) -> list[str | None]:
    rng = random.Random(20261206)
    made: list[str | None] = [
        "".join(rng.choice(_POOL) for _ in range(rng.randint(0, 8))) for _ in range(count)
    ]
    return [*made, None, "", "C0001", '="0123"', "'0123", "'", " 张三 ", "已发货，待收货"]


@pytest.mark.parametrize(
    ("macro", "escapes", "blanks"),
    [
        ("kq_text", cell_macros._escapes, f"[{cell_macros._BLANKS}]"),
        ("kq_clean", shape._escapes, "['', '-']"),
    ],
)
def test_the_shortcut_agrees_with_the_work(macro: str, escapes: object, blanks: str) -> None:
    trim = " || ".join(f"chr({ord(c)})" for c in cell_macros._TRIMMED)
    assert callable(escapes)
    work = escapes(f"trim({cell_macros.plain('s')}, {trim})")
    con = duckdb.connect()
    con.execute(cell_macros.MACROS)
    con.execute(shape.MACROS)
    con.execute("CREATE TABLE cells AS SELECT unnest($cells) AS s", {"cells": _cells(60_000)})
    found = con.execute(
        f"SELECT s, {macro}(s) AS quick, "
        f"CASE WHEN list_contains({blanks}, {work}) THEN NULL ELSE {work} END AS slow "
        "FROM cells WHERE quick IS DISTINCT FROM slow LIMIT 5"
    ).fetchall()
    assert found == []
    # the shortcut is taken: most of these cells pass its test unchanged
    kept = con.execute(
        "SELECT count(*) FROM cells WHERE regexp_full_match(s, $p)",
        {"p": cell_macros._UNTOUCHED},
    ).fetchone()
    assert kept is not None
    assert kept[0] > 1_000
