"""Words a user reads come in the language they chose, also where the text is not the
dashboard's own: a refused rule's list of what is allowed, a body the server could not
parse, and the previous run's label names in the lifecycle movement chart."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_a_refused_rule_lists_what_is_allowed_in_the_reader_s_language(server: Any) -> None:
    """The zh message said 允许：… parentheses, numbers, 'text', … and the functions …"""
    with server.client("viewer") as client:
        rule = {"rule": "city like '%x%'"}
        zh = client.post("/api/taxonomy/preview", json=rule, params={"lang": "zh"}).json()
        en = client.post("/api/taxonomy/preview", json=rule, params={"lang": "en"}).json()
    assert zh["ok"] is False
    assert en["ok"] is False
    assert "括号" in zh["error"]
    for english in ("parentheses", "numbers", "and the functions"):
        assert english not in zh["error"]
    assert "parentheses" in en["error"]
    assert not HAN.search(en["error"].split("\n")[0])


def test_a_body_that_cannot_be_parsed_is_refused_in_the_reader_s_language(server: Any) -> None:
    """FastAPI's own 400 ("There was an error parsing the body") came out in English only."""
    with server.client("viewer") as client:
        answers = {
            lang: client.post(
                "/api/taxonomy/validate",
                content=b"\xff\xfe\x00",
                headers={"content-type": "application/json"},
                params={"lang": lang},
            )
            for lang in ("zh", "en")
        }
    for answer in answers.values():
        assert answer.status_code == 400
        assert answer.headers["content-type"].startswith("application/json")
    zh = answers["zh"].json()["error"]["message"]
    en = answers["en"].json()["error"]["message"]
    assert HAN.search(zh)
    assert "parsing" not in zh
    assert en
    assert not HAN.search(en)


def test_the_movement_chart_names_the_previous_run_s_labels_by_its_own_taxonomy(
    tmp_path: Path,
) -> None:
    """After a label is renamed, the earlier run's label had no name in the chart's data
    and the chart showed its raw id (``dormant``) on a 中文 page."""
    ws = demo_workspace(tmp_path, 300, seed=11)
    run_taxonomy(ws, as_of=dt.date(2026, 6, 30), with_models=False)
    default = resources.files("kequn.taxonomy").joinpath("default.yaml").read_text("utf-8")
    renamed = default.replace(
        "- id: dormant\n        zh: 沉睡客户\n        en: Dormant",
        "- id: sleeping\n        zh: 睡眠客户\n        en: Sleeping",
        1,
    )
    assert renamed != default
    ws.taxonomy_path.write_text(renamed, encoding="utf-8")
    run_taxonomy(ws, as_of=dt.date(2026, 9, 30), with_models=False)
    token = add_user(ws, "owner", "admin")
    with TestClient(create_app(ServerSettings(workspace=ws.root))) as client:
        page = client.get("/?lang=zh", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200
    found = re.search(
        r'<script type="application/json" id="charts-data">(.*?)</script>', page.text, re.S
    )
    assert found is not None
    charts = json.loads(found.group(1))
    moves = [m for m in charts["flow"]["moves"] if m["customers"] > 0]
    assert any(m["before"] == "dormant" for m in moves)
    names = charts["flow_names"]
    for move in moves:
        for side in ("before", "after"):
            if move[side] != "(absent)":
                assert HAN.search(names[side][move[side]]), (side, move[side])
    assert names["before"]["dormant"] == "沉睡客户"
    assert names["after"]["sleeping"] == "睡眠客户"
