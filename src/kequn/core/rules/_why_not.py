"""A rule evaluated for one customer in Python, and how far each condition is from holding.

:func:`evaluate` follows the compiled rule's SQL logic (a comparison with a missing value
is unknown; the taxonomy treats unknown as "does not match"). :func:`closest_paths` splits
a rule into its ways of holding (``a and (b or c)`` holds by ``a and b`` or by ``a and c``)
and says, for each condition of each way, whether it holds and, where a distance makes
sense (a numeric value against a business-wide number), by how much it would have to
move. The words are the caller's: this module returns numbers and AST nodes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

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

#: paths beyond this many (``(a or b) and (c or d) and …``) are not enumerated
MAX_PATHS = 64
_FLIP = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "=", "!=": "!="}


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def evaluate(node: Node | Rule, values: Mapping[str, Any]) -> Any:
    """The value of a rule (or any of its nodes) for one customer; ``None`` is unknown."""
    if isinstance(node, Rule):
        node = node.tree
    ev = _Evaluator(values)
    return ev.value(node)


def holds(rule: Rule | Node, values: Mapping[str, Any]) -> bool:
    """Whether the rule matches (unknown does not)."""
    return evaluate(rule, values) is True


class _Evaluator:
    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def value(self, node: Node) -> Any:
        v = self.value
        if isinstance(node, exp.Paren):
            return v(node.this)
        if isinstance(node, exp.And):
            a, b = v(node.left), v(node.right)
            if a is False or b is False:
                return False
            return None if a is None or b is None else True
        if isinstance(node, exp.Or):
            a, b = v(node.left), v(node.right)
            if a is True or b is True:
                return True
            return None if a is None or b is None else False
        if isinstance(node, exp.Not):
            inner = v(node.this)
            return None if inner is None else not inner
        if type(node) in COMPARISONS:
            return compare(COMPARISONS[type(node)], v(node.left), v(node.right))
        if isinstance(node, exp.Between):
            x, low, high = v(node.this), v(node.args["low"]), v(node.args["high"])
            if x is None or low is None or high is None:
                return None
            return bool(low <= x <= high)
        if isinstance(node, exp.In):
            x = v(node.this)
            if x is None:
                return None
            return x in [_python(item) for item in node.expressions]
        if isinstance(node, exp.Is):
            return v(node.this) is None
        if type(node) in ARITHMETIC:
            a, b = v(node.left), v(node.right)
            if a is None or b is None:
                return None
            symbol = ARITHMETIC[type(node)]
            if symbol == "/":  # by zero: no value, as the compiled rule has it
                return None if b == 0 else a / b
            return {"+": a + b, "-": a - b, "*": a * b}[symbol]
        if isinstance(node, exp.Neg):
            inner = v(node.this)
            return None if inner is None else -inner
        if isinstance(node, exp.Literal | exp.Boolean | exp.Null):
            return _python(node)
        if isinstance(node, exp.Column):
            name = node.name
            if name.lower() in {"true", "false"}:
                return name.lower() == "true"
            return _clean(self.values.get(name))
        return self.function(node, _function_name(node) or "")

    def function(self, node: Node, name: str) -> Any:
        if name == "attr":
            key = _python(_arguments(node)[0])
            attrs = self.values.get("attributes")
            found = dict(attrs).get(key) if isinstance(attrs, dict | list) else None
            return None if found is None else str(found)
        args = [self.value(a) for a in _arguments(node)]
        if name == "coalesce":
            return next((a for a in args if a is not None), None)
        if name in {"least", "greatest"}:
            present = [a for a in args if a is not None]
            if not present:
                return None
            return min(present) if name == "least" else max(present)
        first = args[0] if args else None
        if first is None:
            return None
        unary: dict[str, Callable[[Any], Any]] = {
            "abs": abs,
            "floor": math.floor,
            "ceil": math.ceil,
            "ln": lambda x: math.log(x) if x > 0 else None,
            "sqrt": lambda x: math.sqrt(x) if x >= 0 else None,
            "lower": str.lower,
            "upper": str.upper,
            "trim": str.strip,
            "length": len,
        }
        if name in unary:
            return unary[name](first)
        if name == "round":
            digits = int(args[1]) if len(args) > 1 and args[1] is not None else 0
            return round(first, digits)
        second = args[1] if len(args) > 1 else None
        if second is None:
            return None
        if name == "contains":
            return second in first
        if name == "starts_with":
            return bool(first.startswith(second))
        if name == "ends_with":
            return bool(first.endswith(second))
        raise ValueError(f"unchecked function {name}")  # parse_rule refuses these first


def compare(op: str, a: Any, b: Any) -> bool | None:
    if a is None or b is None:
        return None
    ops: dict[str, Callable[[Any, Any], bool]] = {
        "=": lambda x, y: x == y,
        "!=": lambda x, y: x != y,
        ">": lambda x, y: x > y,
        ">=": lambda x, y: x >= y,
        "<": lambda x, y: x < y,
        "<=": lambda x, y: x <= y,
    }
    return bool(ops[op](a, b))


@dataclass(frozen=True)
class Condition:
    """One condition of a path, for one customer.

    ``subject`` is the customer's side of a numeric comparison (a feature, or an
    expression of features) and ``target`` the business-wide side (thresholds and
    numbers); ``op`` reads subject-first. ``gap`` is how far the subject must move, in
    ``direction`` ("up" or "down"), for the condition to hold; ``needed`` is the value it
    must reach. All four are None where no distance makes sense.
    """

    node: Node
    met: bool | None
    subject: Node | None = None
    target: Node | None = None
    op: str | None = None
    value: Any = None
    target_value: Any = None
    gap: float | None = None
    needed: float | None = None
    direction: str | None = None

    @property
    def subject_name(self) -> str | None:
        """The feature's name when the subject is a single feature (or its coalesce)."""
        node = _unwrap(self.subject)
        return node.name if isinstance(node, exp.Column) else None


