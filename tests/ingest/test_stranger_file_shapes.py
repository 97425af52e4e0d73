"""Files a newcomer tries on the first day, each told for what it is: a header-only export
without a line end (was "cannot be read as utf-8 (near line ?)" with Arrow's English), a
UTF-8 file with one line pasted from a GBK one (was read as a Cyrillic code page, every
header garbled), a workbook renamed .csv (was an encoding error at line 1), and a file
named .xls that is no workbook (was "unsupported file type (supported: ... .xls)")."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from kequn.core import i18n
from kequn.ingest.importer import import_file
from kequn.ingest.readers import SourceError
from kequn.store.workspace import Workspace

HEADER = "订单编号,客户编号,下单时间,实付金额,订单状态"


def test_a_header_only_file_without_a_line_end_imports_nothing(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER, encoding="utf-8")
    report = import_file(ws, "orders", path)
    assert (report.rows, report.accepted, report.rejected) == (0, 0, 0)
    assert report.encoding == "utf-8"


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "cannot be read as utf-8 (near line 3002)"),
        ("zh", "无法用编码 utf-8 读取（第 3002 行附近）"),
    ],
)
def test_a_line_in_another_encoding_is_named_by_its_number(
    ws: Workspace, tmp_path: Path, lang: str, said: str
) -> None:
    rows = [f"O{i},C{i % 50},2026-01-{i % 28 + 1:02d},{i % 300 + 1}.00,paid" for i in range(3000)]
    path = tmp_path / "two exports.csv"
    # past the first 64 KiB read to find the header, where Arrow finds it
    path.write_bytes(
        "\n".join([HEADER, *rows, ""]).encode() + "O9999,C1,2026-02-01,12.00,已付款\n".encode("gbk")
    )
    message = _refused(ws, path, lang)
    assert said in message
    for arrow_said in ("?", "Arrow", "skip"):
        assert arrow_said not in message
    with ws.read() as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (0,)


def test_a_workbook_renamed_csv_is_read_as_the_workbook(ws: Workspace, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["客户编号", "姓名"])
    sheet.append(["C1", "张三"])
    sheet.append(["C2", "李四"])
    path = tmp_path / "客户 副本.csv"
    book.save(path)
    report = import_file(ws, "customers", path)
    assert report.accepted == 2
    with ws.read() as con:
        names = con.execute("SELECT customer_id, name FROM customers ORDER BY 1").fetchall()
    assert names == [("C1", "张三"), ("C2", "李四")]


@pytest.mark.parametrize(
    ("content", "en", "zh"),
    [
        (b"", "is empty", "是空文件"),
        (b"\x00\x01\x02\x03 13800138000 zhang", "neither an Excel workbook nor", "既不是 Excel"),
    ],
)
def test_a_file_named_xls_that_is_no_workbook_says_so(
    ws: Workspace, tmp_path: Path, content: bytes, en: str, zh: str
) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes(content)
    for lang, said in (("en", en), ("zh", zh)):
        message = _refused(ws, path, lang)
        assert said in message
        assert "unsupported" not in message
        assert "13800138000" not in message  # the file's bytes are not echoed


def _refused(ws: Workspace, path: Path, lang: str) -> str:
    """Why importing ``path`` as orders is refused, said in ``lang``."""
    i18n.set_lang(lang)
    try:
        with pytest.raises(SourceError) as told:
            import_file(ws, "orders", path)
    finally:
        i18n.set_lang(None)
    return str(told.value)
