"""A run whose purchase cycle came from a handful of repeat buyers says so: a shop with one
repeat buyer (two orders 12 days apart) had its whole lifecycle measured against a
12-day cycle, with no word that one customer had set it."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.pipeline import run
from kequn.snapshots.reports import run_notes
from kequn.store.workspace import Workspace

CUSTOMERS = "id,name\n" + "".join(f"c{i},客户{i}\n" for i in range(6))


def _shop(tmp_path: Path, orders: list[tuple[str, str]]) -> Workspace:
    ws = Workspace.init(tmp_path / "ws")
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    rows = "".join(f"o{i},{c},{day},100,paid\n" for i, (c, day) in enumerate(orders))
    (tmp_path / "orders.csv").write_text(
        "order_id,customer_id,time,amount,status\n" + rows, encoding="utf-8"
    )
    import_file(ws, "customers", tmp_path / "customers.csv")
    import_file(ws, "orders", tmp_path / "orders.csv")
    return ws


def test_a_cycle_from_one_repeat_buyer_is_said(tmp_path: Path) -> None:
    orders = [("c0", "2025-03-01"), ("c0", "2025-03-13")]
    orders += [(f"c{i}", f"2025-03-0{i}") for i in range(1, 6)]
    ws = _shop(tmp_path, orders)
    info = run(ws, with_models=False)
    assert info.params["purchase_cycle_days"] == 12.0  # the one repeat buyer's, still used
    said = [n for n in run_notes(info, "en") if "purchase cycle" in n]
    assert said == [
        (
            "purchase cycle: 12 days, derived from too few repeat buyers (repeat buyers: 1, "
            "fewer than 30): it may not be the business's; pin purchase_cycle_days in "
            "taxonomy.yaml if you know it"
        )
    ]
    (zh,) = [n for n in run_notes(info, "zh") if "购买周期" in n]
    assert zh == (
        "购买周期：12 天，仅由 1 位复购客户的订单推算（少于 30 位）：未必代表本企业；"
        "如已知，可在 taxonomy.yaml 中固定 purchase_cycle_days"
    )
