"""PyMySQL binds a watermark by ``%`` formatting the whole statement, so a table or
watermark column whose name holds ``%`` (``od%s``, ``upd%d``) made every sync after the
first fail ("not enough arguments for format string") or read another table (``x%%``)."""

from __future__ import annotations

from typing import Any

import pytest

from cli_helpers import kequn
from kequn.ingest.sources.connect import select_sql
from kequn.store.workspace import Workspace


def test_percent_in_mysql_names_is_escaped_when_binding() -> None:
    sql = select_sql("mysql", "shop.od%s", None, "upd%d", since=True)
    assert sql == "SELECT * FROM `shop`.`od%%s` WHERE `upd%%d` >= %s"
    assert select_sql("mysql", "od%s", None, "upd%d", since=False) == "SELECT * FROM `od%s`"
    assert select_sql("postgresql", "od%s", None, "upd%d", since=True) == (
        'SELECT * FROM "od%s" WHERE "upd%d" >= $1'
    )
    query = "SELECT * FROM t WHERE name LIKE 'a%'"
    assert select_sql("mysql", None, query, "upd", since=True) == (
        "SELECT * FROM (SELECT * FROM t WHERE name LIKE 'a%%') AS kq_source WHERE `upd` >= %s"
    )


def test_a_mysql_table_named_with_percent_syncs_twice(
    mysql_server: Any, ws: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    mysql_server.execute(
        "DROP TABLE IF EXISTS `od%s`",
        "CREATE TABLE `od%s` (order_id VARCHAR(9), customer_id VARCHAR(9), "
        "ordered_at DATETIME, amount DECIMAL(9, 2), `upd%d` DATETIME)",
        "INSERT INTO `od%s` VALUES ('X1', 'C1', '2024-01-01 00:00:00', 5, '2024-01-01 00:00:00')",
    )
    monkeypatch.setenv("KQ_PCT_URL", mysql_server.url)
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[sources.pct]\nurl_env = "KQ_PCT_URL"\ntable = "od%s"\n'
            'kind = "orders"\nwatermark = "upd%d"\n'
        )
    for _ in range(2):
        code, out = kequn(capsys, "sync", "-w", ws.root)
        assert code == 0, out
    with ws.read() as con:
        assert con.execute("SELECT order_id FROM orders").fetchall() == [("pct:X1",)]
