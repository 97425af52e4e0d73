"""The Chinese worklist page was titled "市场 工作清单", with the space an English title
puts between its words; Chinese writes the team and the list as one: 市场工作清单."""

from __future__ import annotations

import re
from typing import Any

import pytest


@pytest.mark.parametrize(("lang", "title"), [("zh", "销售工作清单"), ("en", "Sales worklist")])
def test_worklist_title_reads_as_the_language_writes(server: Any, lang: str, title: str) -> None:
    with server.client("admin") as client:
        page = client.get("/worklists/sales", params={"lang": lang}).text
    found = re.search(r"<h1>(.*?)</h1>", page)
    assert found
    assert found.group(1) == title
    assert f"<title>{title} · kequn 客群</title>" in page
