"""Privacy requests over the API: admins only; export then erase one customer."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from kequn.demo import demo_workspace
from kequn.store.access import add_user
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings


def test_admins_export_and_erase_others_may_not(tmp_path: Path) -> None:
    ws = demo_workspace(tmp_path, 30)
    tokens = {role: add_user(ws, role, role) for role in ("admin", "analyst", "viewer")}
    with ws.read() as con:
        row = con.execute("SELECT customer_id, phone FROM customers LIMIT 1").fetchone()
    assert row is not None
    cid, phone = row
    with TestClient(create_app(ServerSettings(workspace=ws.root))) as client:

        def call(role: str, method: str, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
            headers = {"Authorization": f"Bearer {tokens[role]}"}
            return client.request(method, url, headers=headers, **kwargs)  # type: ignore[arg-type]

        for role in ("analyst", "viewer"):
            assert call(role, "GET", f"/api/privacy/export/{cid}").status_code == 403
            assert (
                call(role, "POST", "/api/privacy/erase", json={"customer_id": cid}).status_code
                == 403
            )
        exported = call("admin", "GET", f"/api/privacy/export/{cid}")
        assert exported.status_code == 200
        assert exported.json()["customers"][0]["phone"] == phone
        erased = call("admin", "POST", "/api/privacy/erase", json={"customer_id": cid})
        assert erased.status_code == 200
        assert erased.json()["removed"]["customers"] == 1
        assert call("admin", "GET", f"/api/privacy/export/{cid}").status_code == 404
        again = call("admin", "POST", "/api/privacy/erase", json={"customer_id": cid})
        assert again.status_code == 404
        assert again.json()["error"]["code"] == "no_customer"
        # nothing held: the data was not copied into a new generation for it
        generation = (ws.root / "data" / "CURRENT").read_text()
        unknown = call("admin", "POST", "/api/privacy/erase", json={"customer_id": "NOBODY-1"})
        assert unknown.status_code == 404
        assert (ws.root / "data" / "CURRENT").read_text() == generation
