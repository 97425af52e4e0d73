"""An incremental sync reads only rows from the watermark on, but it emptied the source's
whole quarantine first (a file's import replaces its file's entries): a bad row read by an
earlier sync vanished from the quarantine at the next one, unfixed and untold. Now a sync
from a watermark replaces only the entries of rows it read again (the same row, or the
same id changed at the source); a full read replaces them all, as a file's import does."""

from __future__ import annotations

from typing import Any

import pytest

from cli_helpers import kequn
from kequn.store.workspace import Workspace


def _quarantined(ws: Workspace) -> list[tuple[Any, ...]]:
    with ws.read() as con:
        return con.execute(
            "SELECT json_extract_string(record, '$[0]') AS id, reason, count(*) "
            "FROM quarantine GROUP BY ALL ORDER BY 1, 2"
        ).fetchall()


@pytest.mark.parametrize("fixture", ["pg_server", "mysql_server"])
def test_incremental_sync_keeps_earlier_quarantine(
    request: pytest.FixtureRequest,
    ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    fixture: str,
) -> None:
    server: Any = request.getfixturevalue(fixture)
    table = f"keepq_{server.kind[:2]}"
    ts = "TIMESTAMP" if server.kind == "postgresql" else "DATETIME"
    server.execute(
        f"DROP TABLE IF EXISTS {table}",
        f"CREATE TABLE {table} (order_id VARCHAR(9) PRIMARY KEY, customer_id VARCHAR(9), "
        f"ordered_at {ts}, amount DECIMAL(9, 2), updated_at {ts})",
        f"INSERT INTO {table} VALUES "
        "('O1', 'C1', '2025-01-01 10:00:00', 10, '2025-01-01 10:00:00'), "
        "('O2', 'C1', NULL, 20, '2025-01-01 10:00:00'), "  # no order time: quarantined
        "('O3', 'C1', '2025-01-02 10:00:00', 30, '2025-01-02 10:00:00')",
    )
    monkeypatch.setenv("KQ_KEEPQ_URL", server.url)
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            f'\n[sources.shop]\nurl_env = "KQ_KEEPQ_URL"\ntable = "{table}"\n'
            'kind = "orders"\nwatermark = "updated_at"\n'
        )
    assert kequn(capsys, "sync", "-w", ws.root)[0] == 0
    assert _quarantined(ws) == [("O2", "missing_required", 1)]
    # new rows after the watermark, one of them bad: O2 is not read again and stays
    server.execute(
        f"INSERT INTO {table} VALUES "
        "('O4', 'C1', '2025-01-03 10:00:00', 40, '2025-01-03 10:00:00'), "
        "('O5', 'C1', NULL, 50, '2025-01-03 10:00:00')"
    )
    assert kequn(capsys, "sync", "-w", ws.root)[0] == 0
    assert _quarantined(ws) == [("O2", "missing_required", 1), ("O5", "missing_required", 1)]
    # nothing new: O4 and O5, at the watermark, are read again; O5 is not counted twice
    assert kequn(capsys, "sync", "-w", ws.root)[0] == 0
    assert _quarantined(ws) == [("O2", "missing_required", 1), ("O5", "missing_required", 1)]
    # O2 fixed at the source: read again by its id, accepted, out of the quarantine
    server.execute(
        f"UPDATE {table} SET ordered_at = '2025-01-01 10:00:00', "
        "updated_at = '2025-01-04 10:00:00' WHERE order_id = 'O2'"
    )
    assert kequn(capsys, "sync", "-w", ws.root)[0] == 0
    assert _quarantined(ws) == [("O5", "missing_required", 1)]
    with ws.read() as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (4,)
    # a full read replaces the source's entries, as a file's import does
    assert kequn(capsys, "sync", "--full", "-w", ws.root)[0] == 0
    assert _quarantined(ws) == [("O5", "missing_required", 1)]
