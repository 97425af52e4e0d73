"""A reader who may not review identity matches is told so on the review page.

``/identity`` refused a viewer with "The viewer role may not do this (run)" / "角色 查看者
无权执行此操作（运行分群）", the words for starting a classification run, while the
review's API (``/api/identity/review``) said what was refused: reviewing identity
matches. The page now says what its API says, in both languages."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [("zh", "复核身份匹配", "运行分群"), ("en", "review identity matches", "(run)")],
)
def test_the_identity_page_names_the_review_it_refuses(
    server: Any, lang: str, said: str, not_said: str
) -> None:
    with server.client("viewer") as client:
        page = client.get("/identity", params={"lang": lang})
        api = client.get("/api/identity/review", params={"lang": lang})
    assert page.status_code == 403, page.text
    assert api.status_code == 403, api.text
    assert said in api.json()["error"]["message"]
    assert said in page.text, page.text
    assert not_said not in page.text, page.text
