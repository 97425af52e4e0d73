"""Taxonomy text nested deeper than libyaml takes (libyaml 0.2.5+ stops at its own
maximum: "exceeded maximum nesting depth") was told to the 中文 reader as the parser's
English ("YAML 解析器报告：while increasing flow level; exceeded maximum nesting depth");
it is the same problem as PyYAML's "nested too deeply", said in the reader's words."""

from __future__ import annotations

import re
from typing import Any

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")
DEEP = "a: " + "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_too_deep_taxonomy_text_is_explained_in_the_readers_language(
    server: Any, lang: str
) -> None:
    with server.client("viewer") as client:
        answer = client.post("/api/taxonomy/validate", json={"text": DEEP}, params={"lang": lang})
    assert answer.status_code == 200
    found = answer.json()
    assert found["ok"] is False
    message = found["error"]
    assert "maximum nesting depth" not in message, message
    assert "flow level" not in message, message
    assert ("嵌套层数太多" in message) == (lang == "zh"), message
    assert ("nested too deeply" in message) == (lang == "en"), message
    if lang == "en":
        assert not HAN.search(message), message
