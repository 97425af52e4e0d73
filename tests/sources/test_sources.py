"""Named sources and database sources (issue 16 items 1 and 2), against real PostgreSQL and
MariaDB servers (see conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kequn.cli import main
from kequn.store.workspace import Workspace

CUSTOMERS = "customer_id,name,phone\nC001,王小明,13800000001\nC002,李娜,13800000002\n"
ORDERS = (
    "order_id,customer_id,ordered_at,amount\n"
    "O1,C001,2025-01-03 10:00:00,100.00\nO2,C002,2025-01-04 11:00:00,50.00\n"
)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def _rows(ws: Workspace, sql: str) -> list[tuple[object, ...]]:
    with ws.read() as con:
        return con.execute(sql).fetchall()


def _all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


# -- named sources (files) ----------------------------------------------------------------


def test_sources_keep_ids_apart(ws: Workspace, tmp_path: Path, capsys) -> None:
    customers, orders = tmp_path / "c.csv", tmp_path / "o.csv"
    customers.write_text(CUSTOMERS, encoding="utf-8")
    orders.write_text(ORDERS, encoding="utf-8")
    w = str(ws.root)
    for source in ("store", "crm"):
        assert (
            _cli(capsys, "import", "customers", str(customers), "--source", source, "-w", w)[0] == 0
        )
        assert _cli(capsys, "import", "orders", str(orders), "--source", source, "-w", w)[0] == 0
    rows = _rows(ws, "SELECT customer_id, origin FROM customers ORDER BY 1")
    assert rows == [
        ("crm:C001", "crm"),
        ("crm:C002", "crm"),
        ("store:C001", "store"),
        ("store:C002", "store"),
    ]
    orders_rows = _rows(ws, "SELECT order_id, customer_id, origin FROM orders ORDER BY 1")
    assert ("store:O1", "store:C001", "store") in orders_rows
    assert ("crm:O1", "crm:C001", "crm") in orders_rows
    assert len(orders_rows) == 4
    # re-importing one source upserts within it only
    assert _cli(capsys, "import", "orders", str(orders), "--source", "crm", "-w", w)[0] == 0
    assert len(_rows(ws, "SELECT * FROM orders")) == 4
    # without a source: today's behaviour, ids as given and no origin
    assert _cli(capsys, "import", "customers", str(customers), "-w", w)[0] == 0
    assert ("C001", None) in _rows(ws, "SELECT customer_id, origin FROM customers")


def test_source_orders_derive_their_own_customers(ws: Workspace, tmp_path: Path, capsys) -> None:
    """Another source's customers do not make a new source's buyers 'unknown customers'."""
    customers, orders = tmp_path / "c.csv", tmp_path / "o.csv"
    customers.write_text(CUSTOMERS, encoding="utf-8")
    orders.write_text(ORDERS, encoding="utf-8")
    w = str(ws.root)
    assert _cli(capsys, "import", "customers", str(customers), "--source", "crm", "-w", w)[0] == 0
    assert _cli(capsys, "import", "orders", str(orders), "--source", "tmall", "-w", w)[0] == 0
    assert _rows(ws, "SELECT count(*) FROM orders WHERE origin = 'tmall'") == [(2,)]
    assert _rows(ws, "SELECT count(*) FROM customers WHERE origin = 'tmall'") == [(2,)]


@pytest.mark.parametrize("name", ["Tmall", "1shop", "a-b", "x" * 41, "a:b"])
def test_bad_source_name_is_one_message(ws: Workspace, tmp_path: Path, capsys, name: str) -> None:
    path = tmp_path / "c.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    code, out = _cli(capsys, "import", "customers", str(path), "--source", name, "-w", str(ws.root))
    assert code == 1
    assert "Invalid source name" in out
    assert "Traceback" not in out


# -- database sources ---------------------------------------------------------------------

SERVERS = ["pg_server", "mysql_server"]


def _server(request: pytest.FixtureRequest, name: str) -> Any:
    server: Any = request.getfixturevalue(name)
    return server


def _setup_tables(server: Any, prefix: str) -> None:
    ts = "TIMESTAMP" if server.kind == "postgresql" else "DATETIME"
    server.execute(
        f"DROP TABLE IF EXISTS {prefix}_customers",
        f"DROP TABLE IF EXISTS {prefix}_orders",
        f"CREATE TABLE {prefix}_customers (customer_id VARCHAR(20) PRIMARY KEY, "
        f"name VARCHAR(50), phone VARCHAR(20), updated_at {ts})",
        f"CREATE TABLE {prefix}_orders (order_id VARCHAR(20) PRIMARY KEY, "
        f"customer_id VARCHAR(20), ordered_at {ts}, amount DECIMAL(12, 2), "
        f"status VARCHAR(20), updated_at {ts})",
        f"INSERT INTO {prefix}_customers VALUES "
        "('C001', '王小明', '13800000001', '2025-01-01 00:00:00'), "
        "('C002', '李娜', '13800000002', '2025-01-01 00:00:00')",
        f"INSERT INTO {prefix}_orders VALUES "
        "('O1', 'C001', '2025-01-03 10:00:00', 100.00, 'paid', '2025-01-03 10:00:00'), "
        "('O2', 'C002', '2025-01-04 11:00:00', 50.50, 'paid', '2025-01-04 11:00:00'), "
        "('O3', 'C999', '2025-01-05 11:00:00', 10.00, 'paid', '2025-01-05 11:00:00')",
    )


def _save_source(ws: Workspace, name: str, table: str, kind: str, env: str) -> None:
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            f'\n[sources.{name}]\nurl_env = "{env}"\ntable = "{table}"\nkind = "{kind}"\n'
            'watermark = "updated_at"\n'
        )


@pytest.mark.parametrize("fixture", SERVERS)
def test_database_full_and_incremental(
    request: pytest.FixtureRequest, ws: Workspace, monkeypatch, capsys, fixture: str
) -> None:
    server = _server(request, fixture)
    prefix = f"t1_{server.kind[:2]}"
    _setup_tables(server, prefix)
    monkeypatch.setenv("KQ_DB_URL", server.url)
    w = str(ws.root)
    # a one-off import of a table, through the CLI
    code, out = _cli(
        capsys,
        "import",
        "customers",
        "--url-env",
        "KQ_DB_URL",
        "--table",
        f"{prefix}_customers",
        "--source",
        "crm",
        "-w",
        w,
    )
    assert code == 0, out
    assert _rows(
        ws, "SELECT customer_id, name, origin, source_file, source_row FROM customers ORDER BY 1"
    ) == [
        ("crm:C001", "王小明", "crm", f"crm: table {prefix}_customers", 1),
        ("crm:C002", "李娜", "crm", f"crm: table {prefix}_customers", 2),
    ]
    # a saved source, synced by its watermark
    _save_source(ws, "crm", f"{prefix}_orders", "orders", "KQ_DB_URL")
    code, out = _cli(capsys, "sync", "crm", "-w", w)
    assert code == 0, out
    assert _rows(ws, "SELECT order_id, customer_id, amount FROM orders ORDER BY 1") == [
        ("crm:O1", "crm:C001", pytest.approx(100)),
        ("crm:O2", "crm:C002", pytest.approx(50.5)),
    ]
    # the order of an unknown customer is quarantined with its lineage, never the URL
    quarantined = _rows(ws, 'SELECT file, "row", reason FROM quarantine')
    assert quarantined == [(f"crm: table {prefix}_orders", 3, "unknown_customer")]
    # re-sync: nothing new
    code, out = _cli(capsys, "sync", "crm", "-w", w, "--json")
    assert code == 0, out
    assert '"inserted": 0' in out
    assert '"updated": 0' in out
    # new and changed rows arrive; older rows are not read again
    server.execute(
        f"INSERT INTO {prefix}_orders VALUES "
        "('O4', 'C001', '2025-02-01 09:00:00', 30.00, 'paid', '2025-02-01 09:00:00')",
        f"UPDATE {prefix}_orders SET amount = 60.00, updated_at = '2025-02-02 00:00:00' "
        "WHERE order_id = 'O2'",
    )
    code, out = _cli(capsys, "sync", "-w", w, "--json")
    assert code == 0, out
    assert '"inserted": 1' in out
    assert '"updated": 1' in out
    assert '"rows": 3' in out  # O2, O4 and O3 (at the last watermark, read again)
    assert _rows(ws, "SELECT amount FROM orders WHERE order_id = 'crm:O2'") == [
        (pytest.approx(60),)
    ]
    assert len(_rows(ws, "SELECT * FROM orders")) == 3
    code, out = _cli(capsys, "sources", "-w", w, "--json")
    assert code == 0
    assert "2025-02-02" in out
    assert server.password not in out
    # the password is nowhere: not printed, not in the workspace's files
    assert server.password.encode() not in _all_bytes(ws.root)


@pytest.mark.parametrize("fixture", SERVERS)
def test_query_source(
    request: pytest.FixtureRequest, ws: Workspace, monkeypatch, capsys, fixture: str
) -> None:
    server = _server(request, fixture)
    prefix = f"t2_{server.kind[:2]}"
    _setup_tables(server, prefix)
    monkeypatch.setenv("KQ_DB_URL", server.url)
    w = str(ws.root)
    query = (
        f"SELECT order_id, customer_id, ordered_at, amount FROM {prefix}_orders "
        "WHERE customer_id LIKE 'C00%'"
    )
    code, out = _cli(
        capsys,
        "import",
        "orders",
        "--url-env",
        "KQ_DB_URL",
        "--query",
        query,
        "--source",
        "erp",
        "-w",
        w,
    )
    assert code == 0, out
    rows = _rows(ws, "SELECT order_id, source_file FROM orders ORDER BY 1")
    assert [r[0] for r in rows] == ["erp:O1", "erp:O2"]
    assert rows[0][1].startswith("erp: query ")


@pytest.mark.parametrize("fixture", SERVERS)
def test_credentials_never_leak(
    request: pytest.FixtureRequest,
    ws: Workspace,
    tmp_path: Path,
    monkeypatch,
    capsys,
    fixture: str,
) -> None:
    server = _server(request, fixture)
    w = str(ws.root)
    # a password on the command line is refused, and not echoed
    code, out = _cli(capsys, "import", "orders", "--from", server.url, "--table", "x", "-w", w)
    assert code == 1
    assert "contains a password" in out
    assert server.password not in out
    # a URL file others can read is refused
    url_file = tmp_path / "db.url"
    url_file.write_text(server.url + "\n", encoding="utf-8")
    url_file.chmod(0o644)
    code, out = _cli(
        capsys, "import", "orders", "--url-file", str(url_file), "--table", "x", "-w", w
    )
    assert code == 1
    assert "chmod 600" in out
    # a missing table: one clear message, password masked, no traceback
    url_file.chmod(0o600)
    code, out = _cli(
        capsys, "import", "orders", "--url-file", str(url_file), "--table", "no_such_table", "-w", w
    )
    assert code == 1
    assert "Reading the database" in out
    assert "Traceback" not in out
    assert server.password not in out
    assert ":***@" in out
    # a wrong password and a closed port: the same
    bad = server.url.replace(server.password, "wrong-" + server.password[::-1])
    monkeypatch.setenv("KQ_BAD", bad)
    code, out = _cli(capsys, "import", "orders", "--url-env", "KQ_BAD", "--table", "x", "-w", w)
    assert code == 1
    assert "Traceback" not in out
    assert "wrong-" not in out
    port = bad.rsplit(":", 1)[1].split("/")[0]
    monkeypatch.setenv("KQ_BAD", server.url.replace(f":{port}/", ":1/"))
    code, out = _cli(capsys, "import", "orders", "--url-env", "KQ_BAD", "--table", "x", "-w", w)
    assert code == 1
    assert "Traceback" not in out
    assert server.password not in out
    # an unset variable
    code, out = _cli(capsys, "import", "orders", "--url-env", "KQ_UNSET_X", "--table", "x", "-w", w)
    assert code == 1
    assert "KQ_UNSET_X" in out
    assert server.password.encode() not in _all_bytes(ws.root)


@pytest.mark.slow
def test_large_table_is_streamed(pg_server: Any, tmp_path: Path) -> None:
    """2M orders (about 500 MB as text) imported under a 200 MB DuckDB memory limit: the
    importer's peak memory stays far below the table's size."""
    rows = 2_000_000
    pg_server.execute(
        "DROP TABLE IF EXISTS big_orders",
        "CREATE UNLOGGED TABLE big_orders AS SELECT 'O' || g AS order_id, "
        "'C' || (g % 200000) AS customer_id, "
        "TIMESTAMP '2024-01-01' + (g % 500) * INTERVAL '1 day' AS ordered_at, "
        "(g % 1000)::numeric(12, 2) + 0.5 AS amount, "
        "repeat(md5(g::text), 6) AS note "
        f"FROM generate_series(1, {rows}) g",
    )
    ws = Workspace.init(tmp_path / "ws")
    ws.settings.memory_limit = "200MB"
    ws.save_settings()
    env = {**os.environ, "KQ_BIG": pg_server.url, "KEQUN_LANG": "en"}
    args = [
        "import",
        "orders",
        "--url-env",
        "KQ_BIG",
        "--table",
        "big_orders",
        "--source",
        "big",
        "-w",
        str(ws.root),
        "--json",
    ]
    # the importing process reports its own peak: VmHWM, the high-water mark of its own
    # address space (RUSAGE_CHILDREN is the largest of every process this session started,
    # and even RUSAGE_SELF carries the parent's peak across a vfork + exec)
    script = (
        "import sys\n"
        "from kequn.cli import main\n"
        "code = 0\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    code = int(exc.code or 0)\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print('PEAK_KB', hwm.split()[1], file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert '"accepted": 2000000' in done.stdout
    peak_kb = int(done.stderr.rsplit("PEAK_KB", 1)[1].split()[0])
    peak_mb = peak_kb / 1024
    assert peak_mb < 900, f"peak RSS {peak_mb:.0f} MB"
    with ws.read() as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (rows,)
