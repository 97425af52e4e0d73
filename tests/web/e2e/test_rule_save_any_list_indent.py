"""A taxonomy.yaml whose lists are not indented under their key (``dimensions:`` then
``- id: lifecycle`` at the margin: what PyYAML's dump and many editors write, as valid
as kequn's own two spaces) could not have a rule saved from the taxonomy page: the page
found no label to edit and said "The rule has a problem: lifecycle.new" of a rule it
had just previewed as fine. It saves that label's rule; a layout it still cannot follow
is said as such, not blamed on the rule."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

RULE = "days_since_first_order <= new_customer_days and orders >= 1"


def test_a_rule_is_saved_in_a_file_of_unindented_lists(
    signed_in: Any, rules_server: Any, taxonomy_labels: Any
) -> None:
    path = rules_server.ws.taxonomy_path
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    assert "\n- id: lifecycle\n" in dumped  # the lists at their keys' margin
    path.write_text(dumped, encoding="utf-8")
    before = taxonomy_labels(dumped)

    page = signed_in(rules_server, role="analyst").page
    page.goto(f"{rules_server.url}/taxonomy?dimension=lifecycle")
    box = page.locator(".rule[data-label='new']")
    box.locator("textarea").fill(RULE)
    expect(box.locator(".rule-status")).to_contain_text("Would match")
    box.locator(".rule-save").click()
    expect(box.locator(".rule-status")).to_contain_text("Saved")

    after = taxonomy_labels(path.read_text(encoding="utf-8"))
    assert after[("lifecycle", "new")]["when"] == RULE
    assert {key for key in before if before[key] != after[key]} == {("lifecycle", "new")}


def test_a_layout_the_page_cannot_follow_is_said_so(signed_in: Any, rules_server: Any) -> None:
    """A label whose rule the page cannot place (here: its mapping begun on the line
    after its ``-``) is not blamed on the rule, and the file is left as it was."""
    path = rules_server.ws.taxonomy_path
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    assert "\n  - id: dormant\n" in dumped
    text = dumped.replace("\n  - id: dormant\n", "\n  -\n    id: dormant\n")
    assert yaml.safe_load(text) == data
    path.write_text(text, encoding="utf-8")

    opened = signed_in(rules_server, role="analyst")
    page = opened.page
    page.goto(f"{rules_server.url}/taxonomy?dimension=lifecycle")
    box = page.locator(".rule[data-label='dormant']")
    box.locator("textarea").fill("days_since_last_order > 3 * purchase_cycle_days")
    expect(box.locator(".rule-status")).to_contain_text("Would match")
    box.locator(".rule-save").click()
    expect(box.locator(".rule-status")).to_contain_text("Not saved")
    expect(box.locator(".rule-status")).to_contain_text("dormant")
    assert path.read_text(encoding="utf-8") == text
    assert opened.errors == []
