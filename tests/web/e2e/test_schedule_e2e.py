"""The schedule on the runs page, in a real browser: next time and last outcome per job."""

from __future__ import annotations

import shutil
import tomllib
from typing import Any

import pytest
import tomli_w

from kequn.automation.schedule import find_job, records, run_job

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


def test_runs_page_shows_the_schedule(page: Any, server: Any, login: Any) -> None:
    ws = server.ws
    config = ws.root / "kequn.toml"
    original = config.read_text(encoding="utf-8")
    data = tomllib.loads(original)
    data["schedule"] = {
        "daily": {"at": "06:00", "steps": ["deliver"]},
        "weekly": {"cron": "30 5 * * mon", "steps": ["deliver"]},
    }
    config.write_text(tomli_w.dumps(data), encoding="utf-8")
    try:
        record = run_job(ws, find_job(ws, "daily"))
        assert record is not None
        assert record["outcome"] == "ok"
        served = records.parse_time(records.read_state(ws, "daily")["served_until"])
        assert served is not None
        expected_next = find_job(ws, "daily").next_after(served)
        assert expected_next is not None

        login("viewer")
        page.goto(server.url + "/runs?lang=en")
        daily = page.locator("#schedule-jobs tr[data-job='daily']")
        expect(daily).to_contain_text("daily at 06:00")
        expect(daily.locator(".next")).to_contain_text(expected_next.strftime("%Y-%m-%d %H:%M"))
        expect(daily.locator(".outcome")).to_have_text("succeeded")
        weekly = page.locator("#schedule-jobs tr[data-job='weekly']")
        expect(weekly).to_contain_text("cron 30 5 * * mon")
        expect(weekly.locator(".outcome")).to_have_text("not run yet")
        expect(page.locator("#runs tbody tr").first).to_be_visible()
        page.goto(server.url + "/runs?lang=zh")
        expect(page.locator("#schedule-jobs tr[data-job='daily']")).to_contain_text("每天 06:00")
        expect(page.locator("#schedule-jobs tr[data-job='daily'] .outcome")).to_have_text("成功")
    finally:
        config.write_text(original, encoding="utf-8")
        shutil.rmtree(ws.root / "schedule", ignore_errors=True)
