"""``/docs`` was FastAPI's Swagger UI: English only, its scripts and styles loaded from
cdn.jsdelivr.net, so on a machine or intranet that cannot reach it the page stayed blank
(and every page under /docs had a policy letting a CDN's scripts run). No installed
package ships Swagger UI's or ReDoc's files, so neither is served: ``/docs`` and
``/redoc`` answer a JSON 404 in the request's language pointing to ``/openapi.json``,
which is whole, and no answer lets a script of another host run."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_docs_point_to_the_openapi_description(server: Any, path: str) -> None:
    said = {}
    for lang in ("zh", "en"):
        answer = httpx.get(server.url + path, params={"lang": lang})
        assert answer.status_code == 404, answer.text
        said[lang] = answer.json()["error"]["message"]
        assert "/openapi.json" in said[lang], said
        policy = answer.headers["content-security-policy"]
        assert "https:" not in policy, policy
        assert "unsafe-inline" not in policy.split("style-src")[0], policy
    assert "接口说明" in said["zh"], said
    assert "described at" in said["en"], said


def test_the_openapi_description_is_served(server: Any) -> None:
    spec = httpx.get(server.url + "/openapi.json").json()
    assert "/api/segments" in spec["paths"]
    assert "/docs" not in spec["paths"]
