"""Refund rows of orders an earlier import stored change those orders in place
(kequn.ingest.refunds): the feature state must see them, so a run with the state labels
as a full rebuild does (its watermark finds a changed row by the import that wrote it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from test_incremental import END, assert_same, query, write

from kequn.demo import demo_workspace
from kequn.ingest.importer import import_file


@pytest.mark.slow
def test_refunds_of_stored_orders_reach_the_feature_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = demo_workspace(tmp_path / "w", 600, seed=7)
    ws.settings.prepare_lookups = False
    assert assert_same(ws, END, tmp_path / "0", monkeypatch, min_rows=300)["mode"] == "built"
    paid = query(
        ws,
        "SELECT order_id, customer_id, ordered_at, amount FROM orders WHERE status = 'paid' "
        "AND amount > 10 AND ordered_at::DATE <= ? ORDER BY order_id LIMIT 5",
        [END],
    )
    assert len(paid) == 5
    refunds = [
        {"order_id": oid, "customer_id": cid, "ordered_at": at + dt.timedelta(hours=1),
         "amount": -(amount if i < 2 else Decimal("5.00")), "status": "refunded"}
        for i, (oid, cid, at, amount) in enumerate(paid)
    ]  # fmt: skip
    report = import_file(ws, "orders", write(tmp_path / "refunds.parquet", refunds))
    assert report.refund_rows == 5
    assert report.accepted == 0
    stored = dict(query(ws, "SELECT order_id, status FROM orders WHERE order_id IN ?",
                        [[p[0] for p in paid]]))  # fmt: skip
    assert sorted(stored.values()) == ["partially_refunded"] * 3 + ["refunded"] * 2
    refreshed = assert_same(ws, END, tmp_path / "1", monkeypatch, min_rows=300)
    assert refreshed["mode"] == "refreshed"
    assert 0 < refreshed["touched"]["orders"] <= 5
