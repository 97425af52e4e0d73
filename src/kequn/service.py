"""Workspace-level questions shared by the CLI and the REST API (neither holds logic of its own)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kequn.core.schema import TABLES
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace


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
        "runs": [r.summary() for r in list_runs(ws)[:5]],
    }
