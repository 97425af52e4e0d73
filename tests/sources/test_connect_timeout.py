"""A database that accepts the connection and then says nothing (a firewall, a proxy, a
port that belongs to another service, a server stuck starting) stopped an import, a
``kequn sync`` and so a scheduled job for ever: neither connector had a time limit on the
handshake. Now connecting gives up after ``CONNECT_SECONDS`` with one message naming the
database (password masked), and nothing is imported; a slow query is not cut short."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from cli_helpers import kequn
from kequn.ingest.sources import connect
from kequn.store.workspace import Workspace


@pytest.fixture
def silent_port() -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.mark.parametrize("scheme", ["postgresql", "mysql"])
def test_a_silent_server_times_out(
    silent_port: int,
    scheme: str,
    ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    pytest.importorskip("adbc_driver_postgresql" if scheme == "postgresql" else "pymysql")
    monkeypatch.setattr(connect, "CONNECT_SECONDS", 2, raising=False)
    monkeypatch.setenv("KQ_SILENT", f"{scheme}://kequn:s3cret-pw@127.0.0.1:{silent_port}/shop")
    started = time.monotonic()
    code, out = kequn(
        capsys, "import", "orders", "--url-env", "KQ_SILENT", "--table", "orders",
        "-w", ws.root,
    )  # fmt: skip
    assert time.monotonic() - started < 30
    assert code == 1
    assert "Reading the database" in out
    assert f"{scheme}://kequn:***@127.0.0.1:{silent_port}/shop" in out
    assert "s3cret-pw" not in out
    assert "Traceback" not in out
    with ws.read() as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (0,)


def test_the_limit_is_for_connecting_only(mysql_server: Any) -> None:
    """A query slower than the connect limit is read to its end."""
    monkey = pytest.MonkeyPatch()
    monkey.setattr(connect, "CONNECT_SECONDS", 1)
    try:
        location = connect.Location(mysql_server.url)
        sql = "SELECT SLEEP(2) AS slept, 'C1' AS customer_id"
        with connect.read(location, sql, [], watermark=None, batch_rows=10) as result:
            batches = list(result.batches)
    finally:
        monkey.undo()
    assert [col.to_pylist() for col in batches[0][0]] == [["0"], ["C1"]]
