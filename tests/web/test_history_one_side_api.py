"""``/api/history`` given one side answers as ``kequn history`` (the same function): with
``after`` alone, that run and the run before it in time, not the current run (which
compared the current run with itself, or ran backwards from a backfill); with nothing
before or after it, a 409 whose message names the API's parameter, not the command's
option."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from kequn.store.access import add_user
from kequn.store.workspace import Workspace
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings


def test_one_side_of_history_through_the_api(
    backfilled_shop: tuple[Workspace, str, str],
) -> None:
    ws, later, backfill = backfilled_shop
    token = add_user(ws, "analyst-user", "analyst")
    with TestClient(create_app(ServerSettings(workspace=ws.root))) as client:
        headers = {"Authorization": f"Bearer {token}"}

        def ask(**params: str) -> Any:
            return client.get("/api/history", params={"lang": "en", **params}, headers=headers)

        found = ask(after=later).json()
        assert (found["before"]["run_id"], found["after"]["run_id"]) == (backfill, later)
        for params, option in (({"after": backfill}, "before="), ({"before": later}, "after=")):
            answer = ask(**params)
            assert answer.status_code == 409, answer.text
            message = answer.json()["error"]["message"]
            assert option in message, message
            assert "--" not in message, message
