"""The demo's platform exports: each is read as its platform's format with nothing
quarantined, and gives back exactly the orders and buyers the generator made; `kequn demo
--from` builds a workspace from a shop's own export."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from kequn.cli import app
from kequn.demo import generate_demo, import_demo
from kequn.demo.exports import FORMATS
from kequn.store.workspace import Workspace

runner = CliRunner()
COLUMNS = ["order_id", "customer_id", "ordered_at", "amount", "quantity", "status", "channel"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Any, list[Any]]:
    root = tmp_path_factory.mktemp("demo")
    ws = Workspace.init(root / "ws")
    reports = import_demo(ws, 1500, seed=5, data_dir=root / "data", platform_orders=150)
    files = generate_demo(root / "again", 1500, seed=5, platform_orders=150, id_key=ws.secret_key())
    return ws, files, reports


def _rows(table: pa.Table) -> dict[str, tuple[Any, ...]]:
    return {r["order_id"]: tuple(r[c] for c in COLUMNS[1:]) for r in table.to_pylist()}


def test_one_export_per_platform_recognised_with_nothing_quarantined(demo: Any) -> None:
    _ws, files, reports = demo
    assert [e.format for e in files.exports] == list(FORMATS)
    by_file = {r.file: r for table, r in reports if table == "orders"}
    for export in files.exports:
        report = by_file[export.path.name]
        assert report.format == export.format
        assert report.buyer_key
        assert report.rejected == 0, report.to_dict()
        assert report.warnings == 0, report.to_dict()
        assert not report.unknown_statuses
        assert report.rows == export.rows
        assert report.accepted == export.orders.num_rows > 0
    assert files.exports[1].path.suffix == ".xlsx"
    assert files.exports[0].path.read_bytes().decode("gbk").startswith("订单编号,")
    for table, report in reports:
        assert report.rejected == 0, (table, report.file, report.rejected_by_reason)


def test_exports_give_back_the_generators_orders_and_buyers(demo: Any) -> None:
    ws, files, _ = demo
    with ws.read() as con:
        stored = {
            r[0]: r[1:] for r in con.execute(f"SELECT {', '.join(COLUMNS)} FROM orders").fetchall()
        }
        customers = {r[0] for r in con.execute("SELECT customer_id FROM customers").fetchall()}
    for export in files.exports:
        want = _rows(export.orders)
        got = {oid: stored.get(oid) for oid in want}
        assert got == want, export.format
        assert {row[0] for row in want.values()} <= customers
    # every order once: the parquet's and the exports' together are all the workspace holds
    parquet = pq.read_table(files.orders, columns=["order_id"]).num_rows
    assert parquet + sum(e.orders.num_rows for e in files.exports) == files.n_orders
    assert len(stored) == files.n_orders
    assert set(_rows(pq.read_table(files.orders))).isdisjoint(
        {oid for e in files.exports for oid in _rows(e.orders)}
    )


def test_buyers_are_keyed_as_each_platform_identifies_them(demo: Any) -> None:
    _ws, files, _ = demo
    keys = {e.format: set(e.orders["customer_id"].to_pylist()) for e in files.exports}
    # known by phone (拼多多) or e-mail (Shopify): a keyed pseudonym, never the value itself
    # (16 hex digits of a keyed hash: random, so "p-86…" happens and is no phone number)
    pseudonym = re.compile(r"p-[0-9a-f]{16}")
    assert all(pseudonym.fullmatch(k) for k in keys["pdd"])
    assert all(pseudonym.fullmatch(k) for k in keys["shopify"])
    assert all(k.startswith("jd_") for k in keys["jd"])
    assert len(set().union(*keys.values())) == sum(len(k) for k in keys.values())


def test_without_exports_the_output_is_unchanged(tmp_path: Path) -> None:
    plain = generate_demo(tmp_path / "a", 600, seed=4)
    with_exports = generate_demo(tmp_path / "b", 600, seed=4, platform_orders=40)
    assert plain.exports == []
    assert plain.n_orders == with_exports.n_orders
    a = pq.read_table(plain.customers).drop_columns(["customer_id"])
    b = pq.read_table(with_exports.customers).drop_columns(["customer_id"])
    assert a.equals(b)


def test_demo_from_a_taobao_export(tmp_path: Path) -> None:
    corpus = Path(__file__).parents[1] / "ingest" / "corpus"
    sys.path.insert(0, str(corpus))
    try:
        taobao = importlib.import_module("taobao")
    finally:
        sys.path.remove(str(corpus))
    truth = taobao.build(tmp_path)
    root = tmp_path / "ws"
    args = ["--lang", "en", "demo", "-w", str(root)]
    for file in truth["files"]:
        args += ["--from", str(file)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Format: Taobao / Tmall" in result.output
    assert "kequn serve -w" in result.output
    ws = Workspace.open(root)
    with ws.read() as con:
        orders = con.execute("SELECT count(*) FROM orders").fetchone()
        buyers = con.execute("SELECT count(*) FROM customers").fetchone()
    assert orders is not None
    assert orders[0] == len(truth["orders"])
    assert buyers is not None
    assert buyers[0] == truth["buyers"]
    runs = [p for p in (root / "runs").iterdir() if p.is_dir()]
    assert len(runs) == 2
