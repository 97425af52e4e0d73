"""Keeping less: rejected rows older than the retention period, and a whole run with its
lookup files (the CLI's ``kequn privacy purge`` and ``kequn runs delete``, and
:mod:`kequn.automation.retention`)."""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
from pathlib import Path

from kequn.core.i18n import t
from kequn.privacy import _delete, _drop_lookups, compact
from kequn.snapshots.read import missing_run, privacy_settings
from kequn.snapshots.runs import get_run
from kequn.store.access import audit
from kequn.store.workspace import Workspace, WorkspaceError

#: the imports whose quarantined rows are older than a cutoff (bound as ``?``): by when
#: the import finished (else started), or by the time its id starts with
_OLD_IMPORTS = """SELECT q.import_id FROM (SELECT DISTINCT import_id FROM quarantine) q
    LEFT JOIN (SELECT import_id, max(coalesce(finished_at, started_at)) AS at
               FROM imports GROUP BY 1) i USING (import_id)
    WHERE coalesce(i.at, try_strptime(left(q.import_id, 14), '%Y%m%d%H%M%S')) < ?"""


def purge_quarantine(
    ws: Workspace,
    days: int | None = None,
    *,
    who: str = "cli",
    now: dt.datetime | None = None,
    dry_run: bool = False,
) -> int:
    """Remove rejected rows of imports older than ``days`` (default: the workspace's
    ``quarantine_days`` under ``[privacy]``); how many were removed (``dry_run``: how
    many would be, nothing removed nor audited)."""
    days = privacy_settings(ws).quarantine_days if days is None else days
    if days is None or days < 0:
        raise WorkspaceError(t("privacy.no_retention"))
    cutoff = (now or dt.datetime.now()) - dt.timedelta(days=days)
    if dry_run:
        with ws.read() as con:
            query = f"SELECT count(*) FROM quarantine WHERE import_id IN ({_OLD_IMPORTS})"
            found = con.execute(query, [cutoff]).fetchone()
        return int(found[0]) if found else 0
    with ws.write() as con:
        removed = _delete(
            con, f"DELETE FROM quarantine WHERE import_id IN ({_OLD_IMPORTS})", cutoff
        )
        if removed:
            compact(con)
    audit(ws, who, "privacy.purge", {"days": days, "removed": removed})
    return removed


def delete_run(ws: Workspace, run_id: str, who: str = "cli") -> str:
    """Remove a run (id or unique prefix) with its lookup files; returns its full id.

    An empty id is refused (as a prefix it matches every run: ``kequn runs delete
    "$RUN"`` with ``RUN`` unset must not delete the only run), and a prefix several runs
    share says so rather than that there is no such run."""
    if not run_id.strip():
        raise WorkspaceError(t("privacy.run_id_empty"))
    run = get_run(ws, run_id)
    if run is None:
        raise WorkspaceError(missing_run(ws, run_id))
    _drop_lookups(run)
    trash = ws.tmp_dir / f"deleted-{run.run_id}-{secrets.token_hex(3)}"
    ws.tmp_dir.mkdir(exist_ok=True)
    Path(run.path).replace(trash)  # gone from runs/ in one rename, then removed
    shutil.rmtree(trash, ignore_errors=True)
    audit(ws, who, "run.delete", {"run_id": run.run_id})
    return run.run_id
