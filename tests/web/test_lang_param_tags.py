"""``?lang=zh-CN`` (the tag browsers and locales use), ``ZH`` or ``zh_CN`` answered in
English: only the exact ``zh``/``en`` counted, while ``Accept-Language: zh-CN`` was read
as Chinese. A tag is now read by its language, whatever its region or case."""

from __future__ import annotations

import re
from typing import Any

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("lang", "accept", "zh"),
    [
        ("zh-CN", "en-US", True),
        ("ZH", "en", True),
        ("zh_CN", "en", True),
        ("zh-Hans", "", True),
        ("en-US", "zh-CN", False),
        ("EN", "zh", False),
        ("fr", "zh-CN", True),  # no language kequn speaks: the browser's preference
    ],
)
def test_a_language_tag_with_a_region_or_capitals_is_read(
    server: Any, lang: str, accept: str, zh: bool
) -> None:
    with server.client() as client:
        for path in ("/api/segments", "/api/nosuch"):
            response = client.get(path, params={"lang": lang}, headers={"Accept-Language": accept})
            assert response.status_code == 401
            message = response.json()["error"]["message"]
            assert bool(HAN.search(message)) == zh, (lang, accept, message)
