"""``kequn quarantine retry --create-customers``: the unknown-customer reason tells the
user to "import customers first, or use --create-customers", and retry had no such
option; orders of a customer the workspace lacks stayed quarantined until the file was
imported again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import kequn_output


def test_retry_creates_the_customers_it_is_told_to(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    customers = tmp_path / "c.csv"
    customers.write_text("customer_id,name\nC1,张三\n", encoding="utf-8")
    orders = tmp_path / "o.csv"
    orders.write_text(
        "order_id,customer_id,ordered_at,amount\nO1,C1,2026-01-01,10\nO2,C9,2026-01-02,20\n",
        encoding="utf-8",
    )
    assert kequn_output(capsys, "init", "-w", ws)[0] == 0
    assert kequn_output(capsys, "import", "customers", customers, "-w", ws)[0] == 0
    code, out, _ = kequn_output(capsys, "import", "orders", orders, "-w", ws, "--json")
    assert (code, json.loads(out)["rejected"]) == (0, 1)
    assert "--create-customers" in kequn_output(capsys, "quarantine", "-w", ws)[1]

    # without it the row stays where it was; with it, C9 is made and its order kept
    code, out, _ = kequn_output(capsys, "quarantine", "retry", "-w", ws, "--json")
    assert [(r["accepted"], r["rejected"]) for r in json.loads(out)] == [(0, 1)]
    code, out, _ = kequn_output(
        capsys, "quarantine", "retry", "--create-customers", "-w", ws, "--json"
    )
    assert code == 0
    assert [(r["accepted"], r["rejected"]) for r in json.loads(out)] == [(1, 0)]
    code, out, _ = kequn_output(capsys, "quarantine", "-w", ws, "--json")
    assert json.loads(out) == []
