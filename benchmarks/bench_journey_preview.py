"""The dashboard's journey audience preview at scale (``POST /api/journeys/{id}/preview``).

    flock /work/staging/bench.lock python benchmarks/bench_journey_preview.py
    python benchmarks/bench_journey_preview.py --customers 20000 --repeat 5
    python benchmarks/bench_journey_preview.py --workspace /tmp/preview100k   # keep/reuse

A demo workspace of that many customers classified twice (a quarter apart, without the
models), then :func:`kequn.web.journeys_view.preview` on the later run for three
journeys: a rule trigger with an audience rule (marketing e-mail, consent, holdout), an
``entered lifecycle.dormant`` trigger (the run's events computed against the previous
run) and a service webhook for every buyer (everyone reachable: the largest audience);
then the entered trigger again once the run has been processed, as the server's
after-publish hook does, so its stored events are read instead of computed. The route
does the same plus parsing the text. Peak memory is this process's resident
set, sampled every 50 ms. Prints a table; copy it into benchmarks/RESULTS.md with the
machine's description and its load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import yaml
from _peak import Peak

from kequn import pipeline
from kequn.automation.journeys import Journeys, parse_journeys
from kequn.automation.plan import process_run
from kequn.demo import demo_workspace
from kequn.snapshots.runs import RunInfo, list_runs
from kequn.store.workspace import Workspace
from kequn.web.journeys_view import preview

EARLY, LATE = dt.date(2026, 6, 30), dt.date(2026, 9, 30)
TEMPLATES = {"en": {"subject": "Hello {{ customer.name }}", "body": "Hello"}}
JOURNEYS = {
    "channels": {
        "mail": {"type": "email", "host": "127.0.0.1", "sender": "crm@example.com"},
        "crm": {"type": "webhook", "url": "http://127.0.0.1:9/hook"},
    },
    "journeys": [
        {"id": "rule", "trigger": {"rule": "orders >= 1"}, "audience": "spend >= 300",
         "channel": "mail", "templates": TEMPLATES, "holdout": 0.1},
        {"id": "dormant", "trigger": {"entered": "lifecycle.dormant"}, "channel": "mail",
         "templates": TEMPLATES, "holdout": 0.1},
        {"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
         "purpose": "service", "templates": TEMPLATES},
    ],
}  # fmt: skip


def workspace(root: Path, customers: int) -> Workspace:
    if (root / "ws" / "kequn.toml").is_file() and len(list_runs(Workspace.open(root / "ws"))) >= 2:
        return Workspace.open(root / "ws")
    started = time.perf_counter()
    ws = demo_workspace(root, customers)
    pipeline.run(ws, as_of=EARLY, with_models=False)
    pipeline.run(ws, as_of=LATE, with_models=False)
    print(f"workspace of {customers:,} customers made in {time.perf_counter() - started:.0f} s")
    return ws


def timed(
    ws: Workspace, run: RunInfo, journeys: Journeys, journey_id: str, repeat: int, note: str = ""
) -> tuple[str, int, int, int, float, float, float]:
    journey = journeys.journey(journey_id)
    assert journey is not None
    times = []
    with Peak() as peak:
        for _ in range(repeat):
            started = time.perf_counter()
            found = preview(ws, run, journeys, journey)
            times.append(time.perf_counter() - started)
    return (journey_id + note, found["audience"], found["treated"], found["holdout"],
            statistics.median(times), max(times), peak.peak / 2**20)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workspace", type=Path, default=None, help="kept for the next time")
    args = parser.parse_args()
    root = args.workspace or Path(tempfile.mkdtemp(prefix="bench-preview-"))
    root.mkdir(parents=True, exist_ok=True)
    ws = workspace(root, args.customers)
    run = max(list_runs(ws), key=lambda r: r.as_of)
    journeys = parse_journeys(yaml.safe_dump(JOURNEYS), run.taxonomy())
    rows = []
    for journey in journeys.journeys:
        rows.append(timed(ws, run, journeys, journey.id, args.repeat))
    # what a server sees: the after-publish hook has stored the run's events (no
    # journeys.yaml in this workspace, so only the events are written)
    process_run(run)
    rows.append(timed(ws, run, journeys, "dormant", args.repeat, " (events stored)"))
    print(
        f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}; {args.customers:,} customers, run {run.run_id}, "
        f"median of {args.repeat}\n"
    )
    print("| journey | audience | treated | holdout | median s | max s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for jid, audience, treated, holdout, median, worst, peak_mb in rows:
        print(
            f"| {jid} | {audience:,} | {treated:,} | {holdout:,} | {median:.2f} | {worst:.2f} "
            f"| {peak_mb:,.0f} |"
        )


if __name__ == "__main__":
    main()
