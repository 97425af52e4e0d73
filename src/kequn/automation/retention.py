"""The retention policy applied: after every run (:func:`kequn.automation.prune_runs`)
and on request (``kequn runs prune``). Which runs it keeps is
:func:`kequn.snapshots.retention.runs_to_remove`; each one removed goes as ``kequn runs
delete`` removes it (:func:`kequn.privacy.delete_run`: its lookup files too, audited)."""

from __future__ import annotations

from kequn.core.i18n import t
from kequn.privacy import delete_run
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
    days = ws.settings.keep_runs_days if keep_days is None else keep_days
    monthly = ws.settings.keep_monthly_runs if keep_monthly is None else keep_monthly
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        if keep_days is not None:
            raise WorkspaceError(t("runs.bad_keep_days", value=days))
        if days != 0 or isinstance(days, bool):
            raise WorkspaceError(t("runs.bad_keep_days_setting", value=repr(days)))
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


#: seconds a prune waits for another one on the same workspace to finish
PRUNE_WAIT = 600.0
