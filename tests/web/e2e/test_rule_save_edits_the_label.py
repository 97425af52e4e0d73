"""Saving a rule from the taxonomy page changes that label's own rule, and nothing else.

The default taxonomy's labels carry `when:`s of their own in their reasons: before the
label's rule (lifecycle's churned), on the label's first line and shared by an anchor
with eight other labels (industry_sector's flow-style labels), or the rule is a folded
`>-` block over lines (value's potential_high). Saving changed the first reason's
condition instead (and every label sharing it), or left the folded rule's lines behind
(refused as broken YAML), while the page said "Saved"."""

from __future__ import annotations

from typing import Any

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("dimension", "label", "rule"),
    [
        ("lifecycle", "churned", "days_since_last_order > 5 * purchase_cycle_days"),
        ("industry_sector", "raw_materials", "industry_group = 'raw_materials' and orders >= 1"),
        ("value", "potential_high", "days_since_first_order <= 90 and aov_pct >= 0.9"),
    ],
)
def test_saving_a_rule_changes_only_that_label(
    signed_in: Any,
    rules_server: Any,
    taxonomy_labels: Any,
    dimension: str,
    label: str,
    rule: str,
) -> None:
    path = rules_server.ws.taxonomy_path
    before = taxonomy_labels(path.read_text(encoding="utf-8"))
    opened = signed_in(rules_server, role="analyst")
    page = opened.page
    page.goto(f"{rules_server.url}/taxonomy?dimension={dimension}")
    box = page.locator(f".rule[data-label='{label}']")
    box.locator("textarea").fill(rule)
    expect(box.locator(".rule-status")).to_contain_text("Would match")
    box.locator(".rule-save").click()
    expect(box.locator(".rule-status")).to_contain_text("Saved")

    after = taxonomy_labels(path.read_text(encoding="utf-8"))
    assert after[(dimension, label)]["when"] == rule
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {(dimension, label)}
    assert {k: v for k, v in after[(dimension, label)].items() if k != "when"} == {
        k: v for k, v in before[(dimension, label)].items() if k != "when"
    }
    page.reload()
    expect(page.locator(f".rule[data-label='{label}'] textarea")).to_have_value(rule)
    assert opened.errors == []
