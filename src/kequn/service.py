"""Workspace-level questions shared by the CLI and the REST API (neither holds logic of its own)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from kequn.core.i18n import t
from kequn.core.schema import TABLES
from kequn.engines.as_of import local_today
from kequn.snapshots.runs import listing
from kequn.store.workspace import Workspace, WorkspaceError


def workspace_status(ws: Workspace) -> dict[str, Any]:
    with ws.read() as con:
        counts = {
            name: int(con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])  # type: ignore[index]
            for name in TABLES
        }
        quarantined = con.execute("SELECT severity, count(*) FROM quarantine GROUP BY 1").fetchall()
        imports = con.execute(
            'SELECT "table", file, finished_at, accepted, rejected FROM imports '
            "ORDER BY finished_at DESC LIMIT 5"
        ).fetchall()
    return {
        "workspace": str(ws.root),
        "generation": ws.current_generation(),
        "settings": ws.settings.to_toml(),
        "counts": counts,
        "quarantine": {str(k): int(v) for k, v in quarantined},
        "recent_imports": [
            {"table": a, "file": Path(b).name, "finished_at": str(c), "accepted": d, "rejected": e}
            for a, b, c, d, e in imports
        ],
        # the five made last, and the current run (the latest as-of date) if not among them
        "runs": listing(ws, 5),
    }


def earliest_date(ws: Workspace) -> dt.date | None:
    """The earliest date in the workspace's data: a customer's creation, an order or an
    interaction (None: no dated row)."""
    with ws.read() as con:
        found = con.execute(
            "SELECT least((SELECT min(created_at) FROM customers)::DATE,"
            " (SELECT min(ordered_at) FROM orders)::DATE,"
            " (SELECT min(occurred_at) FROM events)::DATE)"
        ).fetchone()
    return found[0] if found else None


def before_data(ws: Workspace, as_of: dt.date | None) -> dt.date | None:
    """The workspace's earliest date when ``as_of`` comes before it, else None. A run
    as of such a date knows no customer yet: it classified nobody and, made last, became
    the run the dashboard shows (``kequn run --as-of 1990-01-01``); the CLI and the API
    refuse it unless asked for it."""
    if as_of is None:
        return None
    earliest = earliest_date(ws)
    return earliest if earliest is not None and as_of < earliest else None


class SettingRefusedError(WorkspaceError):
    """kequn.toml's ``[run] as_of`` refused by :func:`refuse_setting`; ``code`` says why
    (``as_of_after_today`` or ``as_of_before_data``, the API's error codes)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def refuse_setting(
    ws: Workspace, lang: str | None = None, *, allow_before_data: bool = False
) -> None:
    """:class:`SettingRefusedError` (in ``lang``) naming kequn.toml's ``[run] as_of``, which a
    run given no date takes (``kequn run``, ``import --run``, the schedule's nightly run,
    the dashboard's button), when it is a date:

    - after the workspace's today (in its time zone): every such run classified customers
      as if nobody bought until that day, with only a warning. ``kequn run --as-of`` a
      later date is a one-off the user typed and still runs, with that warning; a date
      after the last order (a quiet shop) is fine;
    - before the workspace's earliest data, unless ``allow_before_data``: ``as_of =
      1990-01-01`` made the empty newest run that ``kequn run --as-of 1990-01-01`` and
      ``POST /api/runs`` refuse, every night of the schedule.

    Nothing for "latest", "today" or a date within the data."""
    rule = str(ws.settings.as_of or "latest")
    if rule in ("latest", "today"):
        return
    day = dt.date.fromisoformat(rule)  # checked when the settings were read
    today = local_today(ws.settings.timezone)
    if day > today:
        said = t("run.setting_after_today", lang, as_of=day, today=today)
        raise SettingRefusedError(said, "as_of_after_today")
    earliest = None if allow_before_data else before_data(ws, day)
    if earliest is not None:
        said = t("run.setting_before_data", lang, as_of=day, earliest=earliest)
        raise SettingRefusedError(said, "as_of_before_data")
