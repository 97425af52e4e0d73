"""Explaining why a rule fired for one customer, in Chinese or English."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

from sqlglot import exp

from kequn.core.i18n import t
from kequn.core.rules._grammar import (
    ARITHMETIC,
    COMPARISONS,
    Node,
    Rule,
    _arguments,
    _function_name,
    _python,
)

#: the words a rendered rule uses, each the message ``rule.<word>`` in kequn.core.i18n
_WORDS = (
    "and",
    "or",
    "not",
    "between",
    "between_and",
    "between_end",
    "in",
    "is_null",
    "none",
    "yes",
    "no",
)
_SYMBOLS = {
    "=": "=",
    "!=": "≠",
    ">": ">",
    ">=": "≥",
    "<": "<",
    "<=": "≤",
    "*": "×",
    "/": "÷",
    "+": "+",
    "-": "−",
}


def render_reason(
    rule: Rule,
    values: Mapping[str, object],
    labels: Mapping[str, str] | None = None,
    lang: str = "en",
) -> str:
    """The rule rewritten for a person, each name followed by this customer's value.

    ``days since last order (143) > 2 × purchase cycle (60) and orders (5) ≥ 1``
    """
    lang = "zh" if lang == "zh" else "en"
    words = {key: t(f"rule.{key}", lang) for key in _WORDS}
    names = labels or {}

    def show(value: object) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return words["none"]
        if isinstance(value, bool):
            return words["yes"] if value else words["no"]
        if isinstance(value, int | float):
            number = float(value)
            if number.is_integer():
                return f"{int(number):,}"
            return f"{number:,.2f}".rstrip("0").rstrip(".")
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        return str(value)

    def r(node: Node) -> str:
        if isinstance(node, exp.Paren):
            return f"({r(node.this)})"
        if isinstance(node, exp.And | exp.Or):
            word = words["and"] if isinstance(node, exp.And) else words["or"]
            return f"{r(node.left)} {word} {r(node.right)}"
        if isinstance(node, exp.Not):
            if isinstance(node.this, exp.Is):
                return r(node.this).replace(words["is_null"], "≠ " + words["none"])
            return f"{words['not']} {r(node.this)}"
        if type(node) in COMPARISONS:
            return f"{r(node.left)} {_SYMBOLS[COMPARISONS[type(node)]]} {r(node.right)}"
        if type(node) in ARITHMETIC:
            return f"{r(node.left)} {_SYMBOLS[ARITHMETIC[type(node)]]} {r(node.right)}"
        if isinstance(node, exp.Between):
            end = f" {words['between_end']}" if words["between_end"] else ""
            return (
                f"{r(node.this)} {words['between']} {r(node.args['low'])} "
                f"{words['between_and']} {r(node.args['high'])}{end}"
            )
        if isinstance(node, exp.In):
            return f"{r(node.this)} {words['in']} ({', '.join(r(v) for v in node.expressions)})"
        if isinstance(node, exp.Is):
            return f"{r(node.this)} {words['is_null']}"
        if isinstance(node, exp.Neg):
            return f"−{r(node.this)}"
        if isinstance(node, exp.Literal | exp.Boolean | exp.Null):
            value = _python(node)
            return f"'{value}'" if isinstance(value, str) else show(value)
        if isinstance(node, exp.Column):
            name = node.name
            if name.lower() in {"true", "false"}:
                return show(name.lower() == "true")
            return f"{names.get(name, name)} ({show(values.get(name))})"
        fname = _function_name(node) or "?"
        if fname == "attr":
            key = _python(_arguments(node)[0])
            attrs = values.get("attributes")
            found = dict(attrs).get(key) if isinstance(attrs, dict | list) else None
            return f"{key} ({show(found)})"
        return f"{fname}({', '.join(r(a) for a in _arguments(node))})"

    return r(rule.tree)
