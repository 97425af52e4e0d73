"""A dashboard page opened with a query it cannot take (``?page=-1``, a search too long)
answers the dashboard's error page, saying which value was wrong in the reader's language,
not the API's JSON, which a browser showed raw; the API keeps its JSON."""

from __future__ import annotations

from typing import Any

import httpx


def test_a_page_with_a_bad_query_is_an_error_page(server: Any) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        signed = client.post(
            "/login", data={"token": server.tokens["analyst"]}, headers={"Origin": server.url}
        )
        assert signed.status_code == 303
        page = client.get("/segments/lifecycle/new", params={"page": "-1", "lang": "zh"})
        api = client.get(
            "/api/segments/lifecycle/new/members", params={"offset": "-1", "lang": "zh"}
        )
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert 'id="error"' in page.text
    assert "page" in page.text  # the value named
    assert "请求" in page.text or "参数" in page.text  # in the reader's language
    assert api.status_code == 422
    assert api.json()["error"]["code"] == "invalid_request"
    # a client with a token keeps the JSON it can read, pages included
    with server.client("analyst") as client:
        page = client.get("/segments/lifecycle/new", params={"page": "-1"})
    assert page.status_code == 422
    assert page.json()["error"]["code"] == "invalid_request"


def test_signed_out_the_sign_in_comes_first(server: Any) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        page = client.get("/segments/lifecycle/new", params={"page": "-1"})
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login")
