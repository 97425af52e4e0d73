"""The runs' events files when things go wrong: a processing killed before its commit, a
move across file systems cut short, a power cut after the commit (the file must be on
disk before the run is recorded), and an erasure that fails, meets a file it cannot read
or copies a killed process left, or finds the database removed."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from automation_helpers import runs, unprocess

from kequn import privacy
from kequn.automation import db, plan
from kequn.automation.events import query_events
from kequn.automation.retention import prune_events
from kequn.store.workspace import Workspace

_KILLED = """
import os, sys
from kequn.automation import plan
from kequn.snapshots.runs import get_run
from kequn.store.workspace import Workspace

real = plan._insert

def dying(con, table, *args):
    if table == "outbox":  # inside the transaction, after the events file was kept
        os._exit(9)
    real(con, table, *args)

plan._insert = dying
plan.process_run(get_run(Workspace.open(sys.argv[1]), sys.argv[2]))
"""


def _ids_in(folder: Path, who: str) -> list[str]:
    """The files under ``folder`` that hold ``who`` (read as Parquet, or else as bytes)."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        try:
            with duckdb.connect() as con:
                hit = con.execute(
                    f"SELECT count(*) FROM read_parquet('{path}') WHERE customer_id = ?", [who]
                ).fetchone()
            if hit and hit[0]:
                found.append(path.name)
        except duckdb.Error:
            if who.encode() in path.read_bytes():
                found.append(path.name)
    return found


def test_a_processing_killed_before_its_commit_shows_no_events_until_processed_again(
    aws: Workspace,
) -> None:
    early, late = runs(aws)
    unprocess(aws)
    plan.process_run(early)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", _KILLED, str(aws.root), late.run_id], env=env, check=False
    )
    assert done.returncode == 9
    # the file was kept, the run was not recorded: its events are no one's yet
    assert db.event_file(aws, late.run_id).is_file()
    with db.connect(aws) as con:
        assert con.execute("SELECT count(*) FROM processed_runs").fetchone() == (1,)
    assert query_events(aws)["total"] == 0
    assert query_events(aws, run_id=late.run_id)["total"] == 0
    # processed again (kequn journeys process), they are the run's
    summary = plan.process_run(late)
    assert summary["events"] > 0
    assert query_events(aws)["total"] == summary["events"]


def test_a_kept_file_of_a_run_never_recorded_still_goes_with_the_retention_period(
    aws: Workspace,
) -> None:
    _, late = runs(aws)
    with db.connect(aws) as con:
        con.execute("DELETE FROM processed_runs WHERE run_id = ?", [late.run_id])
    assert prune_events(aws, 1, dry_run=True) == 0  # the newest run's events stay
    orphan = db.event_file(aws, "20250101-000000-20250101-0000")
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT * REPLACE ('20250101-000000-20250101-0000' AS run_id, "
            "DATE '2025-01-01' AS as_of) FROM read_parquet(?)) TO "
            f"'{orphan}' (FORMAT parquet)",
            [str(db.event_file(aws, late.run_id))],
        )
    counted = prune_events(aws, 1, dry_run=True)
    assert counted > 0
    assert prune_events(aws, 1) == counted
    assert not orphan.exists()
    assert db.event_file(aws, late.run_id).exists()