@dataclass
class Path:
    """One way for a rule to hold: all of its conditions together."""

    conditions: list[Condition] = field(default_factory=list)

    @property
    def unmet(self) -> list[Condition]:
        return [c for c in self.conditions if c.met is not True]

    @property
    def met(self) -> bool:
        return not self.unmet

    def cost(self) -> tuple[int, int, float]:
        """Fewer unmet conditions first, then fewer without a distance, then the smaller
        relative distance."""
        unmet = self.unmet
        blind = sum(1 for c in unmet if c.gap is None)
        relative = sum(
            (c.gap or 0.0) / max(abs(float(c.target_value or 0.0)), 1.0)
            for c in unmet
            if c.gap is not None and isinstance(c.target_value, int | float)
        )
        return (len(unmet), blind, relative)


def _alternatives(node: Node) -> list[list[Node]]:
    """The rule as an 'or' of 'and's of conditions (negations are kept whole)."""
    if isinstance(node, exp.Paren):
        return _alternatives(node.this)
    if isinstance(node, exp.Or):
        return (_alternatives(node.left) + _alternatives(node.right))[:MAX_PATHS]
    if isinstance(node, exp.And):
        left, right = _alternatives(node.left), _alternatives(node.right)
        return [a + b for a in left for b in right][:MAX_PATHS]
    return [[node]]


def _names(node: Node) -> set[str]:
    return {
        c.name for c in node.find_all(exp.Column) if c.name.lower() not in {"true", "false"}
    } | ({"attributes"} if any(_function_name(n) == "attr" for n in node.walk()) else set())


def closest_paths(
    rule: Rule,
    values: Mapping[str, Any],
    fixed: Collection[str],
    integers: Collection[str] = (),
) -> list[Path]:
    """Every way the rule can hold, closest first.

    ``fixed`` names the business-wide values (thresholds, settings): a comparison of
    the customer's numbers with those and with numbers gets a distance. ``integers``
    names the features that move in whole steps (orders, days): ``orders > 2.5`` needs 3.
    """
    ev = _Evaluator(values)
    paths = [
        Path([_condition(node, ev, set(fixed), set(integers)) for node in alternative])
        for alternative in _alternatives(rule.tree)
    ]
    return sorted(paths, key=Path.cost)


