"""A label without a reason template has its rule written out with the customer's values,
``attr('会员等级')`` as ``会员等级 (银卡)``. The columns a file carried beyond the schema
(身份证号, 微信号, 会员等级 …, kept as ``attributes``) are personal unless declared
public, and a viewer's profile shows them masked (``***``), but the reasons quoted them
as they are, in the API and on the customer page. Now they are masked there too; those
who may see personal data still read them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.privacy.shown_ids import id_cipher
from kequn.store.access import add_user

KEY = "会员等级"  # a column of the demo's customer file that the schema does not have
# appended to the demo's dimensions (the file's last section); the rule names no value,
# so a value in the reason can only be the customer's own
TIERED = f"""
  - id: tiered
    zh: 有等级
    en: Tiered
    type: tags
    labels:
      - id: ruled
        zh: 规则
        en: Ruled
        when: "length(attr('{KEY}')) >= 1"
"""


@pytest.fixture(scope="module")
def tiered(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    ws = demo_workspace(tmp_path_factory.mktemp("attribute-reasons"), 200, seed=11)
    ws.taxonomy_path.write_text(
        ws.taxonomy_path.read_text(encoding="utf-8").rstrip("\n") + "\n" + TIERED,
        encoding="utf-8",
    )
    run_taxonomy(ws, as_of=date.fromisoformat("2026-09-30"), with_models=False)
    tokens = {role: add_user(ws, f"{role}-tiered", role) for role in ("analyst", "viewer")}
    with serve(ws, tokens) as running:
        yield running


def _someone(server: Any) -> tuple[str, str]:
    """A customer carrying the label, and their attribute's value (as an analyst sees it)."""
    with server.client("analyst") as client:
        page = client.get("/api/segments/tiered/ruled/members", params={"limit": 5}).json()
        customer = page["rows"][0]["customer_id"]
        profile = client.get(f"/api/customers/{customer}").json()
    return customer, profile["attributes"]["attributes"][KEY]


def _reason(profile: dict[str, Any]) -> str:
    (tiered,) = [d for d in profile["dimensions"] if d["dimension"] == "tiered"]
    (label,) = tiered["labels"]
    return str(label["reason"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_viewer_reads_reasons_without_the_attribute_s_value(tiered: Any, lang: str) -> None:
    customer, value = _someone(tiered)
    customer = id_cipher(tiered.ws).seal(customer)  # the id as a viewer is shown it
    with tiered.client("viewer") as client:
        profile = client.get(f"/api/customers/{customer}", params={"lang": lang})
        page = client.get(f"/customers/{customer}", params={"lang": lang})
    assert profile.status_code == 200
    assert page.status_code == 200
    reason = _reason(profile.json())
    assert f"{KEY} (***)" in reason, reason
    assert f"{KEY} ({value})" not in profile.text
    assert f"{KEY} ({value})" not in page.text


def test_an_analyst_still_reads_the_attribute_in_the_reason(tiered: Any) -> None:
    customer, value = _someone(tiered)
    with tiered.client("analyst") as client:
        profile = client.get(f"/api/customers/{customer}", params={"lang": "zh"}).json()
    assert f"{KEY} ({value})" in _reason(profile)
