"""Each processed run's segment events are a Parquet file of their own
(``automation/events/<run id>.parquet``): what the hook computed, read by every reader
with the rows older versions kept in the database, erased from, and never left behind by
a processing that failed."""

from __future__ import annotations

import duckdb
import pytest
from automation_helpers import runs, unprocess

from kequn import privacy
from kequn.automation import db, plan
from kequn.automation.events import compute_events, query_events
from kequn.store.workspace import Workspace


def _rows(path: object, con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return sorted(
        con.execute(
            "SELECT customer_id, dimension, label, change, from_label, to_label "
            f"FROM read_parquet('{path}')"
        ).fetchall(),
        key=repr,
    )


def test_a_runs_events_are_its_own_file_equal_to_what_the_two_runs_give(aws: Workspace) -> None:
    early, late = runs(aws)
    path = db.event_file(aws, late.run_id)
    assert [p.name for p in db.event_files(aws)] == [path.name]
    with duckdb.connect() as con:
        kept = _rows(path, con)
        ids = con.execute(
            f"SELECT DISTINCT run_id, previous_run_id, as_of FROM read_parquet('{path}')"
        ).fetchall()
        computed = compute_events(con, late, early, late.taxonomy())
        con.register("computed", computed)
        expected = sorted(
            con.execute(
                "SELECT customer_id, dimension, label, change, from_label, to_label FROM computed"
            ).fetchall(),
            key=repr,
        )
    assert kept == expected
    assert len(kept) > 0
    assert ids == [(late.run_id, early.run_id, late.as_of_date)]
    with db.connect(aws) as con:
        assert con.execute("SELECT count(*) FROM segment_events").fetchone() == (0,)
        processed = con.execute(
            "SELECT events FROM processed_runs WHERE run_id = ?", [late.run_id]
        ).fetchone()
    assert processed == (len(kept),)
    assert query_events(aws, run_id=late.run_id)["total"] == len(kept)


def test_an_erasure_rewrites_the_events_file_without_the_person(aws: Workspace) -> None:
    _, late = runs(aws)
    path = db.event_file(aws, late.run_id)
    with duckdb.connect() as con:
        before = _rows(path, con)
    who = str(before[0][0])
    theirs = [r for r in before if r[0] == who]
    privacy.erase_person(aws, who)
    with duckdb.connect() as con:
        after = _rows(path, con)
    assert after == [r for r in before if r[0] != who]
    assert len(after) == len(before) - len(theirs)
    assert query_events(aws, customer_id=who)["total"] == 0
    assert who.encode() not in path.read_bytes()


def test_a_processing_that_fails_keeps_no_events_and_the_run_stays_unprocessed(
    aws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    early, late = runs(aws)
    unprocess(aws)
    plan.process_run(early)
    real = plan._insert

    def failing(con: duckdb.DuckDBPyConnection, table: str, *args: object) -> None:
        if table == "outbox":
            raise OSError("disk full")
        real(con, table, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(plan, "_insert", failing)
    with pytest.raises(OSError, match="disk full"):
        plan.process_run(late)
    assert not db.event_file(aws, late.run_id).exists()
    with db.connect(aws) as con:
        found = con.execute(
            "SELECT count(*) FROM processed_runs WHERE run_id = ?", [late.run_id]
        ).fetchone()
    assert found == (0,)
    monkeypatch.setattr(plan, "_insert", real)
    summary = plan.process_run(late)
    assert summary["events"] > 0
    assert query_events(aws, run_id=late.run_id)["total"] == summary["events"]


def test_an_events_file_is_named_only_by_a_run_id(aws: Workspace) -> None:
    for bad in ("../x", "a/b", "", ".hidden", "x" * 200):
        with pytest.raises(ValueError, match="not a run id"):
            db.event_file(aws, bad)
