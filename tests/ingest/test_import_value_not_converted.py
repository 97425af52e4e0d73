"""A value DuckDB cannot convert while an import reads the file's cells stops the import
(atomic: nothing kept) with a message naming the import, the file and the column. Before,
``kequn import`` said "A value went out of range or could not be converted while
computing ... Check the arithmetic in the taxonomy's rules", a message meant for the
taxonomy, naming neither file nor column.

The input that reaches it: a WooCommerce "Default" export whose packed line_items give an
item a quantity of 20 digits (summed as BIGINT; the format as
tests/ingest/test_woocommerce_default_format_items.py cites it). (An amount in 万元 too
large once in 元 reached it too, and is now the row's bad amount:
test_amount_in_wan_too_large.py.)"""

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
def test_a_woocommerce_quantity_of_twenty_digits(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    rows = [
        _row("101", "completed", "45.00", "gail@example.com", [_item(1, "Shirt", "SH-1", 1, "20.00")]),
        _row("102", "completed", "45.00", "hal@example.com",
             [_item(2, "Sock", "SO-1", 10**20 - 1, "20.00")]),
    ]  # fmt: skip
    path = tmp_path / "orders-export-2025_04_01_10_00_00.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    code, said = kequn_words(capsys, "--lang", lang, "import", "orders", path, "-w", ws.root)
    assert code != 0
    if lang == "en":
        assert f"The import of {path.name} stopped: a value in column line_items" in said
        assert "taxonomy" not in said
    else:
        assert f"导入 {path.name} 时中止：列「line_items」中有一个值无法换算" in said
        assert "分群规则" not in said
    assert "99999999999999999999" not in said  # the value is not told
    assert "Traceback" not in said
    assert _count(ws, "orders") == 0  # atomic
