"""Files and leftovers meant to hurt: a zip bomb named .xlsx, a file that is no zip,
and the staged rows of an import that was killed."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.ingest.readers import SourceError
from kequn.store.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.init(tmp_path / "ws")


def test_an_xlsx_that_unzips_to_far_more_is_refused_before_reading(
    ws: Workspace, tmp_path: Path
) -> None:
    bomb = tmp_path / "订单.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row>" + "0" * (40 << 20) + "</row>")
    assert bomb.stat().st_size < 1 << 20  # 40 MB of XML in well under 1 MB
    with pytest.raises(SourceError, match=r"订单\.xlsx"):
        import_file(ws, "orders", bomb)


def test_a_file_named_xlsx_that_is_not_one_is_a_clear_error(ws: Workspace, tmp_path: Path) -> None:
    fake = tmp_path / "客户.xlsx"
    fake.write_text("客户编号\nC1\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"客户\.xlsx"):
        import_file(ws, "customers", fake)


def test_a_killed_imports_staged_rows_are_removed_by_the_next_import(
    ws: Workspace, tmp_path: Path
) -> None:
    stale = ws.tmp_dir / "import-20260101000000-dead00"
    stale.mkdir(parents=True)
    (stale / "stage-orders.parquet").write_text("13812345678 张三 rows of a killed import")
    path = tmp_path / "c.csv"
    path.write_text("客户编号,姓名\nC1,王小明\n", encoding="utf-8")
    import_file(ws, "customers", path)
    assert not stale.exists()
    assert not list(ws.tmp_dir.glob("import-*"))


TAOBAO = "订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,买家留言"


def _problems(ws: Workspace) -> list[tuple[object, ...]]:
    from kequn.ingest.quarantine import quarantine_rows

    return sorted((q["row"], q["reason"]) for q in quarantine_rows(ws))


def _orders(ws: Workspace) -> list[tuple[object, ...]]:
    with ws.read() as con:
        return con.execute("SELECT order_id, source_row FROM orders ORDER BY 1").fetchall()


@pytest.mark.parametrize("comment_column", ["last", "middle"])
def test_a_quote_never_closed_loses_no_other_row(
    ws: Workspace, tmp_path: Path, comment_column: str
) -> None:
    """Row 1 opens a quote in the buyer's note and never closes it: the rest of the file
    was read as that one value (three paid orders gone without a word), or, with the
    note in the middle, as one bad row. Now that line is quarantined as such and every
    other row is read, with its own line number."""
    header = TAOBAO.split(",")
    rows = [
        ["1001", "amy", "10.00", "交易成功", "2024-01-05 10:00:00", '"尺码L'],
        ["1002", "ben", "20.00", "交易成功", "2024-01-06 10:00:00", "无"],
        ["1003", "cat", "30.00", "交易成功", "2024-01-07 10:00:00", ""],
        ["1004", "dan", "40.00", "交易成功", "2024-01-08 10:00:00", "快点发货"],
    ]
    if comment_column == "middle":
        header.insert(2, header.pop())
        rows = [[*r[:2], r[5], *r[2:5]] for r in rows]
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    report = import_file(ws, "orders", path)
    assert report.accepted == 3
    assert report.rows == 4
    assert (report.orders, report.lines) == (3, 3)  # no order took several item rows
    assert _orders(ws) == [("taobao:1002", 3), ("taobao:1003", 4), ("taobao:1004", 5)]
    assert _problems(ws) == [(2, "unclosed_quote")]


def test_blank_lines_keep_each_row_s_line_number(ws: Workspace, tmp_path: Path) -> None:
    """Arrow's reader skips blank lines, and every later row's number moved up."""
    path = tmp_path / "blanks.csv"
    path.write_text(
        f"{TAOBAO}\n1001,amy,10.00,交易成功,2024-01-05 10:00:00,\n\n\n"
        "1002,ben,bad,交易成功,2024-01-06 10:00:00,\n"
        '1003,cat,30.00,交易成功,2024-01-07 10:00:00,"two\nlines"\n'
        "1004,dan,worse,交易成功,2024-01-08 10:00:00,\n\n\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", path)
    assert _orders(ws) == [("taobao:1001", 2), ("taobao:1003", 6)]
    assert [row for row, _ in _problems(ws)] == [5, 8]


def test_a_clean_file_keeps_arrow_s_quick_reading(ws: Workspace, tmp_path: Path) -> None:
    """Line breaks inside quoted values and blank lines at the end: the rows are the
    file's lines, so the quick reader's rows stand (row numbers as in the file)."""
    path = tmp_path / "clean.csv"
    path.write_text(
        f'{TAOBAO}\n1001,amy,10.00,交易成功,2024-01-05 10:00:00,"a\nb\nc"\n'
        "1002,ben,20.00,交易成功,2024-01-06 10:00:00,\n\n\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", path)
    assert _orders(ws) == [("taobao:1001", 2), ("taobao:1002", 5)]


def test_a_file_of_1200_columns_is_read(ws: Workspace, tmp_path: Path) -> None:
    """DuckDB stopped at its expression depth limit (a sum over every column)."""
    extra = [f"x{i}" for i in range(1200)]
    path = tmp_path / "wide.csv"
    path.write_text(
        ",".join(["order_id", "customer_id", "order_date", "amount", *extra])
        + "\n"
        + ",".join(["O1", "C1", "2024-03-05", "10", *["" for _ in extra]])
        + "\n",
        encoding="utf-8",
    )
    assert import_file(ws, "orders", path, create_customers=True).accepted == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [("zip.xlsx", "zip"), ("binary.parquet", b"\x7fELF" + bytes(range(256)) * 8)],
)
def test_files_that_are_not_what_their_names_say_are_clear_errors(
    ws: Workspace, tmp_path: Path, name: str, content: object
) -> None:
    """A zip that is no workbook gave openpyxl's KeyError, a binary named .parquet
    Arrow's 'Parquet magic bytes': tracebacks both."""
    path = tmp_path / name
    if content == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("a.txt", "hello")
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    with pytest.raises(SourceError, match=name):
        import_file(ws, "orders", path)


