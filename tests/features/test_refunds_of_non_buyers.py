"""``refunds`` (退款订单数, refunded orders) was counted only for customers with a paid order
too: a customer whose every order was refunded, the one a rule such as ``orders = 0 and
refunds > 0`` is written to find, had ``refunds`` 0, whether the run read the feature
state (as of the newest order) or built every feature from the orders (an earlier
as-of date)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cli_helpers import kequn_output
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace

ORDERS = (
    "订单编号,客户编号,下单时间,实付金额,订单状态\n"
    "R1,refunded,2026-10-01 10:00,99.00,已退款\n"
    "R2,refunded,2026-10-03 10:00,20.00,已退款\n"
    "C1,cancelled,2026-10-02 10:00,150.00,已取消\n"
    "P1,buyer,2026-10-02 10:00,20.00,已完成\n"
    "P2,buyer,2026-10-04 10:00,30.00,已退款\n"
)
#: P1 refunded by a later export of the same orders: the state's touched customer
AGAIN = ORDERS.replace(
    "P1,buyer,2026-10-02 10:00,20.00,已完成", "P1,buyer,2026-10-02 10:00,20.00,已退款"
)


def _refunds(capsys: pytest.CaptureFixture[str], ws: Path, out: Path, *run: str) -> dict[str, str]:
    code, _, err = kequn_output(capsys, "run", "--no-models", "-w", ws, *run)
    assert code == 0, err
    # the run just made, named: one of an earlier date (a backfill) is not the default
    made = list_runs(Workspace.open(ws))[0].run_id
    code, _, err = kequn_output(
        capsys, "export", "lifecycle=prospect", "-o", out, "-w", ws, "--run", made
    )
    assert code == 0, err
    with out.open(encoding="utf-8") as f:
        return {row["customer_id"]: row["refunds"] for row in csv.DictReader(f)}


def test_a_customer_with_only_refunded_orders_has_refunds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    assert kequn_output(capsys, "init", "-w", ws)[0] == 0
    orders = tmp_path / "订单.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    assert kequn_output(capsys, "import", "orders", orders, "-w", ws)[0] == 0
    # as of the newest order (the feature state) and before it (every feature built)
    assert _refunds(capsys, ws, tmp_path / "a.csv") == {"refunded": "2", "cancelled": "0"}
    before = _refunds(capsys, ws, tmp_path / "b.csv", "--as-of", "2026-10-02")
    assert before == {"refunded": "1", "cancelled": "0"}
    # the buyer's only paid order refunded: a prospect now, with both refunds
    orders.write_text(AGAIN, encoding="utf-8")
    assert kequn_output(capsys, "import", "orders", orders, "-w", ws)[0] == 0
    after = _refunds(capsys, ws, tmp_path / "c.csv")
    assert after == {"refunded": "2", "cancelled": "0", "buyer": "2"}
