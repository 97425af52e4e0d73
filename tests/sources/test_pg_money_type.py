"""PostgreSQL's ``money`` type reaches Arrow as a whole number of the smallest unit (fen,
cents): an order of ¥1234.56 was imported as ¥123456, a hundred times its amount. It is
read as the amount it is, with the digits the server's lc_monetary gives it."""

from __future__ import annotations

from typing import Any

import pytest

from cli_helpers import kequn
from kequn.store.workspace import Workspace


def test_pg_money_is_read_as_the_amount(
    pg_server: Any, ws: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    pg_server.execute(
        "DROP TABLE IF EXISTS money_orders",
        "CREATE TABLE money_orders (order_id TEXT, customer_id TEXT, ordered_at TIMESTAMP, "
        "amount MONEY, discount MONEY)",
        "INSERT INTO money_orders VALUES "
        "('M1', 'C1', '2025-01-01 10:00:00', '1234.56', '0.05'), "
        "('M2', 'C1', '2025-01-01 11:00:00', '7.10', NULL), "
        "('M3', 'C1', '2025-01-01 12:00:00', '-0.01', NULL)",
    )
    monkeypatch.setenv("KQ_MONEY_URL", pg_server.url)
    code, out = kequn(
        capsys, "import", "orders", "--url-env", "KQ_MONEY_URL", "--table", "money_orders",
        "--source", "erp", "-w", ws.root,
    )  # fmt: skip
    assert code == 0, out
    with ws.read() as con:
        rows = con.execute(
            "SELECT order_id, CAST(amount AS VARCHAR), CAST(discount AS VARCHAR) FROM orders "
            "ORDER BY 1"
        ).fetchall()
        quarantined = con.execute("SELECT reason, value FROM quarantine").fetchall()
    assert rows == [("erp:M1", "1234.56", "0.05"), ("erp:M2", "7.10", None)]
    assert quarantined == [("negative_amount", "-0.01")]


def test_a_server_without_money_still_reads() -> None:
    """PostgreSQL-speaking servers without a money type (CockroachDB, Redshift): the
    digits are 2 and the transaction is usable again for the query itself."""
    from kequn.ingest.sources.connect import _money_digits

    class Refusing:
        rolled_back = False

        def execute(self, _sql: str) -> None:
            raise RuntimeError('type "money" does not exist')

        def rollback(self) -> None:
            self.rolled_back = True

    server = Refusing()
    assert _money_digits(server, server) == 2
    assert server.rolled_back
