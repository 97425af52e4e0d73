"""Excel 97-2003 workbooks (BIFF .xls), as older 千牛/京麦 and ERP exports still are: read
as the .xlsx reader reads a workbook (a title row above the header, a 说明 sheet before the
data, date cells, numbers, text ids with leading zeros), instead of refused with "save it
as .xlsx". The files are written with xlwt, which writes the BIFF8 format Excel 97-2003
saves (strings as UTF-16, dates as numbers formatted as dates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlwt

from kequn.core.i18n import t
from kequn.ingest.importer import import_file
from kequn.ingest.readers import SourceError
from kequn.store.workspace import Workspace

HEAD = ["订单编号", "买家会员名", "订单创建时间", "买家实际支付金额", "订单状态"]


def _book(path: Path, rows: list[list[object]], *, title: str | None, cover: bool) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    if cover:
        notes = book.add_sheet("说明")
        notes.write(0, 0, "本表由系统导出，请勿修改")
    sheet = book.add_sheet("订单")
    when = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm:ss")
    at = 0
    if title:
        sheet.write(0, 0, title)
        at = 2  # a title, a blank row, then the header
    for c, name in enumerate(HEAD):
        sheet.write(at, c, name)
    for r, row in enumerate(rows, start=at + 1):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write(r, c, value, when)
            else:
                sheet.write(r, c, value)
    book.save(str(path))


def _orders(ws: Workspace) -> list[tuple[object, ...]]:
    with ws.read() as con:
        return con.execute(
            "SELECT order_id, customer_id, ordered_at, amount, status FROM orders ORDER BY order_id"
        ).fetchall()


@pytest.mark.parametrize("title", [None, "订单报表 2025-03"])
def test_an_xls_export_is_read_like_an_xlsx(
    ws: Workspace, tmp_path: Path, title: str | None
) -> None:
    path = tmp_path / "ExportOrderList.xls"
    rows: list[list[object]] = [
        ["000123", "tb_小明", dt.datetime(2025, 3, 1, 14, 5), 12.5, "交易成功"],
        [
            "000124",
            "tb_小红",
            dt.datetime(2025, 3, 2, 9, 30, 15),
            199.0,
            "卖家已发货，等待买家确认",
        ],
        ["000125", "tb_小明", "2025-03-03 10:00:00", "88.80", "交易关闭"],
    ]
    _book(path, rows, title=title, cover=title is not None)
    report = import_file(ws, "orders", path, create_customers=True)
    assert (report.accepted, report.rejected) == (3, 0)
    assert report.header_row == (3 if title else 1)
    found = _orders(ws)
    assert [r[0] for r in found] == ["taobao:000123", "taobao:000124", "taobao:000125"]
    assert found[0][2] == dt.datetime(2025, 3, 1, 14, 5)
    assert found[1][2] == dt.datetime(2025, 3, 2, 9, 30, 15)
    assert [float(r[3]) for r in found] == [12.5, 199.0, 88.8]
    assert [r[4] for r in found] == ["paid", "paid", "cancelled"]


def test_a_long_numeric_id_in_an_xls_is_refused_not_stored_wrong(
    ws: Workspace, tmp_path: Path
) -> None:
    """An 18-digit order id typed as a number keeps only 15 significant digits in Excel: the
    row is quarantined (as from an .xlsx), never stored with wrong digits."""
    path = tmp_path / "订单.xls"
    rows: list[list[object]] = [
        [695348989061019000.0, "tb_a", dt.datetime(2025, 3, 1, 14, 5), 12.5, "交易成功"],
        ["000126", "tb_b", dt.datetime(2025, 3, 1, 15, 5), 20.0, "交易成功"],
    ]
    _book(path, rows, title=None, cover=False)
    report = import_file(ws, "orders", path, create_customers=True)
    assert (report.accepted, report.rejected) == (1, 1)
    assert [r[0] for r in _orders(ws)] == ["taobao:000126"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_damaged_xls_says_what_to_do(ws: Workspace, tmp_path: Path, lang: str) -> None:
    path = tmp_path / "订单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(SourceError) as raised:
        import_file(ws, "orders", path)
    said = str(raised.value)
    assert said.startswith("订单.xls")
    assert ".xlsx" in said
    assert said.split("(", maxsplit=1)[0] in t("import.bad_xls", "en", file="订单.xls", detail="x")
    assert "另存为" in t("import.bad_xls", "zh", file="订单.xls", detail="x")
