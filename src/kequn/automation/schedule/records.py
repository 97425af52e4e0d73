"""What the scheduler keeps in the workspace, and the locks that make one run per tick.

Layout, under the workspace's ``schedule/`` folder::

    jobs/NAME.json     the job's state: ``served_until`` (every time the job fired up to
                       this moment has been served), the run in progress, the last record
    jobs/NAME.lock     held (flock) for as long as the job runs, by whichever process runs it
    history.jsonl      one line per execution or skip, appended under history.lock
    deliver.json       the last pass of the server's delivery loop

A record says when the job was due (``scheduled``), what started it (``schedule``,
``catch_up`` after a downtime, ``manual``), when it started and finished, each step's
outcome and the outcome of the whole (``ok``, ``failed``, ``skipped`` with the reason).
Error texts are those kequn shows a person (database URLs masked); nothing personal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from kequn.store.workspace import Workspace

HISTORY_KEPT = 2000  # lines of history.jsonl kept (older ones are dropped on append)


def folder(ws: Workspace) -> Path:
    path = ws.root / "schedule"
    (path / "jobs").mkdir(parents=True, exist_ok=True)
    return path


def holder() -> str:
    """This process, as recorded in a running job's state (host:pid)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def iso(moment: dt.datetime | None, tz: dt.tzinfo | None = None) -> str | None:
    """An aware time as ISO text, in ``tz`` (the workspace's zone) when given."""
    if moment is None:
        return None
    return (moment.astimezone(tz) if tz else moment).isoformat(timespec="seconds")


def parse_time(text: Any) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


@contextlib.contextmanager
def job_lock(ws: Workspace, name: str) -> Iterator[bool]:
    """Try to take the job's lock without waiting; yields whether this caller holds it.

    ``flock`` locks belong to an open file, so two threads of one process exclude each
    other as two processes do; the lock goes when the holder closes it or dies."""
    path = folder(ws) / "jobs" / f"{name}.lock"
    fh: IO[str] = path.open("a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        fh.close()


def job_running_elsewhere(ws: Workspace, name: str) -> bool:
    """Whether some process holds the job's lock right now."""
    with job_lock(ws, name) as held:
        return not held


def workspace_busy(ws: Workspace) -> bool:
    """Whether a writer (an import, a sync, a run publishing) holds ``locks/write.lock``."""
    path = ws.root / "locks" / "write.lock"
    if not path.exists():
        return False
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False


def read_state(ws: Workspace, name: str) -> dict[str, Any]:
    try:
        state = json.loads((folder(ws) / "jobs" / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def write_state(ws: Workspace, name: str, state: dict[str, Any]) -> None:
    _write_json(folder(ws) / "jobs" / f"{name}.json", state)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    tmp.replace(path)


def append_history(ws: Workspace, record: dict[str, Any]) -> None:
    """Add one record to ``history.jsonl`` (under its lock: servers append concurrently)."""
    base = folder(ws)
    path = base / "history.jsonl"
    with (base / "history.lock").open("a+") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > HISTORY_KEPT * 2:  # trimmed now and then, not on every append
            _write_text(path, "\n".join(lines[-HISTORY_KEPT:]) + "\n")


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def history(ws: Workspace, name: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The newest records (of one job, or all), newest first."""
    path = folder(ws) / "history.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    out: list[dict[str, Any]] = []
    for line in reversed(lines):
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash
        if isinstance(record, dict) and (name is None or record.get("job") == name):
            out.append(record)
            if len(out) >= limit:
                break
    return out


def read_delivery(ws: Workspace) -> dict[str, Any]:
    try:
        data = json.loads((folder(ws) / "deliver.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_delivery(ws: Workspace, data: dict[str, Any]) -> None:
    _write_json(folder(ws) / "deliver.json", data)
