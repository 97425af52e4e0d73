"""Rules beyond what the checker, the compiler and the engines can handle are refused
with a clear message (in both languages), not a RecursionError or a broken run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import pytest

from kequn.core.rules import RuleError, compile_rule, parse_rule, render_reason
from kequn.core.rules._limits import MAX_DEPTH, MAX_LENGTH, MAX_TERMS
from kequn.taxonomy.model import TaxonomyError, parse_taxonomy

CATALOGUE = {"a": "number", "vip": "bool", "city": "string"}
TABLE = ibis.table({"a": "float64", "vip": "boolean", "city": "string"}, name="t")


def nested(depth: int, call: Callable[[], Any]) -> Any:
    """Call ``call`` from ``depth`` frames down, as a web handler or a test runner does."""
    return call() if depth == 0 else nested(depth - 1, call)


TOO_BIG = [
    ("60 nested parentheses", "(" * 60 + "vip" + ")" * 60, "nested too deeply"),
    ("1000 or terms", " or ".join(["vip"] * 1000), "too long"),
    ("150 or terms", " or ".join(["vip"] * 150), "too many conditions"),
    ("many additions", " + ".join(["a"] * 150) + " > 1", "too many conditions"),
    ("a chain of not", "not " * 300 + "vip", "nested too deeply"),
    ("nested functions", "abs(" * 40 + "a" + ")" * 40 + " > 1", "nested too deeply"),
    ("a long rule", "city = '" + "x" * MAX_LENGTH + "'", "too long"),
    ("a 5,000-digit number", "a > " + "9" * 1500, "out of range"),
    ("beyond 1e15", "a > 1e16", "out of range"),
    ("16 significant digits", "a > 1234567890.123456", "out of range"),
    ("a negative beyond", "a > -2000000000000000", "out of range"),
    ("in a list", "a in (1, 99999999999999999)", "out of range"),
]


@pytest.mark.parametrize(("what", "text", "message"), TOO_BIG, ids=[c[0] for c in TOO_BIG])
def test_oversized_rules_are_refused_clearly(what: str, text: str, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        nested(300, lambda: parse_rule(text, CATALOGUE))
    assert message in caught.value.message_en, what
    assert caught.value.message_zh
    assert caught.value.message_zh != caught.value.message_en


WITHIN = [
    ("the deepest nesting allowed", "(" * MAX_DEPTH + "vip" + ")" * MAX_DEPTH),
    ("the most terms allowed", " or ".join(["vip"] * MAX_TERMS)),
    ("additions up to the limit", " + ".join(["a"] * (MAX_TERMS - 1)) + " > 1"),
    ("nesting and terms together", " or ".join(["(" * 18 + "not vip" + ")" * 18] * 40)),
    ("negative numbers in a long list", "a in (" + ", ".join(["-1"] * 300) + ")"),
    ("the largest number", "a < 1e15 and a > -999999999999999"),
    ("15 significant digits", "a > 12345.6789012345"),
    ("small decimals", "a > 0.000001"),
]


@pytest.mark.parametrize(("what", "text"), WITHIN, ids=[c[0] for c in WITHIN])
def test_rules_at_the_limits_parse_compile_and_explain(what: str, text: str) -> None:
    rule = nested(300, lambda: parse_rule(text, CATALOGUE))
    expr = nested(300, lambda: compile_rule(rule, TABLE))
    assert "SELECT" in nested(300, lambda: ibis.to_sql(TABLE.filter(expr)))
    assert nested(300, lambda: render_reason(rule, {"a": 1.0, "vip": True}, {}, "en")), what


TAXONOMY_HEAD = "version: '1'\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (TAXONOMY_HEAD + "dimensions: []\n", "no dimensions"),
        (
            TAXONOMY_HEAD + "dimensions:\n- {id: tier, zh: 层级, en: tier, labels: []}\n",
            "tier: has no labels",
        ),
    ],
)
def test_an_empty_taxonomy_is_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(TaxonomyError, match=reason):
        parse_taxonomy(text)


def test_a_taxonomy_with_an_oversized_rule_names_the_label() -> None:
    text = (
        TAXONOMY_HEAD
        + "dimensions:\n- id: tier\n  zh: 层级\n  en: tier\n  labels:\n"
        + "  - {id: big, zh: 大, en: big, when: 'orders > 1e300'}\n"
    )
    with pytest.raises(TaxonomyError, match=r"tier\.big: the number 1e300 is out of range"):
        parse_taxonomy(text)
