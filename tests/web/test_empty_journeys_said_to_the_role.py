"""A workspace without journeys told a viewer "Write journeys.yaml below and save it to
create some", above an editor the viewer may not use. Those who may edit are still told
how; the others, who creates them."""

from __future__ import annotations

from typing import Any

import pytest

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

EDIT = {"zh": "在下方写入 journeys.yaml", "en": "Write journeys.yaml below"}
WHO = {"zh": "分析师或管理员", "en": "an analyst or administrator"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_journeys_is_said_to_what_the_role_can_do(ws: Workspace, serve: Any, lang: str) -> None:
    tokens = {role: add_user(ws, f"{role}-user", role) for role in ("analyst", "viewer")}
    with serve(ws, tokens) as srv:
        with srv.client("analyst") as analyst:
            editing = analyst.get("/journeys", params={"lang": lang}).text
        with srv.client("viewer") as viewer:
            reading = viewer.get("/journeys", params={"lang": lang}).text
    assert 'id="journeys-none"' in editing
    assert EDIT[lang] in editing
    assert 'id="journeys-none"' in reading
    assert EDIT[lang] not in reading
    assert WHO[lang] in reading
