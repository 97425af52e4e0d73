"""An admin's privacy export and erasure take a customer's token as the customer routes do.

A viewer is shown customers as tokens (``c-…``, :mod:`kequn.privacy.shown_ids`) and
passes one on when asking for a person's data to be exported or erased; an admin's
``/api/customers/{token}`` opens it, but ``/api/privacy/export/{token}`` and
``/api/privacy/erase`` answered "no such customer". Both open it now; viewers are still
refused."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from kequn.demo import demo_workspace
from kequn.privacy.shown_ids import id_cipher
from kequn.store.access import add_user
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings


def test_export_and_erase_open_a_token(tmp_path: Path) -> None:
    ws = demo_workspace(tmp_path, 30)
    tokens = {role: add_user(ws, role, role) for role in ("admin", "viewer")}
    with ws.read() as con:
        found = con.execute("SELECT customer_id FROM customers ORDER BY 1 LIMIT 1").fetchone()
    assert found is not None
    cid = found[0]
    token = id_cipher(ws).seal(cid)
    assert token != cid
    with TestClient(create_app(ServerSettings(workspace=ws.root))) as client:
        admin = {"Authorization": f"Bearer {tokens['admin']}"}
        viewer = {"Authorization": f"Bearer {tokens['viewer']}"}
        assert client.get(f"/api/privacy/export/{token}", headers=viewer).status_code == 403
        by_id = client.get(f"/api/privacy/export/{cid}", headers=admin)
        by_token = client.get(f"/api/privacy/export/{token}", headers=admin)
        assert by_token.status_code == 200, by_token.text
        assert by_token.json()["customers"] == by_id.json()["customers"]
        erased = client.post("/api/privacy/erase", json={"customer_id": token}, headers=admin)
        assert erased.status_code == 200, erased.text
        assert erased.json()["removed"]["customers"] == 1
        assert client.get(f"/api/privacy/export/{cid}", headers=admin).status_code == 404
