"""The daily refresh two ways: a nightly command, and inside a running `kequn serve`.

    python benchmarks/bench_server_night.py                    # 1M customers, 2 turns
    python benchmarks/bench_server_night.py --size 100000 --turns 3

``bench_compare.py``'s "daily refresh" row runs `kequn import orders DAY --run` as a new
process, then reads the dashboard's pages from another new one. A shop that keeps `kequn
serve` running (its dashboard, and the ``[schedule]`` that syncs and runs each night in
the same process) pays neither process's start-up: the server has its modules, numba's
compiled loops and the run's SQL loaded from the night before. This script measures both
on copies of the same workspace, taking turns:

    command  `kequn import orders DAY --run`, then the overview, a segment's first page
             and the customer page of a buyer in the day's orders, read in a new process
             (bench_compare's row)
    server   with `kequn serve` started on the copy beforehand (untimed, its lookup files
             of the night before built): the day's file uploaded to ``POST
             /api/imports/orders?wait=true``, ``POST /api/runs?wait=true``, then
             ``/api/segments``, a segment's first page and ``/api/customers/ID``, which
             must show the day's order

The workspace and the day's orders are bench_compare's (cached under
``benchmarks/.cache/demo-N``: generated and imported on first use, minutes at 1M): its
copy is refreshed one night first (untimed), so the night measured finds a feature state
with a delta, as every later night does. The floor (one DuckDB query, bench_compare's)
runs before each turn; "x floor" is over the turn's floor. Wall seconds; peak RSS of the
process tree (command) or of the server process during the night (server).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_compare as bc  # the sibling script, on the path just above


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _settled(ws: Path, process: psutil.Process) -> bool:
    """Whether the newest run's lookup files and its columnar copy are built (the server
    builds them after a run, in the background; a night later they long have been) and
    the server is idle (under 5 % of a core over a second)."""
    from kequn.snapshots import lookup
    from kequn.snapshots.lookup_files import columns_path
    from kequn.snapshots.runs import list_runs
    from kequn.store.workspace import Workspace

    runs = list_runs(Workspace.open(ws))
    if not runs or not lookup.is_ready(runs[0]) or not columns_path(runs[0]).exists():
        return False
    before = sum(process.cpu_times()[:2])
    time.sleep(1.0)
    return sum(process.cpu_times()[:2]) - before < 0.05


@contextmanager
def _server(ws: Path) -> Iterator[tuple[httpx.Client, psutil.Process]]:
    """`kequn serve` on ``ws`` as an administrator's client, ready and settled."""
    made = subprocess.run(
        [*bc.KEQUN, "user", "add", "bench", "--role", "admin", "-w", str(ws), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    token = json.loads(made.stdout)["token"]
    port = _free_port()
    proc = subprocess.Popen(
        [*bc.KEQUN, "serve", "-w", str(ws), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = httpx.Client(
        base_url=f"http://127.0.0.1:{port}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=900,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                client.get("/api/health").raise_for_status()
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("kequn serve did not start") from None
                time.sleep(0.1)
        # a server that has been up: it has served pages, and the run before is settled
        client.get("/api/segments").raise_for_status()
        deadline = time.monotonic() + 900
        server = psutil.Process(proc.pid)
        while not _settled(ws, server) and time.monotonic() < deadline:
            time.sleep(0.5)
        yield client, server
    finally:
        client.close()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


def _peak(process: psutil.Process, stop: threading.Event, peak: list[int]) -> None:
    while not stop.is_set():
        try:
            peak[0] = max(peak[0], process.memory_info().rss)
        except psutil.Error:
            return
        stop.wait(0.05)


def server_night(ws: Path, day: Path) -> tuple[float, float, dict[str, float]]:
    """Wall seconds, the server's peak MiB and the parts of the night (see the module)."""
    first = pq.read_table(day, columns=["customer_id", "order_id"]).slice(0, 1).to_pylist()[0]
    with _server(ws) as (client, process):
        stop, peak = threading.Event(), [process.memory_info().rss]
        sampler = threading.Thread(target=_peak, args=(process, stop, peak), daemon=True)
        sampler.start()
        started = time.perf_counter()
        with day.open("rb") as fh:
            files = {"file": (day.name, fh, "application/octet-stream")}
            answer = client.post("/api/imports/orders", params={"wait": "true"}, files=files)
        imported = time.perf_counter()
        _done(answer, "import")
        _done(client.post("/api/runs", params={"wait": "true"}, json={}), "run")
        ran = time.perf_counter()
        client.get("/api/segments").raise_for_status()
        counts = client.get("/api/segments", params={"dimension": "lifecycle"}).json()
        shown = counts["dimensions"][0]["labels"]
        label = max(shown, key=lambda c: c["count"])["label"]
        page = client.get(f"/api/segments/lifecycle/{label}/members").json()
        customer = client.get(f"/api/customers/{first['customer_id']}").json()
        done = time.perf_counter()
        stop.set()
        sampler.join()
    orders = [o["order_id"] for o in customer.get("orders", [])]
    if first["order_id"] not in orders or not page.get("rows"):
        raise RuntimeError("the dashboard does not show the new run")
    parts = {"import": imported - started, "run": ran - imported, "pages": done - ran}
    return done - started, peak[0] / 2**20, parts


def _done(answer: httpx.Response, what: str) -> None:
    job = answer.json()
    if answer.status_code >= 400 or job.get("state") != "done":
        raise RuntimeError(f"{what}: {answer.status_code} {json.dumps(job)[:2000]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--turns", type=int, default=2)
    args = parser.parse_args()
    orders, ws, n_orders = bc.prepare(args.size)
    out = bc.CACHE / f"demo-{args.size}" / "out"
    out.mkdir(exist_ok=True)
    if not any((ws / "runs").glob("*/meta.json")):
        bc.log("a first run of the workspace (untimed)")
        bc.measure([*bc.KEQUN, "run", "--workspace", str(ws)])
    bc.log("a copy of the workspace, refreshed one night (untimed)")
    command = bc.daily_refresh(ws, out, nights_before=1)
    day = out / "daily-orders-2.parquet"
    floor = [sys.executable, "-c", bc.FLOOR, str(orders), str(out / "floor.parquet")]
    rows = []
    for turn in range(1, args.turns + 1):
        floor_s, _ = bc.measure(floor)
        for mode in ("command", "server"):
            copy = out / f"night-{mode}"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(out / "daily-ws", copy)
            bc.log(f"turn {turn}: {mode}")
            if mode == "command":
                script = command[-1].replace(str(out / "daily-ws"), str(copy))
                seconds, peak = bc.measure(["sh", "-c", script])
                parts = ""
            else:
                seconds, peak, split = server_night(copy, day)
                parts = ", ".join(f"{k} {v:.2f}" for k, v in split.items())
            rows.append((turn, mode, seconds, peak, seconds / floor_s, floor_s, parts))
            shutil.rmtree(copy, ignore_errors=True)
    print(
        f"\n{bc.machine()}; {args.size:,} customers, {n_orders:,} orders; "
        f"{os.getloadavg()[0]:.1f} load at the end\n"
    )
    print("| turn | night | wall s | peak MiB | x floor (floor s) | parts s |")
    print("|---:|---|---:|---:|---:|---|")
    for turn, mode, seconds, peak, ratio, floor_s, parts in rows:
        print(
            f"| {turn} | {mode} | {seconds:.1f} | {peak:,.0f} | {ratio:.1f} ({floor_s:.1f}) "
            f"| {parts} |"
        )


if __name__ == "__main__":
    main()
