"""Status words that the platforms' open APIs and the ERPs and importers built on them
print, looked up again in public sources: each file below carries the platform's export
header (its source named beside it) and the words, with the source of each. A status word
no profile knew quarantined a paid order as unknown; an after-sale word no profile knew was
named as unknown in the import summary."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def _orders(ws: Workspace) -> dict[str, tuple[str, Decimal, Decimal]]:
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, amount, refunded FROM orders").fetchall()
    return {str(o).rsplit(":", 1)[-1]: (s, a, r) for o, s, a, r in rows}


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)
    return path


# 微店: no public source shows the backend export's header (weidian.yaml says so); these
# are the profile's modelled headers (tests/ingest/corpus/weidian.py)
WEIDIAN = [
    "订单编号", "订单状态", "退款状态", "下单时间", "付款时间", "买家昵称", "收货人姓名",
    "收货人手机号", "收货地址", "商品名称", "商品数量", "商品总价", "实付金额", "退款金额",
]  # fmt: skip


def test_weidian_statuses_of_the_open_api(ws: Workspace, tmp_path: Path) -> None:
    """The 微店 open API's order statuses and their descriptions (github-code-index:
    8290916066, 25350308598, 31757410977), as an ERP's order download reads them
    (github-code-index:22965142994, with the refused-refund pair): every one but 未付款
    and 订单关闭 was refused as unknown."""
    words = {
        "待处理": "paid",  # pend: 待处理订单，也就是待发货订单
        "未发货，申请退款": "refunding",  # unship_refunding
        "已发货，申请退款": "refunding",  # shiped_refunding
        "已确认收货": "paid",  # accept
        "已确认收货，申请退款": "refunding",  # accept_refunding
        "订单完成": "paid",  # finish
        "未发货，拒绝退款": "paid",  # unship_refuse_refunding (22965142994)
        "已发货，拒绝退款": "paid",  # shiped_refuse_refunding (22965142994)
        "未付款": "pending",  # unpay
        "订单关闭": "cancelled",  # close
    }
    rows = [
        [
            f"79{n:08d}", word, "", "2025-04-01 10:00:00", "2025-04-01 10:01:00", f"买家{n}",
            f"收货人{n}", f"1390000{n:04d}", "浙江省杭州市西湖区某路1号", "手工皂", "1",
            "30.00", "28.00", "",
        ]
        for n, word in enumerate(words)
    ]  # fmt: skip
    path = _write(tmp_path / "微店订单.csv", WEIDIAN, rows)
    result = import_file(ws, "orders", path)
    assert result.format == "weidian"
    assert result.rejected == 0, result.examples
    assert result.unknown_statuses == {}
    got = {order: value[0] for order, value in _orders(ws).items()}
    assert got == {f"79{n:08d}": state for n, state in enumerate(words.values())}