def _condition(node: Node, ev: _Evaluator, fixed: set[str], integers: set[str]) -> Condition:
    met = ev.value(node)
    met = None if met is None else bool(met)
    inner = node
    while isinstance(inner, exp.Paren):
        inner = inner.this
    if isinstance(inner, exp.Between):
        subject, low, high = inner.this, inner.args["low"], inner.args["high"]
        if not (_is_subject(subject, fixed) and _is_target(low, fixed) and _is_target(high, fixed)):
            return Condition(node, met)
        x, lo, hi = ev.value(subject), ev.value(low), ev.value(high)
        base = Condition(node, met, subject, None, "between", x, (lo, hi))
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, lo, hi)):
            return base
        whole = _whole(subject, integers)
        if x < lo:
            up: float = math.ceil(lo) if whole else lo
            return _with_gap(base, up - x, up, "up")
        if x > hi:
            down: float = math.floor(hi) if whole else hi
            return _with_gap(base, x - down, down, "down")
        return base
    if type(inner) not in COMPARISONS:
        return Condition(node, met)
    op = COMPARISONS[type(inner)]
    left, right = inner.left, inner.right
    if _is_subject(left, fixed) and _is_target(right, fixed):
        subject, target = left, right
    elif _is_subject(right, fixed) and _is_target(left, fixed):
        subject, target, op = right, left, _FLIP[op]
    else:
        return Condition(node, met)
    x, y = ev.value(subject), ev.value(target)
    base = Condition(node, met, subject, target, op, x, y)
    if op == "!=" or not _number(y):
        return base
    whole = _whole(subject, integers)
    need: float
    if op in {">=", ">"}:
        need = (math.floor(y) + 1 if op == ">" else math.ceil(y)) if whole else y
        direction = "up"
    elif op in {"<=", "<"}:
        need = (math.ceil(y) - 1 if op == "<" else math.floor(y)) if whole else y
        direction = "down"
    else:  # "="
        need = y
        direction = "up" if _number(x) and y > x else "down"
    if met is True or not _number(x):  # the boundary, without a distance
        return _with_gap(base, None, need, direction if met is not True else None)
    gap = need - x if direction == "up" else x - need
    if op in {">", "<"} and not whole and gap <= 0:
        # at the line of a strict comparison: any amount more, not "0 more"
        return _with_gap(base, None, need, direction)
    return _with_gap(base, abs(gap) if op == "=" else gap, need, direction)


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _with_gap(
    base: Condition, gap: float | None, needed: float, direction: str | None
) -> Condition:
    return Condition(
        base.node,
        base.met,
        base.subject,
        base.target,
        base.op,
        base.value,
        base.target_value,
        None if gap is None else max(gap, 0.0),
        needed,
        direction,
    )


def _unwrap(node: Node) -> Node:
    """``(x)`` and ``coalesce(x, default)`` stand for ``x``."""
    while True:
        if isinstance(node, exp.Paren):
            node = node.this
        elif node is not None and _function_name(node) == "coalesce":
            node = _arguments(node)[0]
        else:
            return node


def _is_subject(node: Node, fixed: set[str]) -> bool:
    names = _names(node)
    return bool(names) and not names <= fixed and _numeric_shape(node)


def _is_target(node: Node, fixed: set[str]) -> bool:
    return _names(node) <= fixed and _numeric_shape(node)


def _numeric_shape(node: Node) -> bool:
    """Only names, numbers, arithmetic and parentheses: a value that can move."""
    if isinstance(node, exp.Paren):
        return _numeric_shape(node.this)
    if type(node) in ARITHMETIC:
        return _numeric_shape(node.left) and _numeric_shape(node.right)
    if isinstance(node, exp.Neg):
        return _numeric_shape(node.this)
    if isinstance(node, exp.Literal):
        return not node.is_string
    if _function_name(node) == "coalesce":
        return all(_numeric_shape(a) for a in _arguments(node))
    return isinstance(node, exp.Column) and node.name.lower() not in {"true", "false"}


def _whole(subject: Node, integers: set[str]) -> bool:
    """A sum or difference of whole-step features moves in whole steps too."""
    subject = _unwrap(subject)
    if isinstance(subject, exp.Add | exp.Sub):
        return _whole(subject.left, integers) and _whole(subject.right, integers)
    return isinstance(subject, exp.Column) and subject.name in integers
