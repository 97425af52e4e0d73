"""After a backfill (a run made last for an earlier as-of date), the API and the pages
read, when no run is named (the pages never name one), the run with the latest as-of
date; the API's ``?run=`` still names the backfill. They read the run made last: the
dashboard showed the past as the current state."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from kequn.store.access import add_user
from kequn.store.workspace import Workspace
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings


def test_the_api_and_pages_show_the_latest_dated_run_unless_told(
    backfilled_shop: tuple[Workspace, str, str],
) -> None:
    ws, later, backfill = backfilled_shop
    tokens = {role: add_user(ws, f"{role}-user", role) for role in ("admin", "viewer")}
    with TestClient(create_app(ServerSettings(workspace=ws.root))) as client:

        def get(url: str, role: str = "admin", **params: str) -> object:
            answer = client.get(
                url, params=params, headers={"Authorization": f"Bearer {tokens[role]}"}
            )
            assert answer.status_code == 200, (url, params, answer.text)
            return answer.json() if url.startswith("/api/") else answer.text

        for run_id, named in ((later, {}), (backfill, {"run": backfill})):
            for role in ("admin", "viewer"):
                said = get("/api/segments", role, **named)
                assert said["run"]["run_id"] == run_id, (role, named)  # type: ignore[index]
            assert get("/api/customers/C2", **named)["run"]["run_id"] == run_id  # type: ignore[index]
        # C2 first ordered on 2025-06-01: new as of 2025-06-30, a prospect in the backfill
        members = get("/api/segments/lifecycle/new/members")
        assert sorted(r["customer_id"] for r in members["rows"]) == ["C1", "C2"]  # type: ignore[index]
        members = get("/api/segments/lifecycle/new/members", run=backfill)
        assert [r["customer_id"] for r in members["rows"]] == ["C1"]  # type: ignore[index]
        # the pages (which take no run) say which they show: "As of {as_of} · run {run_id}"
        for page in ("/", "/segments/lifecycle/new", "/customers/C2"):
            assert _shown(str(get(page, lang="en"))) == [later], page


def _shown(page: str) -> list[str]:
    return re.findall(r"As of [^<·]*· run (\d{8}-\d{6}-\d{8}-[0-9a-f]{4})", page)
