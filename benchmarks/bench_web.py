"""Latency and throughput of the dashboard's customer and segment pages under load.

    python benchmarks/bench_web.py --workspace WS            # 20 and 200 clients, 30 s each
    python benchmarks/bench_web.py --workspace WS --clients 20 --seconds 10

WS must hold at least one run (e.g. a workspace from ``kequn demo --customers 1000000``;
``benchmarks/bench_compare.py`` caches one under ``benchmarks/.cache/demo-1000000/ws``).
The server runs as its own process (``kequn serve`` on 127.0.0.1); the load comes from a
second process: N concurrent clients (asyncio, one kept-alive connection each), each
requesting, back to back
with no think time, a random customer page (``/customers/{id}``) or a random page of a
random segment (``/segments/{dimension}/{label}?page=k``), signed in as an analyst.
Prints one row per client count: requests, errors, throughput and latency percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
KEQUN = [sys.executable, "-m", "kequn.cli"]


def _targets(ws: Path, base: str, token: str, sample: int = 2000) -> dict[str, Any]:
    """Customer ids and segment pages to request, drawn from the newest run."""
    import duckdb

    from kequn.core.compute import parquet_glob
    from kequn.snapshots.runs import get_run
    from kequn.store.workspace import Workspace

    run = get_run(Workspace.open(ws))
    if run is None:
        raise SystemExit(f"{ws} has no run; run `kequn run -w {ws}` first")
    ids = [
        row[0]
        for row in duckdb.execute(
            f"SELECT customer_id FROM read_parquet(?) USING SAMPLE reservoir({int(sample)} ROWS) "
            "REPEATABLE (7)",
            [parquet_glob(run.labels_path)],
        ).fetchall()
    ]
    counts = httpx.get(
        f"{base}/api/segments", headers={"Authorization": f"Bearer {token}"}, timeout=600
    ).json()
    pages = []
    for dim in counts["dimensions"]:
        for lab in dim["labels"]:
            if lab["count"] and dim["type"] == "exclusive":
                # pages 0-19, the first 20 (2026-11-30 and before: 0-20, see RESULTS.md)
                last = min(19, max(0, (lab["count"] - 1) // 50))
                pages.append((dim["dimension"], lab["label"], last))
    return {"ids": ids, "pages": pages, "customers": run.customers}


async def _get(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str, token: str
) -> int:
    """One HTTP/1.1 GET on a kept-alive connection; the status code (body read and dropped).

    A minimal client on purpose: httpx spent more CPU than the server at 200 clients,
    and on a two-core machine the load generator's cost shows up as server latency.
    """
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: kequn_token={token}\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
        elif name.lower() == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status


async def _load(base: str, token: str, targets: dict[str, Any], clients: int, seconds: float):
    latencies: list[float] = []
    errors: dict[str, int] = {}
    stop = time.perf_counter() + seconds
    host, port = base.removeprefix("http://").split(":")

    async def one(seed: int) -> None:
        rng = random.Random(seed)
        reader, writer = await asyncio.open_connection(host, int(port))
        while time.perf_counter() < stop:
            if rng.random() < 0.5:
                path = f"/customers/{rng.choice(targets['ids'])}"
            else:
                dim, label, last = rng.choice(targets["pages"])
                path = f"/segments/{dim}/{label}?page={rng.randint(0, last)}"
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(
                    _get(reader, writer, f"{host}:{port}", path, token), 60
                )
            except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, int(port))
                continue
            if status != 200:
                errors[f"HTTP {status}"] = errors.get(f"HTTP {status}", 0) + 1
                continue
            latencies.append(time.perf_counter() - started)
        writer.close()

    await asyncio.gather(*(one(i) for i in range(clients)))
    return latencies, errors


def worker(options: argparse.Namespace) -> None:
    """The load-generating process: prints one JSON line with the measurements."""
    targets = json.loads(Path(options.targets).read_text(encoding="utf-8"))
    clients = options.clients[0]
    started = time.perf_counter()
    latencies, errors = asyncio.run(
        _load(options.base, os.environ["KEQUN_BENCH_TOKEN"], targets, clients, options.seconds)
    )
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def q(p: float) -> float:
        return 1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0

    print(
        json.dumps(
            {
                "clients": clients,
                "requests": len(latencies) + sum(errors.values()),
                "ok": len(latencies),
                "errors": errors,
                "throughput": len(latencies) / elapsed,
                "p50": q(0.50),
                "p95": q(0.95),
                "p99": q(0.99),
                "max": 1000 * ordered[-1] if ordered else 0.0,
            }
        )
    )


def _build_lookup(ws: Path) -> tuple[float | None, int]:
    """Build the newest run's lookup files here, timed, before the server starts (None:
    built before), and their size: a server finding them missing builds them in the
    background, showing the previous run meanwhile, which would run alongside the load."""
    from kequn.snapshots import lookup
    from kequn.snapshots.runs import get_run
    from kequn.store.workspace import Workspace

    newest = get_run(Workspace.open(ws))
    if newest is None:
        raise SystemExit(f"{ws} has no run; run `kequn run -w {ws}` first")
    started = time.perf_counter()
    built = not lookup.is_ready(newest)
    lookup.build_index(newest)
    seconds = time.perf_counter() - started
    files = (lookup.index_path(newest), lookup.points_path(newest))
    return (seconds if built else None), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workspace", type=Path, default=HERE / ".cache/demo-1000000/ws")
    parser.add_argument("--clients", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="kequn serve --workers")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--targets", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        worker(options)
        return

    ws = options.workspace.resolve()
    lookup = _build_lookup(ws)
    made = subprocess.run(
        [*KEQUN, "user", "add", "bench", "--role", "analyst", "--json", "--workspace", str(ws)],
        capture_output=True,
        text=True,
        check=True,
    )
    token = json.loads(made.stdout)["token"]
    base = f"http://127.0.0.1:{options.port}"
    with contextlib.suppress(httpx.HTTPError):
        httpx.get(f"{base}/api/health", timeout=1)
        # with SO_REUSEPORT a second server would share the port, so refuse instead
        raise SystemExit(f"something already listens on port {options.port}")
    server = subprocess.Popen(
        [
            *KEQUN,
            "serve",
            "--workspace",
            str(ws),
            "--port",
            str(options.port),
            "--workers",
            str(options.workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so its workers stop with it
    )
    rows = []
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        targets = _targets(ws, base, token)
        target_file = Path(ws) / ".tmp" / "bench-web-targets.json"
        target_file.write_text(json.dumps(targets), encoding="utf-8")
        for clients in options.clients:
            # the token goes by environment, not on a command line others can read
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--worker",
                    "--base",
                    base,
                    "--targets",
                    str(target_file),
                    "--clients",
                    str(clients),
                    "--seconds",
                    str(options.seconds),
                ],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "KEQUN_BENCH_TOKEN": token},
            )
            if out.returncode != 0:
                raise SystemExit(f"load generator failed:\n{out.stderr[-3000:]}")
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    _print(ws, options, targets, lookup, rows)


def _print(
    ws: Path,
    options: argparse.Namespace,
    targets: dict[str, Any],
    lookup: tuple[float | None, int],
    rows: list,
) -> None:
    built = "built before" if lookup[0] is None else f"built in {lookup[0]:.1f} s"
    print(
        f"workspace: {ws} ({targets['customers']:,} customers); server workers: "
        f"{options.workers}; the run's lookup files: {lookup[1] / 2**20:,.0f} MiB, {built}"
    )
    print("| clients | seconds | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        errors = sum(r["errors"].values())
        print(
            f"| {r['clients']} | {options.seconds:.0f} | {r['requests']:,} | {errors:,} | "
            f"{r['throughput']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
            f"{r['max']:.1f} |"
        )
        if r["errors"]:
            print(f"  errors at {r['clients']} clients: {r['errors']}")


if __name__ == "__main__":
    main()
