"""Names people type (taxonomy labels, order channels) cannot break out of the pages."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

from fastapi.testclient import TestClient

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings

HOSTILE = '</script><img src=x onerror="alert(1)">'


def test_chart_data_is_escaped_inside_its_script_element(tmp_path: Path) -> None:
    ws = demo_workspace(tmp_path, 300, seed=11)
    default = resources.files("kequn.taxonomy").joinpath("default.yaml").read_text("utf-8")
    assert "en: Prospect" in default
    ws.taxonomy_path.write_text(
        default.replace("en: Prospect", f"en: '{HOSTILE}'", 1), encoding="utf-8"
    )
    run_taxonomy(ws, with_models=False)
    token = add_user(ws, "owner", "admin")
    with TestClient(create_app(ServerSettings(workspace=ws.root))) as client:
        page = client.get("/?lang=en", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200
    html = page.text
    assert "<img" not in html
    found = re.search(
        r'<script type="application/json" id="charts-data">(.*?)</script>', html, re.S
    )
    assert found is not None
    charts = json.loads(found.group(1))  # the data still reads back whole
    assert charts["names"]["lifecycle"]["prospect"] == HOSTILE
