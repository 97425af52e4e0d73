"""An upload's result says what `kequn import` says before its counts, in the request's
language: the web showed the counts alone, so an uploader never heard that a column was
kept as written, that a nickname keyed the buyers, or that status words were unknown."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from kequn.store.access import add_user
from kequn.store.workspace import Workspace
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings


def test_the_upload_says_what_the_import_found_in_the_language(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    token = add_user(ws, "admin", "admin")
    members = "客户编号,客户姓名,客户类型\nK1,张三,会员\nK2,李四,粉丝\n".encode()
    orders = "订单号,客户编号,下单时间,金额,订单状态\nA1,K1,2024-01-05,10,神秘状态\n".encode()
    said: dict[str, list[dict[str, object]]] = {}
    with TestClient(create_app(ServerSettings(workspace=ws.root))) as client:
        headers = {"Authorization": f"Bearer {token}"}
        for lang in ("zh", "en"):
            for table, body in (("customers", members), ("orders", orders)):
                answer = client.post(
                    f"/api/imports/{table}?wait=true&lang={lang}",
                    files={"file": (f"{table}.csv", body)},
                    headers=headers,
                )
                assert answer.status_code == 200, answer.text
                said[f"{table}-{lang}"] = answer.json()["result"]["said"]
    texts = {key: [line["text"] for line in lines] for key, lines in said.items()}
    warned = {key: [line["text"] for line in lines if line["warn"]] for key, lines in said.items()}
    # the fields named as the rest of the UI names them, in the language
    assert "客户编号 → 客户编号" in " ".join(texts["customers-zh"])
    assert "订单状态 → 状态" in " ".join(texts["orders-zh"])
    assert "订单状态 → status" in " ".join(texts["orders-en"])
    assert "下单时间 → order time" in " ".join(texts["orders-en"])
    assert not any("customer_id" in s or "ordered_at" in s for s in texts["orders-en"])
    assert any("客户类型 的值没有一个是客户性质" in s for s in warned["customers-zh"])
    assert any("No value of 客户类型 is a kind" in s for s in warned["customers-en"])
    # an unknown status word, told (and quarantined) where the page said nothing
    assert any("神秘状态" in s for s in warned["orders-en"])
    assert not any("神秘状态" in s for s in warned["customers-en"])
