"""Compiling a checked rule to an Ibis boolean expression."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
from sqlglot import exp

from kequn.core.rules._grammar import (
    ARITHMETIC,
    COMPARISONS,
    Node,
    Rule,
    _arguments,
    _function_name,
    _python,
)


def compile_rule(
    rule: Rule, table: ir.Table, params: Mapping[str, object] | None = None
) -> ir.BooleanValue:
    """The rule as an Ibis boolean over ``table``. Names in ``params`` become their values
    (:func:`threshold_value`: numbers as DOUBLEs, Ibis values as given).

    The result follows SQL's NULL logic (a comparison with a missing value is NULL); the
    taxonomy engine treats NULL as "does not match".
    """
    return _Compiler(table, params or {}).compile(rule.tree)


def threshold_value(value: object) -> Any:
    """A threshold's value in a rule's expression: an Ibis value as given (a column of a
    joined table), a number as a DOUBLE, anything else as a literal.

    Ibis writes a float literal as a bare number, which DuckDB and Spark SQL read as a
    DECIMAL: ``3 * 20.333333333333332`` (a purchase cycle of 61/3 days) is then a little
    under 61 in the SQL but exactly 61 in Python's floats, where the reasons and "why
    not" are worked out. As a DOUBLE the rule gives the same answer in every engine, in
    the run's labels whether the number comes as a literal or from a table's float64
    column (:func:`kequn.taxonomy.evaluate.apply_taxonomy`), and in the explanations.
    The number goes through its shortest round-trip text (``repr``), which Ibis does not
    fold back into a bare literal."""
    if isinstance(value, ir.Value):
        return value
    if isinstance(value, float):
        return ibis.literal(repr(value)).cast("float64")
    return ibis.literal(value)


def _null_literal(value: Any) -> bool:
    """Whether ``value`` is a NULL literal (a threshold or setting that has no value)."""
    op = value.op() if isinstance(value, ir.Value) else None
    return isinstance(op, ops.Literal) and op.value is None


class _Compiler:
    def __init__(self, table: ir.Table, params: Mapping[str, object]) -> None:
        self.table = table
        self.params = params

    def compile(self, node: Node) -> Any:
        c = self.compile
        if isinstance(node, exp.Paren):
            return c(node.this)
        if isinstance(node, exp.And):
            return c(node.left) & c(node.right)
        if isinstance(node, exp.Or):
            return c(node.left) | c(node.right)
        if isinstance(node, exp.Not):
            return ~c(node.this)
        if type(node) in COMPARISONS:
            left, right = c(node.left), c(node.right)
            if _null_literal(left) or _null_literal(right):
                # unknown, as SQL and the reasons' evaluator have it: Ibis would write
                # ``x = NULL`` as ``x IS NULL`` (an unset home city matched every
                # customer without a city as local)
                return ibis.null("boolean")
            ops: dict[str, Callable[[Any, Any], Any]] = {
                "=": lambda a, b: a == b,
                "!=": lambda a, b: a != b,
                ">": lambda a, b: a > b,
                ">=": lambda a, b: a >= b,
                "<": lambda a, b: a < b,
                "<=": lambda a, b: a <= b,
            }
            return ops[COMPARISONS[type(node)]]((left), right)
        if isinstance(node, exp.Between):
            return (c(node.this)).between(c(node.args["low"]), c(node.args["high"]))
        if isinstance(node, exp.In):
            values = [_python(v) for v in node.expressions]
            return (c(node.this)).isin(values)
        if isinstance(node, exp.Is):
            return (c(node.this)).isnull()
        if type(node) in ARITHMETIC:
            left, right = (c(node.left)), c(node.right)
            symbol = ARITHMETIC[type(node)]
            if symbol == "/":  # by zero: no value (DuckDB's NaN > 1 held; Spark says NULL)
                return left.cast("float64") / right.nullif(0)
            return {"+": left + right, "-": left - right, "*": left * right}[symbol]
        if isinstance(node, exp.Neg):
            return -(c(node.this))
        if isinstance(node, exp.Literal | exp.Boolean | exp.Null):
            return ibis.literal(_python(node))
        if isinstance(node, exp.Column):
            return self.name(node.name)
        return self.function(node, _function_name(node) or "")

    def name(self, name: str) -> Any:
        if name.lower() in {"true", "false"}:
            return ibis.literal(name.lower() == "true")
        if name in self.params:
            return threshold_value(self.params[name])
        return self.table[name]

    def function(self, node: Node, name: str) -> Any:
        args = [self.compile(a) for a in _arguments(node)] if name != "attr" else []
        if name == "attr":
            key = _python(_arguments(node)[0])
            return self.table["attributes"].get(key)
        first = args[0]
        unary = {
            "abs": "abs",
            "floor": "floor",
            "ceil": "ceil",
            "lower": "lower",
            "upper": "upper",
            "trim": "strip",
            "length": "length",
        }
        if name in unary:
            return getattr(first, unary[name])()
        if name in ("ln", "sqrt"):
            # outside their domain (a buyer count of 0: ``ln(orders)``) NULL, as Spark and
            # the why-not explanation have it; DuckDB would stop the whole query instead
            inside = first > 0 if name == "ln" else first >= 0
            return getattr(ibis.ifelse(inside, first.cast("float64"), ibis.null("float64")), name)()
        if name == "round":
            return (
                first.round(int(_python(_arguments(node)[1]))) if len(args) > 1 else first.round()
            )
        if name == "coalesce":
            return ibis.coalesce(*args)
        if name == "least":
            return ibis.least(*args)
        if name == "greatest":
            return ibis.greatest(*args)
        if name == "contains":
            return first.contains(args[1])
        if name == "starts_with":
            return first.startswith(args[1])
        if name == "ends_with":
            return first.endswith(args[1])
        raise ValueError(f"unchecked function {name}")  # parse_rule refuses these first
