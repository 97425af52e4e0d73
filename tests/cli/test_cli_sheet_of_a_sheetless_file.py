"""``kequn import --sheet`` of a file that has no sheets (CSV, Parquet) is a usage error
naming the option and the file, exit 2: it was ignored without a word, and a user who
named a sheet thought they had picked one. A workbook, even one renamed .csv, still
takes it."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cli_helpers import kequn_output, kequn_words

# a CSV as RFC 4180 defines it (https://www.rfc-editor.org/rfc/rfc4180): a header line,
# then records of comma-separated fields, CRLF line ends
ORDERS = "order_id,customer_id,ordered_at,amount,status\r\nT1,C1,2026-01-02,30.00,paid\r\n"


@pytest.fixture
def shop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, _, err = kequn_output(capsys, "init", "-w", tmp_path / "shop")
    assert code == 0, err
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8", newline="")
    # Parquet (https://parquet.apache.org/docs/file-format/), written by Arrow's writer
    table = pa.table(
        {
            "order_id": ["T1"],
            "customer_id": ["C1"],
            "ordered_at": ["2026-01-02"],
            "amount": ["30.00"],
            "status": ["paid"],
        }
    )
    pq.write_table(table, tmp_path / "orders.parquet")
    return tmp_path


def _orders(capsys: pytest.CaptureFixture[str], shop: Path) -> int:
    code, out, _ = kequn_output(capsys, "status", "-w", shop / "shop", "--json")
    assert code == 0
    return int(json.loads(out)["counts"]["orders"])


@pytest.mark.parametrize("name", ["orders.csv", "orders.parquet"])
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "is a CSV or Parquet file, which has no sheets: leave out --sheet"),
        ("zh", "是 CSV 或 Parquet 文件，没有工作表"),
    ],
)
def test_a_sheet_of_a_file_without_sheets_is_refused(
    shop: Path, capsys: pytest.CaptureFixture[str], name: str, lang: str, words: str
) -> None:
    code, said = kequn_words(
        capsys, "--lang", lang, "import", "orders", shop / name, "-w", shop / "shop",
        "--sheet", "Foo",
    )  # fmt: skip
    assert code == 2, said
    assert "--sheet" in said
    assert name in said
    assert words in said
    assert "Traceback" not in said
    assert _orders(capsys, shop) == 0  # nothing imported


def test_a_workbook_named_csv_still_takes_a_sheet(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # an .xlsx (ECMA-376 Office Open XML, https://ecma-international.org/publications-and-
    # standards/standards/ecma-376/) written by openpyxl, under a .csv name
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["nothing here"])
    sheet = book.create_sheet("Orders")
    for line in ORDERS.strip().split("\r\n"):
        sheet.append(line.split(","))
    book.save(shop / "renamed.csv")
    code, out, err = kequn_output(
        capsys, "import", "orders", shop / "renamed.csv", "-w", shop / "shop",
        "--sheet", "Orders",
    )  # fmt: skip
    assert code == 0, out + err
    assert _orders(capsys, shop) == 1
