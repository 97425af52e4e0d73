"""The CDNOW sample as a workspace, shared by the churn and scoring tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

CDNOW = Path(__file__).parent.parent / "data" / "cdnow"


@pytest.fixture(scope="session")
def cdnow_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The CDNOW sample imported as an order export (customers derived from it)."""
    root = tmp_path_factory.mktemp("cdnow")
    orders = root / "orders.csv"
    with (CDNOW / "cdnow_sample_transactions.csv").open() as src, orders.open("w") as out:
        writer = csv.writer(out)
        writer.writerow(["order_id", "customer_id", "order_date", "amount"])
        for i, row in enumerate(csv.DictReader(src)):
            writer.writerow([i + 1, row["customer_id"], row["date"], row["amount"]])
    ws = Workspace.init(root / "ws")
    import_file(ws, "orders", orders, create_customers=True)
    return ws
