"""Stored models: reused while fresh, refitted when asked, stale, or the data changed shape."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kequn.cli import app
from kequn.demo import demo_workspace
from kequn.ingest.importer import import_file
from kequn.pipeline import run
from kequn.snapshots.reports import model_summary
from kequn.store import models as store
from kequn.store.workspace import Workspace

DAY = dt.date(2026, 9, 29)
ALL = ["bgnbd", "mbgnbd", "gamma_gamma", "churn", "clusters"]


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return demo_workspace(tmp_path_factory.mktemp("stored"), 3000, seed=21)


def test_reuse_refit_and_drift(ws: Workspace, tmp_path: Path) -> None:
    first = run(ws, as_of=DAY)
    fitted = first.models or {}
    assert fitted["stored"]["reused"] == []
    assert sorted(fitted["stored"]["fitted"]) == sorted(ALL)
    assert fitted["stored"]["reason"]["key"] == "models.refit.none"
    kept = json.loads((ws.root / "models" / "fitted.json").read_text(encoding="utf-8"))
    assert kept["as_of"] == DAY.isoformat()
    assert kept["training"]["buyers"] == fitted["buyers"]
    assert kept["quality"]["churn_auc"] == fitted["churn"]["auc"]
    assert sorted(kept["models"]) == ["btyd", "churn", "clusters"]

    # a day later: the same models score the new day
    second = run(ws, as_of=DAY + dt.timedelta(days=1))
    reused = second.models or {}
    assert reused["stored"]["reused"] == ALL
    assert reused["stored"]["fitted_as_of"] == DAY.isoformat()
    assert reused["stored"]["age_days"] == 1
    assert reused["stored"]["drift"]["max_sd"] < store.DRIFT_LIMIT
    assert reused["bgnbd"] == fitted["bgnbd"]
    assert reused["churn"]["auc"] == fitted["churn"]["auc"]
    assert reused["clusters"]["k"] == fitted["clusters"]["k"]
    for lang in ("en", "zh"):
        assert any(DAY.isoformat() in line for line in model_summary(reused, lang))
    # the age in words: "1 day old", and the same day is not "0 days old"
    assert any("(1 day old;" in line for line in model_summary(reused, "en"))
    assert any("（1 天前；" in line for line in model_summary(reused, "zh"))
    same_day = json.loads(json.dumps(reused).replace('"age": 1', '"age": 0'))
    assert any("(the same day as this run;" in line for line in model_summary(same_day, "en"))
    assert not any("0 天前" in line for line in model_summary(same_day, "zh"))
    labels = second.rows(["p_alive", "churn_risk", "cluster"])
    for name in labels.column_names:
        assert labels[name].null_count < labels.num_rows  # scored, not left empty
    # the model file was not rewritten by a reusing run
    again = json.loads((ws.root / "models" / "fitted.json").read_text(encoding="utf-8"))
    assert again["created_at"] == kept["created_at"]

    # --refit (through the command line) fits again
    result = CliRunner().invoke(
        app, ["run", "-w", str(ws.root), "--as-of", "2026-09-30", "--refit", "--json"]
    )
    assert result.exit_code == 0, result.output
    forced = json.loads(result.output[result.output.index("{") :])["models"]
    assert forced["stored"]["reused"] == []
    assert forced["stored"]["reason"]["key"] == "models.refit.forced"
    assert json.loads((ws.root / "models" / "fitted.json").read_text())["as_of"] == "2026-09-30"

    # a changed shape: 500 new buyers who spend a thousand times more
    orders = tmp_path / "big.csv"
    with orders.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["order_id", "customer_id", "order_date", "amount"])
        for i in range(500):
            writer.writerow([f"BIG{i}", f"BIG{i:04d}", "2026-09-20", 5_000_000 + i])
    import_file(ws, "orders", orders, create_customers=True)
    drifted = run(ws, as_of=dt.date(2026, 9, 30)).models or {}
    reason = drifted["stored"]["reason"]
    assert reason["key"] == "models.refit.drift"
    assert reason["params"]["feature"] in ("spend", "avg_order_value")
    assert reason["params"]["sd"] > store.DRIFT_LIMIT
    assert any("spend" in line or "order_value" in line for line in model_summary(drifted, "en"))


def test_a_backdated_run_fits_for_itself_and_keeps_the_newer_models(ws: Workspace) -> None:
    """Replaying history (`kequn run --as-of` an earlier month) fitted models for that date
    and stored them over the newer ones, so the next day's run fitted everything again."""
    latest = run(ws, as_of=dt.date(2026, 9, 30))  # models stored as of 2026-09-30
    kept = json.loads((ws.root / "models" / "fitted.json").read_text(encoding="utf-8"))
    assert kept["as_of"] == "2026-09-30"

    past = run(ws, as_of=dt.date(2026, 6, 30)).models or {}
    assert past["stored"]["reason"]["key"] == "models.refit.backdated"
    assert past["stored"]["reused"] == []
    assert any("kept" in line for line in model_summary(past, "en"))
    assert any("保留" in line for line in model_summary(past, "zh"))
    after = json.loads((ws.root / "models" / "fitted.json").read_text(encoding="utf-8"))
    assert after == kept  # the newer models stay as they were

    nightly = run(ws, as_of=dt.date(2026, 10, 1)).models or {}
    assert nightly["stored"]["reused"] == ALL
    assert nightly["stored"]["fitted_as_of"] == "2026-09-30"
    # the reused models are named, not listed by id (gamma_gamma on a 中文 page)
    zh, en = model_summary(nightly, "zh"), model_summary(nightly, "en")
    assert any("流失风险模型" in line and "Gamma-Gamma 客单价模型" in line for line in zh)
    assert any("BG/NBD, MBG/NBD, Gamma-Gamma, churn risk, clusters" in line for line in en)
    assert not any("gamma_gamma" in line for line in zh + en)
    assert latest.models is not None


