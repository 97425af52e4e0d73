"""A value DuckDB cannot convert while an import reads the file's cells stops the import
(atomic: nothing kept) with a message naming the import, the file and the column. Before,
``kequn import`` said "A value went out of range or could not be converted while
computing ... Check the arithmetic in the taxonomy's rules", a message meant for the
taxonomy, naming neither file nor column.

Two inputs reach it: an amount column in 万元 (实付金额(万元), a unit the header carries,
multiplied by 10,000 as DECIMAL(18, 2)) holding 99999999999999, and a WooCommerce
"Default" export whose packed line_items give an item a quantity of 20 digits (summed as
BIGINT; the format as tests/ingest/test_woocommerce_default_format_items.py cites it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_woocommerce_default_format_items import HEADER, _item, _row

from cli_helpers import kequn_words
from kequn.store.workspace import Workspace


def _count(ws: Workspace, table: str) -> int:
    with ws.read() as con:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_amount_too_large_for_its_unit(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    path = tmp_path / "订单.csv"
    path.write_text(
        "订单号,客户编号,下单时间,实付金额(万元)\nO1,C1,2025-01-02,1.5\nO2,C2,2025-01-03,99999999999999\n",
        encoding="utf-8",
    )
    code, said = kequn_words(capsys, "--lang", lang, "import", "orders", path, "-w", ws.root)
    assert code != 0
    if lang == "en":
        assert "The import of 订单.csv stopped: a value in column 实付金额(万元)" in said
        assert "taxonomy" not in said
    else:
        assert "导入 订单.csv 时中止：列「实付金额(万元)」中有一个值无法换算" in said
        assert "分群规则" not in said
    assert "99999999999999" not in said  # the value is not told
    assert "Traceback" not in said
    assert _count(ws, "orders") == 0  # atomic


def test_a_woocommerce_quantity_of_twenty_digits(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        _row("101", "completed", "45.00", "gail@example.com", [_item(1, "Shirt", "SH-1", 1, "20.00")]),
        _row("102", "completed", "45.00", "hal@example.com",
             [_item(2, "Sock", "SO-1", 10**20 - 1, "20.00")]),
    ]  # fmt: skip
    path = tmp_path / "orders-export-2025_04_01_10_00_00.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    code, said = kequn_words(capsys, "import", "orders", path, "-w", ws.root)
    assert code != 0
    assert f"The import of {path.name} stopped: a value in column line_items" in said
    assert "taxonomy" not in said
    assert _count(ws, "orders") == 0
