"""The header again is found with any space the readers take from a header's names
(Python's str.strip()) around its cells: the tab 拼多多 and 抖店 pad their cells with
(formats/pdd.yaml, formats/douyin.yaml: ids tab-prefixed, numbers tab-suffixed), a line
break, the full-width space (U+3000), the no-break space (U+00A0), and the byte-order
mark a second export pasted below the first opens with. The "header again" check of
kequn.ingest.non_data trimmed the cells with DuckDB's trim, which takes the spaces of
Unicode's Zs category (U+3000 and U+00A0 among them) but not a tab or a line break: a
header again so padded was quarantined as an order of status 订单状态.

The header is 淘宝/天猫's ExportOrderList (the columns and the trailing spaces of
'收货地址 ' and '订单付款时间 ' as the importers cited in formats/taobao.yaml read them),
written as UTF-8 with its byte-order mark, as two such exports are when one is appended
to the other (``copy /b a.csv + b.csv``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

HEADER = [
    "订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "总金额",
    "买家实际支付金额", "订单状态", "收货人姓名", "收货地址 ", "联系手机", "订单创建时间",
    "订单付款时间 ", "宝贝标题 ", "宝贝总数量", "退款金额", "店铺名称",
]  # fmt: skip


def _order(number: str, buyer: str, day: str) -> list[str]:
    return [
        f'="{number}"', buyer, "", "88.00", "0.00", "88.00", "88.00", "交易成功", "张*",
        "浙江省 杭州市 西湖区 文三路1号(310000)", "'13812345678", f"2024/3/{day} 14:03",
        f"2024/3/{day} 14:05", "连衣裙", "1", "0.00", "小店",
    ]  # fmt: skip


def _export(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_the_header_again_padded_with_spaces(ws: Workspace, tmp_path: Path) -> None:
    # the header pasted again with its cells padded: tabs as the platforms pad theirs,
    # a line break, a full-width space, a no-break space
    pads = [("\t", ""), ("", "\t"), ("\u3000", "\u00a0"), ("", "\r\n"), ("\u00a0", "\t")]
    spaced = [pads[n % 5][0] + h + pads[n % 5][1] for n, h in enumerate(HEADER)]
    first = _export([HEADER, _order("1930679858170647", "amy", "5")])
    path = tmp_path / "ExportOrderList202403061200.csv"
    path.write_bytes(
        first
        + _export([spaced, _order("1930679858170648", "ben", "6")])
        + _export([HEADER, _order("1930679858170649", "cat", "7")])
    )
    report = import_file(ws, "orders", path)
    # (the padded header's three line breaks put the rows after it three lines down)
    assert [(s["row"], s.get("again")) for s in report.skipped] == [(3, True), (8, True)]
    assert report.accepted == 3
    assert report.rejected == 0
