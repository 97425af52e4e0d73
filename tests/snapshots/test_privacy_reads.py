"""Reading a run without leaking: rule previews and personal fields, spreadsheet-safe
exports, and marketing consent in worklists and campaign exports."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from kequn import pipeline
from kequn.cli import app
from kequn.demo import demo_workspace
from kequn.ingest.importer import import_file
from kequn.snapshots import read, reports
from kequn.snapshots.runs import RunInfo

HOSTILE = {
    "X-EQ": '=HYPERLINK("http://evil","x")',
    "X-PLUS": "+1+1",
    "X-MINUS": "-2+3",
    "X-AT": "@SUM(A1:A9)",
    "X-TAB": "\t=1",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> RunInfo:
    ws = demo_workspace(tmp_path_factory.mktemp("reads"), 200)
    extra = ws.root.parent / "hostile.csv"
    with extra.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["客户编号", "姓名", "城市", "来源"])
        for cid, text in HOSTILE.items():
            writer.writerow([cid, text, "=cmd|' /C calc'!A0", "@evil"])
    import_file(ws, "customers", extra, create_customers=False)
    return pipeline.run(ws, with_models=False)


def _segment_of(run: RunInfo, customer_id: str) -> str:
    rows = run.rows().to_pylist()
    return next(r["lifecycle"] for r in rows if r["customer_id"] == customer_id)


# -- previews ------------------------------------------------------------------------
def test_viewers_cannot_preview_rules_on_personal_fields(run: RunInfo) -> None:
    name = next(r["name"] for r in run.rows().to_pylist() if r["name"])
    for rule in (f"name = '{name}'", "starts_with(name, '王')", "attr('会员等级') = '金卡'"):
        refused = read.preview(run, rule)
        assert refused["ok"] is False
        assert "personal" in refused["error"]
        allowed = read.preview(run, rule, allow_personal=True)
        assert allowed["ok"] is True, rule
    assert read.preview(run, f"name = '{name}'", allow_personal=True)["matched"] >= 1
    assert read.preview(run, "orders >= 1")["ok"] is True  # the rest stays open to viewers


def test_attributes_declared_public_may_be_previewed(run: RunInfo) -> None:
    toml = run.workspace.root / "kequn.toml"
    before = toml.read_text(encoding="utf-8")
    toml.write_text(before + '\n[privacy]\npublic_attributes = ["会员等级"]\n', encoding="utf-8")
    try:
        assert read.preview(run, "attr('会员等级') = '金卡'")["ok"] is True
        assert read.preview(run, "attr('手机') = '1'")["ok"] is False
    finally:
        toml.write_text(before, encoding="utf-8")


# -- exports ---------------------------------------------------------------------------
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def test_csv_export_neutralises_formulas(run: RunInfo, tmp_path: Path) -> None:
    out = tmp_path / "seg.csv"
    reports.export_segment(run, "lifecycle", _segment_of(run, "X-EQ"), out)
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    hostile = [r for r in rows if r["customer_id"] in HOSTILE]
    assert hostile
    for row in hostile:
        assert row["name"] == "'" + HOSTILE[row["customer_id"]].strip()
        assert row["city"].startswith("'=")
    for row in rows:
        for value in row.values():
            if value and value.startswith(FORMULA):
                float(value)  # only numbers (a negative one) may start so
        float(row["spend"] or 0)


def test_xlsx_export_has_no_formula_cells(run: RunInfo, tmp_path: Path) -> None:
    out = tmp_path / "seg.xlsx"
    count = reports.export_segment(run, "lifecycle", _segment_of(run, "X-EQ"), out)
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert sheet.max_row == count + 1
    assert all(c.data_type != "f" for c in cells)
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA)]
    assert risky
    # text cells with Excel's quote prefix (what typing ' gives), not a ' in the value
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    names = {
        sheet.cell(r, 1).value: sheet.cell(r, header.index("name") + 1).value
        for r in range(2, sheet.max_row + 1)
    }
    assert names["X-PLUS"] == "+1+1"
    spend = header.index("spend")
    assert all(c.data_type == "n" for c in (row[spend] for row in sheet.iter_rows(min_row=2)))


# -- consent ---------------------------------------------------------------------------
def _consent(run: RunInfo) -> dict[str, Any]:
    return {r["customer_id"]: r["marketing_consent"] for r in run.rows().to_pylist()}


def test_marketing_worklists_leave_out_who_did_not_consent(run: RunInfo) -> None:
    consent = _consent(run)
    assert False in consent.values()
    rows = reports.worklist(run, "marketing", limit=10_000)
    assert rows
    assert all(consent[r["customer_id"]] is not False for r in rows)
    assert any(r["marketing_consent"] is True for r in rows)


def test_marketing_worklists_can_flag_instead(run: RunInfo) -> None:
    toml = run.workspace.root / "kequn.toml"
    before = toml.read_text(encoding="utf-8")
    toml.write_text(before + '\n[privacy]\nmarketing_consent = "flag"\n', encoding="utf-8")
    try:
        rows = reports.worklist(run, "marketing", limit=10_000)
    finally:
        toml.write_text(before, encoding="utf-8")
    consent = _consent(run)
    flagged = [r for r in rows if r["marketing_consent"] is False]
    assert flagged
    assert all(consent[r["customer_id"]] is False for r in flagged)


def test_other_teams_are_not_filtered(run: RunInfo) -> None:
    rows = reports.worklist(run, "service", limit=10_000)
    assert all("marketing_consent" not in r for r in rows)


def test_campaign_export_with_consent_only(run: RunInfo, tmp_path: Path) -> None:
    consent = _consent(run)
    label = max(run.counts["lifecycle"], key=lambda k: run.counts["lifecycle"][k])
    everyone = reports.export_segment(run, "lifecycle", label, tmp_path / "all.csv")
    out = tmp_path / "consented.csv"
    result = CliRunner().invoke(
        app,
        [
            "export",
            f"lifecycle={label}",
            "-o",
            str(out),
            "-w",
            str(run.workspace.root),
            "--run",
            run.run_id,
            "--consent-only",
        ],
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as fh:
        ids = [r["customer_id"] for r in csv.DictReader(fh)]
    assert 0 < len(ids) < everyone
    assert all(consent[i] is True for i in ids)
