"""A dashboard address no page has (a typo, ``/segments/lifecycle`` without its label,
``/worklists/`` without a team), opened in a signed-in browser, is the dashboard's error
page with its 404 and the reader's words, as a page's own errors are: it was the API's
JSON, shown raw. A client with a token, and every ``/api/`` path, keep the JSON."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


@pytest.mark.parametrize("path", ["/nope", "/segments/lifecycle", "/worklists/", "/journeys/x/y"])
def test_an_unknown_address_is_the_error_page_in_a_browser(server: Any, path: str) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        signed = client.post(
            "/login", data={"token": server.tokens["viewer"]}, headers={"Origin": server.url}
        )
        assert signed.status_code == 303
        page = client.get(path, params={"lang": "zh"})
        api = client.get("/api/nope", params={"lang": "zh"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert 'id="error"' in page.text
    assert "没有这个地址" in page.text
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "http_404"
    with server.client("viewer") as client:
        answer = client.get(path)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "http_404"
