"""A label name written by an analyst as HTML stays text in an admin's browser: in every
chart tooltip, with the page's Content-Security-Policy in force (no inline script)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user

pytestmark = pytest.mark.e2e

HOSTILE = '<img src=x onerror="window.__xss=(window.__xss||0)+1">'


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    ws = demo_workspace(tmp_path_factory.mktemp("xss"), 300, seed=11)
    default = resources.files("kequn.taxonomy").joinpath("default.yaml").read_text("utf-8")
    text = default
    for name in ("en: High value", "en: Active", "en: Prospect", "en: Loyal"):
        if name in text:
            text = text.replace(name, f"en: '{HOSTILE} {name[4:]}'", 1)
    assert text.count(HOSTILE) >= 2
    ws.taxonomy_path.write_text(text, encoding="utf-8")
    run_taxonomy(ws, with_models=False)
    run_taxonomy(ws, with_models=False)
    with serve(ws, {"admin": add_user(ws, "owner", "admin")}) as srv:
        yield srv


def test_label_names_stay_text_in_chart_tooltips(signed_in: Any, hostile_server: Any) -> None:
    srv = hostile_server
    opened = signed_in(srv)
    page, errors = opened.page, opened.errors
    page.wait_for_selector("#chart-pyramid[data-drawn='1'] canvas")
    page.wait_for_selector("#chart-funnel[data-drawn='1'] canvas")
    shown = page.evaluate(
        """() => {
        const texts = [];
        for (const el of document.querySelectorAll('.chart')) {
            const c = echarts.getInstanceByDom(el);
            if (!c) continue;
            const series = c.getOption().series || [];
            series.forEach((s, si) => {
                const n = (s.data || []).length;
                for (let i = 0; i < n; i++) {
                    c.dispatchAction({ type: 'showTip', seriesIndex: si, dataIndex: i });
                    for (const tip of el.querySelectorAll('div')) {
                        if (tip.textContent) texts.push(tip.textContent);
                    }
                }
            });
        }
        return texts;
    }"""
    )
    page.wait_for_timeout(500)  # an injected <img> would have fired its onerror by now
    assert page.evaluate("() => window.__xss || 0") == 0
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert any("<img src=x" in text for text in shown), shown[:5]  # shown as text
    assert errors == []
    response = page.request.get(srv.url + "/")  # the policy comes with every page
    assert "script-src 'self';" in response.headers["content-security-policy"]


def test_a_script_injected_inline_does_not_run(browser: Any, hostile_server: Any) -> None:
    """Even if a page let markup through, the CSP would stop inline script."""
    srv = hostile_server
    context = browser.new_context()
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if m.type == "error" else None)
    page.goto(srv.url + "/login")
    page.evaluate(
        """() => { const d = document.createElement('div');
        d.innerHTML = '<img src=x onerror="window.__inline=1">'; document.body.appendChild(d); }"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__inline || 0") == 0
    assert any("Content Security Policy" in v for v in violations), violations
    context.close()
