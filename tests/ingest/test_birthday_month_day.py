"""A customer's birthday (MM-DD) beside the birth date, from a birth column as Excel and
people fill it: a date cell, a serial number, 1990年1月1日, 1990/1/1, 19900101 give both;
a year alone (1990, a number or text), a year and month or a generation give the birth
date for the age (its 1 January or 1st) and no birthday; a month and day alone (01-01,
3月15日, --0229, as shops collect for birthday coupons) the birthday and no birth date.
Before, "1990" was stored as 1990-01-01 that nothing told from a real New Year's Day
birthday (shown so, and "the same birth date" when records were linked into persons),
and 01-01 was not kept at all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from kequn.identity.workspace import _SRC_SELECT
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

CASES = [
    # (description, the cell as written to the workbook, birth date, birthday)
    ("a date cell", dt.date(1990, 1, 1), dt.date(1990, 1, 1), "01-01"),
    ("Excel's serial number of 1990-01-01", 32874, dt.date(1990, 1, 1), "01-01"),
    ("a number of eight digits", 19900315, dt.date(1990, 3, 15), "03-15"),
    ("1990年1月1日", "1990年1月1日", dt.date(1990, 1, 1), "01-01"),
    ("1990/1/1", "1990/1/1", dt.date(1990, 1, 1), "01-01"),
    ("19900101 as text", "19900101", dt.date(1990, 1, 1), "01-01"),
    ("a year alone, a number", 1990, dt.date(1990, 1, 1), None),
    ("a year alone, text", "1990", dt.date(1990, 1, 1), None),
    ("a year and month", "1985年7月", dt.date(1985, 7, 1), None),
    ("a generation", "90后", dt.date(1995, 1, 1), None),
    ("a month and day", "01-01", None, "01-01"),
    ("a month and day in Chinese", "3月15日", None, "03-15"),
    ("vCard's month and day", "--0229", None, "02-29"),
    ("a day that cannot be a month first", "15/03", None, "03-15"),
    ("a month's name first", "Mar. 15", None, "03-15"),
    ("a month's name last", "1st of September", None, "09-01"),
    ("no such day", "02-30", None, None),
]


def _book(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["客户编号", "姓名", "生日"])
    for n, (_, cell, _, _) in enumerate(CASES):
        sheet.append([f"C{n}", f"客户{n}", cell])
    book.save(path)
    return path


def test_birth_date_and_birthday_as_the_cell_gives_them(ws: Workspace, tmp_path: Path) -> None:
    report = import_file(ws, "customers", _book(tmp_path / "会员.xlsx"))
    assert (report.accepted, report.rejected) == (len(CASES), 0)
    with ws.read() as con:
        got = {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT customer_id, birth_date, birthday FROM customers"
            ).fetchall()
        }
        # records are linked into persons by a birth date given whole only
        linked = dict(
            con.execute(
                f"SELECT customer_id, birth_date FROM (SELECT {_SRC_SELECT} FROM customers)"
            ).fetchall()
        )
    for n, (description, _, born, birthday) in enumerate(CASES):
        assert got[f"C{n}"] == (born, birthday), description
        assert linked[f"C{n}"] == (born if birthday else None), description
