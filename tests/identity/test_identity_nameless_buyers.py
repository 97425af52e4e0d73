"""``kequn identity run`` on a workspace whose customers have no names: an order export
alone (its buyers derived, by phone or buyer id) or no customers yet. The name keys were
a table of type null and DuckDB's binder error came out as a traceback."""

from __future__ import annotations

from pathlib import Path

from kequn.identity import workspace as identity
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def test_an_orders_only_workspace_resolves_each_buyer_to_a_person(
    ws: Workspace, tmp_path: Path
) -> None:
    orders = tmp_path / "订单导出.csv"
    orders.write_text(
        "订单编号,客户编号,下单时间,实付金额\n"
        "A1,C1,2026-01-05,10.00\nA2,C2,2026-01-06,20.00\nA3,C1,2026-02-01,5.00\n",
        encoding="utf-8",
    )
    assert import_file(ws, "orders", orders, create_customers=True).accepted == 3
    report = identity.run(ws)
    assert report["records"] == 2
    assert report["persons"] == 2


def test_an_empty_workspace_resolves_nobody(ws: Workspace) -> None:
    report = identity.run(ws)
    assert report["records"] == 0
    assert report["persons"] == 0
