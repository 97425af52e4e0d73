"""Columns a file carried beyond the schema (会员等级, 身份证号 …) are masked for viewers
"unless declared public (``public_attributes`` under ``[privacy]``)", as the README
says and rule previews do (a viewer may count ``attr('会员等级') = '金卡'``). Profiles
and the reasons quoting them masked every such column all the same, so a viewer could
count the gold members but never see who is one. A column declared public is now shown;
the personal fields stay masked (and the columns not declared: see
test_reasons_hide_attributes_from_viewers.py)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.privacy.shown_ids import id_cipher
from kequn.store.access import add_user

TIER = "会员等级"
# a label whose reason is its rule written out: "会员等级 (银卡) ≠ 空"
TIERED = f"""
  - id: tiered
    zh: 会员
    en: Tiered
    type: tags
    labels:
      - id: member
        zh: 有等级
        en: Member
        when: "attr('{TIER}') is not null"
"""


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    ws = demo_workspace(tmp_path_factory.mktemp("public-attributes"), 200, seed=4)
    ws.taxonomy_path.write_text(
        ws.taxonomy_path.read_text(encoding="utf-8").rstrip("\n") + "\n" + TIERED,
        encoding="utf-8",
    )
    toml = ws.root / "kequn.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + f'\n[privacy]\npublic_attributes = ["{TIER}"]\n',
        encoding="utf-8",
    )
    run_taxonomy(ws, as_of=date.fromisoformat("2026-09-30"), with_models=False)
    tokens = {"viewer": add_user(ws, "viewer-public", "viewer")}
    with serve(ws, tokens) as running:
        yield running


def test_a_viewer_reads_an_attribute_declared_public(public: Any) -> None:
    with public.ws.read() as con:
        customer, name, tier = con.execute(
            f"SELECT customer_id, name, attributes['{TIER}'] FROM customers "
            f"WHERE attributes['{TIER}'] IS NOT NULL AND length(name) >= 2 "
            "ORDER BY customer_id LIMIT 1"
        ).fetchone()
    customer = id_cipher(public.ws).seal(customer)  # the id as a viewer is shown it
    with public.client("viewer") as client:
        profile = client.get(f"/api/customers/{customer}", params={"lang": "zh"})
        page = client.get(f"/customers/{customer}", params={"lang": "zh"})
    assert profile.status_code == page.status_code == 200
    data = profile.json()
    assert data["attributes"]["attributes"][TIER] == tier
    (tiered,) = [d for d in data["dimensions"] if d["dimension"] == "tiered"]
    assert f"({tier})" in tiered["labels"][0]["reason"], tiered
    assert f"({tier})" in html.unescape(page.text)
    # the personal fields stay masked
    assert data["attributes"]["name"] == name[:1] + "**"
    assert name not in profile.text
    assert name not in html.unescape(page.text)
