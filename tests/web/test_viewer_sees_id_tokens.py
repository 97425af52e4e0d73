"""A Taobao export's buyer key is the buyer's account nickname (买家会员名), and the
import keeps it as the customer id (``taobao_qingmushenghuoguan:jessie_lee4275``): a
viewer, who sees names and phones masked, saw those ids as they are in segment members,
profiles, source records and worklists, API and pages. A viewer now gets each id as an
opaque token (kequn.privacy.shown_ids) that every route taking a customer id opens back;
a real id from a viewer is answered as for no such customer; admins see the ids."""

from __future__ import annotations

import csv
import importlib
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from typer.testing import CliRunner

from kequn.cli import app
from kequn.privacy.shown_ids import IdCipher, id_cipher
from kequn.store.access import add_user
from kequn.store.workspace import Workspace

CORPUS = Path(__file__).parents[1] / "ingest" / "corpus"
FILE_STEM = "订单-jessie_lee4275"
TEAMS = ("sales", "marketing", "service")


def _taobao(folder: Path) -> Path:
    sys.path.insert(0, str(CORPUS))
    try:
        module = importlib.import_module("taobao")
    finally:
        sys.path.remove(str(CORPUS))
    files: list[Path] = module.build(folder)["files"]
    return files[0]


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[tuple[Any, list[str]]]:
    folder = tmp_path_factory.mktemp("taobao-ids")
    # one buyer's orders, saved under their nickname: a file's name is its sender's text
    export = _taobao(folder)
    export = export.rename(export.with_name(f"{FILE_STEM}.csv"))
    with export.open(encoding="gbk", newline="") as fh:
        nicks = sorted({row["买家会员名"] for row in csv.DictReader(fh)})
    root = folder / "ws"
    runner = CliRunner()
    for args in (
        ["init", "-w", str(root)],
        ["import", "orders", str(export), "-w", str(root)],
        ["run", "-w", str(root), "--as-of", str(date(2025, 1, 19))],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    ws = Workspace.open(root)
    tokens = {role: add_user(ws, f"{role}-user", role) for role in ("admin", "viewer")}
    with serve(ws, tokens) as srv:
        yield srv, nicks


def _leaked(text: str, nicks: list[str]) -> list[str]:
    return [n for n in nicks if n in text or quote(n, safe="") in text or quote(n) in text]


def _members(client: httpx.Client, label: str) -> list[dict[str, Any]]:
    answer = client.get(f"/api/segments/lifecycle/{label}/members", params={"limit": 500})
    assert answer.status_code == 200, answer.text
    rows: list[dict[str, Any]] = answer.json()["rows"]
    return rows


def _signed_in(browser: httpx.Client, srv: Any, role: str) -> httpx.Client:
    answer = browser.post("/login", data={"token": srv.tokens[role], "next": "/"})
    assert answer.status_code == 303, answer.text
    return browser


def test_a_viewer_sees_no_nickname_and_follows_tokens(shop: tuple[Any, list[str]]) -> None:
    srv, nicks = shop
    assert len(nicks) > 10
    assert "jessie_lee4275" in nicks
    with srv.client("viewer") as viewer:
        rows = _members(viewer, "new") + _members(viewer, "prospect")
        assert len(rows) == len(nicks)
        shown = [row["customer_id"] for row in rows]
        assert all(cid.startswith("c-") for cid in shown)
        texts = [viewer.get(f"/api/segments/lifecycle/{lab}/members").text for lab in ("new",)]
        texts += [
            viewer.get(f"/api/worklists/{team}", params={"limit": 500}).text for team in TEAMS
        ]
        for token in shown:  # every member's profile and source records, through its token
            profile = viewer.get(f"/api/customers/{token}")
            assert profile.status_code == 200, profile.text
            assert profile.json()["customer_id"] == token
            records = viewer.get(f"/api/customers/{token}/records")
            assert records.status_code == 200, records.text
            assert records.json()["records"][0]["record_id"] == token
            assert records.json()["records"][0]["file"] == "***.csv"
            assert profile.json()["attributes"]["source_file"] == "***.csv"
            texts += [profile.text, records.text]
        for text in texts:
            assert _leaked(text, nicks) == []
        status = viewer.get("/api/status")
        assert status.json()["recent_imports"][0]["file"] == "***.csv"
        texts.append(status.text)
        worklist = viewer.get("/api/worklists/marketing", params={"limit": 500}).json()
        assert {item["customer_id"] for item in worklist} <= set(shown)
    with httpx.Client(base_url=srv.url, timeout=120) as browser:
        _signed_in(browser, srv, "viewer")
        pages = [browser.get("/segments/lifecycle/new"), browser.get("/worklists/marketing")]
        pages.append(browser.get(f"/customers/{shown[0]}"))
        for page in pages:
            assert page.status_code == 200, page.text
            assert _leaked(page.text, nicks) == []
        assert f'href="/customers/{shown[0]}"' in pages[0].text
        assert f'data-customer="{shown[0]}"' in pages[2].text


def test_a_viewer_sending_a_real_id_is_told_no_such_customer(
    shop: tuple[Any, list[str]],
) -> None:
    srv, nicks = shop
    real = f"taobao_qingmushenghuoguan:{nicks[0]}"
    forged = IdCipher("0" * 64).seal(real)  # a token under another workspace's key
    with srv.client("viewer") as viewer:
        unknown = viewer.get("/api/customers/taobao_qingmushenghuoguan:nobody-at-all")
        assert unknown.status_code == 404
        for asked in (real, nicks[0], forged):
            answer = viewer.get(f"/api/customers/{quote(asked)}")
            assert answer.status_code == 404, answer.text
            assert answer.json()["error"]["code"] == "no_customer"
            assert asked in answer.json()["error"]["message"]
            records = viewer.get(f"/api/customers/{quote(asked)}/records")
            assert records.status_code == 404, records.text
            assert records.json()["error"]["code"] == "no_customer"
    with httpx.Client(base_url=srv.url, timeout=120) as browser:
        _signed_in(browser, srv, "viewer")
        page = browser.get(f"/customers/{quote(real)}")
        assert page.status_code == 404
        assert "text/html" in page.headers["content-type"]


def test_an_admin_sees_the_ids(shop: tuple[Any, list[str]]) -> None:
    srv, nicks = shop
    with srv.client("admin") as admin:
        shown = {row["customer_id"] for row in _members(admin, "new") + _members(admin, "prospect")}
        assert shown == {f"taobao_qingmushenghuoguan:{n}" for n in nicks}
        real = f"taobao_qingmushenghuoguan:{nicks[0]}"
        profile = admin.get(f"/api/customers/{quote(real)}")
        assert profile.status_code == 200, profile.text
        assert profile.json()["customer_id"] == real
        records = admin.get(f"/api/customers/{quote(real)}/records").json()
        assert records["records"][0]["source_id"] == nicks[0]
        assert records["records"][0]["file"] == f"{FILE_STEM}.csv"
        status = admin.get("/api/status").json()
        assert status["recent_imports"][0]["file"] == f"{FILE_STEM}.csv"
        # a viewer's link, sent to an admin, opens the customer with the real id
        shared = admin.get(f"/api/customers/{id_cipher(srv.ws).seal(real)}")
        assert shared.status_code == 200, shared.text
        assert shared.json()["customer_id"] == real


def test_a_viewer_searches_members_by_token_not_by_nickname(shop: tuple[Any, list[str]]) -> None:
    """A viewer searching members for "jessie_lee" found the member whose id holds it:
    the token shown beside it was then known to be that buyer's."""
    srv, _nicks = shop
    nick = "jessie_lee4275"
    path = "/api/segments/lifecycle/new/members"
    with srv.client("admin") as admin:
        found = admin.get(path, params={"q": nick[:10]}).json()
    assert [row["customer_id"] for row in found["rows"]] == [f"taobao_qingmushenghuoguan:{nick}"]
    token = id_cipher(srv.ws).seal(found["rows"][0]["customer_id"])
    with srv.client("viewer") as viewer:
        for probe in (nick[:10], nick, f"taobao_qingmushenghuoguan:{nick}", "taobao"):
            answer = viewer.get(path, params={"q": probe})
            assert answer.status_code == 200, answer.text
            assert (answer.json()["total"], answer.json()["rows"]) == (0, []), probe
        by_token = viewer.get(path, params={"q": token}).json()
    assert [row["customer_id"] for row in by_token["rows"]] == [token]
    assert by_token["total"] == 1
    with httpx.Client(base_url=srv.url, timeout=120) as browser:
        _signed_in(browser, srv, "viewer")
        probed = browser.get("/segments/lifecycle/new", params={"q": nick[:10]})
        assert probed.status_code == 200
        assert 'href="/customers/' not in probed.text
        searched = browser.get("/segments/lifecycle/new", params={"q": token})
        assert searched.text.count('href="/customers/') == 1
        assert f'href="/customers/{token}"' in searched.text
