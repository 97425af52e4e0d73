"""The README's quarantine round: an import quarantines unknown status words and a line
with the wrong number of fields; ``kequn quarantine retry --mapping`` imports the rows
the mapping now reads. The line with the wrong number of fields was stored as a record of
NULLs, read back as an empty row, "skipped" and deleted from the quarantine with its
text: it must stay there, as it was, until the file is mended."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import kequn_output

ORDERS = (
    "订单编号,客户编号,下单时间,实付金额,订单状态\n"
    "A1,C1,2026-01-05,10.00,已付款\n"
    "A2,C2,2026-01-06,20.00,待审核\n"
    "A3,C3,2026-02-03,¥1,234.50,已付款\n"
)


def _quarantine(capsys: pytest.CaptureFixture[str], ws: Path) -> dict[int, dict[str, object]]:
    code, out, err = kequn_output(capsys, "quarantine", "-w", ws, "--json")
    assert code == 0, err
    return {int(r["row"]): r for r in json.loads(out)}


def test_a_line_with_the_wrong_fields_stays_through_a_retry(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws = tmp_path / "shop"
    orders = tmp_path / "订单导出.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("statuses: {待审核: paid}\n", encoding="utf-8")
    assert kequn_output(capsys, "init", "-w", ws)[0] == 0
    assert kequn_output(capsys, "import", "orders", orders, "-w", ws)[0] == 0
    before = _quarantine(capsys, ws)
    assert sorted(before) == [3, 4]
    code, out, err = kequn_output(
        capsys, "--lang", "en", "quarantine", "retry", "--mapping", mapping, "-w", ws
    )
    assert code == 0, err
    assert "empty row" not in out + err
    after = _quarantine(capsys, ws)
    assert sorted(after) == [4]  # row 3 (待审核) imported; row 4 kept
    assert after[4]["reason"] == before[4]["reason"]
    assert "¥1,234.50" in json.dumps(after[4], ensure_ascii=False)
    code, out, _ = kequn_output(capsys, "status", "-w", ws, "--json")
    assert json.loads(out)["counts"]["orders"] == 2
