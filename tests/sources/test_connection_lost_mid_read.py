"""A database connection lost half-way through a read (the server restarted, a DBA killed
the query, the network dropped) ended a MySQL import with three Python tracebacks: closing
PyMySQL's streaming cursor reads the rest of the result, on a connection that was gone.
Now it is one message naming the database, and nothing is imported."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from kequn.ingest.readers import SourceError
from kequn.ingest.sources import database as database_module
from kequn.ingest.sources import import_database, resolve_url
from kequn.store.workspace import Workspace


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_mysql_read_cut_off_is_one_message(
    mysql_server: Any, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pymysql

    mysql_server.execute(
        "DROP TABLE IF EXISTS cut_orders",
        "CREATE TABLE cut_orders (order_id INT PRIMARY KEY, customer_id VARCHAR(9), "
        "ordered_at DATETIME, amount DECIMAL(9, 2), note VARCHAR(200))",
        "INSERT INTO cut_orders SELECT seq, 'C1', '2024-01-01', 1, REPEAT('x', 200) "
        "FROM seq_1_to_200000",
    )
    monkeypatch.setenv("KQ_CUT_URL", mysql_server.url)
    monkeypatch.setattr(database_module, "BATCH_ROWS", 1000)
    location = resolve_url(url_env="KQ_CUT_URL")
    killed: list[int] = []

    def cut(stage: str, rows: int) -> None:
        if stage != "read" or killed:
            return
        from urllib.parse import urlsplit

        parts = urlsplit(mysql_server.url)
        with contextlib.closing(
            pymysql.connect(
                host=parts.hostname, port=parts.port, user=parts.username,
                password=parts.password, database="shop",
            )
        ) as conn, conn.cursor() as cur:  # fmt: skip
            cur.execute(
                "SELECT id FROM information_schema.processlist "
                "WHERE info LIKE 'SELECT * FROM `cut_orders`%'"
            )
            for (thread,) in cur.fetchall():
                cur.execute(f"KILL {int(thread)}")
                killed.append(int(thread))

    with pytest.raises(SourceError) as caught:
        import_database(ws, "orders", location, table="cut_orders", origin="cut", progress=cut)
    assert killed
    assert "mysql://kequn:***@" in str(caught.value)
    assert mysql_server.password not in str(caught.value)
    import gc

    gc.collect()
    with ws.read() as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (0,)
