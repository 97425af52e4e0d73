"""The menu showed every role 导入数据 / Import, although the upload page says only
administrators may import: a viewer followed it to a form whose button never lit. Each
role's menu now holds the pages it can use, and every entry it holds opens (no 403)."""

from __future__ import annotations

import re
from typing import Any

import pytest

NAV = re.compile(r"<nav>(.*?)</nav>", re.S)
HREF = re.compile(r'href="([^"]+)"')


def _menu(client: Any, lang: str) -> list[str]:
    page = client.get("/", params={"lang": lang})
    assert page.status_code == 200, page.text
    found = NAV.search(page.text)
    assert found, page.text
    return HREF.findall(found.group(1))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_only_those_who_may_import_see_the_import_entry(server: Any, lang: str) -> None:
    shown = {}
    for role in ("admin", "analyst", "viewer"):
        with server.client(role) as client:
            shown[role] = _menu(client, lang)
    assert "/upload" in shown["admin"]
    assert "/upload" not in shown["analyst"]
    assert "/upload" not in shown["viewer"]
    assert "/taxonomy" in shown["viewer"]  # read-only, but readable: kept


def test_every_entry_of_a_roles_menu_opens(server: Any) -> None:
    for role in ("admin", "analyst", "viewer"):
        with server.client(role) as client:
            for href in _menu(client, "en"):
                answer = client.get(href)
                assert answer.status_code == 200, (role, href, answer.status_code)
