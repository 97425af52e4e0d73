"""Exports from shops in 台灣 and 香港: traditional-Chinese (繁體) headers and status words,
written in Big5 (cp950) or UTF-8, and a customers workbook (.xlsx) with 繁體 headers. Each
file is built as the shop's tool would write it and imported through ``import_file``.

Before kequn compared headers and words in their simplified form, 訂單編號 was no
order id and 交易關閉 no status: such a file was refused, or its orders quarantined."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

#: a 淘宝/天猫 ExportOrderList as a 台灣 seller's tool writes it: the same columns (see
#: src/kequn/ingest/formats/taobao.yaml for the sources of the simplified originals), in
#: 繁體, with the status words of the export in 繁體 too
TAOBAO = [
    [
        "訂單編號",
        "買家會員名",
        "買家實際支付金額",
        "訂單狀態",
        "收貨人姓名",
        "收貨地址 ",
        "聯繫手機",
        "訂單創建時間",
        "訂單付款時間 ",
        "寶貝標題 ",
        "寶貝總數量",
        "店鋪名稱",
        "訂單關閉原因",
        "退款金額",
    ],
    ["1001", "chen_dw", "199.00", "交易成功", "陳大文", "臺北市 大安區 忠孝東路四段100號",
     "0912345678", "2025-01-03 10:00:00", "2025-01-03 10:05:00", "無線藍牙耳機", "1", "小雲旗艦店",
     "訂單未關閉", "0"],
    ["1002", "lin_xm", "88.50", "交易關閉", "林小美", "新北市 板橋區 文化路一段1號",
     "0922333444", "2025-01-04 11:00:00", "2025-01-04 11:02:00", "保溫杯", "1", "小雲旗艦店",
     "退款成功", "88.50"],
    ["1003", "wong_tm", "350.00", "買家已付款，等待賣家發貨", "黃志明", "香港 九龍 旺角彌敦道1號",
     "98765432", "2025-01-05 12:00:00", "2025-01-05 12:01:00", "兒童繪本套裝", "2", "小雲旗艦店",
     "訂單未關閉", "0"],
    ["1004", "chen_dw", "59.00", "賣家已發貨，等待買家確認", "陳大文", "臺北市 大安區 忠孝東路四段100號",
     "0912345678", "2025-01-06 09:00:00", "2025-01-06 09:03:00", "純棉短袖T恤", "1", "小雲旗艦店",
     "訂單未關閉", "20.00"],
    ["1005", "lin_xm", "45.90", "等待買家付款", "林小美", "新北市 板橋區 文化路一段1號",
     "0922333444", "2025-01-07 15:00:00", "", "洗面奶", "1", "小雲旗艦店", "訂單未關閉", "0"],
    ["1006", "wong_tm", "36.80", "交易關閉", "黃志明", "香港 九龍 旺角彌敦道1號",
     "98765432", "2025-01-08 16:00:00", "", "收納箱", "1", "小雲旗艦店", "買家未付款", "0"],
]  # fmt: skip
TAOBAO_STATUS = {
    "1001": ("paid", Decimal("0")),
    "1002": ("refunded", Decimal("88.50")),
    "1003": ("paid", Decimal("0")),
    "1004": ("partially_refunded", Decimal("20.00")),
    "1005": ("pending", Decimal("0")),
    "1006": ("cancelled", Decimal("0")),
}

#: a shop's own order sheet with the headers of kequn's synonyms in 繁體 (no platform's
#: export: read through src/kequn/ingest/headers.yaml) and its general status words
SHEET = [
    ["訂單編號", "買家會員名", "實付款", "訂單狀態", "付款時間", "收貨人姓名", "聯繫電話", "收貨城市"],
    ["A1", "M001", "1,280.00", "交易成功", "2025-02-01 10:00", "陳大文", "0912-345-678", "臺北市"],
    ["A2", "M002", "560.00", "已退款", "2025-02-02 11:30", "許功蓋", "0933-111-222", "高雄市"],
    ["A3", "M001", "99.00", "退款中", "2025-02-03 12:00", "陳大文", "0912-345-678", "臺北市"],
    ["A4", "M003", "300.00", "部分退款", "2025-02-04 08:15", "鍾國樑", "6123 4567", "香港"],
    ["A5", "M003", "45.00", "交易關閉", "2025-02-05 09:45", "鍾國樑", "6123 4567", "香港"],
    ["A6", "M002", "12.00", "已發貨", "2025-02-06 20:00", "許功蓋", "0933-111-222", "高雄市"],
]  # fmt: skip
SHEET_STATUS = {
    "A1": "paid",
    "A2": "refunded",
    "A3": "refunding",
    "A4": "partially_refunded",
    "A5": "cancelled",
    "A6": "paid",
}


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    def cell(value: str) -> str:
        return f'"{value}"' if "," in value else value

    text = "\r\n".join(",".join(cell(v) for v in row) for row in rows) + "\r\n"
    return text.encode(encoding)


def orders(ws: Workspace) -> dict[str, tuple[str, Decimal | None]]:
    """Each order's status and refunded money, by its id in the file (a platform export's
    ids are stored as its source's: ``taobao_<shop>:1001``)."""
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, refunded FROM orders").fetchall()
    return {str(r[0]).split(":")[-1]: (str(r[1]), r[2]) for r in rows}


