"""Rows quarantined by two incremental syncs of one source were numbered from 1 by each
read, so two different rows shared a (file, row); ``kequn quarantine retry`` reads one row
per (file, row) and then drops every entry at that row: the other row was lost. A sync
from a watermark now numbers its rows after those its source already has in quarantine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cli_helpers import kequn
from kequn.store.workspace import Workspace


@pytest.mark.parametrize("fixture", ["pg_server", "mysql_server"])
def test_retry_after_two_syncs_reads_both_rows(
    request: pytest.FixtureRequest,
    ws: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    fixture: str,
) -> None:
    server: Any = request.getfixturevalue(fixture)
    table = f"retryq_{server.kind[:2]}"
    ts = "TIMESTAMP" if server.kind == "postgresql" else "DATETIME"
    server.execute(
        f"DROP TABLE IF EXISTS {table}",
        f"CREATE TABLE {table} (order_id VARCHAR(9) PRIMARY KEY, customer_id VARCHAR(9), "
        f"ordered_at {ts}, amount DECIMAL(9, 2), updated_at {ts})",
        f"INSERT INTO {table} VALUES "
        "('O1', 'C1', '2025-01-01 10:00:00', 10, '2025-01-01 10:00:00'), "
        "('O2', 'C9', '2025-01-01 10:00:00', 20, '2025-01-01 10:00:00'), "
        "('O3', 'C1', '2025-01-02 10:00:00', 30, '2025-01-02 10:00:00')",
    )
    customers = tmp_path / "c.csv"
    customers.write_text("customer_id,name\nC1,王一\n", encoding="utf-8")
    assert (
        kequn(capsys, "import", "customers", customers, "--source", "shop", "-w", ws.root)[0] == 0
    )
    monkeypatch.setenv("KQ_RETRYQ_URL", server.url)
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            f'\n[sources.shop]\nurl_env = "KQ_RETRYQ_URL"\ntable = "{table}"\n'
            'kind = "orders"\nwatermark = "updated_at"\n'
        )
    assert kequn(capsys, "sync", "-w", ws.root)[0] == 0  # O2: unknown customer C9
    server.execute(
        f"INSERT INTO {table} VALUES "
        "('O4', 'C8', '2025-01-03 10:00:00', 40, '2025-01-03 10:00:00'), "
        "('O5', 'C1', '2025-01-03 10:00:00', 50, '2025-01-03 10:00:00')"
    )
    assert kequn(capsys, "sync", "-w", ws.root)[0] == 0  # O4: unknown customer C8
    with ws.read() as con:
        rows = con.execute('SELECT "row" FROM quarantine').fetchall()
    assert len(rows) == len(set(rows)) == 2
    customers.write_text("customer_id,name\nC8,王八\nC9,王九\n", encoding="utf-8")
    assert (
        kequn(capsys, "import", "customers", customers, "--source", "shop", "-w", ws.root)[0] == 0
    )
    code, out = kequn(capsys, "quarantine", "retry", "-w", ws.root)
    assert code == 0, out
    with ws.read() as con:
        assert con.execute("SELECT order_id FROM orders ORDER BY 1").fetchall() == [
            ("shop:O1",), ("shop:O2",), ("shop:O3",), ("shop:O4",), ("shop:O5",)
        ]  # fmt: skip
        assert con.execute("SELECT count(*) FROM quarantine").fetchone() == (0,)