def test_a_move_across_file_systems_cut_short_leaves_no_broken_events_file(
    aws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    early, late = runs(aws)
    unprocess(aws)
    plan.process_run(early)

    def other_fs(real):  # type: ignore[no-untyped-def]
        def moving(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
            if Path(src).parent.name.startswith("spill-"):
                raise OSError(errno.EXDEV, "Invalid cross-device link")
            return real(src, dst, *args, **kwargs)

        return moving

    def half(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        data = Path(src).read_bytes()
        Path(dst).write_bytes(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "rename", other_fs(os.rename))
    monkeypatch.setattr(os, "replace", other_fs(os.replace))
    monkeypatch.setattr(shutil, "copyfile", half)
    with pytest.raises(OSError, match="No space left"):
        plan.process_run(late)
    monkeypatch.undo()
    assert [p.name for p in db.folder(aws).joinpath(db.EVENTS_FOLDER).iterdir()] == []
    assert query_events(aws)["total"] == 0  # every reader still reads
    summary = plan.process_run(late)
    assert query_events(aws)["total"] == summary["events"] > 0


def test_a_move_across_file_systems_keeps_the_events(
    aws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    early, late = runs(aws)
    unprocess(aws)
    plan.process_run(early)
    real = os.replace

    def other_fs(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(src).parent.name.startswith("spill-"):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", other_fs)
    summary = plan.process_run(late)
    monkeypatch.undo()
    assert query_events(aws)["total"] == summary["events"] > 0
    assert [p.name for p in db.event_files(aws)] == [f"{late.run_id}.parquet"]
    assert len(list(db.event_file(aws, late.run_id).parent.iterdir())) == 1


def test_the_events_file_is_on_disk_before_the_run_is_recorded(
    aws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    early, late = runs(aws)
    unprocess(aws)
    plan.process_run(early)
    synced: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(str(Path(f"/proc/self/fd/{fd}").readlink()))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    plan.process_run(late)
    target = db.event_file(aws, late.run_id)
    assert str(target) in synced  # its bytes (a rename alone may leave an empty file)
    assert str(target.parent) in synced  # and its name


def test_an_erasure_that_fails_half_way_leaves_no_copy_behind(
    aws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, late = runs(aws)
    path = db.event_file(aws, late.run_id)
    who = str(query_events(aws, limit=1)["events"][0]["customer_id"])
    real = os.replace

    def failing(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(dst) == path:
            raise OSError(errno.EIO, "I/O error")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError, match="I/O error"):
        db.erase(aws, who)
    monkeypatch.undo()
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_an_erasure_removes_the_person_from_copies_a_killed_rewrite_left(
    aws: Workspace,
) -> None:
    _, late = runs(aws)
    path = db.event_file(aws, late.run_id)
    who = str(query_events(aws, limit=1)["events"][0]["customer_id"])
    # what a process killed while rewriting or keeping a file leaves beside it
    shutil.copyfile(path, path.with_name(f".{path.name}.0badc0de.tmp"))
    privacy.erase_person(aws, who)
    assert _ids_in(path.parent, who) == []


def test_an_unreadable_events_file_does_not_stop_an_erasure(aws: Workspace) -> None:
    _, late = runs(aws)
    path = db.event_file(aws, late.run_id)
    who = str(query_events(aws, limit=1)["events"][0]["customer_id"])
    broken = path.with_name("20250101-000000-20250101-0000.parquet")
    data = path.read_bytes()
    broken.write_bytes(data[: len(data) // 2])  # it may hold the person: it cannot be read
    privacy.erase_person(aws, who)
    assert _ids_in(path.parent, who) == []
    assert not broken.exists()
    assert query_events(aws, customer_id=who)["total"] == 0
    assert query_events(aws)["total"] > 0


def test_an_erasure_reaches_the_events_files_of_a_removed_database(aws: Workspace) -> None:
    _, late = runs(aws)
    path = db.event_file(aws, late.run_id)
    who = str(query_events(aws, limit=1)["events"][0]["customer_id"])
    (aws.root / db.FOLDER / db.DB_NAME).unlink()  # automation started afresh by hand
    assert db.erase(aws, who) > 0
    assert _ids_in(path.parent, who) == []


def test_a_damaged_events_file_is_told_in_words_not_a_traceback(aws: Workspace) -> None:
    from kequn.errors import user_message

    _, late = runs(aws)
    path = db.event_file(aws, late.run_id)
    path.write_bytes(path.read_bytes()[:100])  # cut short by hand, or by a full disk
    with pytest.raises(duckdb.Error) as caught:
        query_events(aws)
    told = user_message(caught.value, "en")
    assert told is not None
    assert path.name in told
