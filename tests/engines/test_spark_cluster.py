"""kequn on a standalone Spark cluster started on this machine (a master and two workers in
their own JVMs, by benchmarks/spark_cluster.sh): the executors run in the workers, and
every customer gets the labels the DuckDB run gives."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from kequn.core.compute import parquet_glob
from kequn.pipeline import run as run_taxonomy
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace

pytestmark = [pytest.mark.spark, pytest.mark.slow]

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "spark_cluster.sh"
AS_OF = "2026-09-30"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    state = tmp_path_factory.mktemp("cluster")
    env = {
        **os.environ,
        "KEQUN_SPARK_CLUSTER_DIR": str(state),
        "SPARK_MASTER_PORT": str(_free_port()),
        "WORKER_MEMORY": "1g",
        "PYTHON": sys.executable,
    }
    started = subprocess.run(
        ["bash", str(SCRIPT), "start"], env=env, capture_output=True, text=True, check=False
    )
    try:
        assert started.returncode == 0, started.stderr + started.stdout
        master = started.stdout.strip().splitlines()[-1].split("=", 1)[1]
        assert master.startswith("spark://127.0.0.1:")
        yield master, state
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop"], env=env, check=False, capture_output=True)


def test_a_run_on_the_cluster_labels_like_duckdb(cluster: tuple[str, Path], tmp_path: Path) -> None:
    from kequn.demo import demo_workspace

    master, state = cluster
    ws = demo_workspace(tmp_path, 600, seed=9)
    duck = run_taxonomy(ws, as_of=date.fromisoformat(AS_OF), with_models=False)
    # the driver in its own process, as `kequn run` is started, pointed at the cluster
    env = {**os.environ, "KEQUN_SPARK_MASTER": master, "KEQUN_SPARK_MEMORY": "1g"}
    command = [sys.executable, "-m", "kequn.cli", "run", "--workspace", str(ws.root)]
    done = subprocess.run(
        [*command, "--engine", "spark", "--no-models", "--as-of", AS_OF],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    spark = list_runs(Workspace.open(ws.root))[0]
    assert spark.engine == "spark"
    assert spark.run_id != duck.run_id
    # the executors ran in the workers: each application leaves a folder in a work dir
    assert list(state.glob("work-*/app-*")), "no executor ran in the cluster's workers"
    columns = ", ".join(["customer_id", *(f'"{c}"' for c in duck.taxonomy().label_columns())])
    a, b = parquet_glob(spark.labels_path), parquet_glob(duck.labels_path)
    differ = duckdb.execute(
        f"SELECT count(*) FROM ((SELECT {columns} FROM read_parquet($a) EXCEPT ALL "
        f"SELECT {columns} FROM read_parquet($b)) UNION ALL (SELECT {columns} FROM "
        f"read_parquet($b) EXCEPT ALL SELECT {columns} FROM read_parquet($a)))",
        {"a": a, "b": b},
    ).fetchone()
    assert differ == (0,)
    assert spark.customers == duck.customers == 600
