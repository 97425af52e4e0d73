"""Ingestion keeps every good row, quarantines every bad one with a reason, and is idempotent."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.ingest.readers import SourceError
from kequn.store.workspace import Workspace

CUSTOMERS = """会员ID,姓名,性别,城市,出生日期,注册时间,会员等级,营销许可
C001,张伟,男,上海,1985/3/7,2024年1月3日,金卡,是
C002,李娜,女士,北京,1990-12-01,2024-02-10 10:00,银卡,否
C003,王芳,未知,杭州,1979.5.6,2024/3/1,,
C004,赵强,X星人,成都,13/45/1990,2099-01-01,普通,也许
,缺ID,男,上海,,,,
C001,张伟重复,男,上海,,,,
"""

ORDERS = """订单编号,会员ID,下单时间,实付金额,数量,订单状态
O1,C001,2025-01-03 10:00,"￥1,234.50",2,交易成功
O2,C001,2025/2/3,$99.00,1,已付款
O3,C002,2025年3月5日,88元,1,已退款
O4,C002,03/15/2025,-20,1,交易成功
O5,C009,2025-01-01,10,1,交易成功
O6,C003,明天,10,1,交易成功
O7,C003,2099-01-01,10,1,交易成功
O8,C003,2025-04-01,abc,1,交易成功
O8,C003,2025-04-01,12,1,交易成功
O9,C004,2025-04-02,-5,1,已退款
O10,C004,2025-04-03,1.5万,1,外星状态
O11,,2025-04-03,10,1,交易成功
"""


def write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def counts(ws: Workspace) -> dict[str, int]:
    with ws.read() as con:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("customers", "orders", "events", "quarantine")
        }


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_each_encoding_reads_the_same_rows(ws: Workspace, tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "c.csv", CUSTOMERS, encoding)
    report = import_file(ws, "customers", path)
    assert report.encoding in {"utf-8", "utf-8-sig", "gb18030"}
    assert (report.rows, report.accepted, report.rejected) == (6, 4, 2)
    with ws.read() as con:
        names = sorted(r[0] for r in con.execute("SELECT name FROM customers").fetchall())
    assert names == ["张伟", "李娜", "王芳", "赵强"]


def test_encoding_can_be_overridden(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", CUSTOMERS, "gbk")
    with pytest.raises(SourceError, match="cannot be read as utf-8"):
        import_file(ws, "customers", path, encoding="utf-8")
    assert import_file(ws, "customers", path, encoding="gbk").accepted == 4


def test_gbk_file_with_broken_rows_every_reason(ws: Workspace, tmp_path: Path) -> None:
    customers = import_file(ws, "customers", write(tmp_path / "c.csv", CUSTOMERS, "gbk"))
    assert customers.rejected_by_reason == {"missing_required": 1, "duplicate_id": 1}
    assert customers.warnings_by_reason == {
        "bad_bool": 1,
        "bad_date": 1,
        "bad_choice": 1,
        "future_date": 1,
    }
    orders = import_file(ws, "orders", write(tmp_path / "o.csv", ORDERS, "gbk"))
    assert orders.rejected_by_reason == {
        "bad_date": 1,
        "bad_money": 1,
        "negative_amount": 1,
        "future_date": 1,
        "unknown_customer": 1,
        "bad_choice": 1,
        "missing_required": 1,
    }
    assert (orders.accepted, orders.rejected) == (5, 7)
    with ws.read() as con:
        rows = dict(con.execute("SELECT order_id, amount FROM orders").fetchall())
        status = dict(con.execute("SELECT order_id, status FROM orders").fetchall())
    # every good row kept, amounts exact, refunds may be negative
    assert {k: str(v) for k, v in rows.items()} == {
        "O1": "1234.50",
        "O2": "99.00",
        "O3": "88.00",
        "O8": "12.00",
        "O9": "-5.00",
    }
    assert status["O3"] == "refunded"
    quarantined = {(r["table"], r["row"], r["reason"]) for r in quarantine_rows(ws)}
    assert ("orders", 5, "negative_amount") in quarantined  # 03/15/2025 itself reads month-first
    assert ("orders", 7, "bad_date") in quarantined  # 明天
    assert ("orders", 6, "unknown_customer") in quarantined
    assert ("orders", 12, "bad_choice") in quarantined  # a status we do not know is never "paid"
    assert ("customers", 7, "duplicate_id") in quarantined


def test_month_first_and_day_first_dates(ws: Workspace, tmp_path: Path) -> None:
    text = "customer id,created at\nA,03/15/2025\nB,15/03/2025\n"
    path = write(tmp_path / "c.csv", text, "utf-8")
    import_file(ws, "customers", path, day_first=False)
    with ws.read() as con:
        got = dict(con.execute("SELECT customer_id, created_at FROM customers").fetchall())
    assert got["A"] == dt.datetime(2025, 3, 15)
    assert got["B"] is None  # 15 is not a month: emptied and reported, the customer kept
    import_file(ws, "customers", path, day_first=True)
    with ws.read() as con:
        got = dict(con.execute("SELECT customer_id, created_at FROM customers").fetchall())
    assert got["B"] == dt.datetime(2025, 3, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-03", dt.datetime(2025, 1, 3)),
        ("2025/1/3", dt.datetime(2025, 1, 3)),
        ("2025.1.3 08:05", dt.datetime(2025, 1, 3, 8, 5)),
        ("2025年1月3日", dt.datetime(2025, 1, 3)),
        ("2025年1月3日 8:05:09", dt.datetime(2025, 1, 3, 8, 5, 9)),
        ("20250103", dt.datetime(2025, 1, 3)),
        ("2025-01-03T02:00:00Z", dt.datetime(2025, 1, 3, 10, 0)),  # to Asia/Shanghai
        ("2025-01-03 10:00:00+08:00", dt.datetime(2025, 1, 3, 10, 0)),
        ("2025-02-30", None),
        ("yesterday", None),
    ],
)
def test_date_forms(ws: Workspace, tmp_path: Path, text: str, expected: dt.datetime | None) -> None:
    path = write(tmp_path / "c.csv", f"customer id,created at\nA,{text}\n", "utf-8")
    report = import_file(ws, "customers", path)
    with ws.read() as con:
        (got,) = con.execute("SELECT created_at FROM customers").fetchone()
    assert got == expected
    assert report.warnings == (0 if expected else 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¥1,234.50", "1234.50"),
        ("$99", "99.00"),
        ("88元", "88.00"),
        ("(12.00)", "-12.00"),
        ("1.5万", "15000.00"),
        (" 7 ", "7.00"),
        ("RMB 10", "10.00"),
        ("1,2,3x", None),
    ],
)
def test_amount_forms(ws: Workspace, tmp_path: Path, text: str, expected: str | None) -> None:
    write(tmp_path / "c.csv", "customer id\nA\n", "utf-8")
    import_file(ws, "customers", tmp_path / "c.csv")
    path = write(
        tmp_path / "o.csv",
        f'order id,customer id,order date,amount,status\nO1,A,2025-01-01,"{text}",refunded\n',
        "utf-8",
    )
    report = import_file(ws, "orders", path)
    with ws.read() as con:
        got = con.execute("SELECT amount FROM orders").fetchone()
    assert (str(got[0]) if got else None) == expected
    if expected is None:
        assert report.rejected_by_reason == {"bad_money": 1}


def test_reimport_is_idempotent_and_overlap_updates(ws: Workspace, tmp_path: Path) -> None:
    c = write(tmp_path / "c.csv", CUSTOMERS, "gbk")
    o = write(tmp_path / "o.csv", ORDERS, "gbk")
    import_file(ws, "customers", c)
    import_file(ws, "orders", o)
    before = counts(ws)
    again = import_file(ws, "orders", o)
    import_file(ws, "customers", c)
    assert counts(ws) == before
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 5)  # "no change"
    overlap = write(
        tmp_path / "o2.csv",
        "订单编号,会员ID,下单时间,实付金额\nO1,C001,2025-01-03,1000\nO99,C002,2025-05-01,5\n",
        "utf-8",
    )
    report = import_file(ws, "orders", overlap)
    assert (report.inserted, report.updated) == (1, 1)
    with ws.read() as con:
        amount, status = con.execute(
            "SELECT amount, status FROM orders WHERE order_id = 'O1'"
        ).fetchone()
    assert str(amount) == "1000.00"
    assert status == "paid"  # not in the second file: kept, not reset


def test_extra_columns_become_attributes(ws: Workspace, tmp_path: Path) -> None:
    import_file(ws, "customers", write(tmp_path / "c.csv", CUSTOMERS, "utf-8"))
    with ws.read() as con:
        attrs = dict(con.execute("SELECT customer_id, attributes FROM customers").fetchall())
    assert attrs["C001"] == {"会员等级": "金卡"}


def test_file_without_usable_columns_names_expected_and_found(
    ws: Workspace, tmp_path: Path
) -> None:
    path = write(tmp_path / "x.csv", "foo,bar\n1,2\n", "utf-8")
    with pytest.raises(SourceError) as info:
        import_file(ws, "orders", path)
    message = str(info.value)
    assert "x.csv" in message
    assert "order_id" in message
    assert "foo, bar" in message


def test_missing_required_column_is_named(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "o.csv", "订单编号,会员ID\nO1,C1\n", "utf-8")
    with pytest.raises(SourceError, match="ordered_at"):
        import_file(ws, "orders", path)


def test_ragged_rows_are_quarantined_not_lost(ws: Workspace, tmp_path: Path) -> None:
    text = 'customer id,name,city\n1,"a\nb",x\n2,b\n3,c,y\n4,d,z,extra\n5,e,w\n'
    report = import_file(ws, "customers", write(tmp_path / "c.csv", text, "utf-8"))
    assert (report.accepted, report.rejected) == (3, 2)
    assert report.rows == 5  # the two ragged rows were read too ("read 3 rows" before)
    rows = {(r["row"], r["reason"]) for r in quarantine_rows(ws)}
    # the lines they are on in the file (the first row's value takes two lines)
    assert rows == {(4, "bad_row"), (6, "bad_row")}


def test_mapping_file_overrides(ws: Workspace, tmp_path: Path) -> None:
    from kequn.ingest.mapping import MappingFile

    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  customer_id: 编号X\n  city: 所在地\n", encoding="utf-8")
    path = write(tmp_path / "c.csv", "编号X,所在地\nA,深圳\n", "utf-8")
    report = import_file(ws, "customers", path, mapping=MappingFile.load(mapping))
    assert report.mapping == {"customer_id": "编号X", "city": "所在地"}


def test_excel_import(ws: Workspace, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["客户编号", "姓名", "注册日期", "年收入"])
    sheet.append(["X1", "周杰", dt.datetime(2024, 5, 6, 7, 8), 120000.0])
    sheet.append(["X2", "吴敏", "2024/6/1", "12万"])
    sheet.append([None, None, None, None])
    sheet.append(["X3", "坏日期", "not a date", 5])
    path = tmp_path / "c.xlsx"
    book.save(path)
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.warnings) == (3, 1)
    with ws.read() as con:
        got = dict(con.execute("SELECT customer_id, income FROM customers").fetchall())
    assert {k: str(v) for k, v in got.items()} == {
        "X1": "120000.00",
        "X2": "120000.00",
        "X3": "5.00",
    }
    assert {r["row"] for r in quarantine_rows(ws)} == {5}  # the sheet's own row number


def test_order_export_alone_derives_customers(ws: Workspace, tmp_path: Path) -> None:
    taobao = (
        "订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,宝贝总数量\n"
        "T1,tb_amy,199.00,交易成功,艾米,浙江省 杭州市 西湖区 文三路1号,13800000001,2025-03-01 10:00:00,2025-03-01 10:05:00,2\n"
        "T2,tb_amy,59.00,交易成功,艾米,浙江省 杭州市 西湖区 文三路1号,13800000001,2025-04-01 10:00:00,2025-04-01 10:05:00,1\n"
        "T3,tb_bob,80.00,等待买家付款,鲍勃,上海 上海市 浦东新区 世纪大道2号,13900000002,2025-04-02 09:00:00,,1\n"
    )
    report = import_file(ws, "orders", write(tmp_path / "taobao.csv", taobao, "gbk"))
    assert report.derived_customers == 2
    assert report.mapping["ordered_at"] == "订单创建时间"
    with ws.read() as con:
        people = {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT customer_id, name, province, city, phone FROM customers"
            ).fetchall()
        }
        pending = con.execute("SELECT status FROM orders WHERE order_id = 'taobao:T3'").fetchone()[
            0
        ]
    assert people["taobao:tb_amy"] == ("艾米", "浙江省", "杭州市", "13800000001")
    assert people["taobao:tb_bob"][1:3] == ("上海", "上海市")
    assert pending == "pending"


def test_shopify_export_identifies_buyers_by_email(ws: Workspace, tmp_path: Path) -> None:
    shopify = (
        "Name,Email,Financial Status,Paid at,Total,Discount Amount,Lineitem quantity,Billing Name,Billing City,Billing Country,Created at\n"
        "#1001,a@example.com,paid,2025-01-01 10:00:00 +0000,50.00,5.00,1,Ann,Boston,US,2025-01-01 09:59:00 +0000\n"
    )
    report = import_file(ws, "orders", write(tmp_path / "shopify.csv", shopify, "utf-8"))
    assert report.format == "shopify"  # recognised by its headers (kequn.ingest.formats)
    assert report.buyer_key == ["Email"]
    assert report.accepted == 1
    assert report.derived_customers == 1


def test_reading_while_another_process_writes(ws: Workspace, tmp_path: Path) -> None:
    import_file(ws, "customers", write(tmp_path / "c.csv", CUSTOMERS, "utf-8"))
    with ws.read() as con:  # a reader holds the published generation open...
        import_file(ws, "orders", write(tmp_path / "o.csv", ORDERS, "utf-8"))  # ...a writer goes on
        assert con.execute("SELECT count(*) FROM orders").fetchone()[0] == 0  # reader's snapshot
    assert counts(ws)["orders"] == 5


def test_killed_import_leaves_workspace_as_it_was(ws: Workspace, tmp_path: Path) -> None:
    import_file(ws, "customers", write(tmp_path / "c.csv", "customer id\nA\n", "utf-8"))
    before = counts(ws)
    generation = ws.current_generation()
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("order id,customer id,order date,amount\n")
        for i in range(1_500_000):
            fh.write(f"O{i},A,2025-01-{1 + i % 28:02d},{i % 500}.5\n")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kequn.cli",
            "--lang",
            "en",
            "import",
            "orders",
            str(big),
            "--workspace",
            str(ws.root),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    deadline = time.monotonic() + 60
    # wait until the writer has its private copy of the data, then kill it mid-import
    while time.monotonic() < deadline and not list(ws.data_dir.glob("gen-000003.duckdb")):
        time.sleep(0.05)
    time.sleep(0.5)
    assert proc.poll() is None, "the import finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert ws.current_generation() == generation
    assert counts(ws) == before
    # the lock died with the process; the next import works and cleans up the leftover
    report = import_file(
        ws,
        "orders",
        write(
            tmp_path / "o.csv",
            "order id,customer id,order date,amount\nO1,A,2025-01-01,1\n",
            "utf-8",
        ),
    )
    assert report.accepted == 1
    assert [p.name for p in ws.data_dir.glob("gen-*.duckdb")] == [ws.current_generation()]
    assert not list(ws.data_dir.glob("*.wal"))


def test_orders_in_another_currency_are_quarantined_not_added_up(
    ws: Workspace, tmp_path: Path
) -> None:
    """A Shopify file with USD and EUR orders in a CNY workspace: every amount was stored
    as if it were yuan ($35 shown as ¥35), with a note only."""
    from kequn.ingest.quarantine import quarantine_rows

    shopify = (
        "Name,Email,Financial Status,Paid at,Currency,Total,Lineitem quantity,Created at\n"
        "#1001,a@example.com,paid,2025-01-01 10:00:00 +0000,CNY,50.00,1,2025-01-01 09:59:00 +0000\n"
        "#1002,b@example.com,paid,2025-01-02 10:00:00 +0000,USD,35.00,1,2025-01-02 09:59:00 +0000\n"
        "#1003,c@example.com,paid,2025-01-03 10:00:00 +0000,eur,50.00,1,2025-01-03 09:59:00 +0000\n"
    )
    report = import_file(ws, "orders", write(tmp_path / "shopify.csv", shopify, "utf-8"))
    assert report.accepted == 1
    rows = quarantine_rows(ws, lang="en")
    assert sorted((q["row"], q["reason"], q["value"]) for q in rows) == [
        (3, "other_currency", "USD"),
        (4, "other_currency", "EUR"),
    ]
    assert "other orders are in CNY" in rows[0]["message"]
