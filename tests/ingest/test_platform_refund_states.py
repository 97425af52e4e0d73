"""抖店 and 拼多多 order exports whose status words say what happened to the money: not
paid yet, paid with a refund under way, refunded in full, refunded in part. Each file is
built from the public definitions the profiles cite (douyin.yaml, pdd.yaml) and imported
through the real ``kequn import`` into a real workspace."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from cli_helpers import kequn_output, kequn_words
from kequn.core.schema import KEPT_STATUSES
from kequn.store.workspace import Workspace

# 抖店 商品维度 export (one row per 子订单; the 抖音订单报表 help page: a CSV, 标准报表 or
# 自定义报表): headers as the public importers read them (douyin.yaml's sources); ids
# tab-prefixed, '-' for an empty cell, receiver fields as 抖店 ciphertext
DOUYIN = (
    "主订单编号,子订单编号,选购商品,商品ID,商品数量,商品单价,订单应付金额,订单提交时间,"
    "支付完成时间,订单状态,售后状态,取消原因,收件人,收件人手机号,详细地址"
)
PAID = "2025-05-01 10:01:00"


def _douyin(path: Path, rows: list[tuple[str, str, str, str, str, str]]) -> Path:
    lines = [DOUYIN]
    for n, (order, amount, paid, status, after_sale, why) in enumerate(rows):
        lines.append(
            f'"\t{order}","\t{order}{n:02d}",商品{n},"\t3600{n}",1,{amount},{amount},'
            f"2025-05-01 10:00:00,{paid},{status},{after_sale},{why},"
            f"~AbCdEfGh{n}Ij~,$AbCdEfGhIjKl{n}$,#AbCdEfGhIjKl{n}##"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def _orders(ws: Path) -> dict[str, tuple[str, Decimal, Decimal]]:
    with Workspace.open(ws).read() as con:
        rows = con.execute("SELECT order_id, status, amount, refunded FROM orders").fetchall()
    return {str(o).rsplit(":", 1)[-1]: (s, a, r) for o, s, a, r in rows}


def _quarantine(ws: Path) -> list[tuple[str, int, str, str, str]]:
    with Workspace.open(ws).read() as con:
        rows = con.execute(
            'SELECT file, "row", "column", reason, severity FROM quarantine ORDER BY 2'
        ).fetchall()
    return [(Path(str(f)).name, int(r), str(c), str(why), str(s)) for f, r, c, why, s in rows]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_douyin_status_words_follow_the_money(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str
) -> None:
    """待确认 (API order_status 1 '待确认/待支付': not paid) was refused as an unknown
    word; the after-sale filter's 售后中 / 退款失败 / 换货成功 and 部分退款 were read as
    no after-sale, so an order being refunded counted as an untouched sale."""
    rows = [
        ("7001", "50.00", "-", "待确认", "-", "-"),  # created, not paid
        ("7002", "50.00", PAID, "售后中", "售后中", "-"),  # paid, refund under way
        ("7003", "50.00", PAID, "已关闭", "退款成功", "-"),  # paid, then all back
        ("7004", "50.00", "-", "已关闭", "-", "超时未支付"),  # closed before payment
        ("7005", "50.00", PAID, "部分退款", "-", "-"),  # part back, amount unknown
        ("7006", "30.00", PAID, "已完成", "售后成功", "-"),  # one line of two refunded
        ("7006", "20.00", PAID, "已完成", "-", "-"),
        ("7007", "50.00", PAID, "已完成", "退款失败", "-"),  # refund failed: money kept
        ("7008", "50.00", PAID, "已完成", "换货成功", "-"),  # an exchange: money kept
        ("7009", "50.00", PAID, "退款成功", "-", "-"),
        ("7010", "50.00", PAID, "售后完成", "-", "-"),
        ("7011", "50.00", PAID, "已完成", "部分退款", "-"),  # a line partly refunded
        ("7012", "50.00", PAID, "待成团", "-", "-"),  # unknown: refused, named
    ]
    path = _douyin(tmp_path / "抖店订单.csv", rows)
    ws = tmp_path / "ws"
    Workspace.init(ws)
    code, said = kequn_words(capsys, "--lang", lang, "import", "orders", path, "-w", ws)
    assert code == 0, said
    got = _orders(ws)
    zero = Decimal("0.00")
    assert got == {
        "7001": ("pending", Decimal("50.00"), zero),
        "7002": ("refunding", Decimal("50.00"), zero),
        "7003": ("refunded", Decimal("50.00"), Decimal("50.00")),
        "7004": ("cancelled", Decimal("50.00"), zero),
        "7005": ("partially_refunded", Decimal("50.00"), zero),
        "7006": ("partially_refunded", Decimal("50.00"), Decimal("30.00")),
        "7007": ("paid", Decimal("50.00"), zero),
        "7008": ("paid", Decimal("50.00"), zero),
        "7009": ("refunded", Decimal("50.00"), Decimal("50.00")),
        "7010": ("refunded", Decimal("50.00"), Decimal("50.00")),
        "7011": ("partially_refunded", Decimal("50.00"), zero),
    }
    # a 售后中 order was paid and stays a purchase; a 待确认 one was never one
    assert got["7002"][0] in KEPT_STATUSES
    assert got["7001"][0] not in KEPT_STATUSES
    # the one bad row: its file, row (the header is row 1) and column
    assert _quarantine(ws) == [("抖店订单.csv", 14, "status", "bad_choice", "rejected")]
    assert "待成团" in said
    assert "订单状态" in said
    # the two partial refunds whose amount no column gives are said, not hidden
    if lang == "zh":
        assert "2 笔订单为部分退款，但文件中没有退款金额" in said
    else:
        assert "2 orders were partly refunded but the file gives no refund amount" in said


# 拼多多 orders_export.csv (pdd.yaml: github-code-index:40189267514), with 退款金额(元)
# as a merged export carries it (github-code-index:61978902882 reads 退款金额(元) beside
# 售后状态 退款成功); cells padded with tabs as the backend writes them
PDD = (
    "商品,订单号,订单状态,商品总价(元),店铺优惠折扣(元),平台优惠折扣(元),用户实付金额(元),"
    "商家实收金额(元),商品数量(件),发货时间,确认收货时间,商品id,样式ID,商品规格,售后状态,"
    "快递单号,快递公司,订单成交时间,退款金额(元)"
)
PDD_ROWS = [
    ("已签收", "部分退款成功", "10.00"),  # part back: a purchase of 45, 10 refunded
    ("已签收", "退款成功", "15.00"),  # 退款成功 of less than was paid: still a part
    ("已签收", "部分退款", "5.00"),
    ("已签收，退款成功", "退款成功", "45.00"),  # all back
    ("已签收", "无售后或售后取消", ""),
    ("已发货，待签收", "售后处理中", "20.00"),  # asked, not yet paid back
    ("已签收", "部分退款成功", "60.00"),  # more than was paid: refused
    ("已签收", "部分退款成功", "十元"),  # unreadable: said, the order kept
]


def _pdd_csv(path: Path) -> Path:
    lines = [PDD]
    for n, (status, after_sale, refund) in enumerate(PDD_ROWS):
        lines.append(
            f'某商品,"\t250108-{123456789012345 + n}",{status},"50.00\t","5.00\t","0\t",'
            f'"45.00\t","40.00\t","1\t",,,"\t6000{n}","\t1000{n}",红色,{after_sale},,,'
            f'2025-01-08 12:0{n}:00,"{refund}\t"'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def _pdd_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(PDD.split(","))
    for n, (status, after_sale, refund) in enumerate(PDD_ROWS):
        money: float | str | None = float(refund) if refund[:1].isdigit() else refund or None
        sheet.append(
            ["某商品", f"250108-{123456789012345 + n}", status, 50.0, 5.0, 0.0, 45.0, 40.0, 1,
             None, None, f"6000{n}", f"1000{n}", "红色", after_sale, None, None,
             f"2025-01-08 12:0{n}:00", money]
        )  # fmt: skip
    book.save(path)
    return path


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_pdd_partial_refunds_keep_the_purchase(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    """A partial refund stays a purchase with refunded = 退款金额(元); a refund above the
    paid amount keeps the order, refunded in full, and is named, as is one that is not a
    number (it was read as no refund, unsaid)."""
    path = (_pdd_csv if kind == "csv" else _pdd_xlsx)(tmp_path / f"orders_export.{kind}")
    ws = tmp_path / "ws"
    Workspace.init(ws)
    code, out, err = kequn_output(capsys, "import", "orders", path, "-w", ws, "--json")
    assert code == 0, out + err
    report = json.loads(out)
    assert report["format"] == "pdd"
    assert (report["accepted"], report["rejected"]) == (8, 0)
    assert report["mapping"]["refunded"] == "退款金额(元)"
    got = _orders(ws)
    zero, paid = Decimal("0.00"), Decimal("45.00")
    want = [
        ("partially_refunded", paid, Decimal("10.00")),
        ("partially_refunded", paid, Decimal("15.00")),
        ("partially_refunded", paid, Decimal("5.00")),
        ("refunded", paid, paid),
        ("paid", paid, zero),
        ("refunding", paid, zero),
        ("partially_refunded", paid, paid),  # 60 back of 45 paid: read as all of it
        ("partially_refunded", paid, zero),
    ]
    assert [got.get(f"250108-{123456789012345 + n}") for n in range(8)] == want
    assert _quarantine(ws) == [
        (path.name, 8, "refunded", "refund_over_amount", "warning"),
        (path.name, 9, "refunded", "bad_money", "warning"),
    ]
    assert report["examples"]["refund_over_amount"]["column"] == "退款金额(元)"
    assert report["examples"]["bad_money"]["value"] == "十元"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdd_refund_over_the_paid_amount_is_explained(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str
) -> None:
    path = _pdd_csv(tmp_path / "orders_export.csv")
    ws = tmp_path / "ws"
    Workspace.init(ws)
    code, said = kequn_words(capsys, "--lang", lang, "import", "orders", path, "-w", ws)
    assert code == 0, said
    if lang == "zh":
        assert "退款金额(元) 为 60.00，多于订单实付的 45.00" in said
    else:
        assert "退款金额(元) is 60.00, more than the 45.00 paid for the order" in said


def test_pdd_partial_refund_without_a_refund_column_is_said(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The export pdd.yaml models has no 退款金额(元): 部分退款成功 keeps the sale, with the
    refunded money unknown (0) and the summary saying so."""
    header = PDD.removesuffix(",退款金额(元)")
    lines = [header] + [
        f'某商品,"\t250108-99999999999990{n}",已签收,"50.00\t","5.00\t","0\t","45.00\t",'
        f'"40.00\t","1\t",,,"\t6000{n}","\t1000{n}",红色,{after_sale},,,2025-01-08 12:00:00'
        for n, after_sale in enumerate(["部分退款成功", "无售后或售后取消"])
    ]
    path = tmp_path / "orders_export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    ws = tmp_path / "ws"
    Workspace.init(ws)
    code, out, err = kequn_output(capsys, "import", "orders", path, "-w", ws, "--json")
    assert code == 0, out + err
    report = json.loads(out)
    assert report["accepted"] == 2
    assert report["partial_refund_unknown"] == 1
    assert "import.partial_refund_unknown" in report["notes"]
    got = _orders(ws)
    assert got["250108-999999999999900"] == ("partially_refunded", Decimal("45.00"), Decimal("0"))
    assert got["250108-999999999999901"][0] == "paid"
