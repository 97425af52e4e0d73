"""A rule that does not parse is explained in kequn's words in both languages: the parser's
own description (English only, naming its classes: "Required keyword: 'expression'
missing for <class 'sqlglot.expressions.core.GT'>") reached the 中文 reader as it was."""

from __future__ import annotations

import re
from typing import Any

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    "rule",
    ["spend >", "(", "spend between 1", "1 +", "not", "spend > (1", "spend = 'x", "a b c", ")"],
)
def test_a_rule_that_does_not_parse_is_explained_in_both_languages(server: Any, rule: str) -> None:
    with server.client("viewer") as client:
        found = {
            lang: client.post(
                "/api/taxonomy/preview", json={"rule": rule}, params={"lang": lang}
            ).json()
            for lang in ("zh", "en")
        }
    for lang, answer in found.items():
        assert answer["ok"] is False
        first = answer["error"].split("\n")[0]
        assert "sqlglot" not in first, first
        assert "<class" not in first, first
        if lang == "zh":
            for english in ("Required keyword", "Expecting", "Error tokenizing", "Invalid"):
                assert english not in first, first
        assert bool(HAN.search(first)) == (lang == "zh"), first
    assert found["en"]["error"].startswith("syntax error")
