"""Carrying out the schedule: one job's steps under its lock, and the loop ``kequn serve`` runs.

When a job runs. Each job's state keeps ``served_until``: every time it fired up to that
moment has been served. A job is due when its next fire time after ``served_until`` has
come. Running it sets ``served_until`` to the moment it started, so all the times missed
while no server was up are served by **one** run (coalesced), at the next start of the
scheduler (recorded with trigger ``catch_up``). A job seen for the first time starts
counting from then: adding a job never runs it at once. A manual run
(``kequn schedule run``) serves any time already due, too.

Why one run per tick across processes. The job's lock (``schedule/jobs/NAME.lock``,
``flock``) is held for the whole run, and whether the job is due is decided only while
holding it, from the state on disk. Two servers waking at 06:00: one takes the lock and
runs; the other finds it held and records a skip, and when it looks again the state says
06:00 was served. A job also skips, with the reason recorded, while an import or a run
holds the workspace's write lock, and is tried again a minute later. A server killed
mid-job leaves a ``running`` mark whose lock nobody holds: it is recorded as
``interrupted`` by the next process that takes the lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
import traceback
import zoneinfo
from collections.abc import Callable
from typing import Any

from kequn.automation.schedule import records
from kequn.automation.schedule.config import Job, ScheduleError, load_schedule
from kequn.core.i18n import t
from kequn.store.workspace import Workspace, WorkspaceError

log = logging.getLogger("kequn.schedule")

Clock = Callable[[], dt.datetime]
RETRY_SECONDS = 60.0  # a job skipped because the workspace was busy is tried again after this
MAX_WAIT_SECONDS = 60.0  # the loop looks at kequn.toml again at least this often
CATCH_UP_AFTER = dt.timedelta(minutes=5)  # a run this late is recorded as a catch-up


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# -- steps ------------------------------------------------------------------------------
def _sync(ws: Workspace, _job: Job) -> str:
    from kequn.ingest.sources import sync

    results = sync(ws)
    return "; ".join(
        f"{r.name}: +{r.result.report.inserted} ~{r.result.report.updated} "
        f"!{r.result.report.rejected}"
        for r in results
    )


def _run(ws: Workspace, job: Job) -> str:
    from kequn import automation, pipeline
    from kequn.service import refuse_setting

    # kequn.toml's as_of before the data or after today is refused as `kequn run` refuses
    # it: the job's record says why (a WorkspaceError, told), and no empty run or one
    # classifying as if nobody bought until then becomes the newest
    refuse_setting(ws)
    automation.install()  # the run's events and journeys, as from the CLI and the server
    info = pipeline.run(ws, who=f"schedule:{job.name}")
    return f"{info.run_id} ({info.customers})"


def _deliver(ws: Workspace, _job: Job) -> str:
    from kequn.automation.deliver import deliver

    if not _has_journeys(ws):
        return "-"
    totals = deliver(ws)
    return f"sent {totals['sent']}, failed {totals['failed']}"


def _has_journeys(ws: Workspace) -> bool:
    from kequn.automation.journeys import journeys_path

    return journeys_path(ws).is_file()


STEPS: dict[str, Callable[[Workspace, Job], str]] = {
    "sync": _sync,
    "run": _run,
    "deliver": _deliver,
}


def _told(exc: BaseException) -> bool:
    """Whether ``exc`` is an error kequn tells people about (its text is for them), not
    a bug."""
    from kequn.automation.journeys import JourneysError
    from kequn.ingest.readers import SourceError

    return isinstance(exc, WorkspaceError | SourceError | JourneysError)


def error_text(ws: Workspace, exc: BaseException) -> str:
    """What to record about a failed step: the message kequn shows a person for errors
    they can act on, the exception's kind otherwise; database URLs and their passwords
    masked; at most 500 characters."""
    told = _told(exc)
    # any other error is a bug, told by its kind: its text may quote a customer's value
    # (DuckDB's "Could not convert string '138…'"), and the record is read by every role
    # (/api/schedule, the runs page) and written to the server's log
    text = str(exc) if told else t("schedule.internal", kind=type(exc).__name__)
    try:
        from kequn.ingest.sources import saved_sources

        for source in saved_sources(ws).values():
            try:
                text = source.location(ws.root).scrub(text)
            except Exception:  # noqa: S112 - a source that cannot resolve has nothing to mask
                continue
    except Exception:
        log.debug("schedule: sources not read while masking an error")
    return text[:500]


def _kind(exc: BaseException) -> str:
    """What the log says of a failure: the error's kind (``SourceError``), never its text,
    which for an error told to people may quote a customer's data."""
    return type(exc).__name__


