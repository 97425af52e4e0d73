"""The schedule ([schedule] in kequn.toml) on a real demo workspace: parsing and its
messages, a job running run → deliver into a real webhook receiver when its time comes
(an injected clock, no sleeps), catch-up after downtime, the cross-thread and
cross-process lock, a busy workspace, failures with masked secrets, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import tomllib
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from automation_helpers import FAST, TEMPLATES, Receiver, webhook_channel, write_journeys
from typer.testing import CliRunner

from kequn.automation import db
from kequn.automation.schedule import (
    ScheduleError,
    Scheduler,
    find_job,
    parse_schedule,
    records,
    run_job,
    schedule_status,
)
from kequn.cli import app
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace, exclusive

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    """A moment in the workspace's zone (Asia/Shanghai)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def set_schedule(ws: Workspace, schedule: dict[str, Any], **sections: Any) -> Workspace:
    path = ws.root / "kequn.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["schedule"] = schedule
    data.update(sections)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return Workspace.open(ws.root)


def executions(ws: Workspace, job: str) -> list[dict[str, Any]]:
    return [r for r in records.history(ws, job, limit=1000) if r["outcome"] != "skipped"]


def journeys_to(ws: Workspace, receiver: Receiver) -> None:
    write_journeys(
        ws,
        {"delivery": FAST, "channels": {"crm": webhook_channel(receiver)},
         "journeys": [{"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
                       "templates": TEMPLATES, "frequency_cap": None}]},
    )  # fmt: skip


# -- parsing ------------------------------------------------------------------------------
GOOD = [
    {"description": "daily at a time", "section": {"daily": {"at": "6:00", "steps": ["sync", "run", "deliver"]}},
     "expected": {"at": "06:00", "days": [], "cron": None, "steps": ["sync", "run", "deliver"]}},
    {"description": "weekdays", "section": {"noon": {"at": "12:30", "days": ["Mon", "fri"], "steps": ["deliver"]}},
     "expected": {"at": "12:30", "days": ["mon", "fri"], "cron": None, "steps": ["deliver"]}},
    {"description": "cron", "section": {"month_end": {"cron": "0  5 last * *", "steps": ["run"]}},
     "expected": {"at": None, "days": [], "cron": "0 5 last * *", "steps": ["run"]}},
]  # fmt: skip


@pytest.mark.parametrize("case", GOOD, ids=[c["description"] for c in GOOD])
def test_schedule_parses(case: dict[str, Any]) -> None:
    (job,) = parse_schedule(case["section"], "Asia/Shanghai").values()
    assert {k: job.to_dict()[k] for k in case["expected"]} == case["expected"]


BAD = [
    {"description": "not a table", "section": {"daily": "06:00"}, "key": "[schedule] daily"},
    {"description": "bad name", "section": {"Daily-1": {"at": "06:00", "steps": ["run"]}}, "key": "[schedule] Daily-1"},
    {"description": "unknown key", "section": {"daily": {"at": "06:00", "steps": ["run"], "every": 5}}, "key": "every"},
    {"description": "no time", "section": {"daily": {"steps": ["run"]}}, "key": "[schedule] daily"},
    {"description": "both at and cron", "section": {"daily": {"at": "06:00", "cron": "0 6 * * *", "steps": ["run"]}}, "key": "[schedule] daily"},
    {"description": "bad time", "section": {"daily": {"at": "25:00", "steps": ["run"]}}, "key": "[schedule] daily.at"},
    {"description": "bad weekday", "section": {"daily": {"at": "06:00", "days": ["someday"], "steps": ["run"]}}, "key": "[schedule] daily.days"},
    {"description": "bad cron value", "section": {"weekly": {"cron": "61 6 * * *", "steps": ["run"]}}, "key": "[schedule] weekly.cron"},
    {"description": "cron with four fields", "section": {"weekly": {"cron": "0 6 * *", "steps": ["run"]}}, "key": "[schedule] weekly.cron"},
    {"description": "unknown step", "section": {"daily": {"at": "06:00", "steps": ["run", "email"]}}, "key": "[schedule] daily.steps"},
    {"description": "no steps", "section": {"daily": {"at": "06:00", "steps": []}}, "key": "[schedule] daily.steps"},
    {"description": "a step twice", "section": {"daily": {"at": "06:00", "steps": ["run", "run"]}}, "key": "[schedule] daily.steps"},
    {"description": "sync without sources", "section": {"daily": {"at": "06:00", "steps": ["sync"]}}, "key": "[schedule] daily.steps"},
]  # fmt: skip


