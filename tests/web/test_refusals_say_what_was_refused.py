"""A viewer refused a journey's switch was told "The viewer role may not do this (edit
the taxonomy)", and refused the identity review "(run)": the permission guarding the
route, not what was asked. The refusal says what was refused."""

from __future__ import annotations

from typing import Any

import pytest

CASES = [
    ("post", "/api/journeys/winback/enabled", {"enabled": False}, ("旅程", "journeys")),
    ("put", "/api/journeys", {"text": "journeys: []\n"}, ("旅程", "journeys")),
    ("get", "/api/identity/review", None, ("身份", "identity")),
]


@pytest.mark.parametrize(("method", "path", "body", "words"), CASES)
def test_a_refusal_names_what_was_refused(
    server: Any, method: str, path: str, body: Any, words: tuple[str, str]
) -> None:
    with server.client("viewer") as client:
        for lang, word, wrong in zip(("zh", "en"), words, ("分群规则", "taxonomy"), strict=True):
            kwargs = {"json": body} if body is not None else {}
            response = client.request(method, path, params={"lang": lang}, **kwargs)
            assert response.status_code == 403, response.text
            message = response.json()["error"]["message"]
            assert word in message, message
            assert wrong not in message, message
