"""A rule may name a person: an editor's watch list ``name in ('张伟', '王芳')``, or
``attr('身份证号') = '…'``. Viewers read those rules in the taxonomy (its file and each
label's rule, API and page), on every customer carrying the label (the rule, and the
reason written out from it, which quoted the listed names of *other* customers too) and
in a journey's audience; the names were shown whole, although the same viewer sees each
customer's own name masked. Now a text literal compared with a personal field is masked
for readers without personal data, as that field would be; other literals stay as
written, and analysts still read them."""

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

ID_CARD = "110101199003074518"  # GB 11643's example layout: region, birth date, check digit


@pytest.fixture(scope="module")
def listed(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[dict[str, Any]]:
    ws = demo_workspace(tmp_path_factory.mktemp("rule-literals"), 200, seed=5)
    with ws.read() as con:
        rows = con.execute(
            "SELECT customer_id, name FROM customers WHERE length(name) >= 2 "
            "ORDER BY customer_id LIMIT 2"
        ).fetchall()
    (first_id, first), (_, second) = rows
    watch = f"""
  - id: watch
    zh: 关注名单
    en: Watch list
    type: tags
    labels:
      - id: listed
        zh: 名单内
        en: Listed
        when: "name in ('{first}', '{second}') and lifecycle != 'nosuch'"
      - id: carded
        zh: 证件
        en: Carded
        when: "attr('身份证号') = '{ID_CARD}' or name = '{first}'"
"""
    ws.taxonomy_path.write_text(
        ws.taxonomy_path.read_text(encoding="utf-8").rstrip("\n") + "\n" + watch,
        encoding="utf-8",
    )
    (ws.root / "journeys.yaml").write_text(
        "channels:\n  drop: {type: file, folder: drops/t}\n"
        "journeys:\n- id: vip\n  zh: 关注\n  en: Watch\n"
        "  trigger: {entered: lifecycle.dormant}\n"
        f"  audience: \"name = '{second}'\"\n"
        "  channel: drop\n  purpose: service\n"
        "  templates:\n    zh: {subject: 您好, body: 您好}\n    en: {subject: Hi, body: Hi}\n",
        encoding="utf-8",
    )
    run_taxonomy(ws, as_of=date.fromisoformat("2026-09-30"), with_models=False)
    tokens = {role: add_user(ws, f"{role}-lit", role) for role in ("analyst", "viewer")}
    with serve(ws, tokens) as running:
        yield {"server": running, "customer": first_id, "names": (first, second)}


def _reads(server: Any, role: str, customer: str, lang: str) -> dict[str, str]:
    if role == "viewer":  # the id as a viewer is shown it
        customer = id_cipher(server.ws).seal(customer)
    paths = {
        "taxonomy api": "/api/taxonomy",
        "taxonomy page": "/taxonomy",
        "profile": f"/api/customers/{customer}",
        "customer page": f"/customers/{customer}",
        "journeys api": "/api/journeys",
        "journeys page": "/journeys",
        "journey page": "/journeys/vip",
    }
    out = {}
    with server.client(role) as client:
        for what, path in paths.items():
            query = {"lang": lang, **({"dimension": "watch"} if path == "/taxonomy" else {})}
            response = client.get(path, params=query)
            assert response.status_code == 200, (what, response.status_code, response.text[:300])
            out[what] = html.unescape(response.text)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_viewer_reads_rules_without_the_names_written_in_them(
    listed: dict[str, Any], lang: str
) -> None:
    first, second = listed["names"]
    shown = _reads(listed["server"], "viewer", listed["customer"], lang)
    for what, text in shown.items():
        for secret in (first, second, ID_CARD):
            assert secret not in text, (what, secret)
    # masked as each field is: a name keeps its first character, an attribute nothing
    assert f"'{first[:1]}**'" in shown["taxonomy api"]
    assert "'***'" in shown["taxonomy api"]
    assert f"'{second[:1]}**'" in shown["journeys api"]
    token = id_cipher(listed["server"].ws).seal(listed["customer"])
    profile = listed["server"].client("viewer").get(f"/api/customers/{token}")
    (watch,) = [d for d in profile.json()["dimensions"] if d["dimension"] == "watch"]
    reasons = " ".join(label["reason"] for label in watch["labels"])
    assert f"{second[:1]}**" in reasons, reasons
    # the literals compared with no personal field are left as written
    assert "lifecycle != 'nosuch'" in shown["taxonomy api"]


def test_an_analyst_still_reads_the_rules_as_written(listed: dict[str, Any]) -> None:
    first, second = listed["names"]
    shown = _reads(listed["server"], "analyst", listed["customer"], "en")
    for what in ("taxonomy api", "taxonomy page", "profile", "customer page"):
        assert first in shown[what], what
    assert ID_CARD in shown["taxonomy api"]
    assert second in shown["journeys api"]
