"""Parsing and checking rules: the whitelist, the catalogue check, the AST helpers."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from kequn.core.i18n import t
from kequn.core.rules._limits import MAX_DEPTH, MAX_DIGITS, number_problem, size_problem

#: a sqlglot AST node (sqlglot 30 types them as ``Expr``; older releases as ``Expression``)
Node = Any

COMPARISONS: dict[type, str] = {
    exp.EQ: "=",
    exp.NEQ: "!=",
    exp.GT: ">",
    exp.GTE: ">=",
    exp.LT: "<",
    exp.LTE: "<=",
}
ARITHMETIC: dict[type, str] = {
    exp.Add: "+",
    exp.Sub: "-",
    exp.Mul: "*",
    exp.Div: "/",
}
#: function -> (argument kinds; "*" repeats the last, result kind; "same" = first argument's)
FUNCTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "coalesce": (("any", "*"), "same"),
    "least": (("number", "*"), "number"),
    "greatest": (("number", "*"), "number"),
    "abs": (("number",), "number"),
    "floor": (("number",), "number"),
    "ceil": (("number",), "number"),
    "ln": (("number",), "number"),
    "sqrt": (("number",), "number"),
    "round": (("number", "number?"), "number"),
    "lower": (("string",), "string"),
    "upper": (("string",), "string"),
    "trim": (("string",), "string"),
    "length": (("string",), "number"),
    "contains": (("string", "string"), "bool"),
    "starts_with": (("string", "string"), "bool"),
    "ends_with": (("string", "string"), "bool"),
    "attr": (("literal-string",), "string"),
}
_FUNC_NAMES = {
    exp.Coalesce: "coalesce",
    exp.Least: "least",
    exp.Greatest: "greatest",
    exp.Abs: "abs",
    exp.Floor: "floor",
    exp.Ceil: "ceil",
    exp.Ln: "ln",
    exp.Sqrt: "sqrt",
    exp.Round: "round",
    exp.Lower: "lower",
    exp.Upper: "upper",
    exp.Trim: "trim",
    exp.Length: "length",
    exp.Contains: "contains",
    exp.StartsWith: "starts_with",
    exp.EndsWith: "ends_with",
}
#: functions that skip a null argument (the others' result would always be null)
_NULL_SKIPPED = frozenset({"coalesce", "least", "greatest"})
ALLOWED_TEXT = (
    "and, or, not, = != <> < <= > >=, between … and …, in (…), is [not] null, + - * /, "
    "parentheses, numbers, 'text', true/false/null, and the functions "
    + ", ".join(sorted(FUNCTIONS))
)
ALLOWED_TEXT_ZH = (
    "and、or、not，= != <> < <= > >=，between … and …，in (…)，is [not] null，+ - * /，"
    "括号、数字、'文本'、true/false/null，以及函数 " + ", ".join(sorted(FUNCTIONS))
)


#: the checker's kinds of value, as the 中文 messages say them
_KINDS_ZH = {"number": "数字", "string": "文本", "date": "日期", "bool": "条件（真或假）"}


def _zh(kind: str) -> str:
    return _KINDS_ZH.get(kind, kind)


class RuleError(ValueError):
    """A rule that cannot be used; says where, why, and what might have been meant."""

    def __init__(
        self,
        text: str,
        message_en: str,
        message_zh: str,
        start: int | None = None,
        end: int | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.text = text
        self.message_en = message_en
        self.message_zh = message_zh
        self.start = start
        self.end = end
        self.suggestion = suggestion
        super().__init__(self._render())

    def message(self, lang: str | None = None) -> str:
        """The error in ``lang`` (``zh`` or ``en``; else the process's language), with the
        rule and a caret under the place when known."""
        from kequn.core.i18n import current_lang

        return self._render(self.message_zh if (lang or current_lang()) == "zh" else None)

    def _render(self, text: str | None = None) -> str:
        out = text or self.message_en
        if self.start is not None:
            caret = " " * self.start + "^" * max(1, (self.end or self.start) - self.start + 1)
            out += f"\n  {self.text}\n  {caret}"
        return out


@dataclass(frozen=True)
class Rule:
    """A checked rule: its text, its AST, and the names it uses."""

    text: str
    names: frozenset[str]
    tree: Node = field(compare=False, repr=False)
    #: the keys the rule reads through ``attr('key')``
    attributes: frozenset[str] = frozenset()


def parse_rule(text: str, catalogue: Mapping[str, str]) -> Rule:
    """Parse and check ``text``; ``catalogue`` maps each usable name to its kind.

    Kinds are ``number``, ``string``, ``date``, ``bool`` and ``map`` (the ``attributes``
    map, reachable only through ``attr('key')``).

    Raises
    ------
    RuleError
        On a syntax error, anything outside the whitelist, an unknown name, a type
        mismatch, or a rule that is not a condition.
    """
    if not text or not text.strip():
        raise RuleError(text, "the rule is empty", "规则为空")
    problem = size_problem(text)
    if problem is not None:
        raise _limit(text, problem[0], **problem[1])
    try:
        statements = sqlglot.parse(text, dialect="duckdb")
    except RecursionError:  # a backstop: the limits above keep rules well within it
        raise _limit(text, "rule.too_deep", found=f">{MAX_DEPTH}", limit=MAX_DEPTH) from None
    except (ParseError, TokenError) as exc:
        errors = getattr(exc, "errors", None) or [{}]
        first = errors[0]
        col = first.get("col")
        start = max(0, int(col) - 1) if isinstance(col, int) else None
        key, detail = _syntax_key(str(first.get("description", exc)))
        raise RuleError(
            text,
            "syntax error: " + t(key, "en", detail=detail),
            "语法错误：" + t(key, "zh", detail=detail),
            start,
            start,
        ) from None
    if len(statements) != 1 or statements[0] is None:
        raise RuleError(
            text,
            "a rule is a single condition: ';' and statements are not allowed",
            "规则只能是一个条件，不允许分号或多条语句",
        )
    tree = statements[0]
    checker = _Checker(text, catalogue)
    kind = checker.kind(tree)
    if kind not in {"bool", "null"}:
        raise RuleError(
            text,
            f"a rule must be a condition (true or false), not a {kind}",
            f"规则必须是条件（真或假），而不是{_zh(kind)}",
        )
    return Rule(text, frozenset(checker.names), tree, frozenset(checker.attributes))


#: what the parser's descriptions (English, naming its own classes) mean, in kequn's words
_SYNTAX = (
    ("Required keyword", "rule.syntax.incomplete"),
    ("Expecting )", "rule.syntax.paren"),
    ("Error tokenizing", "rule.syntax.token"),
    ("Invalid expression / Unexpected token", "rule.syntax.unexpected"),
    ("The number of provided arguments", "rule.syntax.arguments"),  # abs(spend, 1)
)


def _syntax_key(description: str) -> tuple[str, str]:
    """The message key for the parser's ``description`` (and the description, for a kind
    not listed, said as it is)."""
    for start, key in _SYNTAX:
        if description.startswith(start):
            return key, ""
    return "rule.syntax.other", description


def _limit(text: str, key: str, **params: object) -> RuleError:
    return RuleError(text, t(key, "en", **params), t(key, "zh", **params))


def rule_names(text: str, catalogue: Mapping[str, str]) -> frozenset[str]:
    return parse_rule(text, catalogue).names


class _Checker:
    def __init__(self, text: str, catalogue: Mapping[str, str]) -> None:
        self.text = text
        self.catalogue = catalogue
        self.names: set[str] = set()
        self.attributes: set[str] = set()

    def fail(self, node: Node, en: str, zh: str, suggestion: str | None = None) -> RuleError:
        start, end = _span(node)
        return RuleError(self.text, en, zh, start, end, suggestion)

    def kind(self, node: Node) -> str:
        if isinstance(node, exp.Paren):
            return self.kind(node.this)
        if isinstance(node, exp.And | exp.Or):
            for side in (node.left, node.right):
                self.expect(side, "bool")
            return "bool"
        if isinstance(node, exp.Not):
            self.expect(node.this, "bool", null_ok=False)
            return "bool"
        if type(node) in COMPARISONS:
            left, right = self.kind(node.left), self.kind(node.right)
            self.compatible(node, left, right)
            return "bool"
        if isinstance(node, exp.Between):
            kinds = [
                self.kind(node.this),
                self.kind(node.args["low"]),
                self.kind(node.args["high"]),
            ]
            for k in kinds[1:]:
                self.compatible(node, kinds[0], k)
            return "bool"
        if isinstance(node, exp.In):
            if node.args.get("query") or node.args.get("unnest") or node.args.get("field"):
                raise self.fail(
                    node,
                    "'in' takes a list of values, not a query",
                    "in 后只能是值列表，不能是查询",
                )
            subject = self.kind(node.this)
            for item in node.expressions:
                if not isinstance(item, exp.Literal | exp.Boolean | exp.Null | exp.Neg):
                    raise self.fail(item, "'in' takes literal values only", "in 列表中只能是常量")
                self.compatible(node, subject, self.kind(item))
            return "bool"
        if isinstance(node, exp.Is):
            if not isinstance(node.expression, exp.Null):
                raise self.fail(
                    node,
                    "only 'is null' and 'is not null' are allowed",
                    "只允许 is null 与 is not null",
                )
            self.kind(node.this)
            return "bool"
        if type(node) in ARITHMETIC:
            for side in (node.left, node.right):
                self.expect(side, "number", null_ok=False)
            return "number"
        if isinstance(node, exp.Neg):
            self.expect(node.this, "number", null_ok=False)
            return "number"
        if isinstance(node, exp.Literal):
            if not node.is_string:
                self.number(node)
            return "string" if node.is_string else "number"
        if isinstance(node, exp.Boolean):
            return "bool"
        if isinstance(node, exp.Null):
            return "null"
        if isinstance(node, exp.Column):
            return self.column(node)
        name = _function_name(node)
        if name is not None:
            return self.function(node, name)
        raise self.fail(
            node,
            f"'{node.sql(dialect='duckdb')[:40]}' is not allowed in a rule; "
            f"allowed: {ALLOWED_TEXT}",
            f"规则中不允许「{node.sql(dialect='duckdb')[:40]}」；允许：{ALLOWED_TEXT_ZH}",
        )

    def number(self, node: Node) -> None:
        """Numbers within what every engine computes exactly (see :data:`MAX_NUMBER`)."""
        params = number_problem(str(node.this))
        if params is not None:
            en, zh = t("rule.number_range", "en", **params), t("rule.number_range", "zh", **params)
            raise self.fail(node, en, zh)

    def column(self, node: exp.Column) -> str:
        if node.table or node.args.get("db") or node.args.get("catalog"):
            raise self.fail(
                node,
                "qualified names (table.column) are not allowed",
                "不允许带表名的字段（表.字段）",
            )
        name = node.name
        if name.lower() in {"true", "false"}:
            return "bool"
        if name not in self.catalogue:
            close = difflib.get_close_matches(name, list(self.catalogue), n=1, cutoff=0.6)
            hint = close[0] if close else None
            start, end = _span(node)
            where = f" at {start}–{end}" if start is not None else ""
            raise RuleError(
                self.text,
                f"unknown name '{name}'{where}" + (f"; did you mean '{hint}'?" if hint else ""),
                f"未知名称「{name}」" + (f"，是否想用「{hint}」？" if hint else ""),
                start,
                end,
                hint,
            )
        kind = self.catalogue[name]
        if kind == "map":
            raise self.fail(
                node, f"'{name}' is a map: use attr('key')", f"「{name}」是映射，请用 attr('键')"
            )
        self.names.add(name)
        return kind

    def function(self, node: Node, name: str) -> str:
        if name not in FUNCTIONS:
            raise self.fail(
                node,
                f"function '{name}' is not allowed; allowed functions: "
                f"{', '.join(sorted(FUNCTIONS))}",
                f"不允许函数「{name}」；允许的函数：{', '.join(sorted(FUNCTIONS))}",
            )
        args = _arguments(node)
        wanted, result = FUNCTIONS[name]
        if name == "attr":
            if len(args) != 1 or not (isinstance(args[0], exp.Literal) and args[0].is_string):
                raise self.fail(
                    node,
                    "attr() takes one quoted key, e.g. attr('会员等级')",
                    "attr() 需要一个带引号的键，例如 attr('会员等级')",
                )
            if self.catalogue.get("attributes") != "map":
                raise self.fail(
                    node, "no extra attributes are available here", "此处没有其他属性可用"
                )
            self.names.add("attributes")
            self.attributes.add(str(args[0].this))
            return "string"
        required = [w for w in wanted if not w.endswith("?") and w != "*"]
        if len(args) < len(required) or ("*" not in wanted and len(args) > len(wanted)):
            count = str(len(required))
            if "*" not in wanted and len(wanted) > len(required):  # round(x[, digits])
                count = f"{len(required)}-{len(wanted)}"
            raise self.fail(
                node,
                f"{name}() takes {count} argument(s)",
                f"{name}() 需要 {count} 个参数",
            )
        if name == "round" and len(args) > 1:
            self.decimals(args[1])
        kinds = [self.kind(a) for a in args]
        for i, k in enumerate(kinds):
            want = wanted[min(i, len(wanted) - 1)].rstrip("?")
            if want == "*":
                want = wanted[-2]
            if k == "null" and want in {"number", "string"} and name not in _NULL_SKIPPED:
                raise self.null(args[i])
            if want in {"number", "string"} and k not in {want, "null"}:
                raise self.fail(
                    args[i],
                    f"{name}() needs a {want} here, not a {k}",
                    f"{name}() 此处需要{_zh(want)}，而不是{_zh(k)}",
                )
        if result == "same":
            concrete = [k for k in kinds if k != "null"]
            for k in concrete[1:]:
                self.compatible(node, concrete[0], k)
            return concrete[0] if concrete else "null"
        return result

    def decimals(self, node: Node) -> None:
        """round()'s second argument: a whole number the engines take as the decimals to
        keep (a column, a fraction or a number beyond an INTEGER failed only when the rule
        ran, with the engine's own error)."""
        try:
            value = _python(node)
        except ValueError:
            value = None
        if type(value) is not int or abs(value) > MAX_DIGITS:
            raise self.fail(
                node,
                f"round()'s second argument, the decimals to keep, must be a whole number "
                f"from -{MAX_DIGITS} to {MAX_DIGITS}",
                f"round() 的第二个参数（保留的小数位数）必须是 -{MAX_DIGITS} 到 "
                f"{MAX_DIGITS} 之间的整数",
            )

    def null(self, node: Node) -> RuleError:
        """A null computed with (``null + 1``, ``not null``, ``lower(null)``): always unknown,
        and the engines have no type to compute it in."""
        return self.fail(
            node,
            "null here is always unknown: test for a missing value with 'is null'",
            "此处的 null 结果总是未知：判断缺失值请用 is null",
        )

    def expect(self, node: Node, want: str, null_ok: bool = True) -> None:
        got = self.kind(node)
        if got == "null" and not null_ok:
            raise self.null(node)
        if got not in {want, "null"}:
            raise self.fail(
                node,
                f"expected a {want} here, found a {got}",
                f"此处需要{_zh(want)}，而不是{_zh(got)}",
            )

    def compatible(self, node: Node, a: str, b: str) -> None:
        if "null" in (a, b) or a == b:
            return
        raise self.fail(node, f"cannot compare a {a} with a {b}", f"不能比较{_zh(a)}与{_zh(b)}")


def _function_name(node: Node) -> str | None:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    name = _FUNC_NAMES.get(type(node))
    if name:
        return name
    if isinstance(node, exp.Func):
        return type(node).__name__.lower()
    return None


def _arguments(node: Node) -> list[Node]:
    if isinstance(node, exp.Anonymous):
        return list(node.expressions)
    args = [node.this] if node.this is not None else []
    # (round's third, "truncate", is counted so that round(x, 1, 2) is refused, not cut)
    for key in ("expression", "decimals", "truncate"):
        extra = node.args.get(key)
        if isinstance(extra, exp.Expression):
            args.append(extra)
    args += list(node.expressions)
    return args


def _span(node: Node) -> tuple[int | None, int | None]:
    """Character positions of a node, from the first and last identifier sqlglot located."""
    positions = [
        (ident.meta["start"], ident.meta["end"])
        for ident in node.find_all(exp.Identifier)
        if "start" in ident.meta
    ]
    if not positions:
        return None, None
    return min(p[0] for p in positions), max(p[1] for p in positions)


def _python(node: Node) -> Any:
    if isinstance(node, exp.Neg):
        return -_python(node.this)
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    if isinstance(node, exp.Null):
        return None
    if isinstance(node, exp.Literal):
        if node.is_string:
            return str(node.this)
        text = str(node.this)
        return float(text) if any(ch in text for ch in ".eE") else int(text)
    if isinstance(node, exp.Column) and node.name.lower() in {"true", "false"}:
        return node.name.lower() == "true"
    raise ValueError(f"not a literal: {node}")
