"""kequn.toml's ``[run] as_of`` set to a date before the workspace's data made every
nightly run of the schedule an empty run, the dashboard's newest, where ``kequn run
--as-of`` with that date is refused. The job's run step now fails with the message
naming kequn.toml and the key, the record keeps it, no run is made, and the scheduler's
loop goes on."""

from __future__ import annotations

import datetime as dt

from kequn.automation.schedule import Scheduler, records
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text + "+08:00")


def test_the_nightly_run_fails_saying_why(shop_as_of_1990: Workspace) -> None:
    ws = shop_as_of_1990
    clock = Clock(at("2026-12-01T05:00"))
    scheduler = Scheduler(ws, clock=clock, deliver_seconds=0)
    assert scheduler.tick() == []  # first sight: counting starts now
    clock.now = at("2026-12-01T06:00:01")
    (record,) = scheduler.tick()
    assert record["outcome"] == "failed", record
    assert [s["step"] for s in record["steps"]] == ["run"]
    error = record["error"]
    assert "kequn.toml's [run] as_of = 1990-01-01 is before" in error, error
    assert "2025-03-01" in error, error
    assert list_runs(ws) == []
    (kept,) = records.history(ws, "daily")
    assert kept["error"] == error
    clock.now = at("2026-12-02T06:00:01")  # the loop goes on: the next night fails alike
    (again,) = scheduler.tick()
    assert again["outcome"] == "failed"
