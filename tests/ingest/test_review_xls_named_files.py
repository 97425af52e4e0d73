"""Files named .xls that are no BIFF workbook, as platforms and ERPs export them: an
.xlsx, tab-separated "Unicode text", or a web page. All were refused alike with
"save it as .xlsx" (for text and an .xlsx needlessly; for a web page without saying why)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from kequn.core.i18n import t
from kequn.ingest.importer import import_file
from kequn.ingest.readers import SourceError
from kequn.store.workspace import Workspace

HEAD = ["订单编号", "客户编号", "下单时间", "实付金额", "订单状态"]
ROW = ["000123", "C1", "2025-03-01 14:05:00", "12.50", "已付款"]


def order(ws: Workspace) -> tuple[object, ...]:
    with ws.read() as con:
        rows = con.execute("SELECT order_id, customer_id, amount FROM orders").fetchall()
    assert len(rows) == 1
    return tuple(str(v) for v in rows[0])


def test_unicode_text_named_xls_is_read(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "订单.xls"
    text = "\r\n".join("\t".join(r) for r in (HEAD, ROW)) + "\r\n"
    path.write_bytes(text.encode("utf-16"))  # with its BOM, as Excel's "Unicode Text"
    assert import_file(ws, "orders", path).accepted == 1
    assert order(ws) == ("000123", "C1", "12.50")


def test_an_xlsx_named_xls_is_read(ws: Workspace, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEAD)
    sheet.append(ROW)
    path = tmp_path / "订单.xls"
    book.save(path)
    assert import_file(ws, "orders", path).accepted == 1
    assert order(ws) == ("000123", "C1", "12.50")


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_web_page_named_xls_says_what_it_is(ws: Workspace, tmp_path: Path, encoding: str) -> None:
    cells = "".join(f"<td>{c}</td>" for c in ROW)
    page = f"<html><head><meta charset='{encoding}'></head><body><table><tr>{cells}</tr>"
    path = tmp_path / "订单.xls"
    path.write_bytes(("\r\n" + page + "</table></body></html>").encode(encoding))
    with pytest.raises(SourceError) as raised:
        import_file(ws, "orders", path)
    assert str(raised.value) == t("import.xls_html", file="订单.xls")
    assert "web page" in str(raised.value)
    assert "HTML" in t("import.xls_html", "zh", file="x")


def test_a_damaged_biff_workbook_is_asked_to_be_saved_as_xlsx(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "订单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(SourceError, match=r"as \.xlsx"):
        import_file(ws, "orders", path)
