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

from kequn.core.compute import Categories, Engine, parquet_glob

TABLE_NAMES = ("customers", "orders", "events")
#: Spark in this process, on two cores, when no cluster is named
LOCAL = "local[2]"


def default_master() -> str:
    """Where Spark runs: ``$KEQUN_SPARK_MASTER``, else ``$SPARK_MASTER`` (as spark-submit
    users set it, e.g. ``spark://127.0.0.1:7077`` for benchmarks/spark_cluster.sh), else
    in this process (``local[2]``)."""
    return os.environ.get("KEQUN_SPARK_MASTER") or os.environ.get("SPARK_MASTER") or LOCAL


@functools.cache
def spark_session(master: str = LOCAL) -> Any:
    """One Spark session per process, its driver bound to loopback, with Arrow transfers.

    With a cluster's master URL the executors run in the cluster's workers (on this
    machine: they read and write the same Parquet paths as the driver); each gets
    ``$KEQUN_SPARK_EXECUTOR_MEMORY`` (1g) and Python workers, should they need any, run
    this interpreter."""
    import sys

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master)
    if not master.startswith("local"):
        builder = builder.config(
            "spark.executor.memory", os.environ.get("KEQUN_SPARK_EXECUTOR_MEMORY", "1g")
        )
    session = (
        builder.appName("kequn")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        # kequn says its own steps; Spark's stage bars ran over the CLI's stderr
        .config("spark.ui.showConsoleProgress", "false")
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

    def __init__(self, folder: Path, *, master: str | None = None) -> None:
        """Classify the Parquet tables in ``folder`` (see :func:`export_tables`) on
        ``master`` (default: :func:`default_master`)."""
        self.folder = folder
        self.master = master or default_master()
        self.con = ibis.pyspark.connect(spark_session(self.master))
        self._counter = 0

    def tables(self) -> dict[str, ir.Table]:
        return {
            name: self.con.read_parquet(
                str(self.folder / f"{name}.parquet"), table_name=f"kequn_{name}"
            )
            for name in TABLE_NAMES
        }

    def materialize(
        self, expr: ir.Table, path: Path, categories: Categories | None = None
    ) -> ir.Table:
        # Spark writes strings the same way whatever their values: ``categories`` unused
        self.con.to_parquet(expr, path)
        self._counter += 1
        return self.con.read_parquet(parquet_glob(path), table_name=f"kequn_m{self._counter}")
