"""In a column that writes decimals with a comma (12,50), an amount 1.234 may mean 1234
and was read 1.234, a thousand times too small and silently, while its neighbours were
quarantined; it is quarantined with them now, saying why. In a column without decimal
commas 1.234 is 1.234, as before."""

from __future__ import annotations

from pathlib import Path

from kequn.core import i18n
from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import explain_reason
from kequn.store.workspace import Workspace


def _amounts(ws: Workspace) -> dict[str, float]:
    with ws.read() as con:
        return {
            k: float(v) for k, v in con.execute("SELECT order_id, amount FROM orders").fetchall()
        }


def test_a_dotted_amount_beside_decimal_commas_is_quarantined(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_id;customer_id;date;amount\n"
        "A1;C1;2024-03-05;12,50\nA2;C2;2024-03-05;1.234\nA3;C3;2024-03-05;7.5\n"
        "A4;C4;2024-03-05;3\nA5;C5;2024-03-05;1.234.567\n",
        "utf-8",
    )
    report = import_file(ws, "orders", path, create_customers=True)
    assert _amounts(ws) == {"A3": 7.5, "A4": 3.0}
    assert report.rejected == 3
    with ws.read() as con:
        why = dict(
            con.execute(
                "SELECT json_extract_string(record, '$[0]'), reason FROM quarantine"
            ).fetchall()
        )
    assert why == {"A1": "bad_money", "A2": "ambiguous_money", "A5": "ambiguous_money"}
    said = explain_reason("ambiguous_money", "amount", "1.234", None, "en")
    assert "may be a thousand and more" in said
    i18n.set_lang("zh")
    try:
        assert "可能是一千多也可能是一点多" in explain_reason(
            "ambiguous_money", "amount", "1.234", None
        )
    finally:
        i18n.set_lang(None)


def test_without_decimal_commas_a_dotted_amount_reads_as_written(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        'order_id,customer_id,date,amount\nB1,C1,2024-03-05,1.234\nB2,C2,2024-03-05,"1,234.50"\n',
        "utf-8",
    )
    report = import_file(ws, "orders", path, create_customers=True)
    assert report.rejected == 0
    assert _amounts(ws) == {"B1": 1.23, "B2": 1234.5}  # DECIMAL(18, 2), as every amount
