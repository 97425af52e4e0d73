"""An erasure cut short (killed after publishing the data without the person, before the
runs, the feature state and the files were cleaned) is told by every command, and now by
the dashboard's overview to those who erase (administrators), in the page's language;
the overview said nothing, and an administrator working only in the browser never knew
the person was still held. Analysts and viewers are not told (they cannot finish it)."""

from __future__ import annotations

from typing import Any

from kequn.store.access import erasure_finished, erasure_started

REFERENCE = "p-0f3a9c"


def test_the_overview_tells_administrators_of_an_unfinished_erasure(server: Any) -> None:
    ws = server.ws
    erasure_started(ws, REFERENCE)
    try:
        with server.client("admin") as client:
            zh = client.get("/", params={"lang": "zh"})
            en = client.get("/", params={"lang": "en"})
        with server.client("viewer") as client:
            viewer = client.get("/", params={"lang": "en"})
        with server.client("analyst") as client:
            analyst = client.get("/", params={"lang": "en"})
    finally:
        erasure_finished(ws, REFERENCE)
    assert zh.status_code == en.status_code == 200
    assert f"有一次删除（审计参考号 {REFERENCE}" in zh.text
    assert f"An erasure (audit reference {REFERENCE}" in en.text
    assert "erase-unfinished" not in viewer.text
    assert "erase-unfinished" not in analyst.text
    with server.client("admin") as client:
        after = client.get("/", params={"lang": "en"})
    assert "erase-unfinished" not in after.text
