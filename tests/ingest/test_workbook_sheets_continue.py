"""A workbook whose orders go on from sheet to sheet under the same header, as 快手小店's
export does (a loader of the real files read 185 sheets from 10 workbooks, each headed by
the same columns: github-code-index:61522271937): every sheet's orders are read, not only
the first sheet's, and the summary says which rows came from which sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from cli_helpers import kequn_words
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

HEADER = ["订单号", "订单创建时间", "订单支付时间", "订单状态", "实付款", "成交数量", "售后状态",
          "商品名称", "收货人姓名", "收货人电话", "收货地址"]  # fmt: skip


def _order(n: int, status: str = "交易成功", after_sale: str = "-") -> list[object]:
    when = f"2025-02-{n:02d} 12:37:23"
    return [f"24000000000000{n:02d}", when, when, status, "￥59.00", 1, after_sale, "茶",
            "张三", f"1380013{n:04d}", "浙江省杭州市"]  # fmt: skip


def _book(path: Path) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "订单1"
    first.append(HEADER)
    first.append(_order(1))
    first.append(_order(2))
    notes = book.create_sheet("说明")  # another header: no orders of this file
    notes.append(["字段", "含义"])
    notes.append(["订单号", "快手订单编号"])
    second = book.create_sheet("订单2")
    second.append(HEADER)
    second.append(_order(3, "交易关闭", "退款成功"))
    second.append(["", "", ""])
    second.append(_order(4, "待发货"))
    third = book.create_sheet("订单3")
    third.append(["快手小店订单导出"])  # a title row above the header
    third.append(HEADER)
    third.append(_order(5))
    hidden = book.create_sheet("旧")
    hidden.append(HEADER)
    hidden.append(_order(6))
    hidden.sheet_state = "hidden"
    book.save(path)
    return path


def test_every_sheet_under_the_same_header_is_read(ws: Workspace, tmp_path: Path) -> None:
    result = import_file(ws, "orders", _book(tmp_path / "快手订单.xlsx"))
    assert result.rejected == 0, result.examples
    with ws.read() as con:
        got = con.execute("SELECT order_id, status, source_row FROM orders ORDER BY 1").fetchall()
    assert [(str(o)[-2:], s, r) for o, s, r in got] == [
        ("01", "paid", 2),
        ("02", "paid", 3),
        ("03", "refunded", 4),  # 订单2's row 2
        ("04", "paid", 6),  # 订单2's row 4 (its row 3 is blank)
        ("05", "paid", 7),  # 订单3's row 3, under its title row and header
    ]
    assert result.sheets == [
        {"sheet": "订单1", "first": 2, "last": 3, "own": 2},
        {"sheet": "订单2", "first": 4, "last": 6, "own": 2},
        {"sheet": "订单3", "first": 7, "last": 7, "own": 3},
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_summary_names_the_sheets_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str
) -> None:
    path = _book(tmp_path / "orders.xlsx")
    Workspace.init(tmp_path / "ws")
    code, said = kequn_words(
        capsys, "--lang", lang, "import", "orders", path, "-w", tmp_path / "ws"
    )
    assert code == 0, said
    if lang == "zh":
        assert "读取了 3 个表头相同的工作表" in said
        assert "订单2（第 2–4 行）" in said
    else:
        assert "Read 3 sheets with the same header" in said
        assert "订单2 (rows 2–4)" in said


def test_a_named_sheet_is_read_alone(ws: Workspace, tmp_path: Path) -> None:
    result = import_file(ws, "orders", _book(tmp_path / "快手订单.xlsx"), sheet="订单2")
    assert result.accepted == 2
    # one sheet read, of a workbook of several: its rows are told by it
    assert result.sheets == [{"sheet": "订单2", "first": 2, "last": 4, "own": 2}]