@pytest.mark.parametrize("case", BAD, ids=[c["description"] for c in BAD])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_schedule_mistakes_name_the_file_and_key(case: dict[str, Any], lang: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(case["section"], "Asia/Shanghai", have_sources=False, lang=lang)
    message = str(caught.value)
    assert "kequn.toml" in message
    assert case["key"] in message
    assert ("：" in message) == (lang == "zh")


def test_unknown_time_zone_names_the_setting() -> None:
    with pytest.raises(ScheduleError, match=r"kequn\.toml.*\[business\] timezone.*Mars/Base"):
        parse_schedule({"d": {"at": "06:00", "steps": ["run"]}}, "Mars/Base", lang="en")


def test_a_job_named_like_a_setting_does_not_change_the_setting(aws: Workspace) -> None:
    ws = set_schedule(aws, {"engine": {"at": "06:00", "steps": ["run"]}})
    assert ws.settings.engine == "duckdb"
    assert set(find_job(ws, "engine").steps) == {"run"}
    with pytest.raises(ScheduleError, match="nightly"):
        find_job(ws, "nightly", "en")


def test_next_times_follow_the_workspace_time_zone() -> None:
    (job,) = parse_schedule({"d": {"at": "06:00", "steps": ["run"]}}, "Asia/Shanghai").values()
    fire = job.next_after(dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC))  # 08:00 in Shanghai
    assert fire == at("2026-12-02T06:00")
    assert fire.astimezone(dt.UTC).hour == 22
    assert job.next_after(at("2026-12-02T06:00")) == at("2026-12-03T06:00")  # strictly after
    (weekly,) = parse_schedule(
        {"w": {"cron": "30 5 * * mon", "steps": ["run"]}}, "Europe/Berlin"
    ).values()
    # 2026-03-29 is the Sunday Berlin moves to summer time: the Monday after is UTC+2
    monday = weekly.next_after(dt.datetime(2026, 3, 28, tzinfo=dt.UTC))
    assert monday is not None
    assert monday.isoformat() == "2026-03-30T05:30:00+02:00"


# -- running jobs -------------------------------------------------------------------------
@pytest.mark.slow
def test_a_due_job_runs_then_delivers_once_per_tick(aws: Workspace) -> None:
    receiver = Receiver().start()
    try:
        journeys_to(aws, receiver)
        ws = set_schedule(aws, {"daily": {"at": "06:00", "steps": ["run", "deliver"]}})
        runs_before = {r.run_id for r in list_runs(ws)}
        clock = Clock(at("2026-12-01T05:00"))
        scheduler = Scheduler(ws, clock=clock, deliver_seconds=0)
        assert scheduler.tick() == []  # first sight: counting starts now, nothing runs
        assert schedule_status(ws, now=clock())["jobs"][0]["next"] == "2026-12-01T06:00:00+08:00"
        clock.now = at("2026-12-01T05:59:59")
        assert scheduler.tick() == []
        assert 0.5 <= scheduler.next_wake() <= 1.0

        clock.now = at("2026-12-01T06:00:01")
        (record,) = scheduler.tick()
        assert record["outcome"] == "ok", record
        assert record["trigger"] == "schedule"
        assert record["scheduled"] == "2026-12-01T06:00:00+08:00"
        assert [s["step"] for s in record["steps"]] == ["run", "deliver"]
        new_runs = {r.run_id for r in list_runs(ws)} - runs_before
        assert len(new_runs) == 1
        assert record["steps"][0]["detail"].startswith(new_runs.pop())
        with db.connect(ws) as con:
            statuses = dict(
                con.execute("SELECT status, count(*) FROM outbox GROUP BY 1").fetchall()
            )
        assert statuses.get("sent", 0) > 10
        assert set(statuses) == {"sent"}
        assert len(receiver.applied) == statuses["sent"]
        assert f"sent {statuses['sent']}" in record["steps"][1]["detail"]

        clock.now = at("2026-12-01T06:30")
        assert scheduler.tick() == []  # 06:00 is served
        status = schedule_status(ws, now=clock(), lang="en")["jobs"][0]
        assert status["next"] == "2026-12-02T06:00:00+08:00"
        assert status["last"]["outcome"] == "ok"
        assert status["when"] == "daily at 06:00"
        assert len(executions(ws, "daily")) == 1
    finally:
        receiver.stop()


