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
