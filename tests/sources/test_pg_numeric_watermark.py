"""A PostgreSQL ``NUMERIC`` watermark column (a version number, a NUMERIC(20) id from a
migrated schema) stopped every sync with Arrow's "Function 'min_max' has no kernel
matching input types": ADBC hands numeric over as an opaque text type. Its largest value is
now taken as a number (10 is after 9.5), kept as a decimal, and bound back as one."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cli_helpers import kequn
from kequn.store.workspace import Workspace


def test_a_numeric_watermark_syncs(
    pg_server: Any, ws: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    pg_server.execute(
        "DROP TABLE IF EXISTS numeric_mark",
        "CREATE TABLE numeric_mark (order_id TEXT, customer_id TEXT, ordered_at TIMESTAMP, "
        "amount NUMERIC(9, 2), version NUMERIC)",
        "INSERT INTO numeric_mark VALUES ('A', 'C1', '2025-01-01', 1, 9.5), "
        "('B', 'C1', '2025-01-01', 2, 10), ('C', 'C1', '2025-01-01', 3, NULL)",
    )
    monkeypatch.setenv("KQ_NUM_URL", pg_server.url)
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[sources.erp]\nurl_env = "KQ_NUM_URL"\ntable = "numeric_mark"\n'
            'kind = "orders"\nwatermark = "version"\n'
        )
    code, out = kequn(capsys, "sync", "-w", ws.root)
    assert code == 0, out
    state = json.loads((ws.root / "sources" / "erp.json").read_text(encoding="utf-8"))
    assert state["watermark"] == {"type": "decimal", "value": "10"}
    pg_server.execute("INSERT INTO numeric_mark VALUES ('D', 'C1', '2025-01-02', 4, 10.25)")
    code, out = kequn(capsys, "sync", "-w", ws.root, "--json")
    assert code == 0, out
    assert '"rows": 2' in out  # B (at the watermark) and D
    with ws.read() as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (4,)
