"""DuckDB and Spark give the same labels on degenerate shops: ties everywhere, one buyer,
most buyers on the latest day (the R score's ties are scored in the middle on both)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cli_helpers import small_shop
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace
from kequn.taxonomy.model import load_taxonomy

CUSTOMERS = "id,name\n" + "".join(f"c{i},客户{i}\n" for i in range(10))


def _orders(days: list[str], quantity: int = 1) -> str:
    rows = "".join(f"o{i},c{i},{day},100,{quantity},paid\n" for i, day in enumerate(days))
    return "order_id,customer_id,time,amount,quantity,status\n" + rows


SHOPS = {
    "one day": (CUSTOMERS, _orders(["2025-03-01"] * 10)),
    "latest day": (CUSTOMERS, _orders(["2025-01-01"] * 2 + ["2025-04-10"] * 8)),
    "one buyer": ("id,name\nc0,张三\n", _orders(["2025-03-01"])),
}


@pytest.mark.spark
@pytest.mark.parametrize("shop", list(SHOPS))
def test_duckdb_and_spark_agree_on_degenerate_shops(tmp_path: Path, shop: str) -> None:
    customers, orders = SHOPS[shop]
    small_shop(tmp_path, {"customers": customers, "orders": orders}, "--no-models")
    ws = Workspace.open(tmp_path / "ws")
    on_duckdb = run_taxonomy(ws, engine_name="duckdb", with_models=False)
    on_spark = run_taxonomy(ws, engine_name="spark", with_models=False)
    assert on_duckdb.params == on_spark.params
    con = duckdb.connect()
    a, b = on_duckdb.rows_sql(), on_spark.rows_sql()
    columns = load_taxonomy(on_duckdb.taxonomy_path).label_columns()
    for column in [*columns, "r_score", "f_score", "m_score"]:
        differ = con.execute(
            f"SELECT count(*) FROM {a} x JOIN {b} y USING (customer_id) "
            f'WHERE x."{column}" IS DISTINCT FROM y."{column}"',
        ).fetchone()
        assert differ == (0,), column
