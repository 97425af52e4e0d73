"""Retention: old quarantined rows purged on request, runs deleted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kequn import pipeline
from kequn.cli import app
from kequn.ingest.importer import import_file
from kequn.privacy import purge_quarantine
from kequn.snapshots.runs import list_runs
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
    result = CliRunner().invoke(app, ["runs", "delete", first.run_id[:20], "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    assert [r.run_id for r in list_runs(ws)] == [second.run_id]
    assert not Path(first.path).exists()
    missing = CliRunner().invoke(app, ["runs", "delete", "nope", "-w", str(ws.root)])
    assert missing.exit_code != 0


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
