"""``kequn import orders --from URL --no-source`` keeps the ids as given, as it does for a
file: a database import ignored ``--no-source``, so orders naming customers stored only
as a source's (``crm:C1``) were held again however the user answered the held rows'
message (which names ``--no-source`` as the way to keep the ids)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cli_helpers import kequn
from kequn.store.workspace import Workspace


@pytest.mark.parametrize("fixture", ["pg_server"])
def test_a_database_import_takes_no_source(
    request: pytest.FixtureRequest,
    ws: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    fixture: str,
) -> None:
    server: Any = request.getfixturevalue(fixture)
    table = "nosource_orders"
    server.execute(
        f"DROP TABLE IF EXISTS {table}",
        f"CREATE TABLE {table} (order_id VARCHAR(9) PRIMARY KEY, customer_id VARCHAR(9), "
        "ordered_at TIMESTAMP, amount DECIMAL(9, 2))",
        f"INSERT INTO {table} VALUES ('O1', 'C1', '2025-01-01 10:00:00', 10)",
    )
    customers = tmp_path / "c.csv"
    customers.write_text("customer_id,name\nC1,王一\n", encoding="utf-8")
    assert kequn(capsys, "import", "customers", customers, "--source", "crm", "-w", ws.root)[0] == 0
    monkeypatch.setenv("KQ_NOSOURCE_URL", server.url)
    read = ("import", "orders", "--url-env", "KQ_NOSOURCE_URL", "--table", table, "-w", ws.root)
    assert kequn(capsys, *read)[0] == 0
    with ws.read() as con:
        assert con.execute("SELECT reason FROM quarantine").fetchall() == [("customer_of_source",)]
    assert kequn(capsys, *read, "--no-source")[0] == 0
    with ws.read() as con:
        assert con.execute("SELECT order_id, customer_id FROM orders").fetchall() == [("O1", "C1")]
        assert con.execute("SELECT count(*) FROM quarantine").fetchall() == [(0,)]
