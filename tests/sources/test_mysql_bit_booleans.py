"""A MySQL ``BIT(1)`` column (how Hibernate/JPA and many Java CRMs store a boolean) came
through PyMySQL as the byte b'\\x01', which was read as the text "\\x01": a customer's
marketing consent was "not understood" and emptied. A BIT is read as its number."""

from __future__ import annotations

from typing import Any

import pytest

from cli_helpers import kequn
from kequn.store.workspace import Workspace


def test_mysql_bit_is_a_number(
    mysql_server: Any, ws: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    mysql_server.execute(
        "DROP TABLE IF EXISTS bit_customers",
        "CREATE TABLE bit_customers (customer_id VARCHAR(9) PRIMARY KEY, name VARCHAR(20), "
        "marketing_consent BIT(1), flags BIT(12))",
        "INSERT INTO bit_customers VALUES ('C1', '王一', b'1', b'100000000001'), "
        "('C2', '王二', b'0', b'0'), ('C3', '王三', NULL, NULL)",
    )
    monkeypatch.setenv("KQ_BIT_URL", mysql_server.url)
    code, out = kequn(
        capsys, "import", "customers", "--url-env", "KQ_BIT_URL", "--table", "bit_customers",
        "--source", "crm", "-w", ws.root,
    )  # fmt: skip
    assert code == 0, out
    with ws.read() as con:
        rows = con.execute(
            "SELECT customer_id, marketing_consent, attributes['flags'] FROM customers ORDER BY 1"
        ).fetchall()
        assert con.execute("SELECT count(*) FROM quarantine").fetchone() == (0,)
    assert rows == [("crm:C1", True, "2049"), ("crm:C2", False, "0"), ("crm:C3", None, None)]
