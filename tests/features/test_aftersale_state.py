"""A 退款管理 export (kequn.ingest.aftersale) changes stored orders in place: a run with
the feature state must label as a full rebuild does after it, the refunded orders'
customers computed again (the state finds a changed row by the import that wrote it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_incremental import END, assert_same, query

from kequn.demo import demo_workspace
from kequn.ingest.importer import import_file

HEADERS = ["订单编号", "退款编号", "订单付款时间", "买家实际支付金额", "买家退款金额", "退款状态"]


def _export(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """A refunds export of (订单编号, 退款编号, 买家退款金额, 退款状态) rows."""
    lines = [",".join(HEADERS)]
    lines += [f'="{o}",="{r}",2026-09-01 10:00:00,,{m},{w}' for o, r, m, w in rows]
    path.write_text("\n".join(lines) + "\n", encoding="gbk")
    return path


@pytest.mark.slow
def test_a_refunds_export_reaches_the_feature_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = demo_workspace(tmp_path / "w", 600, seed=7)
    ws.settings.prepare_lookups = False
    assert assert_same(ws, END, tmp_path / "0", monkeypatch, min_rows=300)["mode"] == "built"
    paid = query(
        ws,
        "SELECT order_id, amount FROM orders WHERE status = 'paid' AND amount > 10 "
        "AND ordered_at::DATE <= ? ORDER BY order_id LIMIT 4",
        [END],
    )
    rows = [
        (paid[0][0], "R1", str(paid[0][1]), "退款成功"),  # all of it
        (paid[1][0], "R2", "5.00", "退款成功"),
        (paid[2][0], "R3", "5.00", "退款关闭"),  # nothing went back
        (paid[3][0], "R4", "3.00", "退款成功"),
        (paid[3][0], "R5", "4.00", "退款成功"),
    ]
    report = import_file(ws, "orders", _export(tmp_path / "退款管理.csv", rows))
    assert (report.format, report.refund_rows, report.refunds_applied) == (
        "taobao_refunds",
        4,
        3,
    )
    refreshed = assert_same(ws, END, tmp_path / "1", monkeypatch, min_rows=300)
    assert refreshed["mode"] == "refreshed"
    assert 0 < refreshed["touched"]["orders"] <= 3
    # a later month's export: one more refund of an order refunded before (they add up,
    # the order changed again) and the first refund once more (nothing to change)
    later = [(paid[3][0], "R6", "2.00", "退款成功"), rows[1]]
    report = import_file(ws, "orders", _export(tmp_path / "退款管理2.csv", later))
    assert (report.refund_rows, report.refunds_applied) == (2, 1)
    (kept,) = query(ws, "SELECT refunded FROM orders WHERE order_id = ?", [paid[3][0]])
    assert str(kept[0]) == "9.00"
    refreshed = assert_same(ws, END, tmp_path / "2", monkeypatch, min_rows=300)
    assert refreshed["mode"] == "refreshed"
    assert refreshed["touched"]["orders"] == 1