def test_missed_times_are_served_by_one_catch_up_run(aws: Workspace) -> None:
    ws = set_schedule(aws, {"daily": {"at": "06:00", "steps": ["deliver"]}})
    records.write_state(ws, "daily", {"served_until": "2026-11-27T07:00:00+08:00"})
    clock = Clock(at("2026-12-01T09:15"))  # four 06:00s missed while no server was up
    scheduler = Scheduler(ws, clock=clock, deliver_seconds=0)
    assert schedule_status(ws, now=clock())["jobs"][0]["overdue"] is True
    (record,) = scheduler.tick()
    assert record["outcome"] == "ok"
    assert record["trigger"] == "catch_up"
    assert record["scheduled"] == "2026-11-28T06:00:00+08:00"
    assert scheduler.tick() == []
    assert len(executions(ws, "daily")) == 1
    status = schedule_status(ws, now=clock())["jobs"][0]
    assert status["overdue"] is False
    assert status["next"] == "2026-12-02T06:00:00+08:00"


def test_two_threads_racing_for_a_due_job_run_it_once(aws: Workspace) -> None:
    ws = set_schedule(aws, {"daily": {"at": "06:00", "steps": ["run"]}})
    records.write_state(ws, "daily", {"served_until": "2026-12-01T05:00:00+08:00"})
    clock = Clock(at("2026-12-01T06:00:00"))
    job = find_job(ws, "daily")
    start = threading.Barrier(4)
    results: list[dict[str, Any] | None] = []

    def race() -> None:
        start.wait()
        results.append(run_job(ws, job, trigger="schedule", only_if_due=True, clock=clock))

    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(results) == 4
    ran = [r for r in results if r is not None and r["outcome"] == "ok"]
    assert len(ran) == 1
    # the others found the lock held (a recorded skip) or, later, the tick served (nothing)
    assert all(r is None or r["outcome"] == "skipped" for r in results if r not in ran)
    assert len(executions(ws, "daily")) == 1
    assert all(
        r["reason"] == "held" for r in records.history(ws, "daily") if r["outcome"] == "skipped"
    )


_HOLD = """
import sys
from kequn.automation.schedule import records
from kequn.store.workspace import Workspace
with records.job_lock(Workspace.open(sys.argv[1]), "daily") as held:
    print("held" if held else "not held", flush=True)
    sys.stdin.readline()
"""


def test_a_job_held_by_another_process_is_skipped_with_the_reason(aws: Workspace) -> None:
    ws = set_schedule(aws, {"daily": {"at": "06:00", "steps": ["deliver"]}})
    records.write_state(ws, "daily", {"served_until": "2026-12-01T05:00:00+08:00"})
    clock = Clock(at("2026-12-01T06:00:05"))
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(ws.root)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        scheduler = Scheduler(ws, clock=clock, deliver_seconds=0)
        (skipped,) = scheduler.tick()
        assert skipped["outcome"] == "skipped"
        assert skipped["reason"] == "held"
        assert "another process" in skipped["error"] or "另一个进程" in skipped["error"]
        assert schedule_status(ws, now=clock())["jobs"][0]["last_skip"]["reason"] == "held"
        assert scheduler.next_wake() <= 60.0
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=60)
    clock.now = at("2026-12-01T06:01:05")
    (record,) = scheduler.tick()  # the retry a minute later: the tick was never served
    assert record["outcome"] == "ok"
    assert len(executions(ws, "daily")) == 1


