"""Money written with the dollar of Hong Kong, Taiwan, Singapore, Australia or Canada
(HK$88.00, NT$1,280, S$12.50: how 香港 and 台灣 shops, whose 繁體 files kequn reads, write
amounts) and dates an English Excel shows with their time (Jan 5, 2024 1:05 PM)."""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

ROWS = [  # (amount as written, amount, time as written, time, the amount's currency)
    ("HK$88.00", "88.00", "2024-01-05 13:05", datetime(2024, 1, 5, 13, 5), "HKD"),
    ("NT$1,280", "1280.00", "Jan 5, 2024 1:05 PM", datetime(2024, 1, 5, 13, 5), "TWD"),
    ("S$12.50", "12.50", "Jan 5, 2024 1:05:09 PM", datetime(2024, 1, 5, 13, 5, 9), "SGD"),
    ("A$ 9.90", "9.90", "January 5, 2024 13:05", datetime(2024, 1, 5, 13, 5), "AUD"),
    ("88.00 HKD", "88.00", "5 Jan 2024 13:05:09", datetime(2024, 1, 5, 13, 5, 9), "HKD"),
    ("TWD 1,280", "1280.00", "5-Jan-2024 13:05", datetime(2024, 1, 5, 13, 5), "TWD"),
    ("C$3.00", "3.00", "Jan 5, 2024", datetime(2024, 1, 5), "CAD"),
]


def _file(path: Path, rows: list[tuple[int, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["訂單編號", "會員編號", "下單時間", "實付金額", "訂單狀態"])
        for n, money, when in rows:
            out.writerow([f"T{n}", "M1", when, money, "已完成"])
    return path


def _in(root: Path, currency: str) -> Workspace:
    Workspace.init(root)
    toml = root / "kequn.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'currency = "CNY"' in text
    toml.write_text(text.replace('currency = "CNY"', f'currency = "{currency}"'), encoding="utf-8")
    return Workspace.open(root)


def test_dollars_of_other_places_and_english_dates_with_a_time(tmp_path: Path) -> None:
    """Each place's amounts in a workspace of its currency: read as written."""
    for currency in sorted({row[4] for row in ROWS}):
        mine = [(n, row) for n, row in enumerate(ROWS) if row[4] == currency]
        ws = _in(tmp_path / currency, currency)
        path = _file(tmp_path / f"{currency}.csv", [(n, r[0], r[2]) for n, r in mine])
        result = import_file(ws, "orders", path)
        assert result.rejected == 0, result.examples
        with ws.read() as con:
            got = con.execute("SELECT order_id, amount, ordered_at FROM orders").fetchall()
        assert sorted(got) == [(f"T{n}", Decimal(r[1]), r[3]) for n, r in mine]


def test_amounts_of_other_places_are_not_taken_as_yuan(ws: Workspace, tmp_path: Path) -> None:
    """The same file in a workspace in 元: no amount is stored as if it were yuan."""
    path = _file(tmp_path / "orders.csv", [(n, r[0], r[2]) for n, r in enumerate(ROWS)])
    result = import_file(ws, "orders", path)
    assert result.currencies == {"HKD": 2, "TWD": 2, "SGD": 1, "AUD": 1, "CAD": 1}
    with ws.read() as con:
        kept = con.execute("SELECT count(*) FROM orders").fetchone()
    assert kept == (2,)  # the file's most common (HKD before TWD), the others quarantined
    assert result.rejected == 5
