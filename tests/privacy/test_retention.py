"""Retention: old quarantined rows purged on request, runs deleted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kequn import pipeline
from kequn.cli import app
from kequn.ingest.importer import import_file
from kequn.privacy.retention import purge_quarantine
from kequn.snapshots import runs as runs_module
from kequn.snapshots.retention import runs_to_remove
from kequn.snapshots.runs import RunInfo, list_runs
from kequn.store.access import read_audit
from kequn.store.workspace import Workspace, WorkspaceError


def _quarantined(ws: Workspace) -> int:
    with ws.read() as con:
        found = con.execute("SELECT count(*) FROM quarantine").fetchone()
    return int(found[0]) if found else 0


def test_purge_removes_old_quarantined_rows(ws: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "orders.csv"
    bad.write_text("订单编号,客户编号,下单时间,实付金额\nA1,C1,2026-01-05,abc\n", encoding="utf-8")
    import_file(ws, "orders", bad, create_customers=False)
    assert _quarantined(ws) >= 1
    with pytest.raises(WorkspaceError, match="No retention period"):
        purge_quarantine(ws)
    assert purge_quarantine(ws, 30) == 0  # today's rows are kept
    later = dt.datetime.now() + dt.timedelta(days=31)
    assert purge_quarantine(ws, 30, now=later) >= 1
    assert _quarantined(ws) == 0
    assert any(e["action"] == "privacy.purge" for e in read_audit(ws))


def test_purge_follows_the_workspace_setting_from_the_cli(ws: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "orders.csv"
    bad.write_text("订单编号,客户编号,下单时间,实付金额\nA1,C1,2026-01-05,abc\n", encoding="utf-8")
    import_file(ws, "orders", bad, create_customers=False)
    toml = ws.root / "kequn.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[privacy]\nquarantine_days = 0\n")
    result = CliRunner().invoke(app, ["privacy", "purge", "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    assert _quarantined(ws) == 0


def test_runs_delete(tmp_path: Path) -> None:
    from kequn.demo import demo_workspace

    ws = demo_workspace(tmp_path, 30)
    first = pipeline.run(ws, with_models=False)
    second = pipeline.run(ws, with_models=False)
    # a prefix of the first run's id only (two runs made within one second share 20
    # characters, and a shared prefix is refused as ambiguous)
    prefix = next(
        first.run_id[:n]
        for n in range(16, len(first.run_id) + 1)
        if not second.run_id.startswith(first.run_id[:n])
    )
    result = CliRunner().invoke(app, ["runs", "delete", prefix, "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    assert [r.run_id for r in list_runs(ws)] == [second.run_id]
    assert not Path(first.path).exists()
    missing = CliRunner().invoke(app, ["runs", "delete", "nope", "-w", str(ws.root)])
    assert missing.exit_code != 0


def test_runs_delete_refuses_an_empty_id_and_says_when_a_prefix_is_shared(tmp_path: Path) -> None:
    """``kequn runs delete "$RUN"`` with RUN unset matched every run as a prefix and
    deleted the only one; a prefix two runs share was told as no such run."""
    from kequn.demo import demo_workspace
    from kequn.privacy.retention import delete_run

    ws = demo_workspace(tmp_path, 30)
    only = pipeline.run(ws, with_models=False)
    for blank in ("", "  "):
        with pytest.raises(WorkspaceError, match="No run id given"):
            delete_run(ws, blank)
    assert [r.run_id for r in list_runs(ws)] == [only.run_id]
    pipeline.run(ws, with_models=False)
    with pytest.raises(WorkspaceError, match="2 runs have ids starting with"):
        delete_run(ws, only.run_id[:4])
    assert len(list_runs(ws)) == 2


def test_cli_export_then_erase(tmp_path: Path) -> None:
    import json

    from kequn.demo import demo_workspace

    ws = demo_workspace(tmp_path, 30)
    with ws.read() as con:
        row = con.execute("SELECT customer_id FROM customers LIMIT 1").fetchone()
    assert row is not None
    out = tmp_path / "person.json"
    runner = CliRunner()
    exported = runner.invoke(app, ["privacy", "export", row[0], "-w", str(ws.root), "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert json.loads(out.read_text(encoding="utf-8"))["customers"][0]["customer_id"] == row[0]
    erased = runner.invoke(app, ["privacy", "erase", row[0], "-w", str(ws.root)])
    assert erased.exit_code == 0, erased.output
    assert "p_" in erased.output


def _run(as_of: str, created: str = "2026-07-01T23:00:00") -> RunInfo:
    return RunInfo(f"r-{as_of}-{created}", as_of, created, "duckdb", "v")


#: the clock: a day after the newest run below, long after the others were made
NOW = dt.datetime(2026, 7, 2, 9, 0)


def test_the_policy_keeps_the_last_days_and_the_last_run_of_each_month_before() -> None:
    made = "2026-05-01T08:00:00"  # long ago, so only the as-of dates count
    runs = [
        *(_run(f"2026-05-{d:02d}", made) for d in (3, 20, 31)),
        _run("2026-05-31", "2026-05-01T09:00:00"),  # a rerun: the one made last counts
        *(_run(f"2026-06-{d:02d}", made) for d in range(1, 31)),
        _run("2026-07-01", made),
        _run("2026-07-01", "2026-05-02T00:00:00"),  # two runs of the newest date
    ]
    gone = runs_to_remove(runs, keep_days=7, keep_monthly=True, now=NOW)
    kept = {r.run_id for r in runs} - {r.run_id for r in gone}
    assert kept == {
        f"r-2026-05-31-{'2026-05-01T09:00:00'}",
        *(f"r-2026-06-{d:02d}-{made}" for d in range(24, 31)),  # within 7 days of 07-01
        f"r-2026-07-01-{made}",
        "r-2026-07-01-2026-05-02T00:00:00",
    }
    assert [r.as_of for r in gone][:4] == ["2026-05-03", "2026-05-20", "2026-05-31", "2026-06-01"]
    plain = {r.run_id for r in runs_to_remove(runs, keep_days=7, keep_monthly=False, now=NOW)}
    assert plain == {r.run_id for r in gone} | {f"r-2026-05-31-{'2026-05-01T09:00:00'}"}
    assert runs_to_remove([], keep_days=1) == []
    assert runs_to_remove(runs[:1], keep_days=0, now=NOW) == []  # the newest run always stays
    # a window longer than the calendar keeps everything (no overflow)
    assert runs_to_remove(runs, keep_days=10**12, now=NOW) == []
    with pytest.raises(ValueError, match="keep_days"):
        runs_to_remove(runs, keep_days=-1)


def test_the_policy_keeps_backfills_the_run_before_the_newest_and_ignores_future_typos() -> None:
    old = "2026-01-05T08:00:00"
    daily = [_run(f"2026-06-{d:02d}", old) for d in range(1, 31)]
    # a backfill made just now for an old date: kept for keep_days after it was made
    backfill = _run("2026-03-15", "2026-07-02T08:59:00")
    both = [*daily, backfill]
    gone = {r.run_id for r in runs_to_remove(both, keep_days=5, keep_monthly=False, now=NOW)}
    assert backfill.run_id not in gone
    later = NOW + dt.timedelta(days=6)
    gone = {r.run_id for r in runs_to_remove(both, keep_days=5, keep_monthly=False, now=later)}
    assert backfill.run_id in gone
    # a gap longer than the window: the newest run's previous one stays for history
    gap = [_run("2026-06-01", old), _run("2026-06-10", old), _run("2026-06-28", old)]
    assert [r.as_of for r in runs_to_remove(gap, keep_days=5, now=NOW)] == ["2026-06-01"]
    # a run for a mistyped date a year ahead: the window counts back from today instead
    typo = _run("2027-06-30", "2026-07-02T08:30:00")
    kept = {r.as_of for r in daily} - {
        r.as_of for r in runs_to_remove([*daily, typo], keep_days=5, keep_monthly=False, now=NOW)
    }
    assert kept == {f"2026-06-{d:02d}" for d in range(27, 31)}  # 06-27 .. 06-30 (and 07-02)


def test_runs_pruned_after_each_run_by_the_setting_and_from_the_cli(tmp_path: Path) -> None:
    from kequn import automation
    from kequn.demo import demo_workspace

    automation.install()
    ws = demo_workspace(tmp_path, 30)
    made = {}
    for day in ("2026-06-10", "2026-06-30", "2026-07-15", "2026-08-01"):
        made[day] = pipeline.run(ws, as_of=dt.date.fromisoformat(day), with_models=False)
    assert len(list_runs(ws)) == 4  # the default keeps every run
    # as a workspace run for months: these runs were made long ago
    for run in made.values():
        meta = Path(run.path) / "meta.json"
        data = json.loads(meta.read_text(encoding="utf-8"))
        data["created_at"] = f"2026-01-{int(run.as_of[-2:]):02d}T08:00:00"
        meta.write_text(json.dumps(data), encoding="utf-8")
    runs_module._listed.clear()  # the listing is cached by the folder's time, unchanged
    runner = CliRunner()
    off = runner.invoke(app, ["runs", "prune", "-w", str(ws.root)])
    assert off.exit_code == 2
    assert "keep_runs_days" in off.output
    toml = ws.root / "kequn.toml"
    text = toml.read_text(encoding="utf-8")
    assert "keep_runs_days = 0" in text  # written with the other settings, off
    toml.write_text(text.replace("keep_runs_days = 0", "keep_runs_days = 5"), encoding="utf-8")
    ws = Workspace.open(ws.root)
    made["2026-08-05"] = pipeline.run(ws, as_of=dt.date(2026, 8, 5), with_models=False)
    left = {r.as_of for r in list_runs(ws)}
    # 08-01 and 08-05 within five days, June's and July's last runs before: 06-10 went
    assert left == {"2026-06-30", "2026-07-15", "2026-08-01", "2026-08-05"}
    assert not Path(made["2026-06-10"].path).exists()
    # the events of the newest run were computed against the run before, which stays
    assert made["2026-08-05"].run_id in {r.run_id for r in list_runs(ws)}
    listed = runner.invoke(
        app,
        ["runs", "prune", "--keep-days", "1", "--no-keep-monthly", "--dry-run", "-w", str(ws.root)],
    )
    assert listed.exit_code == 0, listed.output
    assert "2026-06-30" in listed.output
    assert "2026-08-05" not in listed.output  # the newest
    assert "2026-08-01" not in listed.output  # the one the newest is compared with
    assert len(list_runs(ws)) == 4  # a dry run removes nothing
    done = runner.invoke(
        app,
        [
            "--lang",
            "zh",
            "runs",
            "prune",
            "--keep-days",
            "1",
            "--no-keep-monthly",
            "-w",
            str(ws.root),
        ],
    )
    assert done.exit_code == 0, done.output
    assert "已删除 2 次运行" in done.output
    assert [r.as_of for r in list_runs(ws)] == ["2026-08-05", "2026-08-01"]
    history = runner.invoke(app, ["history", "-w", str(ws.root)])
    assert history.exit_code == 0, history.output
    bad = runner.invoke(
        app, ["--lang", "en", "runs", "prune", "--keep-days", "0", "-w", str(ws.root)]
    )
    assert bad.exit_code == 2  # a usage error, as other out-of-range options
    assert "greater than or equal to 1" in " ".join(bad.output.replace("│", " ").split())
    assert len(list_runs(ws)) == 2
    assert any(e["action"] == "runs.prune" for e in read_audit(ws))


def test_two_prunes_at_once_and_a_bad_setting(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import threading

    from kequn import automation
    from kequn.automation.retention import prune_runs
    from kequn.demo import demo_workspace

    automation.install()
    ws = demo_workspace(tmp_path, 30)
    for day in ("2026-05-10", "2026-05-20", "2026-06-10", "2026-06-20", "2026-07-01"):
        run = pipeline.run(ws, as_of=dt.date.fromisoformat(day), with_models=False)
        meta = Path(run.path) / "meta.json"  # made long ago
        meta.write_text(
            meta.read_text(encoding="utf-8").replace('"created_at": "2026', '"created_at": "2025'),
            encoding="utf-8",
        )
    runs_module._listed.clear()
    results: list[object] = []

    def prune() -> None:
        try:
            results.append(len(prune_runs(ws, 5, False)))
        except Exception as exc:
            results.append(exc)

    threads = [threading.Thread(target=prune) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # one after the other: the first removes 05-10, 05-20 and 06-10 (06-20 is the run
    # before the newest), the second finds nothing left to remove
    assert sorted(results, key=str) == [0, 3]
    assert [r.as_of for r in list_runs(ws)] == ["2026-07-01", "2026-06-20"]
    toml = ws.root / "kequn.toml"
    text = toml.read_text(encoding="utf-8").replace("keep_runs_days = 0", 'keep_runs_days = "5"')
    toml.write_text(text, encoding="utf-8")
    with pytest.raises(WorkspaceError, match='keep_runs_days under \\[run\\] is "5"'):
        Workspace.open(ws.root)  # the file is refused when opened (tests/store)
    # a workspace given such a value in process: the run stands, the prune says why not
    ws.settings.keep_runs_days = "5"  # type: ignore[assignment]
    with caplog.at_level("ERROR", logger="kequn.automation"):
        pipeline.run(ws, as_of=dt.date(2026, 7, 2), with_models=False)  # the run stands
    problems = [r for r in caplog.records if "keep_runs_days" in r.getMessage()]
    assert len(problems) == 1
    assert "'5'" in problems[0].getMessage()
    assert problems[0].exc_info is None  # said in words, no traceback
    assert len(list_runs(ws)) == 3


def _processed_long_ago(ws: Workspace) -> None:
    """As a workspace run for months: the runs so far were processed long ago."""
    from kequn.automation import db

    with db.connect(ws) as con:
        con.execute("UPDATE processed_runs SET processed_at = TIMESTAMP '2026-01-01'")


def _events_by_day(ws: Workspace) -> dict[str, int]:
    from kequn.automation import db

    with db.connect(ws) as con:
        events = db.with_events(con, ws)
        rows = con.execute(
            f"SELECT as_of, count(*) FROM {events} GROUP BY ALL ORDER BY 1"
        ).fetchall()
    return {r[0].isoformat(): int(r[1]) for r in rows}


def test_segment_events_pruned_by_their_own_period(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from kequn import automation
    from kequn.automation import db
    from kequn.automation.retention import prune_events
    from kequn.demo import demo_workspace

    automation.install()
    ws = demo_workspace(tmp_path, 40)
    for day in ("2026-06-01", "2026-06-10", "2026-06-20", "2026-07-01"):
        pipeline.run(ws, as_of=dt.date.fromisoformat(day), with_models=False)
    before = _events_by_day(ws)
    assert set(before) == {"2026-06-10", "2026-06-20", "2026-07-01"}  # the first has none
    _processed_long_ago(ws)
    runner = CliRunner()
    off = runner.invoke(app, ["runs", "prune", "-w", str(ws.root)])
    assert off.exit_code == 2
    assert "keep_events_days" in off.output
    toml = ws.root / "kequn.toml"
    text = toml.read_text(encoding="utf-8")
    assert "keep_events_days = 0" in text  # written with the other settings, off
    toml.write_text(text.replace("keep_events_days = 0", "keep_events_days = 15"), "utf-8")
    ws = Workspace.open(ws.root)
    pipeline.run(ws, as_of=dt.date(2026, 7, 5), with_models=False)
    _processed_long_ago(ws)
    after = _events_by_day(ws)
    # 15 days before 07-05 is 06-20, kept; 06-10's events went, the runs all stay
    assert set(after) == {"2026-06-20", "2026-07-01", "2026-07-05"}
    assert after["2026-06-20"] == before["2026-06-20"]
    assert len(list_runs(ws)) == 5
    with db.connect(ws) as con:
        processed = con.execute("SELECT count(*) FROM processed_runs").fetchone()
    assert processed == (5,)  # which runs were processed is kept: none is redone
    # a date typed in the future takes nothing with it: counted from today when earlier
    assert prune_events(ws, 3, dry_run=True, today=dt.date(2026, 6, 25)) == after["2026-06-20"]
    assert prune_events(ws, 10**9) == 0  # longer than there are days: nothing is that old
    listed = runner.invoke(
        app, ["runs", "prune", "--keep-events-days", "3", "--dry-run", "-w", str(ws.root)]
    )
    assert listed.exit_code == 0, listed.output
    older = after["2026-06-20"] + after["2026-07-01"]
    assert f"would be removed: {older:,}" in listed.output
    assert _events_by_day(ws) == after  # a dry run removes nothing
    done = runner.invoke(
        app,
        ["--lang", "zh", "runs", "prune", "--keep-events-days", "3", "-w", str(ws.root)],
    )
    assert done.exit_code == 0, done.output
    assert f"已删除 {older:,} 条分群事件" in done.output
    assert set(_events_by_day(ws)) == {"2026-07-05"}  # the newest run's stay
    assert len(list_runs(ws)) == 5  # keep_runs_days is 0: the runs are not touched
    assert any(e["action"] == "events.prune" for e in read_audit(ws))
    # a run dated later, then a day's run and a backfill: each run made recently keeps its
    # events whatever its date (the one just made is what journeys and digests read)
    for day in ("2026-09-30", "2026-07-06", "2026-06-15"):
        pipeline.run(ws, as_of=dt.date.fromisoformat(day), with_models=False)
    kept = _events_by_day(ws)
    assert {"2026-07-06", "2026-06-15", "2026-09-30"} <= set(kept)
    assert prune_events(ws, 3) == 0
    _processed_long_ago(ws)
    assert set(_events_by_day(ws)) == set(kept)
    assert prune_events(ws, 3) == sum(v for k, v in kept.items() if k != "2026-09-30")
    assert set(_events_by_day(ws)) == {"2026-09-30"}
    # a bad value is refused before anything is removed, runs included
    bad = runner.invoke(
        app,
        [
            "--lang",
            "en",
            "runs",
            "prune",
            "--keep-days",
            "1",
            "--no-keep-monthly",
            "--keep-events-days",
            "0",
            "-w",
            str(ws.root),
        ],
    )
    assert bad.exit_code == 2
    assert "greater than or equal to 1" in " ".join(bad.output.replace("│", " ").split())
    assert len(list_runs(ws)) == 8
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            "keep_events_days = 15", 'keep_events_days = "15"'
        ),
        "utf-8",
    )
    with pytest.raises(WorkspaceError, match="keep_events_days"):
        Workspace.open(ws.root)  # the file is refused when opened (tests/store)
    ws.settings.keep_events_days = "15"  # type: ignore[assignment]
    with caplog.at_level("ERROR", logger="kequn.automation"):
        pipeline.run(ws, as_of=dt.date(2026, 10, 1), with_models=False)  # the run stands
    problems = [r for r in caplog.records if "keep_events_days" in r.getMessage()]
    assert len(problems) == 1
    assert problems[0].exc_info is None