def _stored(as_of: str = "2026-09-29") -> store.StoredModels:
    stats = {"buyers": 1000, "features": {"spend": (100.0, 50.0), "orders": (3.0, 2.0)}}
    return store.StoredModels(as_of, "2026-09-29T10:00:00", stats, {}, {})


@pytest.mark.parametrize(
    ("change", "day", "key"),
    [
        ({}, "2026-10-06", None),  # seven days old: still fresh
        ({}, "2026-10-07", "models.refit.stale"),
        ({}, "2026-09-28", "models.refit.backdated"),
        ({"spend": (115.0, 50.0)}, "2026-09-30", "models.refit.drift"),
        ({"spend": (110.0, 50.0)}, "2026-09-30", None),  # 0.2 SD: within the limit
        ({"buyers": 1300}, "2026-09-30", "models.refit.buyers"),
    ],
)
def test_refit_reason(change: dict[str, object], day: str, key: str | None) -> None:
    stored = _stored()
    now = copy.deepcopy(stored.stats)
    if "buyers" in change:
        now["buyers"] = change["buyers"]
    else:
        now["features"].update(change)
    reason, _ = store.refit_reason(stored, dt.date.fromisoformat(day), now, refit_days=7)
    assert (reason or {}).get("key") == key
    # what is known before the features: the date's reasons, not the drift's
    dated = store.dated_reason(stored, dt.date.fromisoformat(day), refit_days=7)
    assert (dated or {}).get("key") == (
        key if key and key.endswith(("stale", "backdated")) else None
    )


def test_refit_reason_when_none_forced_or_another_version() -> None:
    stats = _stored().stats
    today = dt.date(2026, 9, 30)
    assert store.refit_reason(None, today, stats, refit_days=7)[0] == {
        "key": "models.refit.none",
        "params": {},
    }
    forced = store.refit_reason(_stored(), today, stats, refit_days=7, forced=True)[0]
    assert forced is not None
    assert forced["key"] == "models.refit.forced"
    old = _stored()
    old.versions = {**old.versions, "scikit-learn": "0.1"}
    other = store.refit_reason(old, today, stats, refit_days=7)[0]
    assert other is not None
    assert other["key"] == "models.refit.version"
    for stored, forced in ((None, False), (_stored(), True), (old, False)):
        reason = store.refit_reason(stored, today, stats, refit_days=7, forced=forced)[0]
        assert store.dated_reason(stored, today, refit_days=7, forced=forced) == reason


def test_refit_days_is_a_setting(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    assert ws.settings.refit_days == 7
    toml = (ws.root / "kequn.toml").read_text(encoding="utf-8")
    assert "refit_days = 7" in toml
    (ws.root / "kequn.toml").write_text(toml.replace("refit_days = 7", "refit_days = 1"))
    assert Workspace.open(ws.root).settings.refit_days == 1


def test_a_shop_without_buyers_is_not_told_of_models_fitted_or_reused(tmp_path: Path) -> None:
    # two customers, no order: no model can be fitted; the summary says so, once
    path = tmp_path / "customers.csv"
    path.write_text("客户编号,姓名,注册时间\nC1,张三,2024-01-01\nC2,李四,2024-02-01\n", "utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["init", "-w", str(tmp_path / "ws")]).exit_code == 0
    ws = Workspace.open(tmp_path / "ws")
    import_file(ws, "customers", path)
    for _ in range(2):  # fitted (nothing), then the stored nothing read back
        notes = [n["key"] for n in (run(ws, as_of=DAY).models or {}).get("notes", [])]
        assert not {"models.refit.none", "models.reused"} & set(notes), notes
        assert model_summary(run(ws, as_of=DAY).models or {}, "en")[0].startswith("Models: not run")