def _where(exc: BaseException) -> str:
    """Where a bug was raised (for the log: its text is not logged), or nothing for an
    error kequn tells people about."""
    if _told(exc):
        return ""
    found = traceback.extract_tb(exc.__traceback__)[-1:]
    return f" at {found[0].filename}:{found[0].lineno}" if found else ""


# -- one job ----------------------------------------------------------------------------
def due_time(job: Job, state: dict[str, Any], now: dt.datetime) -> dt.datetime | None:
    """The first fire time not yet served, if it has come (None for a job never seen)."""
    served = records.parse_time(state.get("served_until"))
    if served is None:
        return None
    fire = job.next_after(served)
    return fire if fire is not None and fire <= now else None


def run_job(
    ws: Workspace,
    job: Job,
    *,
    trigger: str = "manual",
    only_if_due: bool = False,
    clock: Clock = utcnow,
) -> dict[str, Any] | None:
    """Run ``job``'s steps now, under its lock, and record the execution.

    With ``only_if_due`` (the scheduler), nothing happens unless a fire time is due by
    the state read under the lock (None is returned). Returns the record: outcome
    ``ok``, ``failed`` (the first failing step stops the job) or ``skipped`` (lock held
    elsewhere, or the workspace busy)."""
    tz = zoneinfo.ZoneInfo(job.timezone)
    now = clock()
    with records.job_lock(ws, job.name) as held:
        if not held:
            return _skip(ws, job, now, trigger, t("schedule.skip.held"), "held", tz)
        state = records.read_state(ws, job.name)
        _close_interrupted(ws, job, state, tz)
        scheduled = due_time(job, state, now)
        if only_if_due and scheduled is None:
            return None
        if scheduled is not None and trigger == "schedule" and now - scheduled > CATCH_UP_AFTER:
            trigger = "catch_up"
        if records.workspace_busy(ws):
            return _skip(ws, job, now, trigger, t("schedule.skip.busy"), "busy", tz, scheduled)
        served = records.parse_time(state.get("served_until"))
        state["served_until"] = records.iso(max(served, now) if served else now, tz)
        state["running"] = {
            "started_at": records.iso(now, tz),
            "by": records.holder(),
            "trigger": trigger,
            "scheduled": records.iso(scheduled, tz),
        }
        records.write_state(ws, job.name, state)
        record = _execute(ws, job, trigger, scheduled, clock, tz)
        state.pop("running", None)
        state["last"] = record
        records.write_state(ws, job.name, state)
        records.append_history(ws, record)
    return record


def _execute(
    ws: Workspace,
    job: Job,
    trigger: str,
    scheduled: dt.datetime | None,
    clock: Clock,
    tz: dt.tzinfo,
) -> dict[str, Any]:
    started = clock()
    began = time.perf_counter()
    steps: list[dict[str, Any]] = []
    error = None
    for step in job.steps:
        step_began = time.perf_counter()
        try:
            detail = STEPS[step](ws, job)
        except Exception as exc:
            error = error_text(ws, exc)
            # the log is told the kind, not the text: a told error may quote the data
            # ("found: C1, 张伟, 139…"); the record keeps it for those who may read it
            log.error(
                "schedule: job %s, step %s failed: %s%s", job.name, step, _kind(exc), _where(exc)
            )
            if os.environ.get("KEQUN_DEBUG"):
                traceback.print_exc()
            steps.append(
                {"step": step, "outcome": "failed", "seconds": _since(step_began), "error": error}
            )
            break
        steps.append(
            {"step": step, "outcome": "ok", "seconds": _since(step_began), "detail": detail}
        )
    return {
        "job": job.name,
        "trigger": trigger,
        "scheduled": records.iso(scheduled, tz),
        "started_at": records.iso(started, tz),
        "finished_at": records.iso(clock(), tz),
        "seconds": _since(began),
        "by": records.holder(),
        "steps": steps,
        "outcome": "failed" if error else "ok",
        "error": error,
    }


