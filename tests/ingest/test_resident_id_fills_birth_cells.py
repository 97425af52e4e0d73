"""A member list with a birth column of its own (生日) and a resident ID number column: the
number fills, row by row, what the birth cell lacks, and the file's column wins for what
it gives (kequn.ingest.resident_id.fill_birth_sql). Before, a file with a 生日 column
never read the number: a customer whose 生日 was empty, a month and day alone (03-15,
as shops collect for birthday coupons) or a year had no birth date, no age or no
birthday (customers.birthday, MM-DD: what identity resolution compares birth dates by),
though the number on the same row gave them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.store.workspace import Workspace

#: python-stdnum's valid number (born 1991-01-01), and hutool's 15-digit one (1988-07-30)
ID_1991 = "360426199101010071"
ID_15 = "150102880730303"

ROWS = [
    # (id, 生日, 身份证号码, birth date, birthday)
    ("M1", "", ID_1991, dt.date(1991, 1, 1), "01-01"),  # empty: the number's
    ("M2", "03-15", ID_1991, dt.date(1991, 1, 1), "03-15"),  # the cell's birthday wins
    ("M3", "1991", ID_1991, dt.date(1991, 1, 1), "01-01"),  # the year agrees: the whole date
    ("M4", "1990", ID_1991, dt.date(1990, 1, 1), None),  # the year differs: the cell's
    ("M5", "1991年1月", ID_1991, dt.date(1991, 1, 1), "01-01"),
    ("M6", "1991年3月", ID_1991, dt.date(1991, 3, 1), None),  # the month differs
    ("M7", "90后", ID_1991, dt.date(1991, 1, 1), "01-01"),  # in the generation's decade
    ("M8", "1985-05-05", ID_1991, dt.date(1985, 5, 5), "05-05"),  # a whole date: the cell's
    ("M9", "abc", ID_15, dt.date(1988, 7, 30), "07-30"),  # no date: the number's, warned
    ("M10", "", "360426199101010072", None, None),  # a mistyped number gives nothing
]


def test_the_number_fills_what_the_birth_cell_lacks(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "会员.csv"
    lines = ["会员号,姓名,生日,身份证号码"] + [f"{r[0]},客户,{r[1]},{r[2]}" for r in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.rejected) == (len(ROWS), 0)
    with ws.read() as con:
        got = {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT customer_id, birth_date, birthday FROM customers"
            ).fetchall()
        }
    for customer, _cell, _number, born, birthday in ROWS:
        assert got[customer] == (born, birthday), customer
    # 03-15 is no longer told as "no birth date and no age": the number gave them; abc
    # is still told as no date
    warned = {(e["row"], e["reason"]) for e in quarantine_rows(ws, lang="en")}
    assert warned == {(10, "bad_date")}
