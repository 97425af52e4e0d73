"""The runs page names a scheduled job's steps in the page's language: the Chinese page
showed kequn.toml's words (run → deliver) in its steps and its last outcome's detail."""

from __future__ import annotations

import re
import shutil
import tomllib
from typing import Any

import tomli_w

from kequn.automation.schedule import find_job, run_job


def test_steps_are_named_in_chinese(server: Any) -> None:
    ws = server.ws
    config = ws.root / "kequn.toml"
    original = config.read_text(encoding="utf-8")
    data = tomllib.loads(original)
    data["schedule"] = {"nightly": {"at": "02:00", "steps": ["deliver"]}}
    config.write_text(tomli_w.dumps(data), encoding="utf-8")
    try:
        assert run_job(ws, find_job(ws, "nightly")) is not None
        with server.client("viewer") as client:
            page = client.get("/runs", params={"lang": "zh"})
            english = client.get("/runs", params={"lang": "en"})
        assert page.status_code == 200
        row = re.search(r'<tr data-job="nightly">(.*?)</tr>', page.text, re.S)
        assert row is not None
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
        assert cells[2] == "投递消息"
        assert cells[6].startswith("投递消息: ")
        assert "deliver" not in row.group(1)
        row_en = re.search(r'<tr data-job="nightly">(.*?)</tr>', english.text, re.S)
        assert row_en is not None
        assert "<td>deliver</td>" in row_en.group(1)
    finally:
        config.write_text(original, encoding="utf-8")
        shutil.rmtree(ws.root / "schedule", ignore_errors=True)
