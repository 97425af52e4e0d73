"""``Accept-Language`` is a weighted list (RFC 9110 §12.5.4): only its first tag was read,
so a browser that lists another language first (``ja, zh-CN;q=0.9``) or puts Chinese
ahead by weight rather than order (``en;q=0.1, zh;q=0.9``) was answered in English, and
``zh;q=0`` (Chinese refused) in Chinese. The server now answers in the language it speaks
that the list prefers."""

from __future__ import annotations

import re
from typing import Any

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("accept", "zh"),
    [
        ("ja, zh-CN;q=0.9, en;q=0.8", True),
        ("fr, zh;q=0.5", True),
        ("en;q=0.1, zh;q=0.9", True),
        ("x;q=abc, zh", True),
        ("zh;q=0, en", False),
        ("zh;q=0", False),
        ("en-US,en;q=0.9,zh-CN;q=0.8", False),
        ("zh-CN,zh;q=0.9,en;q=0.8", True),
        ("zh, en", True),
        ("en, zh", False),
        ("*", False),
        ("", False),
    ],
)
def test_the_language_the_weighted_list_prefers_answers(server: Any, accept: str, zh: bool) -> None:
    with server.client() as client:
        for path in ("/api/segments", "/api/nosuch"):
            response = client.get(path, headers={"Accept-Language": accept})
            assert response.status_code == 401
            message = response.json()["error"]["message"]
            assert bool(HAN.search(message)) == zh, (accept, message)


def test_a_page_follows_the_weighted_list_too(server: Any) -> None:
    with server.client() as client:
        page = client.get("/login", headers={"Accept-Language": "ja, zh-CN;q=0.9, en;q=0.8"})
    assert page.status_code == 200
    assert 'lang="zh' in page.text
