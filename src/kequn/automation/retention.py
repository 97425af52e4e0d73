"""The retention policy applied: after every run (:func:`kequn.automation.prune_runs`)
and on request (``kequn runs prune``). Which runs it keeps is
:func:`kequn.snapshots.retention.runs_to_remove`; each one removed goes as ``kequn runs
delete`` removes it (:func:`kequn.privacy.retention.delete_run`: its lookup files too, audited).
The segment events, which outlive the runs they compare, have a period of their own
(:func:`prune_events`)."""

from __future__ import annotations

import contextlib
import datetime as dt

from kequn.automation import db
from kequn.core.i18n import t
from kequn.privacy.retention import delete_run
from kequn.snapshots.retention import runs_to_remove
from kequn.snapshots.runs import RunInfo, get_run, list_runs
from kequn.store.access import audit
from kequn.store.workspace import Workspace, WorkspaceError, exclusive


def prune_runs(
    ws: Workspace,
    keep_days: int | None = None,
    keep_monthly: bool | None = None,
    *,
    dry_run: bool = False,
    who: str = "cli",
) -> list[RunInfo]:
    """Remove the runs the retention policy does not keep
    (:func:`kequn.snapshots.retention.runs_to_remove`; by default the workspace's
    ``keep_runs_days`` and ``keep_monthly_runs`` under ``[run]``, and nothing when
    ``keep_runs_days`` is 0); the runs removed (or, with ``dry_run``, that would be).
    One prune at a time per workspace; a run removed meanwhile by someone else is
    skipped."""
    days = runs_period(ws, keep_days)
    monthly = ws.settings.keep_monthly_runs if keep_monthly is None else keep_monthly
    if days == 0:
        return []  # the setting's default, 0: every run is kept
    if not isinstance(monthly, bool):
        raise WorkspaceError(t("runs.bad_keep_monthly", value=repr(monthly)))
    if dry_run:
        return runs_to_remove(list_runs(ws), keep_days=days, keep_monthly=monthly)
    (ws.root / "locks").mkdir(exist_ok=True)
    with exclusive(ws.root / "locks" / "prune.lock", PRUNE_WAIT):
        removed = []
        for run in runs_to_remove(list_runs(ws), keep_days=days, keep_monthly=monthly):
            if get_run(ws, run.run_id) is None:
                continue  # removed meanwhile (kequn runs delete, an erasure)
            delete_run(ws, run.run_id, who)
            removed.append(run)
        done = {"keep_days": days, "monthly": monthly, "removed": len(removed)}
        audit(ws, who, "runs.prune", done)
    return removed


def prune_events(
    ws: Workspace,
    keep_days: int | None = None,
    *,
    dry_run: bool = False,
    who: str = "cli",
    today: dt.date | None = None,
) -> int:
    """Remove the segment events of runs whose as-of date is more than ``keep_days``
    (default: the workspace's ``keep_events_days`` under ``[run]``; 0 keeps every event)
    before the newest run's, or before today if that is earlier (a mistyped future date
    takes nothing with it), and that were processed more than ``keep_days`` ago; how many
    were removed (or, with ``dry_run``, would be). The newest run's events always stay;
    the journeys' assignments and messages, and which runs were processed, are kept.
    A run's events are a file of their own, removed whole (older versions kept them in
    the database, whose rows removed are not compacted away at once: DuckDB reuses their
    space). A daily run of a 1M-customer shop records about a million events, so without a
    period they grow by that every day."""
    days = events_period(ws, keep_days)
    if days == 0 or not db.exists(ws):  # the setting's default, 0: every event is kept
        return 0
    (ws.root / "locks").mkdir(exist_ok=True)
    with exclusive(ws.root / "locks" / "prune.lock", PRUNE_WAIT), db.connect(ws) as con:
        events = db.with_events(con, ws, unrecorded=True)  # a killed processing's too
        found = con.execute(f"SELECT max(as_of) FROM {events}").fetchone()
        newest = found[0] if found else None
        if newest is None:
            return 0
        end = min(newest, today or dt.date.today())
        if days > (end - dt.date.min).days:
            return 0  # before the first day there is: nothing is that old
        cutoff = end - dt.timedelta(days=days)
        # as with the runs, a run made recently keeps its events whatever its date: a
        # backfill's, or a day's after a run dated later, are not removed by the run that
        # wrote them (the journeys' preview and the digests read them)
        made = db.utcnow() - dt.timedelta(days=days)
        old = (
            "as_of < ? AND run_id NOT IN "
            "(SELECT run_id FROM processed_runs WHERE processed_at >= ?)"
        )
        counted = con.execute(
            f"SELECT run_id, count(*) FROM {events} WHERE {old} GROUP BY run_id", [cutoff, made]
        ).fetchall()
        count = sum(int(r[1]) for r in counted)
        if dry_run or count == 0:
            return count
        con.execute(f"DELETE FROM segment_events WHERE {old}", [cutoff, made])
        for run_id, _ in counted:  # a run's events, all of one as-of date, go together
            with contextlib.suppress(ValueError):
                db.event_file(ws, run_id).unlink(missing_ok=True)
    audit(ws, who, "events.prune", {"keep_days": days, "before": str(cutoff), "removed": count})
    return count


def runs_period(ws: Workspace, keep_days: int | None = None) -> int:
    """Days of runs to keep: ``keep_days``, else ``keep_runs_days`` under ``[run]``; 0
    (the setting's default) keeps every run. A bad value is refused, in words."""
    return _period(ws.settings.keep_runs_days, keep_days, "runs")


def events_period(ws: Workspace, keep_days: int | None = None) -> int:
    """Days of segment events to keep: ``keep_days``, else ``keep_events_days`` under
    ``[run]``; 0 (the setting's default) keeps every event."""
    return _period(ws.settings.keep_events_days, keep_days, "events")


def _period(setting: object, given: int | None, kind: str) -> int:
    days = setting if given is None else given
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        if given is not None:
            raise WorkspaceError(t(f"{kind}.bad_keep_days", value=days))
        if days != 0 or isinstance(days, bool):
            raise WorkspaceError(t(f"{kind}.bad_keep_days_setting", value=repr(days)))
        return 0
    return days


#: seconds a prune waits for another one on the same workspace to finish
PRUNE_WAIT = 600.0