def _since(began: float) -> float:
    return round(time.perf_counter() - began, 3)


def _skip(
    ws: Workspace,
    job: Job,
    now: dt.datetime,
    trigger: str,
    reason: str,
    code: str,
    tz: dt.tzinfo,
    scheduled: dt.datetime | None = None,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "job": job.name,
        "trigger": trigger,
        "scheduled": records.iso(scheduled, tz),
        "started_at": records.iso(now, tz),
        "finished_at": records.iso(now, tz),
        "seconds": 0.0,
        "by": records.holder(),
        "steps": [],
        "outcome": "skipped",
        "reason": code,
        "error": reason,
    }
    records.append_history(ws, record)
    return record


def _close_interrupted(ws: Workspace, job: Job, state: dict[str, Any], tz: dt.tzinfo) -> None:
    """A ``running`` mark found while holding the lock was left by a process that died."""
    running = state.pop("running", None)
    if not isinstance(running, dict):
        return
    record: dict[str, Any] = {
        "job": job.name,
        "trigger": running.get("trigger"),
        "scheduled": running.get("scheduled"),
        "started_at": running.get("started_at"),
        "finished_at": None,
        "seconds": None,
        "by": running.get("by"),
        "steps": [],
        "outcome": "interrupted",
        "error": t("schedule.interrupted"),
    }
    state["last"] = record
    records.write_state(ws, job.name, state)
    records.append_history(ws, record)


def find_job(ws: Workspace, name: str, lang: str | None = None) -> Job:
    """The job called ``name`` (a clear error naming the jobs there are otherwise)."""
    jobs = load_schedule(ws, lang)
    if name not in jobs:
        known = ", ".join(jobs) or "-"
        raise ScheduleError(t("schedule.unknown_job", lang, name=name, known=known))
    return jobs[name]


