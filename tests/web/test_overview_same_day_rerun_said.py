"""The overview's lifecycle movement compares the two runs of ``latest_pair``; when both
have one as-of date (a rerun after a taxonomy edit or a re-import), `kequn history` says
that segment events and journeys never see these movements, and now the overview says so
too, in the page's language (it showed the movement with no word). Two runs at two dates
(the shared server's workspace) show no such note."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user


def test_two_runs_of_one_day_are_said_on_the_overview(tmp_path: Path, serve: Any) -> None:
    ws = demo_workspace(tmp_path, 80, seed=5)
    run_taxonomy(ws, as_of=date(2026, 6, 30), with_models=False)
    run_taxonomy(ws, as_of=date(2026, 6, 30), with_models=False)
    tokens = {"viewer": add_user(ws, "reader", "viewer")}
    with serve(ws, tokens) as srv, srv.client("viewer") as client:
        en = client.get("/", params={"lang": "en"})
        zh = client.get("/", params={"lang": "zh"})
    assert en.status_code == zh.status_code == 200
    assert 'id="flow-same-day"' in en.text
    assert "Both runs are as of 2026-06-30 (a rerun of the same day)" in en.text
    assert "两次运行的截至日期都是 2026-06-30" in zh.text


def test_runs_of_two_days_have_no_such_note(server: Any) -> None:
    with server.client("viewer") as client:
        page = client.get("/", params={"lang": "en"})
    assert page.status_code == 200
    assert 'id="chart-flow"' in page.text
    assert "flow-same-day" not in page.text
    assert "Both runs are as of" not in page.text
