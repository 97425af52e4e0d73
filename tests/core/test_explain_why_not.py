"""A rule for one customer in Python: the fallback reason reads without code, the rule
evaluates as the compiled one does (missing is unknown), and the closest way to hold
says which condition fails and by how much."""

from __future__ import annotations

from typing import Any

import ibis
import pytest

from kequn.core.rules import closest_paths, compile_rule, evaluate, holds, parse_rule, render_reason

CATALOGUE = {
    "orders": "number",
    "spend": "number",
    "days": "number",
    "cycle": "number",
    "line": "number",
    "channel": "string",
    "share": "number",
    "p": "number",
}
FIXED = {"cycle", "line"}


def test_the_fallback_reason_has_no_quotes_or_coalesce() -> None:
    rule = parse_rule(
        "channel = 'offline' or (coalesce(channel, 'unknown') in ('unknown', 'other') "
        "and share < 0.5)",
        CATALOGUE,
    )
    text = render_reason(rule, {"channel": None, "share": 0.1}, {"channel": "channel"}, "en")
    assert "'" not in text
    assert "coalesce" not in text
    assert (
        text == "channel (—) = offline or (channel (—) in (unknown, other) and share (0.1) < 0.5)"
    )


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("orders >= 3 and spend > 100", {"orders": 3, "spend": None}),
        ("orders >= 3 or spend > 100", {"orders": 3, "spend": None}),
        ("not (orders between 1 and 2)", {"orders": 2}),
        ("channel in ('a', 'b') or channel is null", {"channel": None}),
        ("coalesce(p, 1) >= 0.5 and days / cycle > 2", {"p": None, "days": 70, "cycle": 30}),
        ("days / cycle > 2", {"days": 70, "cycle": 0}),
        ("upper(channel) = 'A' and length(channel) = 1", {"channel": "a"}),
    ],
)
def test_python_evaluation_matches_the_compiled_rule(text: str, values: dict[str, Any]) -> None:
    rule = parse_rule(text, CATALOGUE)
    kinds = {"number": "float64", "string": "string"}
    row = {name: values.get(name) for name in CATALOGUE}
    table = ibis.memtable([row], schema={n: kinds[k] for n, k in CATALOGUE.items()})
    compiled = ibis.duckdb.connect().to_pyarrow(
        table.select(out=compile_rule(rule, table).fill_null(False))
    )
    assert holds(rule, values) == compiled.to_pylist()[0]["out"]
    assert evaluate(parse_rule("orders >= 3 and spend > 1", CATALOGUE), {"orders": 3}) is None


def test_the_closest_path_and_its_gap() -> None:
    rule = parse_rule("orders >= 2 and (spend >= line or days > 2 * cycle)", CATALOGUE)
    values = {"orders": 2, "spend": 90.0, "line": 100.0, "days": 10, "cycle": 30}
    best = closest_paths(rule, values, FIXED, {"orders", "days"})[0]
    assert [c.met for c in best.conditions] == [True, False]
    gap = best.unmet[0]
    assert gap.subject_name == "spend"
    assert gap.gap == pytest.approx(10)
    assert gap.direction == "up"
    # whole steps: days > 60 needs 61
    values["spend"] = 10.0
    best = closest_paths(rule, values, FIXED, {"orders", "days"})[0]
    assert best.unmet[0].subject_name == "days"
    assert best.unmet[0].needed == 61
    assert best.unmet[0].gap == 51


def test_no_distance_where_none_makes_sense() -> None:
    rule = parse_rule("channel = 'online' and orders <= 1 and spend > orders", CATALOGUE)
    best = closest_paths(rule, {"channel": "offline", "orders": 3, "spend": 1}, FIXED, {"orders"})
    text, count, features = best[0].conditions
    assert text.gap is None
    assert count.gap == 2
    assert count.direction == "down"
    assert features.gap is None  # both sides are the customer's
