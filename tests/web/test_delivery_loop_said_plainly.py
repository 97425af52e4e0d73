"""The runs page said of a delivery loop that had never passed "every 60.0 s …; last
at -: 0 sent, 0 failed" (上次 -：发送 0，失败 0), a dash for a time and counts of nothing;
and a loop that had passed, its last time to the microsecond. It now says the loop has
not run yet, the seconds as `kequn schedule show` writes them (60), and the last time
to the minute."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kequn.automation.schedule import records
from kequn.store.access import add_user
from kequn.store.workspace import Workspace

LOOP = re.compile(r'<p id="delivery-loop">(.*?)</p>', re.S)


def _loop(client: Any, lang: str) -> str:
    page = client.get("/runs", params={"lang": lang})
    assert page.status_code == 200, page.text
    found = LOOP.search(page.text)
    assert found, page.text
    return found.group(1)


@pytest.mark.parametrize(
    ("lang", "never", "last"),
    [
        ("en", "every 60 s (when journeys exist); it has not run yet", "last at 2026-12-02 06:00:"),
        ("zh", "每 60 秒（有旅程时）；尚未运行过", "上次 2026-12-02 06:00："),
    ],
)
def test_the_delivery_loop_is_said_plainly(
    ws: Workspace, serve: Any, lang: str, never: str, last: str
) -> None:
    tokens = {"viewer": add_user(ws, "reader", "viewer")}
    with serve(ws, tokens) as srv, srv.client("viewer") as client:
        before = _loop(client, lang)
        records.write_delivery(
            ws, {"sent": 3, "failed": 0, "at": "2026-12-02T06:00:41.123456+08:00"}
        )
        after = _loop(client, lang)
    assert never in before
    assert "-" not in before
    assert last in after
    assert "41" not in after