# -- the loop ---------------------------------------------------------------------------
class Scheduler:
    """The schedule of one workspace, carried out in a background thread of ``kequn
    serve``, with a delivery loop beside it.

    ``tick()`` does one round (tests call it with an injected ``clock``); ``start()``
    runs rounds until ``stop()``, waking for the next fire time (at least every minute,
    so edits to ``kequn.toml`` apply without a restart). The delivery loop sends due
    messages every ``deliver_seconds`` (``[serve] deliver_seconds``; 0 turns it off)
    while ``journeys.yaml`` exists.
    """

    def __init__(
        self,
        ws: Workspace,
        *,
        clock: Clock = utcnow,
        deliver_seconds: float | None = None,
    ) -> None:
        self.ws = ws
        self.clock = clock
        self.deliver_seconds = (
            ws.settings.deliver_seconds if deliver_seconds is None else deliver_seconds
        )
        self.jobs = load_schedule(ws)  # a mistake stops the server's start with its message
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._retry_at: dt.datetime | None = None

    def tick(self) -> list[dict[str, Any]]:
        """Run every job that is due now; returns their records (skips included)."""
        try:
            # kequn.toml edited since (a home city, a time zone): the jobs run with it
            self.ws.reread_settings()
            self.jobs = load_schedule(self.ws)
        except WorkspaceError as exc:  # keep what was last read until kequn.toml is fixed
            log.error("schedule: %s", exc)
        done = []
        self._retry_at = None
        for job in self.jobs.values():
            if self._stop.is_set():
                break
            now = self.clock()
            state = records.read_state(self.ws, job.name)
            if records.parse_time(state.get("served_until")) is None:
                self._first_sight(job, now)
                continue
            if due_time(job, state, now) is None:
                continue
            record = run_job(self.ws, job, trigger="schedule", only_if_due=True, clock=self.clock)
            if record is not None:
                done.append(record)
                if record["outcome"] == "skipped":
                    self._retry_at = now + dt.timedelta(seconds=RETRY_SECONDS)
        return done

    def _first_sight(self, job: Job, now: dt.datetime) -> None:
        with records.job_lock(self.ws, job.name) as held:
            if not held:
                return
            state = records.read_state(self.ws, job.name)
            if records.parse_time(state.get("served_until")) is None:
                state["served_until"] = records.iso(now, zoneinfo.ZoneInfo(job.timezone))
                records.write_state(self.ws, job.name, state)

    def next_wake(self) -> float:
        """Seconds until the next round: the next fire time, a retry, or a minute."""
        now = self.clock()
        wake = now + dt.timedelta(seconds=MAX_WAIT_SECONDS)
        if self._retry_at is not None:
            wake = min(wake, self._retry_at)
        for job in self.jobs.values():
            served = records.parse_time(records.read_state(self.ws, job.name).get("served_until"))
            fire = job.next_after(served or now)
            if fire is not None:
                wake = min(wake, fire)
        return max(0.5, (wake - now).total_seconds())

    def deliver_pass(self) -> dict[str, Any] | None:
        """One pass of the delivery loop (nothing without ``journeys.yaml``)."""
        from kequn.automation.deliver import deliver

        if not _has_journeys(self.ws):
            return None
        tz = zoneinfo.ZoneInfo(self.ws.settings.timezone)
        try:
            totals: dict[str, Any] = dict(deliver(self.ws))
        except Exception as exc:
            totals = {"error": error_text(self.ws, exc)}
            log.error("schedule: delivery failed: %s%s", _kind(exc), _where(exc))
        totals["at"] = records.iso(self.clock(), tz)
        records.write_delivery(self.ws, totals)
        return totals

    # -- threads -----------------------------------------------------------------------
    def start(self) -> Scheduler:
        self._stop.clear()
        self._threads = [threading.Thread(target=self._loop, name="kequn-schedule", daemon=True)]
        if self.deliver_seconds > 0:
            self._threads.append(
                threading.Thread(target=self._deliver_loop, name="kequn-deliver", daemon=True)
            )
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask both loops to end and wait up to ``timeout`` seconds for a step in progress
        (a job cut short by the process ending is recorded ``interrupted`` later; the
        workspace's atomic writes leave its data as before)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
                wait = self.next_wake()
            except Exception:
                log.exception("schedule: round failed")
                wait = MAX_WAIT_SECONDS
            self._stop.wait(wait)

    def _deliver_loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.deliver_pass()
            except Exception:
                log.exception("schedule: delivery loop round failed")
            self._stop.wait(self.deliver_seconds)


# -- what is shown ----------------------------------------------------------------------
def schedule_status(
    ws: Workspace, *, now: dt.datetime | None = None, lang: str | None = None
) -> dict[str, Any]:
    """Each job with its next time and last outcome, and the delivery loop's last pass
    (what ``kequn schedule show``, ``GET /api/schedule`` and the runs page show)."""
    now = now or utcnow()
    tz = zoneinfo.ZoneInfo(ws.settings.timezone)
    jobs = []
    for job in load_schedule(ws, lang).values():
        state = records.read_state(ws, job.name)
        served = records.parse_time(state.get("served_until"))
        fire = job.next_after(served or now)
        running = state.get("running")
        last = state.get("last")
        if isinstance(running, dict) and not records.job_running_elsewhere(ws, job.name):
            last = {**running, "outcome": "interrupted", "error": t("schedule.interrupted", lang)}
            running = None
        recent = records.history(ws, job.name, limit=5)
        jobs.append(
            {
                **job.to_dict(),
                "when": job.when(lang),
                "next": records.iso(fire, tz),
                "overdue": bool(fire is not None and fire <= now),
                "running": running if isinstance(running, dict) else None,
                "last": last if isinstance(last, dict) else None,
                "last_skip": next((r for r in recent if r.get("outcome") == "skipped"), None),
            }
        )
    return {
        "timezone": ws.settings.timezone,
        "jobs": jobs,
        "delivery": {"every_seconds": ws.settings.deliver_seconds, **records.read_delivery(ws)},
    }
