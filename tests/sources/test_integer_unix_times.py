"""Shop systems built on PHP (ECShop, CRMEB, ShopXO and most ThinkPHP apps) keep times as
integer Unix seconds (``add_time INT(10)``). Read from the database they became the text
"1704128400" and every order was quarantined as "not a date"; a Parquet file's integer
time column was already read as one. An integer column of the database, mapped to a time,
is now a Unix time (seconds, milliseconds or microseconds) or a yyyymmdd day, an instant
turned into the workspace's local time, as the file importer reads it; 0 is no time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cli_helpers import kequn
from kequn.store.workspace import Workspace


@pytest.mark.parametrize("fixture", ["pg_server", "mysql_server"])
def test_integer_times_are_unix_times(
    request: pytest.FixtureRequest,
    ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    fixture: str,
) -> None:
    server: Any = request.getfixturevalue(fixture)
    table = f"unix_{server.kind[:2]}"
    server.execute(
        f"DROP TABLE IF EXISTS {table}",
        f"CREATE TABLE {table} (order_id VARCHAR(9), customer_id VARCHAR(9), "
        "add_time BIGINT, pay_day INT, amount DECIMAL(9, 2), code INT)",
        # 1704128400 is 2024-01-01 17:00 UTC: 2 January, 01:00 in Asia/Shanghai
        f"INSERT INTO {table} VALUES ('U1', 'C1', 1704128400, 20240102, 10, 7), "
        "('U2', 'C1', 1704128400123, NULL, 20, 8), ('U3', 'C1', 0, NULL, 30, 9)",
    )
    monkeypatch.setenv("KQ_UNIX_URL", server.url)
    mapping = ws.root / "map.yaml"
    mapping.write_text("columns:\n  ordered_at: add_time\n", encoding="utf-8")
    code, out = kequn(
        capsys, "import", "orders", "--url-env", "KQ_UNIX_URL", "--table", table,
        "--source", "shop", "--mapping", mapping, "-w", ws.root,
    )  # fmt: skip
    assert code == 0, out
    with ws.read() as con:
        assert con.execute("SELECT order_id, ordered_at FROM orders ORDER BY 1").fetchall() == [
            ("shop:U1", dt.datetime(2024, 1, 2, 1, 0)),
            ("shop:U2", dt.datetime(2024, 1, 2, 1, 0, 0, 123000)),
        ]
        # 0 is how PHP apps leave a time unset: told as no date, not an order of 1970
        assert con.execute('SELECT "row", reason FROM quarantine').fetchall() == [(3, "bad_date")]
