"""Team digests at scale: counting a run's movements per team and queueing the messages.

    flock /work/staging/bench.lock python benchmarks/bench_digest.py              # 1M customers
    python benchmarks/bench_digest.py --customers 100000

Two synthetic runs' label files (bench_automation's: lifecycle, value, six tags; about a
fifth of the customers change lifecycle and a tenth toggle ``slipping``), their events
computed and stored as the after-publish hook does (not timed here: bench_automation
measures that), then :func:`kequn.automation.digest.build_digests` for three teams with
movements crossed with value labels (timed: reading the stored events, the new run's
label columns for the moved customers, counting, rendering, writing the outbox). Peak
memory is this process's resident set, sampled every 50 ms. Prints a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import yaml
from bench_automation import LIFECYCLE, Peak, fake_run, labels

from kequn.automation import db
from kequn.automation.digest import build_digests, show_digests
from kequn.automation.events import keep_events, stage_events
from kequn.snapshots.runs import TAXONOMY_FILE
from kequn.store.workspace import Workspace
from kequn.taxonomy.model import load_taxonomy

TEAMS = {
    "sales": [
        {"entered": "lifecycle.dormant", "among": "value.high"},
        {"left": "lifecycle.active", "among": "value.high"},
        {"entered": "traits.slipping", "among": ["value.medium"]},
    ],
    "service": [{"entered": "lifecycle.churned"}, {"entered": "lifecycle.new"}],
    "marketing": [{"entered": "lifecycle.dormant"}, {"left": "traits.slipping"}],
}


def prepare(ws: Workspace, n: int) -> object:
    taxonomy_text = resources.files("kequn.taxonomy").joinpath("default.yaml").read_text("utf-8")
    a = labels(n, 1)
    b = a.to_pandas()
    rng = np.random.default_rng(2)
    moved = rng.random(n) < 0.2
    b.loc[moved, "lifecycle"] = np.array(LIFECYCLE)[rng.integers(0, len(LIFECYCLE), moved.sum())]
    flip = rng.random(n) < 0.1
    b.loc[flip, "traits_slipping"] = ~b.loc[flip, "traits_slipping"]
    b["spend"] = rng.gamma(2.0, 500.0, n)
    before = fake_run(ws, "r1", a, dt.date(2026, 6, 30))
    after = fake_run(ws, "r2", pa.Table.from_pandas(b, preserve_index=False), dt.date(2026, 9, 30))
    for run in (before, after):
        (Path(run.path) / TAXONOMY_FILE).write_text(taxonomy_text, encoding="utf-8")
    taxonomy = load_taxonomy(None)
    with ws.spill_folder() as folder:
        count = stage_events(duckdb.connect(), after, before, taxonomy, folder / "e.parquet")
        with db.connect(ws) as con, db.transaction(con):
            keep_events(ws, after, folder / "e.parquet")
            con.execute(
                "INSERT INTO processed_runs VALUES "
                "('r2', 'r1', DATE '2026-09-30', now(), ?, 0, NULL)",
                [count],
            )
    channels = {"group": {"type": "wecom", "token_env": "KEQUN_BENCH_WECOM_KEY"}}
    teams = {t: {"channel": "group", "movements": m} for t, m in TEAMS.items()}
    (ws.root / "journeys.yaml").write_text(
        yaml.safe_dump({"channels": channels, "digests": {"base_url": "http://x", "teams": teams}}),
        encoding="utf-8",
    )
    return after, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.init(Path(tmp) / "ws")
        run, events = prepare(ws, args.customers)
        started = time.perf_counter()
        with Peak() as peak:
            summary = build_digests(run)
        seconds = time.perf_counter() - started
        assert summary["error"] is None, summary
        shown = show_digests(ws, "r2", "en")
    moved = sum(sum(team["movements"].values()) for team in summary["teams"].values())
    print("| step | size | time | peak memory |")
    print("|---|---|---|---|")
    print(
        f"| team digests (3 teams, 7 movements) | {args.customers:,} customers, {events:,} "
        f"events, {moved:,} counted | {seconds:.1f} s | {peak.peak / 2**20:,.0f} MiB |"
    )
    print()
    print(shown[0]["text"])


if __name__ == "__main__":
    main()
