"""Segment events and outbox writing at scale, and delivery throughput to a local webhook.

    python benchmarks/bench_automation.py                      # 1M customers, 5,000 messages
    python benchmarks/bench_automation.py --customers 100000 --messages 2000
    python benchmarks/bench_automation.py --plan-workspace /tmp/ws1m   # keep/reuse the demo

Planning: a demo workspace of that many customers classified twice (a quarter apart, by
the pipeline, in a child process), then `process_run` on the later run with two
journeys (win-back on entering dormant, with consent and a holdout; a rule journey for
every high-value customer): its events, assignments and rendered messages written in
one transaction, as the after-publish hook does.

Events: two synthetic runs' label files (lifecycle and value labels, six tags; about a
fifth of the customers move) compared and written to the automation database, as the
after-publish hook does. Outbox: that many messages written in one transaction. Delivery:
`kequn.automation.deliver` sends a queued outbox to a ThreadingHTTPServer on loopback
that checks each signature. Peak memory is this process's resident set, sampled every
50 ms. Prints a table; copy it into benchmarks/RESULTS.md with the machine's description.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from _peak import Peak

from kequn.automation import db
from kequn.automation.channels import SIGNATURE_HEADER, verify
from kequn.automation.deliver import deliver
from kequn.automation.events import keep_events, stage_events
from kequn.automation.plan import _OUTBOX_COLUMNS, _insert, message_id, process_run
from kequn.snapshots.runs import RunInfo, list_runs
from kequn.store.workspace import Workspace

LIFECYCLE = ["potential", "new", "active", "loyal", "dormant", "churned"]
VALUE = ["high", "medium", "low", "unknown"]
TAGS = ["slipping", "price_sensitive", "social", "habitual", "brand_loyal", "functional_need"]


def labels(n: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    out = {
        "customer_id": pa.array([f"C{i:08d}" for i in range(n)]),
        "lifecycle": pa.array(np.array(LIFECYCLE)[rng.integers(0, len(LIFECYCLE), n)]),
        "value": pa.array(np.array(VALUE)[rng.integers(0, len(VALUE), n)]),
    }
    for tag in TAGS:
        out[f"traits_{tag}"] = pa.array(rng.random(n) < 0.1)
    return pa.table(out)


def fake_run(ws: Workspace, run_id: str, table: pa.Table, as_of: dt.date) -> RunInfo:
    folder = ws.runs_dir / run_id
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / "labels.parquet")
    return RunInfo(run_id, as_of.isoformat(), dt.datetime.now().isoformat(), "duckdb", "bench",
                   path=str(folder), ws=ws)  # fmt: skip


def bench_events(ws: Workspace, n: int) -> dict[str, float]:
    from kequn.taxonomy.model import load_taxonomy

    taxonomy = load_taxonomy(None)
    a = labels(n, 1)
    b = a.to_pandas()
    rng = np.random.default_rng(2)
    moved = rng.random(n) < 0.2
    b.loc[moved, "lifecycle"] = np.array(LIFECYCLE)[rng.integers(0, len(LIFECYCLE), moved.sum())]
    before = fake_run(ws, "r1", a, dt.date(2026, 6, 30))
    after = fake_run(ws, "r2", pa.Table.from_pandas(b, preserve_index=False), dt.date(2026, 9, 30))
    started = time.perf_counter()
    with Peak() as peak, ws.spill_folder() as folder:
        count = stage_events(duckdb.connect(), after, before, taxonomy, folder / "e.parquet")
        with db.connect(ws):
            keep_events(ws, after, folder / "e.parquet")
    return {"seconds": time.perf_counter() - started, "peak_mib": peak.peak / 2**20,
            "events": count}  # fmt: skip


def queue(ws: Workspace, n: int, channel: str, run_id: str) -> None:
    now = db.utcnow()
    rows = []
    for i in range(n):
        cid = f"C{i:08d}"
        mid = message_id("bench", run_id, cid)
        payload = json.dumps({"message_id": mid, "customer_id": cid, "text": "hello"})
        rows.append({"message_id": mid, "journey_id": "bench", "run_id": run_id,
                     "customer_id": cid, "channel": channel, "channel_type": "webhook",
                     "purpose": "service", "lang": "zh", "subject": "s", "body": "b",
                     "payload": payload, "status": "pending", "attempts": 0,
                     "created_at": now, "next_attempt_at": now})  # fmt: skip
    with db.connect(ws) as con, db.transaction(con):
        _insert(con, "outbox", rows, _OUTBOX_COLUMNS)


def bench_outbox(ws: Workspace, n: int) -> dict[str, float]:
    started = time.perf_counter()
    with Peak() as peak:
        queue(ws, n, "bulk", "outbox-run")
    return {"seconds": time.perf_counter() - started, "peak_mib": peak.peak / 2**20}


TEMPLATES = {
    "zh": {"subject": "{{ customer.name }}，好久不见", "body": "{{ customer.name }}：{{ reason }}"},
    "en": {"subject": "Hello {{ customer.name }}", "body": "{{ customer.name }}: {{ reason }}"},
}


def _demo(root: str, n: int) -> None:
    from kequn import pipeline
    from kequn.demo import demo_workspace

    ws = demo_workspace(Path(root), n)
    for as_of in (dt.date(2026, 6, 30), dt.date(2026, 9, 30)):
        pipeline.run(ws, as_of=as_of, with_models=False)


def bench_plan(root: Path, n: int) -> dict[str, float]:
    """process_run on the later of two demo runs (the workspace is made by a child
    process, so this process's peak is planning's alone)."""
    if not (root / "ws" / "kequn.toml").is_file():
        child = multiprocessing.get_context("spawn").Process(target=_demo, args=(str(root), n))
        child.start()
        child.join()
        assert child.exitcode == 0, child.exitcode
    ws = Workspace.open(root / "ws")
    shutil.rmtree(ws.root / db.FOLDER, ignore_errors=True)
    (ws.root / "journeys.yaml").write_text(yaml.safe_dump({
        "channels": {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/hook"}},
        "journeys": [
            {"id": "winback", "zh": "沉睡唤醒", "en": "Win back", "channel": "crm",
             "trigger": {"entered": "lifecycle.dormant"}, "holdout": 0.1, "templates": TEMPLATES},
            {"id": "vip", "zh": "高价值关怀", "en": "VIP care", "channel": "crm",
             "purpose": "service", "trigger": {"rule": "value = 'high'"}, "holdout": 0.1,
             "templates": TEMPLATES},
        ],
    }, allow_unicode=True), encoding="utf-8")  # fmt: skip
    run = max(list_runs(ws), key=lambda r: r.as_of)
    started = time.perf_counter()
    with Peak() as peak:
        summary = process_run(run)
    return {"seconds": time.perf_counter() - started, "peak_mib": peak.peak / 2**20,
            "events": summary["events"], "messages": summary["messages"],
            "assigned": sum(sum(c.values()) for c in summary["journeys"].values())}  # fmt: skip


def bench_delivery(ws: Workspace, n: int) -> dict[str, float]:
    os.environ["KEQUN_BENCH_SECRET"] = "bench"
    seen: set[str] = set()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            ok = verify("bench", body, self.headers.get(SIGNATURE_HEADER, ""))
            seen.add(self.headers["Idempotency-Key"])
            self.send_response(200 if ok else 401)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    (ws.root / "journeys.yaml").write_text(yaml.safe_dump({
        "delivery": {"batch": 200},
        "channels": {"hook": {"type": "webhook", "url": url, "secret_env": "KEQUN_BENCH_SECRET"}},
    }), encoding="utf-8")  # fmt: skip
    queue(ws, n, "hook", "delivery-run")
    started = time.perf_counter()
    totals = deliver(ws)
    seconds = time.perf_counter() - started
    server.shutdown()
    assert totals["sent"] == n, totals
    assert len(seen) == n, len(seen)
    return {"seconds": seconds, "per_second": n / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--plan-workspace", type=Path, help="make (or reuse) the demo here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        plan = bench_plan(args.plan_workspace or root / "plan", args.customers)
        events = bench_events(Workspace.init(root / "events"), args.customers)
        outbox = bench_outbox(Workspace.init(root / "outbox"), args.customers)
        delivery = bench_delivery(Workspace.init(root / "delivery"), args.messages)
    print("| step | size | time | peak memory |")
    print("|---|---|---|---|")
    print(
        f"| segment events (compute + write) | {args.customers:,} customers, "
        f"{events['events']:,} events | {events['seconds']:.1f} s | "
        f"{events['peak_mib']:,.0f} MiB |"
    )
    print(
        f"| outbox write (one transaction) | {args.customers:,} messages | "
        f"{outbox['seconds']:.1f} s | {outbox['peak_mib']:,.0f} MiB |"
    )
    print(
        f"| plan a run (events + journeys + rendered outbox, one transaction) | "
        f"{args.customers:,} customers, {plan['events']:,} events, {plan['assigned']:,} "
        f"assigned, {plan['messages']:,} messages | {plan['seconds']:.1f} s | "
        f"{plan['peak_mib']:,.0f} MiB |"
    )
    print(f"| delivery to a local webhook | {args.messages:,} messages | "
          f"{delivery['seconds']:.1f} s ({delivery['per_second']:,.0f}/s) | |")  # fmt: skip


if __name__ == "__main__":
    main()
