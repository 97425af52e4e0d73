"""Why not, and what it would take: which condition of a label fails and by how much, at
the boundaries of value, lifecycle, loyalty and order size (one unit below and at the
threshold), through the function and through ``kequn show --why-not`` on a demo run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from kequn.cli import app
from kequn.snapshots.runs import RunInfo
from kequn.taxonomy.explain import why_not
from kequn.taxonomy.model import Taxonomy

Classify = Callable[..., list[dict[str, Any]]]
PINNED: dict[str, Any] = {  # as tests/taxonomy/conftest.py pins them for classify_rows
    "purchase_cycle_days": 30.0,
    "high_value_spend": 1000.0,
    "medium_value_spend": 300.0,
    "bulk_order_value": 500.0,
    "bulk_quantity": 20.0,
    "small_order_value": 50.0,
    "typical_order_value": 120.0,
    "typical_quantity": 2.0,
    "home_city": "上海",
    "home_province": "上海",
    "home_country": "CN",
}


def params_for(taxonomy: Taxonomy) -> dict[str, Any]:
    out = {name: th.value for name, th in taxonomy.thresholds.items() if th.value is not None}
    return {**out, **PINNED}


# (dimension=label, features one unit short, gap, direction, the same features at the line)
BOUNDARIES: list[tuple[str, dict[str, Any], float, str, str, dict[str, Any]]] = [
    (
        "value=high",
        {"orders": 3, "spend": 999, "days_since_first_order": 400},
        1,
        "¥1",
        "up",
        {"spend": 1000},
    ),
    (
        "lifecycle=loyal",
        {"orders": 2, "days_since_last_order": 10, "days_since_first_order": 200},
        1,
        "1",
        "up",
        {"orders": 3},
    ),
    (
        "lifecycle=loyal",
        {"orders": 3, "days_since_last_order": 10, "days_since_first_order": 179},
        1,
        "1 day",
        "up",
        {"days_since_first_order": 180},
    ),
    (
        "loyalty=high",
        {
            "orders": 3,
            "tenure_days": 179,
            "days_since_last_order": 10,
            "days_since_first_order": 179,
            "full_price_share": 0.9,
        },
        1,
        "1 day",
        "up",
        {"tenure_days": 180},
    ),
    (
        "loyalty=medium",
        {"orders": 2, "days_since_last_order": 121, "days_since_first_order": 300},
        1,
        "1 day",
        "down",
        {"days_since_last_order": 120},
    ),
    (
        "order_size=bulk",
        {"orders": 3, "purchase_days": 3, "cv_days_between_orders": 0.1, "avg_order_value": 499},
        1,
        "¥1",
        "up",
        {"avg_order_value": 500},
    ),
    (
        "order_size=bulk",
        {"orders": 2, "purchase_days": 2, "cv_days_between_orders": 0.1, "avg_order_value": 900},
        1,
        "1",
        "up",
        {"orders": 3, "purchase_days": 3},
    ),
]


@pytest.mark.parametrize(
    ("spec", "below", "gap", "gap_text", "direction", "at"),
    BOUNDARIES,
    ids=[f"{b[0]}-{i}" for i, b in enumerate(BOUNDARIES)],
)
def test_one_unit_short_then_at_the_line(
    classify_rows: Classify,
    taxonomy: Taxonomy,
    spec: str,
    below: dict[str, Any],
    gap: float,
    gap_text: str,
    direction: str,
    at: dict[str, Any],
) -> None:
    dimension, label = spec.split("=")
    short, reached = classify_rows([below, {**below, **at}])
    params = params_for(taxonomy)
    assert short[dimension] != label
    answer = why_not(taxonomy, short, params, dimension, label, "en")
    assert not answer["met"]
    assert not answer["has"]
    assert answer["gap"] is not None, answer["summary"]
    assert answer["gap"]["gap"] == pytest.approx(gap)
    assert answer["gap"]["gap_text"] == gap_text
    assert answer["gap"]["direction"] == direction
    assert answer["hint"] == answer["summary"]
    assert [c["met"] for c in answer["conditions"]].count(False) == 1
    zh = why_not(taxonomy, short, params, dimension, label, "zh")
    assert ("再增加" if direction == "up" else "减少") in zh["hint"]
    assert f"{gap_text.replace(' day', ' 天')}" in zh["hint"]

    assert reached[dimension] == label
    done = why_not(taxonomy, reached, params, dimension, label, "en")
    assert done["met"]
    assert done["has"]
    assert done["gap"] is None
    assert all(c["met"] for c in done["conditions"])


def test_the_value_example(taxonomy: Taxonomy) -> None:
    row = {"orders": 4, "spend": 5200.0, "days_since_first_order": 400, "value": "medium"}
    params = {**params_for(taxonomy), "high_value_spend": 6333.0}
    answer = why_not(taxonomy, row, params, "value", "high", "en")
    bought, condition, above_median = answer["conditions"]
    assert bought["met"]
    assert above_median["met"]
    assert condition["text"] == (
        "total spend ¥5,200; needs ≥ ¥6,333 (high-value spend (top 20%)): ¥1,133 more"
    )
    assert answer["hint"] == "total spend: ¥1,133 more makes this customer high value"
    zh = why_not(taxonomy, row, params, "value", "high", "zh")
    assert zh["conditions"][1]["text"] == (
        "累计消费 ¥5,200；需 ≥ ¥6,333（高价值消费线（前20%））：还差 ¥1,133"
    )
    assert zh["hint"] == "累计消费再增加 ¥1,133 即成为高价值"


def test_or_takes_the_closest_path_and_blocking_labels_are_named(
    classify_rows: Classify, taxonomy: Taxonomy
) -> None:
    # bulk by value (¥1 short) is closer than bulk by items (19 short)
    (row,) = classify_rows(
        [
            {
                "orders": 3,
                "purchase_days": 3,
                "cv_days_between_orders": 0.1,
                "avg_order_value": 499,
                "avg_quantity": 1,
            }
        ]
    )
    answer = why_not(taxonomy, row, params_for(taxonomy), "order_size", "bulk", "en")
    assert answer["gap"]["feature"] == "avg_order_value"
    # a new customer with enough orders is still new: 'new' comes before 'loyal'
    (new,) = classify_rows(
        [{"orders": 5, "days_since_last_order": 5, "days_since_first_order": 60}]
    )
    assert new["lifecycle"] == "new"
    answer = why_not(taxonomy, new, params_for(taxonomy), "lifecycle", "loyal", "en")
    assert answer["blocked_by"] == [{"label": "new", "name": "New"}]
    assert answer["gap"] is None
    assert answer["hint"] is None
    # a condition without a distance is still explained, in words not codes
    (person,) = classify_rows([{"nature": "individual"}])
    answer = why_not(taxonomy, person, params_for(taxonomy), "customer_nature", "enterprise", "en")
    assert answer["gap"] is None
    assert "'" not in answer["conditions"][0]["text"]


def test_unknown_dimension_or_label_is_a_value_error(taxonomy: Taxonomy) -> None:
    with pytest.raises(ValueError, match="There is no dimension valu; known: lifecycle"):
        why_not(taxonomy, {}, {}, "valu", "high")
    with pytest.raises(ValueError, match="has no label hihg; known: high"):
        why_not(taxonomy, {}, {}, "value", "hihg")
    # in the reader's language (the reasons were English in 中文 output)
    with pytest.raises(ValueError, match="没有维度 valu"):
        why_not(taxonomy, {}, {}, "valu", "high", "zh")
    with pytest.raises(ValueError, match="维度 value 没有标签 hihg"):
        why_not(taxonomy, {}, {}, "value", "hihg", "zh")


# -- through the CLI, on a demo run with thresholds pinned at a customer's values ----------
runner = CliRunner()


def _labels(run: RunInfo) -> list[dict[str, Any]]:
    return run.rows().to_pylist()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, list[dict[str, Any]]]:
    from kequn.demo import demo_workspace
    from kequn.pipeline import run

    ws = demo_workspace(tmp_path_factory.mktemp("whynot"), 150, seed=3)
    return ws, _labels(run(ws, with_models=False))


def _pin(ws: Any, **values: float) -> RunInfo:
    from kequn.pipeline import run

    data = yaml.safe_load(Path(ws.taxonomy_path).read_text(encoding="utf-8"))
    for name, value in values.items():
        data["thresholds"][name] = {"value": value}
    Path(ws.taxonomy_path).write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return run(ws, with_models=False)


def _why(ws: Any, run: RunInfo, customer: str, spec: str, lang: str = "en") -> dict[str, Any]:
    args = ["--lang", lang, "show", customer, "-w", str(ws.root), "--run", run.run_id]
    result = runner.invoke(app, [*args, "--why-not", spec, "--json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def test_why_not_through_the_cli_at_the_boundaries(demo: tuple[Any, list[dict[str, Any]]]) -> None:
    ws, rows = demo
    buyers = [r for r in rows if (r["orders"] or 0) >= 2]
    # loyalty=medium: orders = 2, recency one day over 4 × the purchase cycle
    b = next(r for r in buyers if r["orders"] == 2 and r["days_since_last_order"] >= 8)
    # value=high: one yuan short; order size=bulk: one yuan short on order value (a buyer
    # on a steady cycle: bulk needs one)
    steady = [
        r for r in buyers if r["purchase_days"] >= 3 and (r["cv_days_between_orders"] or 1) <= 0.5
    ]
    a = max(steady, key=lambda r: r["spend"])
    cycle_below = (b["days_since_last_order"] - 1) / 4
    # lifecycle=loyal: one order short, tenure exactly at the line; active under this cycle
    c = next(
        r
        for r in rows
        if (r["orders"] or 0) >= 1
        and r["days_since_first_order"] > 90
        and r["days_since_last_order"] <= 2 * cycle_below
        and r["customer_id"] not in (a["customer_id"], b["customer_id"])
    )
    pins_below = {
        "purchase_cycle_days": cycle_below,
        "high_value_spend": a["spend"] + 1,
        "bulk_order_value": a["avg_order_value"] + 1,
        "bulk_quantity": 1e6,
        "loyal_min_orders": c["orders"] + 1,
        "loyal_min_tenure_days": c["days_since_first_order"],
    }
    run = _pin(ws, **pins_below)
    value = _why(ws, run, a["customer_id"], "value=high")
    assert value["gap"]["gap"] == pytest.approx(1)
    assert value["gap"]["direction"] == "up"
    size = _why(ws, run, a["customer_id"], "order_size=bulk")
    assert size["gap"]["gap"] == pytest.approx(1)
    loyalty = _why(ws, run, b["customer_id"], "loyalty=medium")
    assert loyalty["gap"]["gap"] == 1
    assert loyalty["gap"]["direction"] == "down"
    lifecycle = _why(ws, run, c["customer_id"], "lifecycle=loyal")
    assert lifecycle["gap"]["feature"] == "orders"
    assert lifecycle["gap"]["gap"] == 1
    zh = runner.invoke(
        app,
        [
            "--lang",
            "zh",
            "show",
            c["customer_id"],
            "-w",
            str(ws.root),
            "--run",
            run.run_id,
            "--why-not",
            "lifecycle=loyal",
        ],
    ).output
    assert "订单数再增加 1 即成为忠诚客户" in zh
    assert "✗" in zh
    en = runner.invoke(
        app,
        [
            "--lang",
            "en",
            "show",
            a["customer_id"],
            "-w",
            str(ws.root),
            "--run",
            run.run_id,
            "--why-not",
            "value=high",
        ],
    ).output
    assert "total spend: ¥1 more makes this customer high value" in en

    run = _pin(
        ws,
        **{
            **pins_below,
            "purchase_cycle_days": b["days_since_last_order"] / 4,
            "high_value_spend": a["spend"],
            "bulk_order_value": a["avg_order_value"],
            "loyal_min_orders": c["orders"],
        },
    )
    for customer, spec in [
        (a, "value=high"),
        (a, "order_size=bulk"),
        (b, "loyalty=medium"),
        (c, "lifecycle=loyal"),
    ]:
        answer = _why(ws, run, customer["customer_id"], spec)
        assert answer["has"], (spec, answer["summary"])
        assert answer["met"], (spec, answer["summary"])


def test_a_bad_why_not_says_what_it_takes(demo: tuple[Any, list[dict[str, Any]]]) -> None:
    ws, rows = demo
    result = runner.invoke(
        app,
        ["--lang", "en", "show", rows[0]["customer_id"], "-w", str(ws.root), "--why-not", "value"],
    )
    assert result.exit_code == 2
    assert "DIMENSION=LABEL" in result.output


def test_the_worklist_gives_a_hint_where_one_number_decides(
    demo: tuple[Any, list[dict[str, Any]]],
) -> None:
    from kequn.snapshots import read, reports

    ws, _ = demo
    run = read.require_run(ws, None)
    items = [
        item
        for team in ("marketing", "sales", "service")
        for item in reports.worklist(run, team, lang="en", limit=500)
    ]
    assert all("hint" in item for item in items)
    hinted = [item for item in items if item["hint"]]
    assert hinted, "no worklist item has a hint"
    assert all("makes this customer" in item["hint"] for item in hinted)
