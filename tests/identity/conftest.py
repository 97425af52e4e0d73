"""Writing multi-source customers (kequn.identity.synthetic) as a shop's CSV export."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

COLUMNS = ["customer_id", "name", "phone", "email", "city", "address", "birth_date"]

Writer = Callable[[Path, list[dict[str, object]]], Path]


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([*COLUMNS, "wechat_unionid"])
        for row in rows:
            writer.writerow([row.get(c) or "" for c in COLUMNS] + [row.get("wechat_unionid") or ""])
    return path


@pytest.fixture(scope="session")
def write_customers() -> Writer:
    """``write_customers(path, rows)``: a customers CSV (the unionid as an extra column)."""
    return _write
