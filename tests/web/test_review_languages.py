"""Words a user reads come in the language they chose, also where the text is not the
dashboard's own: a refused rule's list of what is allowed, a body the server could not
parse, and the previous run's label names in the lifecycle movement chart."""

from __future__ import annotations

import re
from typing import Any

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_a_refused_rule_lists_what_is_allowed_in_the_reader_s_language(server: Any) -> None:
    """The zh message said 允许：… parentheses, numbers, 'text', … and the functions …"""
    with server.client("viewer") as client:
        rule = {"rule": "city like '%x%'"}
        zh = client.post("/api/taxonomy/preview", json=rule, params={"lang": "zh"}).json()
        en = client.post("/api/taxonomy/preview", json=rule, params={"lang": "en"}).json()
    assert zh["ok"] is False
    assert en["ok"] is False
    assert "括号" in zh["error"]
    for english in ("parentheses", "numbers", "and the functions"):
        assert english not in zh["error"]
    assert "parentheses" in en["error"]
    assert not HAN.search(en["error"].split("\n")[0])


def test_a_body_that_cannot_be_parsed_is_refused_in_the_reader_s_language(server: Any) -> None:
    """FastAPI's own 400 ("There was an error parsing the body") came out in English only."""
    with server.client("viewer") as client:
        answers = {
            lang: client.post(
                "/api/taxonomy/validate",
                content=b"\xff\xfe\x00",
                headers={"content-type": "application/json"},
                params={"lang": lang},
            )
            for lang in ("zh", "en")
        }
    for answer in answers.values():
        assert answer.status_code == 400
        assert answer.headers["content-type"].startswith("application/json")
    zh = answers["zh"].json()["error"]["message"]
    en = answers["en"].json()["error"]["message"]
    assert HAN.search(zh)
    assert "parsing" not in zh
    assert en
    assert not HAN.search(en)
