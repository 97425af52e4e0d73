"""The runs page said a delivery loop of a million seconds ran ``every 1e+06 s`` (每
1e+06 秒); it writes the seconds whole, as `kequn schedule show` does
(tests/automation/test_schedule_show_long_delivery_loop.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

LOOP = re.compile(r'<p id="delivery-loop">(.*?)</p>', re.S)


@pytest.mark.parametrize(("lang", "said"), [("en", "every 1,000,000 s"), ("zh", "每 1,000,000 秒")])
def test_the_runs_page_writes_the_seconds_whole(
    ws: Workspace, serve: Any, lang: str, said: str
) -> None:
    text = (ws.root / "kequn.toml").read_text(encoding="utf-8")
    (ws.root / "kequn.toml").write_text(
        text.replace("deliver_seconds = 60.0", "deliver_seconds = 1000000.0"), encoding="utf-8"
    )
    tokens = {"viewer": add_user(ws, "reader", "viewer")}
    with serve(ws, tokens) as srv, srv.client("viewer") as client:
        page = client.get("/runs", params={"lang": lang})
    assert page.status_code == 200, page.text
    found = LOOP.search(page.text)
    assert found, page.text
    assert said in found.group(1)
    assert "e+06" not in found.group(1)
