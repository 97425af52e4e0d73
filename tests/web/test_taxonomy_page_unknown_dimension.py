"""The taxonomy page asked for a dimension the taxonomy does not have (a typo in the
address, a dimension removed since a link was kept) showed the first dimension's rules
under the address of another, without a word; it is now the error page (404) naming the
dimensions there are, as a segment page of no such dimension is. Sent empty, the first
dimension, as when not given."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


@pytest.mark.parametrize(("lang", "words"), [("en", "There is no dimension"), ("zh", "没有维度")])
def test_an_unknown_dimension_is_said(server: Any, lang: str, words: str) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        signed = client.post(
            "/login", data={"token": server.tokens["viewer"]}, headers={"Origin": server.url}
        )
        assert signed.status_code == 303
        page = client.get("/taxonomy", params={"dimension": "lifecycel", "lang": lang})
        assert page.status_code == 404
        assert 'id="error"' in page.text
        assert words in page.text
        assert "lifecycel" in page.text
        assert "lifecycle" in page.text.split('id="error"', 1)[1]  # what there is
        for asked in ({"dimension": ""}, {}):
            shown = client.get("/taxonomy", params={**asked, "lang": lang})
            assert shown.status_code == 200
            assert 'data-dimension="lifecycle"' in shown.text
        value = client.get("/taxonomy", params={"dimension": "value", "lang": lang})
        assert 'data-dimension="value"' in value.text
