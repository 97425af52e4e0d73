"""Small shops: a BG/NBD fit that is not identified is detected and not used."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from kequn.demo import demo_workspace
from kequn.ingest.importer import import_file
from kequn.models.bgnbd import BetaGeoModel
from kequn.models.mbgnbd import ModifiedBetaGeoModel
from kequn.models.predict import MIN_REPEATERS, unidentified_reasons
from kequn.models.report import clv_holdout_report
from kequn.pipeline import run
from kequn.snapshots.reports import model_summary
from kequn.store.workspace import Workspace
from kequn.taxonomy.model import load_taxonomy

DATA = Path(__file__).parent.parent / "data" / "cdnow"


def _summary() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    table = pacsv.read_csv(DATA / "cdnow_customers_summary_with_monetary.csv")
    x, t_x, big_t = (table[c].to_numpy().astype(float) for c in ("x", "t_x", "T"))
    return x, t_x, big_t


def test_the_full_cdnow_fit_is_identified() -> None:
    x, t_x, big_t = _summary()
    bgnbd = BetaGeoModel().fit(x, t_x, big_t)
    assert unidentified_reasons(bgnbd, ModifiedBetaGeoModel().fit(x, t_x, big_t)) == []
    assert all(se < 0.5 for se in bgnbd.log_param_se_.values())
    assert bgnbd.n_repeaters_ == pytest.approx((x > 0).sum())


@pytest.mark.parametrize("seed", range(4))
def test_58_cdnow_customers_are_too_few(seed: int) -> None:
    """58 customers (as `kequn clv fit` was once given): the estimates run off (a and b
    to the bounds, or r and α with a flat likelihood), and the check says so."""
    x, t_x, big_t = _summary()
    pick = np.random.default_rng(seed).choice(x.size, 58, replace=False)
    bgnbd = BetaGeoModel().fit(x[pick], t_x[pick], big_t[pick])
    mbgnbd = ModifiedBetaGeoModel().fit(x[pick], t_x[pick], big_t[pick])
    reasons = unidentified_reasons(bgnbd, mbgnbd)
    assert {"reason": "repeaters", "repeaters": bgnbd.n_repeaters_} | {
        "minimum": MIN_REPEATERS,
        "model": "BG/NBD",
    } in reasons
    # beyond the count, the estimates themselves are flagged in most samples
    if seed in (0, 2):
        assert any(r["reason"] == "bounds" for r in reasons)
        assert any(r["reason"] == "flat" for r in reasons)


def test_a_few_hundred_customers_are_enough() -> None:
    x, t_x, big_t = _summary()
    pick = np.random.default_rng(1).choice(x.size, 300, replace=False)
    bgnbd = BetaGeoModel().fit(x[pick], t_x[pick], big_t[pick])
    assert (
        unidentified_reasons(bgnbd, ModifiedBetaGeoModel().fit(x[pick], t_x[pick], big_t[pick]))
        == []
    )


def _without_p_alive(ws: Workspace) -> None:
    """The default taxonomy with its P(alive) clauses taken out: the recency rules alone."""
    text = load_taxonomy(None).source_text
    for clause in (
        " or p_alive < churned_p_alive",
        "\n          and coalesce(p_alive, 1) >= loyal_p_alive",
    ):
        assert clause in text
        text = text.replace(clause, "")
    ws.taxonomy_path.write_text(text, encoding="utf-8")


def _labels(path: Path) -> list[dict[str, object]]:
    table = pq.read_table(path)
    keep = [c for c in table.column_names if c == "customer_id" or not c.startswith("_")]
    return sorted(table.select(keep).to_pylist(), key=lambda r: str(r["customer_id"]))


def _check_falls_back(ws: Workspace, as_of: dt.date) -> None:
    first = run(ws, as_of=as_of)
    models = first.models or {}
    assert models["status"] == "unidentified"
    assert models["reasons"]
    labels = first.rows()
    assert labels["p_alive"].null_count == labels.num_rows
    assert labels["clv_pct"].null_count == labels.num_rows
    assert labels["churn_risk"].null_count == labels.num_rows
    for lang in ("en", "zh"):
        lines = model_summary(models, lang)
        assert any("BG/NBD" in line and ("recency" in line or "最近购买" in line) for line in lines)
        assert not any("r=" in line for line in lines)  # no parameters shown as if usable
    # NULL P(alive) leaves the decision to the recency rules: the same labels as a
    # taxonomy without the P(alive) clauses
    _without_p_alive(ws)
    second = run(ws, as_of=as_of, refit=True)
    assert _labels(first.labels_path) == _labels(second.labels_path)
    lifecycle = first.rows(["lifecycle"])["lifecycle"]
    assert lifecycle.null_count < lifecycle.length()


def test_a_generated_30_customer_shop_falls_back_to_the_recency_rules(tmp_path: Path) -> None:
    ws = demo_workspace(tmp_path, 30, seed=3)
    _check_falls_back(ws, dt.date(2026, 9, 30))


def test_58_cdnow_customers_fall_back_to_the_recency_rules(tmp_path: Path) -> None:
    with (DATA / "cdnow_sample_transactions.csv").open() as src:
        rows = list(csv.DictReader(src))
    ids = sorted({r["customer_id"] for r in rows}, key=int)
    chosen = set(np.random.default_rng(0).choice(ids, 58, replace=False).tolist())
    orders = tmp_path / "orders.csv"
    with orders.open("w") as out:
        writer = csv.writer(out)
        writer.writerow(["order_id", "customer_id", "order_date", "amount"])
        for i, row in enumerate(rows):
            if row["customer_id"] in chosen:
                writer.writerow([i + 1, row["customer_id"], row["date"], row["amount"]])
    ws = Workspace.init(tmp_path / "ws")
    import_file(ws, "orders", orders, create_customers=True)
    _check_falls_back(ws, dt.date(1997, 9, 30))


def test_the_holdout_report_says_when_the_fit_is_not_identified(tmp_path: Path) -> None:
    """`kequn clv fit` on 58 customers: the report carries the reasons with its numbers."""
    with (DATA / "cdnow_sample_transactions.csv").open() as src:
        rows = list(csv.DictReader(src))
    ids = sorted({r["customer_id"] for r in rows}, key=int)[:58]
    path = tmp_path / "few.csv"
    with path.open("w") as out:
        writer = csv.writer(out)
        writer.writerow(["customer_id", "date", "amount"])
        for row in rows:
            if row["customer_id"] in ids:
                writer.writerow([row["customer_id"], row["date"], row["amount"]])
    few = clv_holdout_report(path, dt.date(1997, 9, 30))
    assert few.customers == 58
    assert {r["reason"] for r in few.unidentified} >= {"repeaters"}
    full = clv_holdout_report(DATA / "cdnow_sample_transactions.csv", dt.date(1997, 9, 30))
    assert full.unidentified == []
