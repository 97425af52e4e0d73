"""An error the server's own code words (a workspace refusal, a taxonomy or journeys file
that does not parse, a query value out of range, a form it cannot read) is said in the
language the request asked for, whatever language the server process runs in: a 中文
reader got the server's English (KEQUN_LANG / the locale) from everything not worded by
the route itself."""

from __future__ import annotations

import re
from typing import Any

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")


def _message(response: Any) -> str:
    body = response.json()
    if "error" in body and isinstance(body["error"], dict):
        return str(body["error"]["message"])
    if "problems" in body:
        return " ".join(p["message"] for p in body["problems"])  # "text" adds the line
    return str(body["error"])


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        # a WorkspaceError, worded deep in the privacy package
        ("POST", "/api/privacy/erase", {"customer_id": "nobody-at-all"}),
        ("POST", "/api/taxonomy/validate", {"text": "just words"}),
        ("PUT", "/api/taxonomy", {"text": "a: [b"}),
        ("POST", "/api/journeys/validate", {"text": "just words"}),
        ("POST", "/api/journeys/validate", {"text": "a: [b"}),
        ("POST", "/api/journeys/validate", {"text": "journeys: 5"}),
    ],
)
def test_errors_worded_by_the_server_s_code_follow_the_request(
    server: Any, monkeypatch: pytest.MonkeyPatch, method: str, path: str, body: Any
) -> None:
    for process, asked in (("en", "zh"), ("zh", "en")):
        monkeypatch.setenv("KEQUN_LANG", process)
        with server.client("admin") as client:
            response = client.request(method, path, json=body, params={"lang": asked})
        assert response.status_code < 500, response.text
        message = _message(response)
        assert bool(HAN.search(message)) == (asked == "zh"), (process, asked, message)
