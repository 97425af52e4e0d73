"""The header again under the data is skipped and said, as a totals row is: a shop that
exports its orders day by day (or page by page) and pastes the files under one another
keeps each export's header row. That row was quarantined as an order whose status is
the word 订单状态, with the advice to add ``statuses: {订单状态: paid}`` to a mapping file,
and its 店铺名称 cell made a second shop, so the file lost its shop's source.

The header is 淘宝/天猫's ExportOrderList (GBK; the columns and the trailing spaces of
'收货地址 ' and '订单付款时间 ' as the importers cited in formats/taobao.yaml read them)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kequn.ingest import summary
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

HEADER = [
    "订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "总金额",
    "买家实际支付金额", "订单状态", "收货人姓名", "收货地址 ", "联系手机", "订单创建时间",
    "订单付款时间 ", "宝贝标题 ", "宝贝总数量", "退款金额", "店铺名称",
]  # fmt: skip


def _order(number: str, buyer: str, paid: str, day: str) -> list[str]:
    return [
        f'="{number}"', buyer, "", paid, "0.00", paid, paid, "交易成功", "张*",
        "浙江省 杭州市 西湖区 文三路1号(310000)", "'13812345678", f"2024/3/{day} 14:03",
        f"2024/3/{day} 14:05", "连衣裙", "1", "0.00", "小店",
    ]  # fmt: skip


def _pasted(tmp_path: Path) -> Path:
    """Two days' exports, one under the other, each with its header."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [
            HEADER,
            _order("1930679858170647", "amy", "88.00", "5"),
            _order("1930679858170648", "ben", "120.50", "5"),
            HEADER,
            _order("1930679858170649", "cat", "66.00", "6"),
        ]
    )
    path = tmp_path / "ExportOrderList202403061200.csv"
    path.write_bytes(out.getvalue().encode("gbk"))
    return path


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Skipped row 4: it repeats the header (订单编号 买家会员名"),
        ("zh", "跳过第 4 行：它重复了表头（订单编号 买家会员名"),
    ],
)
def test_the_header_pasted_again_is_skipped_and_said(
    ws: Workspace, tmp_path: Path, lang: str, said: str
) -> None:
    report = import_file(ws, "orders", _pasted(tmp_path))
    assert (report.rows, report.accepted, report.rejected) == (4, 3, 0)
    assert [s["row"] for s in report.skipped] == [4]
    assert report.unknown_statuses == {}
    lines = [line.text for line in summary.format_lines(report, lang)]
    assert any(said in line for line in lines), lines
    assert not any("订单状态: paid" in line for line in lines)
    with ws.read() as con:
        assert con.execute("SELECT count(*) FROM quarantine").fetchone() == (0,)
        rows = con.execute("SELECT order_id, source_row FROM orders ORDER BY 2").fetchall()
    # one shop, so its source is the shop's (the header's 店铺名称 is no second shop)
    assert rows == [
        ("taobao_xiaodian:1930679858170647", 2),
        ("taobao_xiaodian:1930679858170648", 3),
        ("taobao_xiaodian:1930679858170649", 5),
    ]


def test_a_row_naming_a_few_of_its_headers_is_still_data(ws: Workspace, tmp_path: Path) -> None:
    """A record whose one cell happens to be its column's name is kept."""
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_id,customer_id,order_date,amount,status,remark\n"
        "O1,C1,2024-03-01,10,paid,remark\n"
        "O2,customer_id,2024-03-02,20,paid,none\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", path)
    assert (report.accepted, report.rejected, report.skipped) == (2, 0, [])
