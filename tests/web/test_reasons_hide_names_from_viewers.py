"""A label's reason may quote a personal feature: a taxonomy's reason template with
``{name}``, or a label without a template whose rule on ``name`` is written out with the
customer's values ("名称 (李晨曦) ≠ 空"). The profile masked its attributes and features
for a viewer but sent the reasons as rendered, the full name in them, in the API and on
the customer page alike. Now the value is masked wherever it appears in the reasons;
those who may see personal data still read it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.privacy.shown_ids import id_cipher
from kequn.store.access import add_user

# appended to the demo's dimensions (the file's last section): every customer with a
# name carries both labels
NAMED = """
  - id: named
    zh: 具名
    en: Named
    type: tags
    labels:
      - id: quoted
        zh: 引用名称
        en: Quoted
        reason: {zh: "登记的名称是 {name}", en: "registered as {name}"}
        when: "length(name) >= 1"
      - id: ruled
        zh: 规则
        en: Ruled
        when: "name is not null and length(name) >= 1"
"""


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    ws = demo_workspace(tmp_path_factory.mktemp("named-reasons"), 200, seed=11)
    ws.taxonomy_path.write_text(
        ws.taxonomy_path.read_text(encoding="utf-8").rstrip("\n") + "\n" + NAMED,
        encoding="utf-8",
    )
    run_taxonomy(ws, as_of=date.fromisoformat("2026-09-30"), with_models=False)
    tokens = {role: add_user(ws, f"{role}-named", role) for role in ("analyst", "viewer")}
    with serve(ws, tokens) as running:
        yield running


def _someone(server: Any) -> tuple[str, str]:
    """A named customer carrying both labels, and their name (as an analyst sees it)."""
    with server.client("analyst") as client:
        page = client.get("/api/segments/named/quoted/members", params={"limit": 5}).json()
    row = next(r for r in page["rows"] if r.get("name") and len(r["name"]) >= 2)
    return row["customer_id"], row["name"]


def _reasons(profile: dict[str, Any]) -> list[str]:
    (named,) = [d for d in profile["dimensions"] if d["dimension"] == "named"]
    return [label["reason"] for label in named["labels"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_viewer_reads_reasons_without_the_name(named: Any, lang: str) -> None:
    customer, name = _someone(named)
    customer = id_cipher(named.ws).seal(customer)  # the id as a viewer is shown it
    with named.client("viewer") as client:
        profile = client.get(f"/api/customers/{customer}", params={"lang": lang})
        page = client.get(f"/customers/{customer}", params={"lang": lang})
    assert profile.status_code == 200
    assert page.status_code == 200
    reasons = _reasons(profile.json())
    assert len(reasons) == 2, reasons
    assert name not in profile.text
    assert name not in page.text
    masked = name[:1] + "**"
    assert all(masked in reason for reason in reasons), reasons


def test_an_analyst_still_reads_the_name_in_the_reasons(named: Any) -> None:
    customer, name = _someone(named)
    with named.client("analyst") as client:
        reasons = _reasons(client.get(f"/api/customers/{customer}", params={"lang": "zh"}).json())
    assert all(name in reason for reason in reasons), reasons
