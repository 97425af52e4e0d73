"""A header heading two columns (two 手机 / phone columns, a sheet's repeated 备注, two
amounts): one column is read, and the import says which, where the others went, by their
places; a customers file's two columns kept as attributes are both kept (under one key the
import stopped: "Map keys must be unique")."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.ingest.summary import column_lines
from kequn.store.workspace import Workspace


def _said(report: object, lang: str) -> list[str]:
    return [line.text for line in column_lines(report, lang) if line.warn]  # type: ignore[arg-type]


def test_two_note_columns_of_a_customers_file_are_both_kept(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    path = tmp_path / "客户.csv"
    path.write_text(
        "客户编号,姓名,备注,备注\nC001,张三,VIP,老客户\nC002,李四,,转介绍\n", encoding="utf-8"
    )
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.rejected) == (2, 0)
    with ws.read() as con:
        kept = con.execute("SELECT customer_id, attributes FROM customers ORDER BY 1").fetchall()
    assert kept == [
        ("C001", {"备注 (3)": "VIP", "备注 (4)": "老客户"}),
        ("C002", {"备注 (4)": "转介绍"}),
    ]
    assert _said(report, "zh") == [
        "表头“备注”出现在第 3、4 列：第 3 列保存为客户属性“备注 (3)”；第 4 列保存为客户属性“备注 (4)”"
    ]


def test_the_second_phone_column_is_named_and_kept_beside_the_one_read(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    path = tmp_path / "customers.csv"
    path.write_text(
        "customer_id,name,phone,phone\nC001,Ann,13800138000,13900139000\n", encoding="utf-8"
    )
    report = import_file(ws, "customers", path)
    with ws.read() as con:
        kept = con.execute("SELECT phone, attributes FROM customers").fetchall()
    assert kept == [("13800138000", {"phone (4)": "13900139000"})]
    said = (
        "The header 'phone' heads columns 3, 4: column 3 is read as phone; "
        "column 4 is kept as the customer attribute 'phone (4)'"
    )
    assert _said(report, "en") == [said]
    assert _said(report, "zh") == [
        "表头“phone”出现在第 3、4 列：第 3 列读作电话；第 4 列保存为客户属性“phone (4)”"
    ]


def test_an_orders_file_says_which_amount_column_it_read(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_id,customer_id,ordered_at,amount,Amount\nO1,C001,2024-01-01,10,20\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", path, create_customers=True)
    assert report.accepted == 1
    assert _said(report, "en") == [
        "The header 'amount' heads columns 4, 5: column 4 is read as amount; column 5 is not used"
    ]
    assert _said(report, "zh") == ["表头“amount”出现在第 4、5 列：第 4 列读作金额；第 5 列未使用"]
