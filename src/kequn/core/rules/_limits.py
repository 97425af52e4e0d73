"""How big a rule may be: limits that keep it within what the checker, the compiler and
the engines handle (beyond them Python's recursion limit or the engine's number range is
reached), checked on the text before it is parsed and on each number literal."""

from __future__ import annotations

import decimal
from typing import Any

import sqlglot
from sqlglot.errors import TokenError
from sqlglot.tokens import TokenType

#: characters in a rule
MAX_LENGTH = 2000
#: nesting: parentheses (function calls and lists too) plus a run of not / unary minus
MAX_DEPTH = 20
#: terms: conditions and operations joined by and/or/not and + - * /
MAX_TERMS = 100
#: numbers: magnitude and significant digits within a float64's exact range
MAX_NUMBER = decimal.Decimal("1e15")
MAX_DIGITS = 15

_OPERATORS = frozenset(
    {
        TokenType.AND,
        TokenType.OR,
        TokenType.NOT,
        TokenType.PLUS,
        TokenType.DASH,
        TokenType.STAR,
        TokenType.SLASH,
    }
)
#: tokens after which a minus sign is a sign, not a subtraction
_BEFORE_UNARY = frozenset({None, *_OPERATORS, TokenType.L_PAREN, TokenType.COMMA}) | {
    TokenType.EQ,
    TokenType.NEQ,
    TokenType.GT,
    TokenType.GTE,
    TokenType.LT,
    TokenType.LTE,
    TokenType.BETWEEN,
    TokenType.IN,
}


def size_problem(text: str) -> tuple[str, dict[str, Any]] | None:
    """The message key and parameters if ``text`` is beyond :data:`MAX_LENGTH`,
    :data:`MAX_DEPTH` or :data:`MAX_TERMS` (the parser and the checker recurse once per
    level), else None."""
    if len(text) > MAX_LENGTH:
        return "rule.too_long", {"found": len(text), "limit": MAX_LENGTH}
    try:
        tokens = sqlglot.tokenize(text, dialect="duckdb")
    except TokenError:
        return None  # the parser reports it, with where
    depth = deepest = unary = 0  # parentheses open, and a run of not / unary minus
    terms = 1
    previous: Any = None
    for token in tokens:
        kind = token.token_type
        sign = kind == TokenType.DASH and previous in _BEFORE_UNARY
        unary = unary + 1 if kind == TokenType.NOT or sign else 0
        if kind == TokenType.L_PAREN:
            depth += 1
        elif kind == TokenType.R_PAREN:
            depth -= 1
        if kind in _OPERATORS and not sign:
            terms += 1
        deepest = max(deepest, depth + unary)
        previous = kind
    if deepest > MAX_DEPTH:
        return "rule.too_deep", {"found": deepest, "limit": MAX_DEPTH}
    if terms > MAX_TERMS:
        return "rule.too_many_terms", {"found": terms, "limit": MAX_TERMS}
    return None


def number_problem(text: str) -> dict[str, Any] | None:
    """The ``rule.number_range`` parameters if the number literal ``text`` is beyond
    :data:`MAX_NUMBER` or :data:`MAX_DIGITS`, else None."""
    try:
        value = decimal.Decimal(text)
    except decimal.InvalidOperation:
        value = decimal.Decimal("NaN")
    digits = len(value.normalize().as_tuple().digits) if value.is_finite() else 0
    if value.is_finite() and abs(value) <= MAX_NUMBER and digits <= MAX_DIGITS:
        return None
    shown = text if len(text) <= 24 else text[:20] + "…"
    return {"value": shown, "limit": "1e15", "digits": MAX_DIGITS}
