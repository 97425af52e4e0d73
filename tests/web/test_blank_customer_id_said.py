"""A blank customer id (only spaces) sent to the API or a page was looked up and answered
404 "Customer   is not in this run.", naming no id, where ``kequn show " "`` (1e745dd)
says the id is empty, exit 2. Every door now says the same: 422 ``empty_id`` in JSON
with a message in the asker's language, or the error page for a browser, for every role
(a blank id tells nothing about anyone), and for the privacy requests too. An id of
characters that print as nothing (a zero-width space, a byte order mark) is blank too: it
was looked up as an id. And an erasure asked for ``""`` answered 422 ``invalid_request``
(pydantic's "at least 1 character") where ``" "`` said the id is empty."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

WORDS = {"en": "empty", "zh": "为空"}


@pytest.mark.parametrize("role", ["admin", "viewer"])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "given", ["%20", "%20%20%09", "%E2%80%8B", "%20%EF%BB%BF%E2%80%8C%E2%80%8D"]
)
def test_a_blank_id_is_said_to_be_empty(server: Any, role: str, lang: str, given: str) -> None:
    with server.client(role) as client:
        for url in (f"/api/customers/{given}", f"/api/customers/{given}/records"):
            answer = client.get(url, params={"lang": lang})
            assert answer.status_code == 422, (url, answer.text)
            error = answer.json()["error"]
            assert error["code"] == "empty_id", (url, error)
            assert WORDS[lang] in error["message"], (url, error)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_blank_id_on_a_page_is_the_error_page(server: Any, lang: str) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        signed = client.post(
            "/login", data={"token": server.tokens["viewer"]}, headers={"Origin": server.url}
        )
        assert signed.status_code == 303
        page = client.get("/customers/%20", params={"lang": lang})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert 'id="error"' in page.text
    assert WORDS[lang] in page.text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_privacy_request_for_a_blank_id_is_said_to_be_empty(server: Any, lang: str) -> None:
    with server.client("admin") as client:
        exported = client.get("/api/privacy/export/%20%20", params={"lang": lang})
        erased = [
            client.post("/api/privacy/erase", json={"customer_id": given}, params={"lang": lang})
            for given in ("  ", "\u200b", " \ufeff")
        ]
        exported_invisible = client.get("/api/privacy/export/%E2%80%8B", params={"lang": lang})
    for answer in (exported, exported_invisible, *erased):
        assert answer.status_code == 422, answer.text
        error = answer.json()["error"]
        assert error["code"] == "empty_id", error
        assert WORDS[lang] in error["message"], error


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_erasure_of_nothing_is_said_to_be_empty(server: Any, lang: str) -> None:
    with server.client("admin") as client:
        nothing, spaces = (
            client.post("/api/privacy/erase", json={"customer_id": given}, params={"lang": lang})
            for given in ("", " ")
        )
    assert nothing.status_code == 422, nothing.text
    assert nothing.json()["error"] == spaces.json()["error"]
    assert nothing.json()["error"]["code"] == "empty_id"
