"""Which literals of a rule a reader without personal data sees masked
(:mod:`kequn.web.rule_privacy`), case by case."""

from __future__ import annotations

import pytest

from kequn.web.rule_privacy import masked_reason, masked_rule, personal_literals

CASES = [
    {
        "description": "a name compared, a segment code left as written",
        "rule": "name = '李雷' and lifecycle = 'loyal'",
        "shown": "name = '李**' and lifecycle = 'loyal'",
    },
    {
        "description": "a list of names, through coalesce",
        "rule": "coalesce(name, '') in ('韩梅梅', 'Han Meimei')",
        "shown": "coalesce(name, '') in ('韩**', 'H**')",
    },
    {
        "description": "an attribute's value, not its key",
        "rule": "attr('微信号') = 'wxid_abc123'",
        "shown": "attr('微信号') = '***'",
    },
    {
        "description": "an attribute declared public is no one's personal data",
        "rule": "attr('会员等级') = '金卡'",
        "shown": "attr('会员等级') = '金卡'",
    },
    {
        "description": "one letter of a name hides nothing: left, not every 王 changed",
        "rule": "starts_with(name, '王') and city = '王府井'",
        "shown": "starts_with(name, '王') and city = '王府井'",
    },
    {
        "description": "a quote inside a name, as SQL doubles it",
        "rule": "name = 'O''Brien'",
        "shown": "name = 'O**'",
    },
    {
        "description": "text that is no rule hides nothing",
        "rule": "name = '未闭合",
        "shown": "name = '未闭合",
    },
]


@pytest.mark.parametrize("case", CASES, ids=[c["description"] for c in CASES])
def test_a_rule_as_a_viewer_reads_it(case: dict[str, str]) -> None:
    hidden = personal_literals([case["rule"]], frozenset({"会员等级"}))
    assert masked_rule(case["rule"], hidden) == case["shown"]


def test_a_rule_inside_yaml_single_quotes_is_masked_too() -> None:
    hidden = personal_literals(["name = '李雷'"], frozenset())
    assert masked_rule("when: 'name = ''李雷'''", hidden) == "when: 'name = ''李**'''"


def test_a_reason_masks_the_values_not_the_words_around_them() -> None:
    hidden = personal_literals(["name in ('李雷', '雷')"], frozenset())
    reason = "name (李**) in (李雷, 雷)；李雷雨 不变"
    assert masked_reason(reason, hidden) == "name (李**) in (李**, 雷)；李雷雨 不变"
