"""Explaining why a rule fired for one customer, in Chinese or English.

This is the fallback for a label without a reason template (see the taxonomy's
``reason``): the rule rewritten with names and values, never its code (text values are
shown without quotes, ``coalesce(x, …)`` as ``x``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping

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
    return render_node(rule.tree, values, labels, lang)


def render_node(
    node: Node,
    values: Mapping[str, object] | None,
    labels: Mapping[str, str] | None = None,
    lang: str = "en",
    text: Callable[[str | None, str], str] | None = None,
) -> str:
    """A rule or part of one for a person; ``values`` None leaves the values out
    (``2 × purchase cycle``). ``text(name, value)`` shows a text value compared with
    ``name`` (a code such as a label id, say), else it is shown as it is."""
    lang = "zh" if lang == "zh" else "en"
    with_values = values is not None
    values = values or {}
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

    def literal(node: Node, subject: Node | None) -> str:
        value = _python(node)
        if not isinstance(value, str):
            return show(value)
        name = subject.name if isinstance(subject, exp.Column) else None
        return text(name, value) if text else value

    def r(node: Node, subject: Node | None = None) -> str:
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
            left, right = r(node.left, node.right), r(node.right, node.left)
            return f"{left} {_SYMBOLS[COMPARISONS[type(node)]]} {right}"
        if type(node) in ARITHMETIC:
            return f"{r(node.left)} {_SYMBOLS[ARITHMETIC[type(node)]]} {r(node.right)}"
        if isinstance(node, exp.Between):
            end = f" {words['between_end']}" if words["between_end"] else ""
            return (
                f"{r(node.this)} {words['between']} {r(node.args['low'])} "
                f"{words['between_and']} {r(node.args['high'])}{end}"
            )
        if isinstance(node, exp.In):
            items = ", ".join(r(v, node.this) for v in node.expressions)
            return f"{r(node.this)} {words['in']} ({items})"
        if isinstance(node, exp.Is):
            return f"{r(node.this)} {words['is_null']}"
        if isinstance(node, exp.Neg):
            return f"−{r(node.this)}"
        if isinstance(node, exp.Literal | exp.Boolean | exp.Null):
            return literal(node, subject)
        if isinstance(node, exp.Column):
            name = node.name
            if name.lower() in {"true", "false"}:
                return show(name.lower() == "true")
            if not with_values:
                return names.get(name, name)
            return f"{names.get(name, name)} ({show(values.get(name))})"
        fname = _function_name(node) or "?"
        if fname == "attr":
            key = _python(_arguments(node)[0])
            if not with_values:
                return str(key)
            attrs = values.get("attributes")
            found = dict(attrs).get(key) if isinstance(attrs, dict | list) else None
            return f"{key} ({show(found)})"
        if fname == "coalesce":  # a default for a missing value: the value is what counts
            return r(_arguments(node)[0], subject)
        return f"{fname}({', '.join(r(a) for a in _arguments(node))})"

    return r(node)
