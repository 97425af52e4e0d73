"""Rules as readers without personal data see them: the values a rule compares a personal
field with, masked.

An editor may write a person into a rule: ``name in ('张伟', '王芳')`` for a list of
customers to watch, ``attr('身份证号') = '110101199003074518'``. The rule's text is
shown wherever the taxonomy is (its file, each label's rule, a customer's labels and the
reason written out from the rule, a journey's trigger and audience), and those literals
are the very values a viewer sees masked in the customer's own record. So for a reader
without the ``personal`` permission, a text literal is masked as the field it is compared
with would be (:func:`kequn.store.access.mask`) when the comparison reads a personal field
(a schema column marked personal, or ``attr('key')`` of a key not declared public under
``[privacy]``); every other literal (``lifecycle = 'loyal'``) is left as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from kequn.snapshots.read import PERSONAL
from kequn.store.access import mask

#: the nodes a literal is compared in: what decides whose value the literal is
_PREDICATES = (
    exp.EQ,
    exp.NEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.In,
    exp.Between,
    exp.Contains,
    exp.StartsWith,
    exp.EndsWith,
)


def _is_attr(node: Any) -> bool:
    return isinstance(node, exp.Anonymous) and str(node.name).lower() == "attr"


def _reads(predicate: Any, public: frozenset[str]) -> str | None:
    """The kind of personal value ``predicate`` reads ("name", "attribute" …), if any."""
    kinds: list[str] = []
    for node in predicate.walk():
        if isinstance(node, exp.Column) and node.name in PERSONAL:
            kinds.append(node.name)
        elif _is_attr(node):
            keys = [a.this for a in node.expressions if isinstance(a, exp.Literal)]
            if not keys or keys[0] not in public:
                kinds.append("attribute")
    if not kinds:
        return None
    # two kinds at once (coalesce(name, attr('x')) = …): masked as the more hidden
    return kinds[0] if len(set(kinds)) == 1 else "attribute"


@functools.lru_cache(maxsize=4096)
def _literals(rule: str, public: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(literal, masked) of each personal literal of ``rule`` (none for text that does
    not parse: nothing of it was ever compared with anything)."""
    try:
        tree = sqlglot.parse_one(rule, dialect="duckdb")
    except (ParseError, TokenError, RecursionError, ValueError):
        return ()
    found: dict[str, str] = {}
    for literal in tree.find_all(exp.Literal):
        if not literal.is_string or not literal.this or _is_attr(literal.parent):
            continue  # an attr('key')'s key names a column, it is no one's value
        predicate = literal.parent
        while predicate is not None and not isinstance(predicate, _PREDICATES):
            predicate = predicate.parent
        kind = _reads(predicate, public) if predicate is not None else None
        if kind is None:
            continue
        masked = str(mask(literal.this, kind))
        # a one-letter name's mask (王**) shows it whole: nothing to hide, and every 王
        # of the text would be changed
        if masked != literal.this and not masked.startswith(literal.this):
            found[literal.this] = masked
    return tuple(sorted(found.items(), key=lambda item: -len(item[0])))


def personal_literals(rules: Iterable[str | None], public: frozenset[str]) -> dict[str, str]:
    """Each personal literal of ``rules`` -> the same value masked."""
    out: dict[str, str] = {}
    for rule in rules:
        if rule:
            out.update(_literals(rule, public))
    return out


def _replace(text: str, pattern: str, hidden: dict[str, str], quoted: bool) -> str:
    """``text`` with each literal of ``hidden`` masked in one pass (a mask is never
    masked again)."""
    found = re.compile(pattern)

    def swap(match: re.Match[str]) -> str:
        value = match.group("value")
        if quoted:
            value = value.replace("''", "'")
        masked = hidden.get(value, value)
        return f"'{masked.replace(chr(39), chr(39) * 2)}'" if quoted else masked

    return found.sub(swap, text)


def masked_rule(text: str | None, hidden: dict[str, str]) -> str | None:
    """A rule's (or a file's) text with each literal of ``hidden`` masked where it is
    written as a literal (``'张伟'``; ``''张伟''`` inside a YAML single-quoted text too)."""
    if not text or not hidden:
        return text
    spelled = "|".join(re.escape(v.replace("'", "''")) for v in hidden)
    return _replace(text, f"'(?P<value>{spelled})'", hidden, quoted=True)


def masked_reason(text: str | None, hidden: dict[str, str]) -> str | None:
    """A rule written out for a person (``名称 (张**) in (张伟, 王芳)``, see
    :func:`kequn.core.rules.render_reason`, which shows literals bare) with each literal
    of ``hidden`` masked where it stands as a value: between spaces, brackets and
    commas, not inside a longer word."""
    if not text or not hidden:
        return text
    spelled = "|".join(re.escape(v) for v in hidden)
    return _replace(text, rf"(?<![^\s(,])(?P<value>{spelled})(?![^\s),])", hidden, quoted=False)
