"""A MySQL zero date (``0000-00-00 00:00:00``, the "not set" of many legacy schemas),
which PyMySQL gives as text, in the watermark column stopped the sync with a Python
traceback (a time compared with a text). It is no watermark, as NULL is none; the row
itself is imported or told like any other."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cli_helpers import kequn
from kequn.store.workspace import Workspace


@pytest.mark.parametrize("batch_rows", [1, 50_000])
def test_a_zero_date_is_no_watermark(
    mysql_server: Any,
    ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    batch_rows: int,
) -> None:
    """(one row a batch: a batch of zero dates only)"""
    from kequn.ingest.sources import database

    monkeypatch.setattr(database, "BATCH_ROWS", batch_rows)
    mysql_server.execute(
        "SET SESSION sql_mode = ''",
        "DROP TABLE IF EXISTS zero_mark",
        "CREATE TABLE zero_mark (order_id VARCHAR(9), customer_id VARCHAR(9), "
        "ordered_at DATETIME, amount DECIMAL(9, 2), updated_at DATETIME)",
        "INSERT INTO zero_mark VALUES "
        "('Z1', 'C1', '2024-01-01 00:00:00', 1, '0000-00-00 00:00:00'), "
        "('Z2', 'C1', '2024-01-01 00:00:00', 2, '2024-01-02 00:00:00')",
    )
    monkeypatch.setenv("KQ_ZERO_URL", mysql_server.url)
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[sources.legacy]\nurl_env = "KQ_ZERO_URL"\ntable = "zero_mark"\n'
            'kind = "orders"\nwatermark = "updated_at"\n'
        )
    code, out = kequn(capsys, "sync", "-w", ws.root)
    assert code == 0, out
    assert "Traceback" not in out
    state = json.loads((ws.root / "sources" / "legacy.json").read_text(encoding="utf-8"))
    assert state["watermark"] == {"type": "datetime", "value": "2024-01-02T00:00:00"}
    with ws.read() as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (2,)
