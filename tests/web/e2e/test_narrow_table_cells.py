"""On a phone's 375 px screen a table of many columns was squeezed rather than scrolled:
a journey's one-row summary showed its id, name and trigger one character a line
("w / i / n / b / a / c / k" down the screen) and a segment's members table broke the
customer ids in three ("C00 / 001 / 496"). A cell keeps a few characters' width; the
table scrolls inside its card and the page still fits the window."""

from __future__ import annotations

from typing import Any

import pytest

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user

pytestmark = pytest.mark.e2e

JOURNEYS = """\
channels:
  drop:
    type: file
    folder: drops/test
journeys:
- id: winback
  zh: 沉睡唤醒
  en: Win back
  trigger:
    entered: lifecycle.dormant
  channel: drop
  purpose: marketing
  templates:
    zh: {subject: '好久不见', body: '{{ reason }}'}
    en: {subject: 'We miss you', body: '{{ reason }}'}
"""


def _lines(page: Any, selector: str) -> float:
    """How many lines the text of ``selector`` takes."""
    return float(
        page.evaluate(
            """(sel) => { const el = document.querySelector(sel);
                const r = document.createRange(); r.selectNodeContents(el);
                const rects = [...r.getClientRects()];
                return new Set(rects.map((x) => Math.round(x.top))).size; }""",
            selector,
        )
    )


def test_a_narrow_screen_scrolls_tables_rather_than_squeezing_them(
    signed_in: Any, serve: Any, tmp_path: Any
) -> None:
    ws = demo_workspace(tmp_path, 300, seed=5)
    run_taxonomy(ws, with_models=False)
    (ws.root / "journeys.yaml").write_text(JOURNEYS, encoding="utf-8")
    with serve(ws, {"admin": add_user(ws, "owner", "admin")}) as srv:
        opened = signed_in(srv, width=375, height=800, locale="zh-CN")
        page = opened.page
        page.goto(srv.url + "/journeys/winback")
        page.wait_for_load_state("load")
        assert _lines(page, "#journey-summary td a code") == 1
        page.goto(srv.url + "/segments/value/high")
        page.wait_for_load_state("networkidle")
        first = page.locator("table a[href^='/customers/']").first
        assert _lines(page, "table a[href^='/customers/']") == 1, first.inner_text()
        width = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert width <= 0
        assert opened.errors == []