def test_a_busy_workspace_skips_the_job_until_the_writer_is_done(aws: Workspace) -> None:
    ws = set_schedule(aws, {"daily": {"at": "06:00", "steps": ["deliver"]}})
    records.write_state(ws, "daily", {"served_until": "2026-12-01T05:00:00+08:00"})
    clock = Clock(at("2026-12-01T06:00:05"))
    scheduler = Scheduler(ws, clock=clock, deliver_seconds=0)
    with exclusive(ws.root / "locks" / "write.lock", 5):  # what an import or a run holds
        (skipped,) = scheduler.tick()
    assert skipped["outcome"] == "skipped"
    assert skipped["reason"] == "busy"
    assert "locks/write.lock" in skipped["error"]
    assert records.read_state(ws, "daily")["served_until"] == "2026-12-01T05:00:00+08:00"
    (record,) = scheduler.tick()
    assert record["outcome"] == "ok"


def test_a_failing_step_stops_the_job_and_its_error_keeps_no_password(
    aws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEQUN_TEST_SCHEDULE_URL", "postgresql://shop:pw-Zq81x@127.0.0.1:1/shop")
    ws = set_schedule(
        aws,
        {"daily": {"at": "06:00", "steps": ["sync", "run"]}},
        sources={
            "crm": {"kind": "orders", "table": "orders", "url_env": "KEQUN_TEST_SCHEDULE_URL"}
        },
    )
    runs_before = len(list_runs(ws))
    record = run_job(ws, find_job(ws, "daily"))
    assert record is not None
    assert record["outcome"] == "failed"
    assert [s["step"] for s in record["steps"]] == ["sync"]  # run never started
    assert len(list_runs(ws)) == runs_before
    assert record["error"]
    everything = json.dumps(records.history(ws, limit=1000)) + json.dumps(
        records.read_state(ws, "daily")
    )
    assert "pw-Zq81x" not in everything
    status = schedule_status(ws)["jobs"][0]
    assert status["last"]["outcome"] == "failed"

    monkeypatch.delenv("KEQUN_TEST_SCHEDULE_URL")
    record = run_job(ws, find_job(ws, "daily"))
    assert record is not None
    assert "KEQUN_TEST_SCHEDULE_URL" in record["error"]  # the variable to set is named


def test_a_job_cut_short_is_recorded_interrupted(aws: Workspace) -> None:
    ws = set_schedule(aws, {"daily": {"at": "06:00", "steps": ["deliver"]}})
    records.write_state(
        ws, "daily",
        {"served_until": "2026-12-01T06:00:00+08:00",
         "running": {"started_at": "2026-12-01T06:00:00+08:00", "by": "gone:1", "trigger": "schedule"}},
    )  # fmt: skip
    status = schedule_status(ws, now=at("2026-12-01T07:00"))["jobs"][0]
    assert status["running"] is None
    assert status["last"]["outcome"] == "interrupted"
    record = run_job(ws, find_job(ws, "daily"))
    assert record is not None
    assert record["outcome"] == "ok"
    outcomes = [r["outcome"] for r in records.history(ws, "daily")]
    assert outcomes == ["ok", "interrupted"]


def test_the_delivery_loop_sends_what_is_due(aws: Workspace) -> None:
    from automation_helpers import runs

    from kequn.automation.plan import process_run

    receiver = Receiver().start()
    try:
        journeys_to(aws, receiver)
        queued = process_run(runs(aws)[1])["messages"]
        assert queued > 10
        scheduler = Scheduler(aws, deliver_seconds=30)
        totals = scheduler.deliver_pass()
        assert totals is not None
        assert totals["sent"] == queued
        assert len(receiver.applied) == queued
        assert records.read_delivery(aws)["sent"] == queued
        assert schedule_status(aws)["delivery"]["every_seconds"] == aws.settings.deliver_seconds
    finally:
        receiver.stop()
    (aws.root / "journeys.yaml").unlink()
    assert Scheduler(aws, deliver_seconds=30).deliver_pass() is None  # no journeys, no pass


def test_scheduler_threads_start_and_stop(aws: Workspace) -> None:
    ws = set_schedule(aws, {"daily": {"at": "06:00", "steps": ["deliver"]}})
    scheduler = Scheduler(ws, deliver_seconds=3600).start()
    assert scheduler.running
    deadline = dt.datetime.now() + dt.timedelta(seconds=30)
    while "served_until" not in records.read_state(ws, "daily"):  # its first round
        assert dt.datetime.now() < deadline
        threading.Event().wait(0.02)
    scheduler.stop()
    assert not scheduler.running


# -- the CLI ------------------------------------------------------------------------------
def test_cli_show_and_run(aws: Workspace) -> None:
    ws = set_schedule(aws, {"daily": {"at": "06:00", "steps": ["deliver"]}})
    runner = CliRunner()
    shown = runner.invoke(app, ["--lang", "en", "schedule", "show", "-w", str(ws.root)])
    assert shown.exit_code == 0, shown.output
    assert "daily at 06:00" in shown.output
    assert "not run yet" in shown.output
    ran = runner.invoke(app, ["schedule", "run", "daily", "-w", str(ws.root), "--json"])
    assert ran.exit_code == 0, ran.output
    assert json.loads(ran.output)["outcome"] == "ok"
    shown = runner.invoke(app, ["--lang", "zh", "schedule", "show", "-w", str(ws.root)])
    assert "每天 06:00" in shown.output
    assert "成功" in shown.output
    listed = runner.invoke(app, ["schedule", "show", "-w", str(ws.root), "--json"])
    (job,) = json.loads(listed.output)["jobs"]
    assert job["last"]["trigger"] == "manual"
    unknown = runner.invoke(app, ["schedule", "run", "weekly", "-w", str(ws.root)])
    assert unknown.exit_code != 0
    assert isinstance(unknown.exception, ScheduleError) or "weekly" in unknown.output


def test_cli_reports_a_bad_schedule_in_one_message(aws: Workspace) -> None:
    set_schedule(aws, {"daily": {"at": "6 am", "steps": ["run"]}})
    env = {**os.environ, "KEQUN_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-m", "kequn.cli", "schedule", "show", "-w", str(aws.root)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "kequn.toml" in done.stderr
    assert "[schedule] daily.at" in done.stderr


def test_a_runs_state_file_is_per_job(aws: Workspace) -> None:
    ws = set_schedule(
        aws,
        {
            "a": {"at": "06:00", "steps": ["deliver"]},
            "b": {"cron": "*/5 * * * *", "steps": ["deliver"]},
        },
    )
    clock = Clock(at("2026-12-01T05:58"))
    scheduler = Scheduler(ws, clock=clock, deliver_seconds=0)
    scheduler.tick()
    clock.now = at("2026-12-01T06:00:30")
    done = scheduler.tick()
    assert sorted(r["job"] for r in done) == ["a", "b"]
    clock.now = at("2026-12-01T06:05:00")
    assert [r["job"] for r in scheduler.tick()] == ["b"]
    assert {p.name for p in (Path(ws.root) / "schedule" / "jobs").glob("*.json")} == {
        "a.json",
        "b.json",
    }


def test_a_time_zone_edited_while_serving_is_the_next_rounds(aws: Workspace) -> None:
    """The server's schedule read ``[schedule]`` again each round but kept the settings
    it started with: a time zone (or home city) edited meanwhile was not its jobs'."""
    ws = set_schedule(aws, {"daily": {"at": "06:00", "steps": ["deliver"]}})
    scheduler = Scheduler(ws, clock=Clock(at("2026-12-01T05:00")), deliver_seconds=0)
    assert scheduler.tick() == []
    assert scheduler.jobs["daily"].timezone == "Asia/Shanghai"
    path = ws.root / "kequn.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["business"]["timezone"] = "Europe/Berlin"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    scheduler.tick()
    assert scheduler.jobs["daily"].timezone == "Europe/Berlin"
    assert ws.settings.timezone == "Europe/Berlin"
    data["business"]["timezone"] = "Mars/Base"  # spoiled: the round keeps what it had
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    scheduler.tick()
    assert scheduler.jobs["daily"].timezone == "Europe/Berlin"
