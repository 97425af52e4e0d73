"""A privacy request names the person by phone or e-mail: an id made from a phone is a
keyed pseudonym (p-…) no one can read back, and `kequn privacy erase 13900139000` said
the workspace held nothing about that customer while it held their orders."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kequn.cli import app
from kequn.ingest.importer import import_file
from kequn.privacy.contact import subjects
from kequn.store.access import add_user
from kequn.store.workspace import Workspace
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings


def _held(ws: Workspace, tmp_path: Path) -> None:
    customers = tmp_path / "members.csv"
    customers.write_text(
        "客户编号,客户姓名,手机号,邮箱\n"
        "C1,张三,138 0013 8000,Zhang@Example.cn\nC2,张三妻,13800138000,\nC3,李四,13700137000,\n",
        encoding="utf-8",
    )
    import_file(ws, "customers", customers)
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "订单号,手机号,下单时间,金额\nA1,139-0013-9000,2024-01-05,100\nA2,13700137000,2024-01-06,5\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", orders, create_customers=True)


def test_a_phone_or_email_finds_the_customers_who_have_it(ws: Workspace, tmp_path: Path) -> None:
    _held(ws, tmp_path)
    buyer = subjects(ws, "+86 139 0013 9000")
    assert len(buyer) == 1
    assert buyer[0].startswith("p-")  # the orders' buyer, known by the keyed phone only
    assert subjects(ws, "zhang@example.CN") == ["C1"]
    assert subjects(ws, "13800138000") == ["C1", "C2"]  # one number, two customers
    assert subjects(ws, "C3") == ["C3"]  # an id held is the id
    assert subjects(ws, "13600136000") == []  # a phone no one has
    assert subjects(ws, "NOBODY") == ["NOBODY"]  # neither: left to say it is not held


def test_the_cli_and_the_api_take_a_phone(ws: Workspace, tmp_path: Path) -> None:
    _held(ws, tmp_path)
    runner = CliRunner()
    out = tmp_path / "person.json"
    args = ["privacy", "export", "139 0013 9000", "-w", str(ws.root), "-o", str(out)]
    exported = runner.invoke(app, args)
    assert exported.exit_code == 0, exported.output
    person = json.loads(out.read_text(encoding="utf-8"))
    assert person["customer_id"].startswith("p-")
    assert [o["order_id"] for o in person["orders"]] == ["A1"]
    several = runner.invoke(app, ["privacy", "erase", "13800138000", "-w", str(ws.root), "-y"])
    assert several.exit_code == 1
    assert "C1, C2" in " ".join(several.output.split())

    token = add_user(ws, "admin", "admin")
    with TestClient(create_app(ServerSettings(workspace=ws.root))) as client:
        headers = {"Authorization": f"Bearer {token}"}
        shared = client.post(
            "/api/privacy/erase", json={"customer_id": "13800138000"}, headers=headers
        )
        assert shared.status_code == 409
        assert shared.json()["error"]["code"] == "several_customers"
        erased = client.post(
            "/api/privacy/erase", json={"customer_id": "zhang@example.cn"}, headers=headers
        )
        assert erased.status_code == 200
        assert erased.json()["removed"]["customers"] == 1
    assert subjects(ws, "13800138000") == ["C2"]
