"""Apache Spark as the scale-out engine, through Ibis's PySpark backend.

The canonical tables are exported from the workspace to Parquet once per data
generation (cached under ``.cache/spark``); Spark reads them from there, exactly as it
would read a data lake. Only this module imports pyspark, and only when it is used.
"""

from __future__ import annotations

import functools
import os
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir

from kequn.core.compute import Engine, parquet_glob

TABLE_NAMES = ("customers", "orders", "events")


@functools.cache
def spark_session(master: str = "local[2]") -> Any:
    """One local Spark session per process, bound to loopback, with Arrow transfers."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(master)
        .appName("kequn")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.memory", os.environ.get("KEQUN_SPARK_MEMORY", "4g"))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def export_tables(
    connection: AbstractContextManager[duckdb.DuckDBPyConnection], folder: Path
) -> Path:
    """Parquet copies of the canonical tables in ``folder`` (made once per folder: the
    caller names it after the data generation)."""
    if (folder / "DONE").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    with connection as con:
        for name in TABLE_NAMES:
            target = folder / f"{name}.parquet"
            # fixed table names; the path is passed as a bound parameter-free literal below
            con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{_quote(target)}' (FORMAT PARQUET)")
    (folder / "DONE").write_text("ok")
    return folder


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


class SparkEngine(Engine):
    name = "spark"

    def __init__(self, folder: Path, *, master: str = "local[2]") -> None:
        """Classify the Parquet tables in ``folder`` (see :func:`export_tables`)."""
        self.folder = folder
        self.con = ibis.pyspark.connect(spark_session(master))
        self._counter = 0

    def tables(self) -> dict[str, ir.Table]:
        return {
            name: self.con.read_parquet(
                str(self.folder / f"{name}.parquet"), table_name=f"kequn_{name}"
            )
            for name in TABLE_NAMES
        }

    def materialize(self, expr: ir.Table, path: Path) -> ir.Table:
        self.con.to_parquet(expr, path)
        self._counter += 1
        return self.con.read_parquet(parquet_glob(path), table_name=f"kequn_m{self._counter}")
