"""A dashboard page that cannot be shown because taxonomy.yaml does not parse (the
taxonomy editor, the journeys page) answered the API's JSON, which a signed-in browser
showed raw; it is now the dashboard's error page with the same status and message, in
the reader's language, as a page with a bad query is. A client with a token, and every
/api route, keep the JSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kequn.demo import demo_workspace
from kequn.store.access import add_user


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    ws = demo_workspace(tmp_path_factory.mktemp("broken-page"), 100, seed=6)
    ws.taxonomy_path.write_text(
        ws.taxonomy_path.read_text(encoding="utf-8").replace(
            "dimensions:", "dimensions:\n  - id: [not, an, id]", 1
        ),
        encoding="utf-8",
    )
    tokens = {role: add_user(ws, f"{role}-page", role) for role in ("analyst", "viewer")}
    with serve(ws, tokens) as running:
        yield running


@pytest.mark.parametrize(
    ("role", "lang", "words"), [("analyst", "en", "taxonomy"), ("viewer", "zh", "分类体系")]
)
def test_a_page_is_an_error_page_and_the_api_json(
    broken: Any, role: str, lang: str, words: str
) -> None:
    with httpx.Client(base_url=broken.url, timeout=60) as browser:
        signed = browser.post(
            "/login", data={"token": broken.tokens[role]}, headers={"Origin": broken.url}
        )
        assert signed.status_code == 303
        page = browser.get("/taxonomy", params={"lang": lang})
        api = browser.get("/api/taxonomy", params={"lang": lang})
    assert page.status_code == 409, page.text[:300]
    assert page.headers["content-type"].startswith("text/html")
    assert 'id="error"' in page.text
    assert words in page.text
    assert api.status_code == 409
    assert api.json()["error"]["code"] == "invalid_taxonomy"
    with broken.client(role) as client:  # a token: the JSON it can read
        page = client.get("/taxonomy", params={"lang": lang})
    assert page.status_code == 409
    assert page.json()["error"]["code"] == "invalid_taxonomy"
