"""The guard's cross-site check reads a state-changing request's ``Origin`` (else its
``Referer``) as a URL, before any token is asked for: a header that is no URL Python can
split (``http://[::1``, an unclosed IPv6 address) raised ValueError, a 500 for anyone on
the network. It names no host of this server, so it is refused as from another site."""

from __future__ import annotations

from typing import Any

import pytest

MALFORMED = ("http://[::1", "http://[", "https://[::1]x:80/")


@pytest.mark.parametrize("header", ["Origin", "Referer"])
@pytest.mark.parametrize("value", MALFORMED)
@pytest.mark.parametrize("path", ["/api/runs", "/login", "/api/privacy/erase"])
def test_a_malformed_origin_is_refused_as_cross_site(
    server: Any, header: str, value: str, path: str
) -> None:
    with server.client() as client:
        for cookie in ({}, {"kequn_session": "abc"}):
            client.cookies.clear()
            client.cookies.update(cookie)
            answer = client.post(path, params={"lang": "zh"}, headers={header: value})
            assert answer.status_code == 403, (cookie, answer.text[:200])
            assert answer.json()["error"]["code"] == "cross_site"
            assert "页面" in answer.json()["error"]["message"]
