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

ROWS = [  # (amount as written, amount, time as written, time)
    ("HK$88.00", "88.00", "2024-01-05 13:05", datetime(2024, 1, 5, 13, 5)),
    ("NT$1,280", "1280.00", "Jan 5, 2024 1:05 PM", datetime(2024, 1, 5, 13, 5)),
    ("S$12.50", "12.50", "Jan 5, 2024 1:05:09 PM", datetime(2024, 1, 5, 13, 5, 9)),
    ("A$ 9.90", "9.90", "January 5, 2024 13:05", datetime(2024, 1, 5, 13, 5)),
    ("88.00 HKD", "88.00", "5 Jan 2024 13:05:09", datetime(2024, 1, 5, 13, 5, 9)),
    ("TWD 1,280", "1280.00", "5-Jan-2024 13:05", datetime(2024, 1, 5, 13, 5)),
    ("C$3.00", "3.00", "Jan 5, 2024", datetime(2024, 1, 5)),
]


def test_dollars_of_other_places_and_english_dates_with_a_time(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["訂單編號", "會員編號", "下單時間", "實付金額", "訂單狀態"])
        for n, (money, _, when, _) in enumerate(ROWS):
            out.writerow([f"T{n}", "M1", when, money, "已完成"])
    result = import_file(ws, "orders", path)
    assert result.rejected == 0, result.examples
    with ws.read() as con:
        got = con.execute("SELECT order_id, amount, ordered_at FROM orders").fetchall()
    assert sorted(got) == [
        (f"T{n}", Decimal(amount), when) for n, (_, amount, _, when) in enumerate(ROWS)
    ]
