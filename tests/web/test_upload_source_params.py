"""The upload names a source as the command does: ``source=`` (``--source``) and
``no_source=true`` (``--no-source``); an upload naming a source's customer without
either is held with a message naming those parameters, not the command's options."""

from __future__ import annotations

from typing import Any

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

ORDERS = "order_id,customer_id,ordered_at,amount,status\nO1,C001,2026-01-02,100,paid\n"


def _upload(client: Any, table: str, text: str, **params: Any) -> Any:
    return client.post(
        f"/api/imports/{table}",
        params={"wait": "true", **params},
        files={"file": (f"{table}.csv", text.encode("utf-8"), "text/csv")},
    )


def test_source_and_no_source_on_the_upload(ws: Workspace, serve: Any) -> None:
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        done = _upload(client, "customers", "customer_id,name\nC001,Amy\n", source="crm")
        assert done.status_code == 200, done.text
        assert done.json()["result"]["origin"] == "crm"
        # no source named: held, and told how to name one there
        held = _upload(client, "orders", ORDERS, lang="en")
        assert held.status_code == 200, held.text
        assert held.json()["result"]["rejected"] == 1
        rows = client.get("/api/quarantine", params={"table": "orders", "lang": "en"}).json()
        assert [r["reason"] for r in rows] == ["customer_of_source"]
        assert rows[0]["reason_name"] == "a source's customer"
        assert "crm:C001" in rows[0]["message"]
        assert "source=" in rows[0]["message"]
        assert "--" not in rows[0]["message"]
        # named: the rows are crm's
        named = _upload(client, "orders", ORDERS, source="crm")
        assert named.json()["result"]["origin"] == "crm"
        assert named.json()["result"]["inserted"] == 1
        # no_source: kept as given
        kept = _upload(client, "orders", ORDERS.replace("O1", "O2"), no_source="true")
        assert kept.json()["result"]["origin"] is None
        assert kept.json()["result"]["inserted"] == 1
        # a name that is no source's: a 422 with a message, no job
        bad = _upload(client, "orders", ORDERS, source="../etc")
        assert bad.status_code == 422, bad.text
        assert "error" in bad.json()
