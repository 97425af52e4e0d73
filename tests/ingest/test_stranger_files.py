"""Files a shop owner makes by hand, not a platform's export: a workbook with a hidden
sheet, times written 下午3:04, dates written 05.01.2024, an English file in
Windows-1252, phones Excel turned into 1.38001E+10, and the like (the review of files
that are not a clean platform export)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def _orders(ws: Workspace) -> dict[str, tuple[object, ...]]:
    with ws.read() as con:
        rows = con.execute(
            "SELECT order_id, customer_id, ordered_at, amount FROM orders"
        ).fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


def test_a_hidden_sheet_is_not_read_before_the_visible_one(ws: Workspace, tmp_path: Path) -> None:
    """A hidden lookup sheet (客户ID | 姓名 | 手机号, behind a dropdown) came first and was
    read: "order id not found, columns in the file: 客户ID, 姓名, 手机号"."""
    book = openpyxl.Workbook()
    hidden = book.active
    assert hidden is not None
    hidden.title = "客户表"
    hidden.append(["客户ID", "姓名", "手机号"])
    hidden.append(["C001", "张三", "13800138000"])
    hidden.sheet_state = "hidden"
    sheet = book.create_sheet("订单明细")
    sheet.append(["订单号", "客户ID", "下单时间", "金额"])
    sheet.append(["A001", "C001", "2024-01-05 10:00", 100])
    path = tmp_path / "shop.xlsx"
    book.save(path)
    report = import_file(ws, "orders", path, create_customers=True)
    assert report.accepted == 1
    assert _orders(ws) == {"A001": ("C001", dt.datetime(2024, 1, 5, 10), 100)}


def test_an_english_file_in_windows_1252_keeps_its_accents(ws: Workspace, tmp_path: Path) -> None:
    """Excel's "CSV" in English is Windows-1252; the guess among code pages that read it
    equally well was cp1250, and Señor became Seńor, Hélène Hélčne."""
    path = tmp_path / "customers.csv"
    text = "Customer ID,Name,City\nC1,Café Müller,Zürich\nC2,José Señor,Málaga\nC3,Hélène,Reims\n"
    path.write_bytes(text.encode("cp1252"))
    report = import_file(ws, "customers", path)
    assert report.encoding == "cp1252"
    with ws.read() as con:
        names = con.execute("SELECT name FROM customers ORDER BY 1").fetchall()
    assert [n for (n,) in names] == ["Café Müller", "Hélène", "José Señor"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Excel and WPS in 中文 show a time 上午/下午 h:mm; a CSV saved from them keeps it
        ("2024/1/5 下午3:04", dt.datetime(2024, 1, 5, 15, 4)),
        ("2024/1/5 上午9:04:05", dt.datetime(2024, 1, 5, 9, 4, 5)),
        ("2024年1月5日 中午12:30", dt.datetime(2024, 1, 5, 12, 30)),
        ("1/5/2024 3:04 PM", dt.datetime(2024, 1, 5, 15, 4)),
        ("2024-01-05 12:10 am", dt.datetime(2024, 1, 5, 0, 10)),
        # dotted is Europe's writing, day first: read month-first it was 1 May
        ("05.01.2024", dt.datetime(2024, 1, 5)),
        ("05.01.2024 10:30", dt.datetime(2024, 1, 5, 10, 30)),
        ("5.1.24", dt.datetime(2024, 1, 5)),
        ("5-Jan-24", dt.datetime(2024, 1, 5)),
        ("Jan 5, 2024", dt.datetime(2024, 1, 5)),
        # a serial with a time, to the millisecond Excel keeps (not 15:04:00.000002)
        ("45296.6277777778", dt.datetime(2024, 1, 5, 15, 4)),
    ],
)
def test_times_as_spreadsheets_show_them(
    ws: Workspace, tmp_path: Path, text: str, expected: dt.datetime
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(f'订单号,客户ID,下单时间,金额\nA1,C1,"{text}",10\n', encoding="utf-8")
    report = import_file(ws, "orders", path, create_customers=True)
    assert report.rejected == 0, report.examples
    assert _orders(ws)["A1"][1] == expected


def test_a_rejected_reason_s_example_is_a_rejected_row(ws: Workspace, tmp_path: Path) -> None:
    """A discount of 8折 (emptied, the row kept) came first and was the example under
    "Quarantined, by reason: bad_money" of the amounts that kept rows out."""
    path = tmp_path / "orders.csv"
    path.write_text(
        "订单号,客户ID,下单时间,金额,优惠\nA1,C1,2024-01-05,100,8折\nA2,C1,2024-01-05,12.5.0,\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", path, create_customers=True)
    assert (report.rejected, report.warnings) == (1, 1)
    seen = report.examples["bad_money"]
    assert (seen["row"], seen["column"], seen["severity"]) == (3, "金额", "rejected")


def test_a_phone_excel_cut_to_scientific_notation_is_no_phone(
    ws: Workspace, tmp_path: Path
) -> None:
    """1.38001E+10 (a phone column saved from Excel as numbers) was stored as a
    customer's phone, and as an order's buyer its digits 13800110 were one buyer for
    every 138001xxxxx phone."""
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "客户ID,姓名,手机号\nC1,张三,1.38001E+10\nC2,李四,13900139000\n", encoding="utf-8"
    )
    report = import_file(ws, "customers", customers)
    assert (report.accepted, report.warnings_by_reason) == (2, {"phone_lost_digits": 1})
    with ws.read() as con:
        phones = con.execute("SELECT customer_id, phone FROM customers ORDER BY 1").fetchall()
    assert phones == [("C1", None), ("C2", "13900139000")]

    orders = tmp_path / "orders.csv"
    orders.write_text(
        "订单号,会员卡号,手机号,下单时间,金额\n"
        "A1,,1.38001E+10,2024-01-05,10\nA2,,1.38001E+10,2024-01-06,10\nA3,C2,,2024-01-07,10\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", orders)
    assert (report.accepted, report.rejected) == (1, 2)  # no buyer: not one made of 13800110
    assert set(_orders(ws)) == {"A3"}


def test_a_column_without_a_header_is_named_by_its_place(ws: Workspace, tmp_path: Path) -> None:
    """An untitled column was listed as an empty name: "Columns not used: "."""
    path = tmp_path / "orders.csv"
    path.write_text("订单号,,客户ID,下单时间,金额\nA1,foo,C1,2024-01-05,100\n", encoding="utf-8")
    report = import_file(ws, "orders", path, create_customers=True)
    assert report.accepted == 1
    assert report.ignored == ["column 2 (no header)"]


def test_a_customer_phone_or_email_that_is_none_is_emptied_and_named(
    ws: Workspace, tmp_path: Path
) -> None:
    """'abc' in a phone column and a name in an e-mail column were stored as the
    customer's contact (a channel sent to them, identity matched on them); a word that
    says the value was not given (暂无, 保密) was stored as a phone too. A masked value
    stays as written, and the customers are all kept."""
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "客户编号,客户姓名,客户手机号,邮箱\n"
        "C1,张三,138 0013 8000,a@b.cn\nC2,李四,abc,zhang\nC3,王五,暂无,保密\n"
        "C4,赵六,138****8000,z***@qq.com\nC5,孙七,12345,\n",
        encoding="utf-8",
    )
    report = import_file(ws, "customers", customers)
    assert report.accepted == 5
    assert report.warnings_by_reason == {"not_a_phone": 2, "not_an_email": 1}
    assert report.examples["not_a_phone"]["row"] == 3
    with ws.read() as con:
        rows = con.execute("SELECT customer_id, phone, email FROM customers ORDER BY 1").fetchall()
    assert rows == [
        ("C1", "138 0013 8000", "a@b.cn"),
        ("C2", None, None),
        ("C3", None, None),
        ("C4", "138****8000", "z***@qq.com"),
        ("C5", None, None),
    ]


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "可能已损坏、不完整"), ("en", "may be damaged, cut short")]
)
def test_a_damaged_parquet_file_is_explained_in_the_language(
    ws: Workspace, tmp_path: Path, lang: str, said: str
) -> None:
    """A Parquet file cut short (a copy that stopped) was refused with pyarrow's English
    alone, also under zh: what it means and what to do are said in the language."""
    from kequn.core import i18n
    from kequn.ingest.readers import SourceError

    path = tmp_path / "orders.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 40)
    i18n.set_lang(lang)
    try:
        with pytest.raises(SourceError) as raised:
            import_file(ws, "orders", path)
    finally:
        i18n.set_lang(None)
    assert said in str(raised.value)
    assert "orders.parquet" in str(raised.value)


def test_a_buyer_phone_that_is_none_is_no_contact_of_the_customer_made(
    ws: Workspace, tmp_path: Path
) -> None:
    """An order export's 联系手机 of 'abc' became the phone of the customer the import
    made from the buyer columns (a customers file's is emptied with a warning); a masked
    phone is kept as written, a whole one as it is."""
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "订单号,会员卡号,手机号,邮箱,下单时间,金额\n"
        "A1,u1,abc,zhang,2024-01-05,100\nA2,u2,138****0000,z***@qq.com,2024-01-05,80\n"
        "A3,u3,13800138000,c@d.cn,2024-01-05,60\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", orders, create_customers=True)
    assert (report.accepted, report.derived_customers) == (3, 3)
    with ws.read() as con:
        rows = con.execute("SELECT customer_id, phone, email FROM customers ORDER BY 1").fetchall()
    assert rows == [
        ("u1", None, None),
        ("u2", "138****0000", "z***@qq.com"),
        ("u3", "13800138000", "c@d.cn"),
    ]
