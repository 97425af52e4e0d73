"""Erasing a customer whose id is short (small shops number them 1, 2, 3 …) from the
files kequn holds for a while: job reports and files staged under ``.tmp`` (an upload
being imported, a run's Parquet). The id was looked for as a word anywhere, so erasing
customer 1 took out of them every row with a quantity of 1, a row number 1 or a "1号楼"
in its address: other people's orders lost from an import under way, and reports
thinned. A short id now counts only as the whole cell of a column of customer ids (found
by its header, as imports find it); the person's name and phone count anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

from kequn import privacy
from kequn.demo import demo_workspace
from kequn.ingest.importer import import_file

HEADER = "订单编号,买家会员名,宝贝数量,收货地址\n"


def _workspace(tmp_path: Path) -> object:
    ws = demo_workspace(tmp_path / "demo", 10)
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "customer_id,name,phone\n1,甲一,13900000001\n2,乙二,13900000002\n", encoding="utf-8"
    )
    import_file(ws, "customers", customers)
    return ws


def _book(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["订单编号", "买家会员名", "宝贝数量"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_erasing_customer_1_leaves_others_rows_in_staged_files_and_reports(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    uploads = ws.tmp_dir / "uploads" / "u1"
    uploads.mkdir(parents=True)
    csv_file = uploads / "订单.csv"
    csv_file.write_text(
        HEADER
        + "O7,2,1,杭州 1号楼\n"  # customer 2: a quantity of 1, a 1 in the address
        + "O8,1,3,宁波\n"  # customer 1's
        + "O9,3,1,收件人 甲一\n",  # customer 3's order sent to 甲一 by name: theirs too
        encoding="utf-8",
    )
    tsv_file = uploads / "orders.tsv"
    tsv_file.write_text("order id\tcustomer id\tquantity\nA1\t2\t1\nA2\t1\t1\n", encoding="utf-8")
    others = _book(uploads / "others.xlsx", [["X1", "2", 1], ["X2", "3", 1]])
    theirs = _book(uploads / "theirs.xlsx", [["Y1", "2", 1], ["Y2", 1, 2]])
    staged = uploads / "staged.parquet"
    pq.write_table(
        pa.table({"customer_id": ["1", "2"], "quantity": ["2", "1"], "note": ["x", "1"]}), staged
    )
    binary = uploads / "legacy.xls"
    binary.write_bytes(b"\xd0\xcf\x11\xe0 row 1 qty 1")
    jobs = ws.root / "jobs"
    jobs.mkdir(exist_ok=True)
    report = jobs / "0123456789ab.json"
    rejected = [
        {"table": "orders", "file": "1.csv", "row": 1, "column": "amount", "reason": "bad_money"},
        {"table": "orders", "file": "1.csv", "row": 2, "column": "amount", "reason": "bad_money"},
    ]
    report.write_text(json.dumps({"result": {"quarantine": rejected}}), encoding="utf-8")

    privacy.erase_person(ws, "1")

    assert csv_file.read_text(encoding="utf-8") == HEADER + "O7,2,1,杭州 1号楼\n"
    assert tsv_file.read_text(encoding="utf-8") == "order id\tcustomer id\tquantity\nA1\t2\t1\n"
    assert others.exists()  # nobody's row of customer 1: kept whole
    assert not theirs.exists()  # customer 1's row (a number cell in the id column)
    assert pq.read_table(staged).to_pylist() == [{"customer_id": "2", "quantity": "1", "note": "1"}]
    assert binary.exists()
    kept = json.loads(report.read_text(encoding="utf-8"))["result"]["quarantine"]
    assert kept == rejected


def test_a_long_id_is_still_taken_out_wherever_it_is_a_word(tmp_path: Path) -> None:
    ws = demo_workspace(tmp_path / "demo", 10)
    customers = tmp_path / "customers.csv"
    customers.write_text("customer_id,name\nVIP-000123,甲一\nVIP-000124,乙二\n", encoding="utf-8")
    import_file(ws, "customers", customers)
    ws.tmp_dir.mkdir(exist_ok=True)
    notes = ws.tmp_dir / "notes.csv"
    notes.write_text("note\nsee VIP-000123 today\nsee VIP-000124\n", encoding="utf-8")
    privacy.erase_person(ws, "VIP-000123")
    assert notes.read_text(encoding="utf-8") == "note\nsee VIP-000124\n"