def test_a_parquet_file_s_times_as_numbers_are_read_as_times(ws: Workspace, tmp_path: Path) -> None:
    """int64 Unix times (seconds, milliseconds, microseconds) and yyyymmdd numbers; DuckDB
    refused to cast BIGINT to TIMESTAMP and the import stopped with a traceback."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    at = 1709600000  # 2024-03-05 00:53:20 UTC: 08:53:20 in Shanghai, the default zone
    table = pa.table(
        {
            "订单编号": ["O1", "O2", "O3", "O4"],
            "买家会员名": ["amy", "ben", "cat", "dan"],
            "买家实际支付金额": [10.0, 20.0, 30.0, 40.0],
            "订单状态": ["交易成功"] * 4,
            "订单创建时间": pa.array([at, at * 1000, at * 1_000_000, 20240305], pa.int64()),
        }
    )
    path = tmp_path / "orders.parquet"
    pq.write_table(table, path)
    report = import_file(ws, "orders", path)
    assert report.accepted == 4
    with ws.read() as con:
        got = dict(con.execute("SELECT order_id, ordered_at FROM orders").fetchall())
    expected = {"O1": "2024-03-05 08:53:20", "O2": "2024-03-05 08:53:20"}
    expected |= {"O3": "2024-03-05 08:53:20", "O4": "2024-03-05 00:00:00"}
    assert {k.split(":")[-1]: str(v) for k, v in got.items()} == expected


def test_an_order_with_an_empty_status_is_not_counted_as_paid(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "status.csv"
    path.write_text(
        f"{TAOBAO}\n1001,amy,10.00,交易成功,2024-01-05 10:00:00,\n"
        "1002,ben,30.00,,2024-01-06 10:00:00,\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", path)
    assert report.accepted == 1
    assert _problems(ws) == [(3, "missing_status")]


def test_full_width_and_invisible_characters_are_read_as_what_they_show(
    ws: Workspace, tmp_path: Path
) -> None:
    """２００.００ and ２０２４-０３-０５ were "not an amount" / "not a date"; a buyer amy with
    a zero-width space after it became a second customer printing exactly like amy; a
    status with one was an unknown word looking like a known one."""
    path = tmp_path / "wide.csv"
    path.write_text(
        f"{TAOBAO}\n1001,amy,２００.００,交易成功,２０２４-０３-０５ １０:００:００,\n"
        "1002,amy\u200b,10.00,\u200b交易成功,2024-03-06 10:00:00,\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", path)
    assert report.accepted == 2
    assert report.rejected == 0
    with ws.read() as con:
        orders = con.execute(
            "SELECT customer_id, amount, status, ordered_at::DATE FROM orders ORDER BY order_id"
        ).fetchall()
        customers = con.execute("SELECT count(*) FROM customers").fetchone()
    assert [(c, float(a), s, str(d)) for c, a, s, d in orders] == [
        ("taobao:amy", 200.0, "paid", "2024-03-05"),
        ("taobao:amy", 10.0, "paid", "2024-03-06"),
    ]
    assert customers == (1,)


def test_a_decimal_comma_is_quarantined_not_multiplied(ws: Workspace, tmp_path: Path) -> None:
    """12,50 was stored as 1250.00 and 1.234,50 as 1.23; a thousands comma still reads.
    The reason names the file's header, not only kequn's field."""
    from kequn.ingest.quarantine import quarantine_rows

    path = tmp_path / "comma.csv"
    path.write_text(
        "订单号,客户编号,下单时间,实付金额\n"
        'A1,C1,2024-03-05,"1,234.50"\nA2,C2,2024-03-05,"12,50"\nA3,C3,2024-03-05,"1.234,50"\n',
        encoding="utf-8",
    )
    report = import_file(ws, "orders", path, create_customers=True)
    assert report.accepted == 1
    with ws.read() as con:
        assert con.execute("SELECT amount FROM orders").fetchall()[0][0] == 1234.5
    rows = quarantine_rows(ws, lang="en")
    assert sorted((q["row"], q["reason"]) for q in rows) == [(3, "bad_money"), (4, "bad_money")]
    assert all(q["message"].startswith("实付金额 (amount)") for q in rows)


def test_a_report_s_parameter_row_above_the_header_is_not_taken_for_it(
    ws: Workspace, tmp_path: Path
) -> None:
    """Title, then 日期 | 2024-03-01 至 2024-03-31 | | 状态 | 全部 (two known names), then
    the real header: the parameter row was taken for the header ("no order id column")."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["订单报表"])
    sheet.append(["日期", "2024-03-01 至 2024-03-31", None, "状态", "全部"])
    sheet.append([])
    sheet.append(["订单编号", "客户编号", "下单时间", "实付金额", "订单状态"])
    sheet.append(["A1", "C1", "2024-03-05 10:00:00", 12.5, "已完成"])
    path = tmp_path / "report.xlsx"
    book.save(path)
    report = import_file(ws, "orders", path, create_customers=True)
    assert report.accepted == 1
