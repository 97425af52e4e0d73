"""With identity enabled, a Spark run classifies persons like a DuckDB run: resolution
runs on DuckDB, the Spark run reads its result as Parquet."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.pipeline import run
from kequn.store.workspace import Workspace

pytestmark = pytest.mark.spark

RECORDS = {
    "tmall": ("A1", "王小明", "13912345678", "", "杭州"),
    "jd": ("A2", "Wang Xiaoming", "+86 139 1234 5678", "wxm@example.com", "杭州市"),
    "crm": ("A3", "王曉明", "", "WXM@example.com", "杭州"),
}
ORDERS = {
    "tmall": ("O1", "A1", "100.50"),
    "jd": ("O2", "A2", "200.00"),
    "crm": ("O3", "A3", "50.25"),
}


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_a_spark_run_classifies_persons(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    for source, (cid, name, phone, email, city) in RECORDS.items():
        header = ["customer_id", "name", "phone", "email", "city"]
        rows = [
            header,
            [cid, name, phone, email, city],
            [f"{source}-solo", f"路人{source}", "", "", "北京"],
        ]
        import_file(ws, "customers", _write(tmp_path / f"{source}.csv", rows), origin=source)
        oid, customer, amount = ORDERS[source]
        orders = [
            ["order_id", "customer_id", "ordered_at", "amount"],
            [oid, customer, "2026-09-01", amount],
        ]
        import_file(ws, "orders", _write(tmp_path / f"o-{source}.csv", orders), origin=source)
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[identity]\nenabled = true\n")
    day = dt.date(2026, 9, 30)
    on_duckdb = run(ws, as_of=day, with_models=False)
    on_spark = run(ws, as_of=day, engine_name="spark", with_models=False)

    def spend(info: object) -> dict[str, float]:
        table = info.rows(["customer_id", "spend"])  # type: ignore[attr-defined]
        return {r["customer_id"]: float(r["spend"] or 0) for r in table.to_pylist()}

    assert spend(on_spark) == spend(on_duckdb)
    with ws.read() as con:
        (person,) = con.execute(
            "SELECT person_id FROM identity_map WHERE customer_id = 'tmall:A1'"
        ).fetchone()
    assert spend(on_spark)[person] == pytest.approx(350.75)
    assert "jd:A2" not in spend(on_spark)
    assert on_spark.customers == on_duckdb.customers == 4  # one person and three strangers