@pytest.mark.parametrize("encoding", ["cp950", "utf-8"])
def test_a_traditional_taobao_export_is_read_as_taobao(
    ws: Workspace, tmp_path: Path, encoding: str
) -> None:
    """訂單編號, 訂單狀態, 買家會員名 ... are the Taobao export's headers; 交易關閉 with a
    refund is a refund, without one a close, as for the simplified export."""
    path = tmp_path / "ExportOrderList202501171032.csv"
    path.write_bytes(csv_bytes(TAOBAO, encoding))
    report = import_file(ws, "orders", path)
    assert report.encoding == encoding
    assert report.format == "taobao"
    assert (report.rows, report.accepted, report.rejected) == (6, 6, 0)
    assert report.unknown_statuses == {}
    assert report.mapping["order_id"] == "訂單編號"
    assert report.mapping["status"] == "訂單狀態"
    assert report.mapping["amount"] == "買家實際支付金額"
    assert orders(ws) == TAOBAO_STATUS
    with ws.read() as con:
        amounts = dict(con.execute("SELECT order_id, amount FROM orders").fetchall())
        customers = con.execute(
            "SELECT name, phone, address FROM customers ORDER BY name"
        ).fetchall()
        quarantined = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    assert sorted(amounts.values())[-1] == Decimal("350.00")
    assert quarantined == 0
    # the buyers' own words are stored as written: 臺 is not made 台, 陳 not 陈
    assert [c[0] for c in customers] == ["林小美", "陳大文", "黃志明"]
    assert "臺北市 大安區 忠孝東路四段100號" in {c[2] for c in customers}


@pytest.mark.parametrize("encoding", ["cp950", "utf-8"])
def test_a_shop_sheet_with_traditional_headers_maps_by_kequn_s_synonyms(
    ws: Workspace, tmp_path: Path, encoding: str
) -> None:
    """實付款, 付款時間, 收貨人姓名, 聯繫電話 are 实付款, 付款时间, 收货人姓名, 联系电话; 已退款,
    退款中, 部分退款, 交易關閉 are the general status words in 繁體."""
    path = tmp_path / "訂單.csv"
    path.write_bytes(csv_bytes(SHEET, encoding))
    report = import_file(ws, "orders", path)
    assert report.encoding == encoding
    assert report.format is None
    assert (report.rows, report.accepted, report.rejected) == (6, 6, 0)
    assert report.unknown_statuses == {}
    assert report.mapping == {
        "order_id": "訂單編號",
        "customer_id": "買家會員名",
        "amount": "實付款",
        "status": "訂單狀態",
        "ordered_at": "付款時間",
        "customer_name": "收貨人姓名",
        "customer_phone": "聯繫電話",
        "customer_city": "收貨城市",
    }
    assert {k: v[0] for k, v in orders(ws).items()} == SHEET_STATUS
    with ws.read() as con:
        amount = con.execute("SELECT amount FROM orders WHERE order_id = 'A1'").fetchone()[0]
        people = dict(con.execute("SELECT customer_id, city FROM customers").fetchall())
        quarantined = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    assert amount == Decimal("1280.00")
    assert people == {"M001": "臺北市", "M002": "高雄市", "M003": "香港"}
    assert quarantined == 0


def test_a_customers_workbook_with_traditional_headers(ws: Workspace, tmp_path: Path) -> None:
    """A 香港 shop's member list as .xlsx: 會員編號, 註冊時間, 客戶類型, 營銷許可 ... map to
    their columns, 個人 / 企業 and 是 / 否 are read, and a header kequn does not know
    (會員等級) is kept as an attribute under its own name."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "會員編號",
            "姓名",
            "性別",
            "城市",
            "地址",
            "註冊時間",
            "聯繫電話",
            "客戶類型",
            "營銷許可",
            "會員等級",
        ]
    )
    sheet.append(
        [
            "HK001",
            "陳大文",
            "男",
            "香港",
            "九龍 旺角彌敦道1號",
            dt.datetime(2024, 1, 3, 10, 0),
            "98765432",
            "個人",
            "是",
            "金卡",
        ]
    )
    sheet.append(
        [
            "HK002",
            "林小美",
            "女",
            "臺北市",
            "大安區 忠孝東路四段100號",
            "2024/02/10",
            "0922333444",
            "個人",
            "否",
            "銀卡",
        ]
    )
    sheet.append(
        [
            "HK003",
            "永豐貿易有限公司",
            "",
            "新北市",
            "板橋區 文化路一段1號",
            "2024-03-01",
            "0222334455",
            "企業",
            "",
            "",
        ]
    )
    path = tmp_path / "會員名單.xlsx"
    book.save(path)
    report = import_file(ws, "customers", path)
    assert (report.rows, report.accepted, report.rejected, report.warnings) == (3, 3, 0, 0)
    assert report.mapping == {
        "customer_id": "會員編號",
        "name": "姓名",
        "gender": "性別",
        "city": "城市",
        "address": "地址",
        "created_at": "註冊時間",
        "phone": "聯繫電話",
        "kind": "客戶類型",
        "marketing_consent": "營銷許可",
    }
    assert report.attributes == ["會員等級"]
    with ws.read() as con:
        rows = con.execute(
            "SELECT customer_id, name, gender, kind, city, marketing_consent, "
            "CAST(created_at AS DATE), attributes FROM customers ORDER BY 1"
        ).fetchall()
        quarantined = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    assert [r[:7] for r in rows] == [
        ("HK001", "陳大文", "male", "individual", "香港", True, dt.date(2024, 1, 3)),
        ("HK002", "林小美", "female", "individual", "臺北市", False, dt.date(2024, 2, 10)),
        ("HK003", "永豐貿易有限公司", None, "enterprise", "新北市", None, dt.date(2024, 3, 1)),
    ]
    assert dict(rows[0][7]) == {"會員等級": "金卡"}
    assert quarantined == 0
