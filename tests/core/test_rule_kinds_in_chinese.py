"""A rule comparing or passing the wrong kind of value is explained to the 中文 reader in
Chinese: the kinds were put into the sentence as the checker names them, "不能比较number与
string", "此处需要bool，而不是number"."""

from __future__ import annotations

import re

import pytest

from kequn.core.rules import RuleError, parse_rule
from kequn.features.catalogue import catalogue

LATIN_KIND = re.compile(r"\b(number|string|date|bool)\b")


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("orders > '1'", "不能比较数字与文本"),
        ("orders and spend > 1", "此处需要条件（真或假），而不是数字"),
        ("lower(orders) = 'x'", "lower() 此处需要文本，而不是数字"),
        ("orders + 1", "规则必须是条件（真或假），而不是数字"),
        ("last_order_date > 3", "不能比较日期与数字"),
    ],
)
def test_the_kinds_of_a_wrong_rule_are_said_in_chinese(rule: str, words: str) -> None:
    with pytest.raises(RuleError) as raised:
        parse_rule(rule, catalogue())
    zh, en = raised.value.message("zh").split("\n")[0], raised.value.message("en")
    assert words in zh, zh
    assert not LATIN_KIND.search(zh), zh
    assert LATIN_KIND.search(en), en  # English keeps the checker's words
