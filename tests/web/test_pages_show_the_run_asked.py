"""The dashboard's pages of one run's data (overview, a segment's members, a customer, a
worklist) take ``?run=`` as the API's routes do: they always showed the current run, so
a backfill or an older run could be read only through the API and the CLI. The run
named is kept in the links between the pages (and the export link names the run shown),
the page says it is not the current run, with a link back; a run no one run answers to
is the API's 404 (409 for a shared prefix), as JSON for a token, the error page for a
browser, never a traceback; and a viewer still sees tokens, never names."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kequn.privacy.shown_ids import id_cipher
from kequn.snapshots import lookup
from kequn.snapshots.runs import get_run
from kequn.store.access import add_user
from kequn.store.workspace import Workspace
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings

RUN_ID = r"\d{8}-\d{6}-\d{8}-[0-9a-f]{4}"


def _shown(page: str) -> list[str]:
    return re.findall(rf"As of [^<·]*· run ({RUN_ID})", page)


def _charts(page: str) -> Any:
    found = re.search(r'<script type="application/json" id="charts-data">(.*?)</script>', page)
    assert found is not None
    return json.loads(found.group(1))


def _hrefs(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', page)]


@pytest.fixture
def site(backfilled_shop: tuple[Workspace, str, str]) -> Any:
    ws, later, backfill = backfilled_shop
    tokens = {role: add_user(ws, f"{role}-user", role) for role in ("admin", "viewer")}
    with TestClient(create_app(ServerSettings(workspace=ws.root))) as client:
        yield client, ws, tokens, later, backfill


def _page(client: TestClient, token: str, url: str, **params: str) -> str:
    answer = client.get(url, params=params, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, (url, params, answer.text[:300])
    assert answer.headers["content-type"].startswith("text/html")
    return answer.text


def test_pages_show_the_run_named_and_keep_it_in_their_links(site: Any) -> None:
    client, ws, tokens, later, backfill = site
    admin = tokens["admin"]
    backfilled = get_run(ws, backfill)
    assert backfilled is not None
    assert not lookup.is_ready(backfilled)

    # named: the backfill, said not to be the current run, with the way back
    for asked in (backfill, backfill[:-1]):  # an id or a unique prefix, as the API
        page = _page(client, admin, "/", run=asked, lang="en")
        assert _shown(page) == [backfill], asked
        note = re.search(r'id="not-current">(.*?)</section>', page, re.S)
        assert note is not None, asked
        assert f"run {backfill}" in note.group(1)
        assert f"current run is {later}" in note.group(1)
        assert 'id="to-current" href="/?lang=en"' in page
        assert f"/segments/lifecycle/new?run={backfill}" in _hrefs(page)
    # its movement chart: none into the first run in time; the later run's from it
    assert _charts(page)["flow"] is None
    flow = _charts(_page(client, admin, "/", run=later))["flow"]
    assert (flow["before"]["run_id"], flow["after"]["run_id"]) == (backfill, later)
    zh = _page(client, admin, "/", run=backfill, lang="zh")
    assert "不是当前运行" in zh
    assert "查看当前运行" in zh

    # C2 first ordered on 2025-06-01: a prospect in the backfill, new in the later run
    page = _page(client, admin, "/segments/lifecycle/new", run=backfill, lang="en")
    assert _shown(page) == [backfill]
    links = _hrefs(page)
    assert f"/customers/C1?run={backfill}" in links
    assert not any(h.startswith("/customers/C2") for h in links)
    for kind in ("csv", "xlsx"):  # the export is of the run shown
        assert (
            f"/api/segments/lifecycle/new/export?format={kind}&headers=en&run={backfill}" in links
        )
    assert f'name="run" value="{backfill}"' in page  # the search keeps the run too
    exported = client.get(
        f"/api/segments/lifecycle/new/export?format=csv&headers=ids&run={backfill}",
        headers={"Authorization": f"Bearer {admin}"},
    )
    assert exported.status_code == 200
    assert "C1" in exported.text
    assert "C2" not in exported.text

    page = _page(client, admin, "/customers/C2", run=backfill, lang="en")
    assert _shown(page) == [backfill]
    assert 'id="not-current"' in page
    assert f"/segments/lifecycle/prospect?run={backfill}" in _hrefs(page)

    page = _page(client, admin, "/worklists/marketing", run=backfill, lang="en")
    assert _shown(page) == [backfill]
    assert 'id="not-current"' in page
    assert f"/worklists/sales?run={backfill}" in _hrefs(page)

    # the current run, named or not: no note; its links name it only when it was named
    for named in ({}, {"run": later}):
        for url in ("/", "/segments/lifecycle/new", "/customers/C2"):
            page = _page(client, admin, url, lang="en", **named)
            assert _shown(page) == [later], (url, named)
            assert 'id="not-current"' not in page, (url, named)
        page = _page(client, admin, "/segments/lifecycle/new", lang="en", **named)
        wanted = f"/customers/C2?run={later}" if named else "/customers/C2"
        assert wanted in _hrefs(page), named
    assert not lookup.is_ready(backfilled)  # reading it built nothing


def test_a_run_no_one_run_answers_to_is_the_api_s_error(site: Any) -> None:
    client, _ws, tokens, later, backfill = site
    shared = next(n for n in range(len(later)) if later[n] != backfill[n])
    pages = ("/", "/segments/lifecycle/new", "/customers/C1", "/worklists/sales")
    bearer = {"Authorization": f"Bearer {tokens['admin']}"}
    for url in pages:
        for asked, status, code in (
            ("nosuch", 404, "unknown_run"),
            (later[:shared], 409, "ambiguous_run"),
        ):
            api = client.get("/api/segments", params={"run": asked}, headers=bearer)
            answer = client.get(url, params={"run": asked, "lang": "en"}, headers=bearer)
            assert answer.status_code == api.status_code == status, (url, asked)
            assert answer.json()["error"]["code"] == code, (url, asked)
            assert answer.json()["error"]["message"] == api.json()["error"]["message"]
        for hostile in ("..", "a\x00b", "x" * 300, "<b>x</b>", "%FF"):
            answer = client.get(url, params={"run": hostile}, headers=bearer)
            assert answer.status_code == 404, (url, hostile, answer.text[:300])
            assert answer.json()["error"]["code"] == "unknown_run"
    # a browser, signed in: the error page, saying the same in the page's language
    signed = client.post(
        "/login", data={"token": tokens["admin"]}, headers={"Origin": "http://testserver"}
    )
    assert signed.status_code in (200, 303), signed.text[:300]
    for url in pages:
        for lang, words in (("en", "No run has the id"), ("zh", "没有编号")):
            page = client.get(url, params={"run": "<b>nosuch</b>", "lang": lang})
            assert page.status_code == 404, (url, page.text[:300])
            assert page.headers["content-type"].startswith("text/html")
            assert 'id="error"' in page.text, url
            assert words in page.text, url
            assert "&lt;b&gt;nosuch&lt;/b&gt;" in page.text
            assert "<b>nosuch" not in page.text


def test_a_viewer_reads_an_older_run_without_personal_data(site: Any) -> None:
    client, ws, tokens, _later, backfill = site
    viewer = tokens["viewer"]
    token = id_cipher(ws).seal("C1")
    page = _page(client, viewer, "/segments/lifecycle/new", run=backfill, lang="en")
    assert f"/customers/{token}?run={backfill}" in _hrefs(page)
    page = _page(client, viewer, f"/customers/{token}", run=backfill, lang="en")
    assert _shown(page) == [backfill]
    assert 'id="not-current"' in page
    for personal in ("Ana", "Bo", ">C1<", "C2"):
        assert personal not in page, personal
