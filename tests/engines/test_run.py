"""Runs, snapshots and reading them back: on demo data every dimension is really used."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from kequn.pipeline import run as run_taxonomy
from kequn.snapshots.read import profile as read_profile
from kequn.snapshots.read import require_run
from kequn.snapshots.read import segments as _segments
from kequn.snapshots.reports import export_segment as _export
from kequn.snapshots.reports import history
from kequn.snapshots.reports import worklist as _worklist
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace
from kequn.taxonomy.model import TaxonomyError


@pytest.fixture
def ws(demo_ws: Workspace, tmp_path: Path) -> Workspace:
    """A private copy, so edits to its taxonomy do not leak into other tests."""
    shutil.copytree(demo_ws.root, tmp_path / "ws", ignore=shutil.ignore_patterns("runs", ".cache"))
    return Workspace.open(tmp_path / "ws")


def test_every_dimension_has_more_than_one_label_on_demo_data(ws: Workspace) -> None:
    run = run_taxonomy(ws)
    assert run.customers == 1500
    for dimension, counts in run.counts.items():
        used = [label for label, n in counts.items() if n > 0]
        assert len(used) > 1, (dimension, counts)
        if dimension not in {"traits", "types"}:
            assert sum(counts.values()) == run.customers, dimension  # exactly one label each


def test_show_explains_every_dimension_in_both_languages(ws: Workspace) -> None:
    run_taxonomy(ws)
    for lang in ("en", "zh"):
        profile = read_profile(require_run(ws), "C00000007", lang)
        assert profile is not None
        exclusive = [d for d in profile["dimensions"] if d["type"] == "exclusive"]
        assert all(len(d["labels"]) == 1 for d in exclusive)
        for dim in exclusive:
            reason = dim["labels"][0]["reason"]
            # the label's reason template, filled in: text, never the rule's code
            assert reason.strip()
            assert "_" not in reason
            assert "'" not in reason
    zh = read_profile(require_run(ws), "C00000007", "zh")
    assert zh is not None
    assert zh["dimensions"][0]["name"] == "生命周期"


def test_history_shows_movement_between_two_runs(ws: Workspace) -> None:
    run_taxonomy(ws, as_of=date.fromisoformat("2026-06-30"))
    run_taxonomy(ws, as_of=date.fromisoformat("2026-09-30"))
    moves = history(ws, "lifecycle")["moves"]
    total = sum(m["customers"] for m in moves)
    assert total == 1500
    assert any(m["before"] == "active" and m["after"] == "dormant" for m in moves) or any(
        m["before"] != m["after"] for m in moves if m["before"] != "(absent)"
    )
    assert len(list_runs(ws)) == 2  # earlier snapshots are kept


def test_segments_worklist_and_export(ws: Workspace, tmp_path: Path) -> None:
    run_taxonomy(ws)
    data = _segments(require_run(ws), "lifecycle", lang="zh")
    assert data["dimensions"][0]["name"] == "生命周期"
    shares = sum(label["share"] for label in data["dimensions"][0]["labels"])
    assert shares == pytest.approx(1.0)
    work = _worklist(require_run(ws), "sales", limit=20)
    assert work
    assert all(w["priority"] >= work[-1]["priority"] for w in work)
    assert work[0]["priority"] == max(w["priority"] for w in work)
    count = _export(require_run(ws), "lifecycle", "dormant", tmp_path / "dormant.csv")
    lines = (tmp_path / "dormant.csv").read_text(encoding="utf-8").splitlines()
    assert count == len(lines) - 1 > 0
    assert _export(require_run(ws), "value", "high", tmp_path / "high.xlsx") > 0


def _edit(ws: Workspace, change) -> None:
    data = yaml.safe_load(ws.taxonomy_path.read_text(encoding="utf-8"))
    change(data)
    ws.taxonomy_path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def test_editing_a_threshold_changes_the_next_run(ws: Workspace) -> None:
    before = run_taxonomy(ws)

    def pin_cycle(data: dict) -> None:
        data["thresholds"]["purchase_cycle_days"] = {"value": 1000}
        data["thresholds"]["churned_p_alive"] = {"value": 0}

    _edit(ws, pin_cycle)
    after = run_taxonomy(ws)
    assert after.params["purchase_cycle_days"] == 1000
    assert after.counts["lifecycle"]["churned"] == 0 < before.counts["lifecycle"]["churned"]
    assert after.taxonomy_version != before.taxonomy_version


def test_adding_a_dimension_needs_no_code(ws: Workspace) -> None:
    def add(data: dict) -> None:
        data["dimensions"].append(
            {
                "id": "vip",
                "zh": "会员",
                "en": "Membership",
                "fallback": {"id": "none", "zh": "无", "en": "None"},
                "labels": [
                    {"id": "gold", "zh": "金卡", "en": "Gold", "when": "attr('会员等级') = '金卡'"},
                    {
                        "id": "big_local",
                        "zh": "本地大客户",
                        "en": "Big local",
                        "when": "city_norm = home_city and spend_pct >= 0.9",
                    },
                ],
            }
        )

    _edit(ws, add)
    run = run_taxonomy(ws)
    assert run.counts["vip"]["gold"] > 0
    assert run.counts["vip"]["big_local"] > 0


def test_a_broken_taxonomy_is_refused_before_running(ws: Workspace) -> None:
    def typo(data: dict) -> None:
        data["dimensions"][0]["labels"][1]["when"] = "days_since_last_ordr > 10"

    _edit(ws, typo)
    with pytest.raises(TaxonomyError, match="did you mean 'days_since_last_order'"):
        run_taxonomy(ws)
    assert list_runs(ws) == []


def test_predictions_are_features_and_stored_with_the_run(ws: Workspace) -> None:
    import duckdb

    run = run_taxonomy(ws)
    assert run.models["status"] == "fitted"
    assert set(run.models["bgnbd"]) == {"r", "alpha", "a", "b"}
    assert run.models["bgnbd_rows"] <= run.models["buyers"]
    stats = duckdb.execute(
        "SELECT min(p_alive), max(p_alive), count(p_alive), count(*) FILTER (WHERE orders > 0), "
        "min(expected_orders_365d), count(*) FILTER (WHERE orders = 0 AND clv_365d IS NOT NULL), "
        f"bool_and(p_alive < 1) FILTER (WHERE purchase_days = 1) FROM {run.rows_sql()}"
    ).fetchone()
    low, high, scored, buyers, fewest, prospects_scored, one_time_alive = stats
    assert 0 <= low < high <= 1
    assert scored == buyers
    assert fewest >= 0
    assert prospects_scored == 0
    assert one_time_alive  # the MBG/NBD does not call one-time buyers certainly alive
    assert run.models["p_alive_model"] == "MBG/NBD"
    profile = read_profile(require_run(ws), "C00000007", "en")
    assert profile is not None
    assert "p_alive" in profile["features"]
