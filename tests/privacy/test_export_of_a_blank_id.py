"""A privacy export asked for a blank id (``GET /api/privacy/export/%20``): the id, once
stripped, was empty, and every quarantined row "mentions" the empty text, so the export
of nobody answered 200 with every rejected row of every customer, values and source
records included, as if it were one person's data to hand over. Now it is refused: a 422
saying the id is empty, as ``kequn privacy export " "`` says it (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kequn import privacy
from kequn.demo import demo_workspace
from kequn.ingest.importer import import_file
from kequn.store.access import add_user
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings

PHONE = "13912345678"


@pytest.mark.parametrize("given", ["%20", "%20%20%20", "%09"])
def test_a_blank_id_exports_nothing(tmp_path: Path, given: str) -> None:
    ws = demo_workspace(tmp_path / "demo", 30)
    upload = tmp_path / "customers.csv"
    upload.write_text(
        f"customer_id,name,phone,birth_date\nZ1,赵敏,{PHONE},not a date\n", encoding="utf-8"
    )
    import_file(ws, "customers", upload)
    assert privacy.export_person(ws, "Z1") is not None  # the row is quarantined, and Z1's
    token = add_user(ws, "admin", "admin")
    with TestClient(create_app(ServerSettings(workspace=ws.root))) as client:
        answer = client.get(
            f"/api/privacy/export/{given}", headers={"Authorization": f"Bearer {token}"}
        )
    assert answer.status_code == 422, answer.text[:300]
    assert answer.json()["error"]["code"] == "empty_id"
    assert PHONE not in answer.text
    assert privacy.export_person(ws, " ") is None
