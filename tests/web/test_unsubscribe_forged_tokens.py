"""The public unsubscribe link, sent forged tokens by anyone on the internet: a token
whose signature part is not ASCII (``hmac.compare_digest`` refuses to compare such text
with a TypeError) was a 500 answered as JSON even to a browser; it is the 400 of any
other bad link, a page for a browser, JSON otherwise."""

from __future__ import annotations

from typing import Any

import pytest

#: a valid first part (the id "a", base64) and a signature of no ASCII text; the
#: signature empty; a first part that is no base64 with a non-ASCII signature
FORGED = ("YQ.%C3%A9", "YQ.%E4%B8%AD%E6%96%87", "YQ.", "%C3%A9.%C3%A9")


@pytest.mark.parametrize("token", FORGED)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_forged_token_is_a_400_not_a_crash(server: Any, method: str, token: str) -> None:
    with server.client() as client:
        answer = client.request(method, f"/unsubscribe/{token}", params={"lang": "zh"})
        assert answer.status_code == 400, answer.text[:300]
        assert answer.json()["error"]["code"] == "bad_token"
        assert "退订" in answer.json()["error"]["message"]
        page = client.request(
            method,
            f"/unsubscribe/{token}",
            headers={"Accept": "text/html", "Accept-Language": "en"},
        )
        assert page.status_code == 400
        assert page.headers["content-type"].startswith("text/html")
