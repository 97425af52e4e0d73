"""`kequn run --engine spark` in local[2] and on a standalone cluster, on the same workspace.

    flock /work/staging/bench.lock python benchmarks/bench_spark_cluster.py --sizes 100000
    flock /work/staging/bench.lock python benchmarks/bench_spark_cluster.py --sizes 1000000

For each size, on bench_compare's cached demo workspace (benchmarks/.cache/demo-N/ws,
generated on first use):

    duckdb         `kequn run` on DuckDB: the reference labels
    local[2]       `kequn run --engine spark`, Spark in the kequn process (4 GB driver)
    cluster        benchmarks/spark_cluster.sh start (a master and two workers, 1 core and
                   WORKER_MEMORY each, their own JVMs), then the same command with
                   KEQUN_SPARK_MASTER pointing at it: the driver in kequn, executors in
                   the workers; then the cluster is stopped

Each Spark run writes a Spark event log (PYSPARK_SUBMIT_ARGS, no change to kequn's own
settings) under benchmarks/.cache/demo-N/spark-events/<mode>/, read back for the stage
table printed under the results: stages, tasks, shuffle bytes, spills, the stages that
ran as one task, the bytes sent to the driver as task results, and whether any executed
plan has an ``Exchange SinglePartition`` that is not fed by a partial aggregate.

Wall seconds and peak resident memory (MiB, sampled every 50 ms) are printed for the
kequn process tree (the driver's JVM included) and, for the cluster, of the master's and
workers' trees (the executors are the workers' children) and of both together. The labels
of each Spark run are compared with the DuckDB run's, every label column, `EXCEPT ALL`
both ways.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from bench_compare import CACHE, KEQUN, log, machine, prepare

HERE = Path(__file__).resolve().parent
CLUSTER = HERE / "spark_cluster.sh"


@dataclass
class Result:
    mode: str
    seconds: float = 0.0
    driver_mib: float = 0.0
    cluster_mib: float = 0.0
    total_mib: float = 0.0
    run_id: str = ""
    labels: str = ""
    stages: dict[str, object] = field(default_factory=dict)


def _tree_rss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(pid)
            for p in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
    return total


def measure(args: list[str], env: dict[str, str], cluster_pids: list[int]) -> Result:
    """Wall seconds and peaks of ``args``'s tree and of the cluster's JVM trees."""
    result = Result("")
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        driver = cluster = total = 0
        while proc.poll() is None:
            d, c = _tree_rss([proc.pid]), _tree_rss(cluster_pids)
            driver, cluster, total = max(driver, d), max(cluster, c), max(total, d + c)
            time.sleep(0.05)
        result.seconds = time.perf_counter() - started
        if proc.returncode != 0:
            errors.seek(0)
            raise RuntimeError(errors.read().decode(errors="replace")[-3000:])
    result.driver_mib, result.cluster_mib = driver / 2**20, cluster / 2**20
    result.total_mib = total / 2**20
    return result


def newest_run(ws: Path) -> tuple[str, str]:
    from kequn.snapshots.runs import list_runs
    from kequn.store.workspace import Workspace

    run = list_runs(Workspace.open(ws))[0]
    return run.run_id, run.engine


def same_labels(ws: Path, run_a: str, run_b: str) -> str:
    """Whether two runs give every customer the same labels."""
    import duckdb

    from kequn.core.compute import parquet_glob
    from kequn.snapshots.runs import list_runs
    from kequn.store.workspace import Workspace
    from kequn.taxonomy.model import load_taxonomy

    runs = {r.run_id: r for r in list_runs(Workspace.open(ws))}
    a, b = runs[run_a], runs[run_b]
    if a.as_of != b.as_of:
        return f"not compared: as of {a.as_of} and {b.as_of}"
    columns = load_taxonomy(a.taxonomy_path).label_columns()
    # column names from the run's own taxonomy (checked ids), quoted
    picked = ", ".join(["customer_id", *(f'"{c}"' for c in columns)])
    differ = duckdb.execute(
        f"SELECT (SELECT count(*) FROM (SELECT {picked} FROM read_parquet($a) EXCEPT ALL "
        f"SELECT {picked} FROM read_parquet($b))) + (SELECT count(*) FROM (SELECT {picked} "
        f"FROM read_parquet($b) EXCEPT ALL SELECT {picked} FROM read_parquet($a))), "
        "(SELECT count(*) FROM read_parquet($a))",
        {"a": parquet_glob(a.labels_path), "b": parquet_glob(b.labels_path)},
    ).fetchone()
    assert differ is not None
    verdict = "equal" if differ[0] == 0 else f"DIFFERENT ({differ[0]:,} rows differ)"
    return f"{verdict}, {len(columns)} label columns x {differ[1]:,} customers (as of {a.as_of})"


def _events(folder: Path) -> Iterator[dict[str, object]]:
    # Spark 4 writes a folder per application (eventlog_v2_*) of rolled files
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        if path.name.startswith("appstatus"):
            continue
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)


def _metric(info: dict[str, object], name: str) -> int:
    for acc in info.get("Accumulables", []):  # type: ignore[union-attr]
        if acc.get("Name") == name:
            return int(acc.get("Value") or 0)
    return 0


_PATH = re.compile(r"file:(/[^,\]\s]+)")


def _where(plan: str) -> str:
    """What an SQL execution reads and writes, by file name (``features2 -> labels``)."""

    def name(path: str) -> str:
        parts = [p for p in path.split("/") if p.endswith(".parquet") and not p.startswith("part-")]
        return parts[-1].removesuffix(".parquet") if parts else path.rsplit("/", 1)[-1]

    paths = [name(p) for p in _PATH.findall(plan)]
    if "InsertIntoHadoopFsRelationCommand" in plan and paths:
        *read, written = paths
        return f"{'+'.join(dict.fromkeys(read))} -> {written}"
    return "+".join(dict.fromkeys(paths)) + " -> driver"


def _stage_line(s: dict[str, Any]) -> str:
    mib = 2**20
    return (
        f"stage {s['id']} ({s['where']}): {s['tasks']} task(s), input {s['input'] / mib:.1f} "
        f"MiB, shuffle read {s['shuffle_read'] / mib:.1f} MiB, write "
        f"{s['shuffle_write'] / mib:.1f} MiB, result {s['result'] / mib:.1f} MiB, "
        f"{s['ms'] / 1000:.1f} s"
    )


def _stage(info: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": info["Stage ID"],
        "tasks": int(info["Number of Tasks"]),
        "ms": int(info.get("Completion Time", 0)) - int(info.get("Submission Time", 0)),
        "input": _metric(info, "internal.metrics.input.bytesRead"),
        "shuffle_read": _metric(info, "internal.metrics.shuffle.read.localBytesRead")
        + _metric(info, "internal.metrics.shuffle.read.remoteBytesRead"),
        "shuffle_write": _metric(info, "internal.metrics.shuffle.write.bytesWritten"),
        "spill_mem": _metric(info, "internal.metrics.memoryBytesSpilled"),
        "spill_disk": _metric(info, "internal.metrics.diskBytesSpilled"),
        "result": _metric(info, "internal.metrics.resultSize"),
        "gc_ms": _metric(info, "internal.metrics.jvmGCTime"),
    }


_TREE_NODE = re.compile(r"^(?P<indent>[\s:+\-|]*)(?P<name>\S.*?) \((?P<id>\d+)\)$")


def _funnels(plan: str) -> list[str]:
    """Each ``Exchange`` to ``SinglePartition`` in ``plan`` (as the event log has it, in
    Spark's "formatted" explain: a tree of numbered nodes, then a section per node) whose
    input is not a partial or keyless aggregate: every row of its input goes to one task."""
    tree, _, details = plan.partition("\n\n")
    sections = {}
    for section in details.split("\n\n"):
        head = re.match(r"\((\d+)\) ", section)
        if head:
            sections[int(head.group(1))] = section
    nodes = [
        (len(m.group("indent")), int(m.group("id")), m.group("name"))
        for line in tree.splitlines()
        if (m := _TREE_NODE.match(line))
    ]
    found = []
    for i, (depth, node, name) in enumerate(nodes):
        if name != "Exchange" or "Arguments: SinglePartition" not in sections.get(node, ""):
            continue
        child = next(((n, c) for d, n, c in nodes[i + 1 :] if d > depth), None)
        below_section = sections.get(child[0], "") if child else ""
        # a partial aggregate, or one without keys: at most one row per partition
        if child is None or not ("partial_" in below_section or "Keys: []" in below_section):
            below = f"{child[1]} ({child[0]})" if child else "nothing"
            found.append(f"Exchange ({node}) SinglePartition <- {below} in {_where(plan)}")
    return found


def read_event_log(folder: Path) -> dict[str, object]:
    """Stages, tasks, shuffle, spills, one-task stages and driver results from a log."""
    stages: list[dict[str, Any]] = []
    funnels: list[str] = []
    app_start = app_end = 0
    executors: set[str] = set()
    plans: dict[int, str] = {}
    stage_exec: dict[int, int] = {}
    for event in _events(folder):
        kind = event.get("Event")
        if kind == "SparkListenerStageCompleted":
            stages.append(_stage(event["Stage Info"]))  # type: ignore[arg-type]
        elif kind == "SparkListenerJobStart":
            props: dict[str, Any] = event.get("Properties") or {}  # type: ignore[assignment]
            execution = props.get("spark.sql.execution.id")
            for stage_id in event.get("Stage IDs", []):  # type: ignore[attr-defined]
                if execution is not None:
                    stage_exec[int(stage_id)] = int(execution)
        elif kind == "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart":
            plan = str(event.get("physicalPlanDescription", ""))
            plans[int(event["executionId"])] = plan  # type: ignore[call-overload]
            funnels += _funnels(plan)
        elif kind == "SparkListenerApplicationStart":
            app_start = int(event.get("Timestamp", 0))  # type: ignore[call-overload]
        elif kind == "SparkListenerApplicationEnd":
            app_end = int(event.get("Timestamp", 0))  # type: ignore[call-overload]
        elif kind == "SparkListenerExecutorAdded":
            executors.add(str(event.get("Executor ID")))
    for s in stages:
        execution = stage_exec.get(s["id"])
        s["where"] = _where(plans.get(execution, "")) if execution is not None else "?"
    one_task = [s for s in stages if s["tasks"] == 1]
    mib = 2**20

    def total(key: str) -> float:
        return sum(s[key] for s in stages) / mib

    return {
        "application s": (app_end - app_start) / 1000,
        "executors": len(executors) or 1,
        "SQL executions": len(plans),
        "stages": len(stages),
        "tasks": sum(s["tasks"] for s in stages),
        "task counts": sorted({s["tasks"] for s in stages}),
        "sum of stage times s": sum(s["ms"] for s in stages) / 1000,
        "input MiB": total("input"),
        "shuffle write MiB": total("shuffle_write"),
        "spill memory MiB": total("spill_mem"),
        "spill disk MiB": total("spill_disk"),
        "GC s": sum(s["gc_ms"] for s in stages) / 1000,
        "task results to driver MiB": total("result"),
        "one-task stages": len(one_task),
        "one-task stages reading > 4 MiB": [
            _stage_line(s) for s in one_task if s["input"] + s["shuffle_read"] > 4 * mib
        ],
        "largest shuffles": [
            _stage_line(s) for s in sorted(stages, key=lambda s: -s["shuffle_write"])[:3]
        ],
        "largest results to the driver": [
            _stage_line(s) for s in sorted(stages, key=lambda s: -s["result"])[:4]
        ],
        "slowest stages": [_stage_line(s) for s in sorted(stages, key=lambda s: -s["ms"])[:4]],
        "SinglePartition exchanges not fed by a partial aggregate": funnels,
    }


def _cluster(command: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", str(CLUSTER), command], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"spark_cluster.sh {command} failed: {done.stderr}{done.stdout}")
    return done.stdout


def spark_run(ws: Path, mode: str, events: Path, env: dict[str, str], pids: list[int]) -> Result:
    shutil.rmtree(events, ignore_errors=True)
    events.mkdir(parents=True)
    env = {
        **env,
        "PYSPARK_SUBMIT_ARGS": f"--conf spark.eventLog.enabled=true --conf "
        f"spark.eventLog.dir=file://{events} --conf spark.eventLog.compress=false pyspark-shell",
    }
    log(f"{mode}: kequn run --engine spark")
    result = measure([*KEQUN, "run", "--workspace", str(ws), "--engine", "spark"], env, pids)
    result.mode = mode
    result.run_id, engine = newest_run(ws)
    assert engine == "spark", engine
    result.stages = read_event_log(events)
    return result


def bench(size: int, modes: list[str]) -> list[Result]:
    _, ws, _ = prepare(size)
    root = CACHE / f"demo-{size}"
    base = {k: v for k, v in os.environ.items() if k not in ("KEQUN_SPARK_MASTER", "SPARK_MASTER")}
    log(f"{size:,} customers: kequn run (duckdb)")
    duck = measure([*KEQUN, "run", "--workspace", str(ws)], base, [])
    duck.mode = "duckdb"
    duck.run_id, engine = newest_run(ws)
    assert engine == "duckdb", engine
    results = [duck]
    if "local" in modes:
        results.append(spark_run(ws, "local[2]", root / "spark-events" / "local", base, []))
    if "cluster" in modes:
        state = root / "spark-cluster"
        shutil.rmtree(state, ignore_errors=True)
        env = {**base, "KEQUN_SPARK_CLUSTER_DIR": str(state), "PYTHON": sys.executable}
        started = time.perf_counter()
        out = _cluster("start", env)
        log(f"cluster started in {time.perf_counter() - started:.1f} s: {out.strip()}")
        try:
            master = out.strip().splitlines()[-1].split("=", 1)[1]
            pids = [int(p.read_text()) for p in sorted(state.glob("*.pid"))]
            env["KEQUN_SPARK_MASTER"] = master
            result = spark_run(ws, "cluster", root / "spark-events" / "cluster", env, pids)
            result.stages["executor folders"] = len(list(state.glob("work-*/app-*/*")))
            results.append(result)
        finally:
            _cluster("stop", env)
    for r in results[1:]:
        r.labels = same_labels(ws, r.run_id, duck.run_id)
    return results


def report(size: int, results: list[Result]) -> str:
    lines = [
        f"### {size:,} customers",
        "",
        "| mode | wall s | peak MiB kequn tree (driver) | peak MiB cluster JVMs | peak MiB both |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        cluster = f"{r.cluster_mib:,.0f}" if r.mode == "cluster" else "-"
        lines.append(
            f"| {r.mode} | {r.seconds:.1f} | {r.driver_mib:,.0f} | {cluster} | {r.total_mib:,.0f} |"
        )
    for r in results[1:]:
        lines += ["", f"{r.mode}: labels vs DuckDB's: {r.labels}", ""]
        for key, value in r.stages.items():
            if isinstance(value, list) and value and isinstance(value[0], str):
                lines.append(f"- {key}:")
                lines += [f"  - {v}" for v in value]
            else:
                shown = f"{value:,.1f}" if isinstance(value, float) else value
                lines.append(f"- {key}: {shown}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument(
        "--modes", nargs="+", default=["local", "cluster"], choices=["local", "cluster"]
    )
    options = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"load before: {os.getloadavg()}")
    for size in options.sizes:
        print(report(size, bench(size, options.modes)), flush=True)
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
