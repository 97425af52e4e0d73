"""A MySQL/MariaDB ``TIMESTAMP`` is an instant (stored in UTC, shown in the session's time
zone); a ``DATETIME`` is a wall clock. An order at 2024-01-01 17:00 UTC is on 2 January in
an Asia/Shanghai workspace: it was stored as 17:00 on 1 January whenever the server's own
zone was not the workspace's (UTC, as cloud servers usually run). Fractions of a second
were dropped too. The watermark of a TIMESTAMP column keeps working across syncs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cli_helpers import kequn
from kequn.store.workspace import Workspace


def test_mysql_timestamp_is_an_instant(
    mysql_server: Any, ws: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    mysql_server.execute(
        "SET time_zone = '+00:00'",
        "DROP TABLE IF EXISTS tz_orders",
        "CREATE TABLE tz_orders (order_id VARCHAR(9) PRIMARY KEY, customer_id VARCHAR(9), "
        "ordered_at TIMESTAMP(6) NULL, paid_local DATETIME(6), amount DECIMAL(9, 2), "
        "updated_at TIMESTAMP NULL)",
    )
    # (the statements of one execute share a session)
    mysql_server.execute(
        "SET time_zone = '+00:00'",
        "INSERT INTO tz_orders VALUES "
        "('T1', 'C1', '2024-01-01 17:00:00.500000', '2024-01-01 17:00:00.250000', 10, "
        "'2024-01-01 17:00:00'), "
        "('T2', 'C1', '2024-01-01 15:59:59', '2024-01-01 15:59:59', 20, '2024-01-01 15:59:59')",
    )
    monkeypatch.setenv("KQ_TZ_URL", mysql_server.url)
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[sources.shop]\nurl_env = "KQ_TZ_URL"\ntable = "tz_orders"\n'
            'kind = "orders"\nwatermark = "updated_at"\n'
        )
    code, out = kequn(capsys, "sync", "-w", ws.root)
    assert code == 0, out
    with ws.read() as con:
        rows = con.execute("SELECT order_id, ordered_at FROM orders ORDER BY 1").fetchall()
    assert rows == [
        ("shop:T1", dt.datetime(2024, 1, 2, 1, 0, 0, 500000)),  # 17:00 UTC is 01:00 next day
        ("shop:T2", dt.datetime(2024, 1, 1, 23, 59, 59)),
    ]
    # the watermark is the instant; a row changed later is read, none is lost
    mysql_server.execute(
        "SET time_zone = '+00:00'",
        "UPDATE tz_orders SET amount = 11, updated_at = '2024-01-01 17:00:01' "
        "WHERE order_id = 'T1'",
    )
    code, out = kequn(capsys, "sync", "-w", ws.root, "--json")
    assert code == 0, out
    assert '"updated": 1' in out
    with ws.read() as con:
        assert con.execute("SELECT amount FROM orders WHERE order_id = 'shop:T1'").fetchone() == (
            pytest.approx(11),
        )


def test_mysql_datetime_is_a_wall_clock_with_its_fraction(
    mysql_server: Any, ws: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    mysql_server.execute(
        "DROP TABLE IF EXISTS wall_orders",
        "CREATE TABLE wall_orders (order_id VARCHAR(9) PRIMARY KEY, customer_id VARCHAR(9), "
        "ordered_at DATETIME(6), amount DECIMAL(9, 2))",
        "INSERT INTO wall_orders VALUES ('W1', 'C1', '2024-01-01 17:00:00.250000', 10)",
    )
    monkeypatch.setenv("KQ_TZ_URL", mysql_server.url)
    code, out = kequn(
        capsys, "import", "orders", "--url-env", "KQ_TZ_URL", "--table", "wall_orders",
        "--source", "shop", "-w", ws.root,
    )  # fmt: skip
    assert code == 0, out
    with ws.read() as con:
        assert con.execute("SELECT ordered_at FROM orders").fetchall() == [
            (dt.datetime(2024, 1, 1, 17, 0, 0, 250000),)
        ]


def test_a_watermark_kept_before_utc_sessions_reads_back_far_enough(
    mysql_server: Any, ws: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """A state written when TIMESTAMPs were read in the server's zone (say +08:00) holds a
    wall clock up to 14 hours ahead of UTC: the first sync after reads from earlier."""
    import json

    mysql_server.execute(
        "SET time_zone = '+00:00'",
        "DROP TABLE IF EXISTS old_mark_orders",
        "CREATE TABLE old_mark_orders (order_id VARCHAR(9) PRIMARY KEY, customer_id VARCHAR(9), "
        "ordered_at DATETIME, amount DECIMAL(9, 2), updated_at TIMESTAMP NULL)",
        "INSERT INTO old_mark_orders VALUES "
        "('M1', 'C1', '2024-01-01 10:00:00', 10, '2024-01-01 10:00:00')",
    )
    monkeypatch.setenv("KQ_TZ_URL", mysql_server.url)
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[sources.shop]\nurl_env = "KQ_TZ_URL"\ntable = "old_mark_orders"\n'
            'kind = "orders"\nwatermark = "updated_at"\n'
        )
    (ws.root / "sources").mkdir(exist_ok=True)
    (ws.root / "sources" / "shop.json").write_text(
        json.dumps(
            {
                "kind": "orders",
                "column": "updated_at",
                "watermark": {"type": "datetime", "value": "2024-01-01T18:00:00"},
            }
        ),
        encoding="utf-8",
    )
    code, out = kequn(capsys, "sync", "-w", ws.root, "--json")
    assert code == 0, out
    assert '"inserted": 1' in out
    state = json.loads((ws.root / "sources" / "shop.json").read_text(encoding="utf-8"))
    assert state["session_zone"] == "UTC"
