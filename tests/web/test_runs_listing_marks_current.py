"""``/api/runs`` and the runs page list the runs made last first, so a backfill (made
last, for an earlier as-of date) heads them, yet the API, the pages and the commands read
another run when none is named. Each run now says whether it is that current run:
``current`` in the JSON, a mark on the page in the reader's language, where each run
links to its own overview (``/?run=``)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kequn.store.access import add_user
from kequn.store.workspace import Workspace
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_the_runs_listed_say_which_is_current(
    backfilled_shop: tuple[Workspace, str, str], role: str
) -> None:
    ws, later, backfill = backfilled_shop
    token = add_user(ws, f"{role}-user", role)
    with TestClient(create_app(ServerSettings(workspace=ws.root))) as client:
        headers = {"Authorization": f"Bearer {token}"}
        listed = client.get("/api/runs", headers=headers).json()
        pages = {
            lang: client.get("/runs", params={"lang": lang}, headers=headers).text
            for lang in ("en", "zh")
        }
    assert [(r["run_id"], r["current"]) for r in listed] == [(backfill, False), (later, True)]
    for lang, mark in (("en", "current run"), ("zh", "当前运行")):
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", pages[lang].split('id="runs"')[1], re.S)
        marked = {rid: mark in row for row in rows for rid in (later, backfill) if rid in row}
        assert marked == {later: True, backfill: False}, lang
        for rid in (later, backfill):
            assert f'href="/?run={rid}"' in pages[lang]
