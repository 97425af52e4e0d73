"""Amounts that carry their currency's mark (US$35, 35 USD, €50, 80元) in a file without a
currency column: the mark was dropped and US$35 stored as ¥35 with no word said. A $ or ¥
alone names no currency: it is how people type money of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.store.workspace import Workspace

HEAD = "订单号,会员卡号,下单时间,实付金额\n"


def _write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(HEAD + "".join(f"A{i},M{i},2025-01-02,{r}\n" for i, r in enumerate(rows)))
    return path


def _stored(ws: Workspace) -> dict[str, str]:
    with ws.read() as con:
        rows = con.execute("SELECT order_id, CAST(amount AS VARCHAR) FROM orders").fetchall()
    return {str(o): str(a) for o, a in rows}


def _in(ws: Workspace, currency: str) -> Workspace:
    toml = ws.root / "kequn.toml"
    lines = toml.read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("currency = ") for line in lines)
    edited = [
        f'currency = "{currency}"' if line.startswith("currency = ") else line for line in lines
    ]
    toml.write_text("\n".join(edited) + "\n", encoding="utf-8")
    return Workspace.open(ws.root)


def test_marked_amounts_of_other_currencies_are_quarantined(ws: Workspace, tmp_path: Path) -> None:
    path = _write(tmp_path, ["100", "¥50", "80元", "US$35", "€30", "20 HKD", "RMB 60"])
    report = import_file(ws, "orders", path, create_customers=True)
    assert report.accepted == 4
    assert _stored(ws) == {"A0": "100.00", "A1": "50.00", "A2": "80.00", "A6": "60.00"}
    found = sorted((q["row"], q["reason"], q["value"]) for q in quarantine_rows(ws, lang="en"))
    assert found == [(5, "other_currency", "USD"), (6, "other_currency", "EUR"),
                     (7, "other_currency", "HKD")]  # fmt: skip
    assert report.currencies == {"CNY": 4, "USD": 1, "EUR": 1, "HKD": 1}
    assert "import.currency_differs" in report.notes


def test_a_file_all_in_another_currency_is_imported_with_a_note(
    ws: Workspace, tmp_path: Path
) -> None:
    report = import_file(
        ws, "orders", _write(tmp_path, ["US$35", '"USD 1,200.50"']), create_customers=True
    )
    assert report.accepted == 2
    assert report.currencies == {"USD": 2}
    assert "import.currency_differs" in report.notes


@pytest.mark.parametrize("rows", [["100", "35.5", "-"], ['"1,234.00"', "$99.00", "¥5"]])
def test_plain_amounts_say_nothing_of_currency(
    ws: Workspace, tmp_path: Path, rows: list[str]
) -> None:
    report = import_file(ws, "orders", _write(tmp_path, rows), create_customers=True)
    assert report.currencies == {}
    assert "import.currency_differs" not in report.notes


def test_a_dollar_sign_is_the_workspace_s_own_dollar(ws: Workspace, tmp_path: Path) -> None:
    usd = _in(ws, "USD")
    report = import_file(
        usd, "orders", _write(tmp_path, ["$35", "12", "80元"]), create_customers=True
    )
    assert report.accepted == 2
    assert sorted(_stored(usd)) == ["A0", "A1"]
    found = [(q["row"], q["value"]) for q in quarantine_rows(usd, lang="en")]
    assert found == [(4, "CNY")]
