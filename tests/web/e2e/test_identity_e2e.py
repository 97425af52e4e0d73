"""The identity review page and a person's source records in Debian's Chromium: an
analyst confirms and rejects pairs by clicking, the decisions are the CLI's and last;
viewers have no review page; the page speaks 中文 and English."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from identity_site import Site, build, serving

from kequn import identity
from kequn.privacy.shown_ids import id_cipher

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """This module's own server (the e2e fixtures ``page`` and ``login`` use it)."""
    with serving(build(tmp_path_factory.mktemp("identity-e2e"))) as running:
        yield running


def _person(site: Site, record: str) -> str:
    with site.ws.read() as con:
        row = con.execute(
            "SELECT person_id FROM identity_map WHERE customer_id = ?", [record]
        ).fetchone()
    assert row is not None
    return str(row[0])


def test_an_analyst_confirms_and_rejects_pairs(page: Any, server: Site, login: Any) -> None:
    login("analyst")
    page.click("#nav-identity")
    expect(page.locator("h1")).to_have_text("Identity resolution: pairs to review")
    rows = page.locator("#identity-pairs tr.pair")
    expect(rows.first).to_be_visible()
    before = rows.count()
    assert before == min(100, len(identity.review(server.ws, limit=500)))
    evidence = rows.first.locator("td.evidence").inner_text()
    assert evidence  # each comparison's outcome, in words
    # confirm the first pair the model left apart
    apart = page.locator("#identity-pairs tr.pair", has_text="apart").first
    a, b = apart.get_attribute("data-a"), apart.get_attribute("data-b")
    assert a
    assert b
    apart.locator("button.confirm").click()
    expect(page.locator("#identity-status")).to_contain_text(f"Confirmed {a} and {b}")
    expect(page.locator(f'#identity-pairs tr.pair[data-a="{a}"][data-b="{b}"]')).to_have_count(0)
    assert _person(server, a) == _person(server, b)
    # reject another: kept apart by the next resolution too
    other = page.locator("#identity-pairs tr.pair").first
    c, d = other.get_attribute("data-a"), other.get_attribute("data-b")
    assert c
    assert d
    other.locator("button.reject").click()
    expect(page.locator("#identity-status")).to_contain_text(f"Recorded {c} and {d}")
    identity.run(server.ws)
    assert _person(server, c) != _person(server, d)
    page.reload()
    expect(page.locator(f'#identity-pairs tr.pair[data-a="{c}"][data-b="{d}"]')).to_have_count(0)
    # in 中文
    page.goto(server.url + "/identity?lang=zh")
    expect(page.locator("h1")).to_have_text("身份识别：待复核的记录对")
    expect(page.locator("#identity-pairs button.confirm").first).to_have_text("是同一人")


def test_a_viewer_has_no_review_page(page: Any, server: Site, login: Any, watch: Any) -> None:
    login("viewer")
    expect(page.locator("#nav-identity")).to_have_count(0)
    response = page.goto(server.url + "/identity")
    assert response is not None
    assert response.status == 403  # the error page says so in its status too
    expect(page.locator("#error")).to_contain_text("viewer")
    expect(page.locator("#identity-pairs")).to_have_count(0)
    # the browser reports the page's own 403 on its console: expected here, nothing else
    assert all("403" in e for e in watch.console_errors)
    watch.console_errors.clear()


def test_a_persons_page_lists_its_source_records(page: Any, server: Site, login: Any) -> None:
    login("analyst")
    person = _person(server, "tmall:0000001")
    page.goto(f"{server.url}/customers/{person}")
    expect(page.locator("#linked[data-loaded='1']")).to_have_count(1)
    expect(page.locator("#linked-sources")).to_contain_text("tmall")
    record = page.locator('#linked-records tr[data-record="tmall:0000001"]')
    expect(record).to_contain_text("0000001")
    expect(record).to_contain_text("tmall.csv")
    expect(page.locator("#linked-links tr").first).to_be_visible()


def test_a_viewer_follows_the_persons_token_to_its_records(
    page: Any, server: Site, login: Any, watch: Any
) -> None:
    """A viewer is shown ids as tokens (an id may be a buyer's nickname): the person's
    page opens by its token and its records' ids are tokens, their own ids and their
    files' names masked."""
    seal = id_cipher(server.ws).seal
    login("viewer")
    person = _person(server, "tmall:0000001")
    page.goto(f"{server.url}/customers/{person}")
    expect(page.locator("#error")).to_be_visible()  # a real id: as for no such customer
    # the browser reports the page's own 404 on its console: expected here, nothing else
    assert all("404" in e for e in watch.console_errors)
    watch.console_errors.clear()
    page.goto(f"{server.url}/customers/{seal(person)}")
    expect(page.locator("#linked[data-loaded='1']")).to_have_count(1)
    expect(page.locator("#linked-sources")).to_contain_text("tmall")
    expect(page.locator("#linked-sources")).to_contain_text(seal(person))
    record = page.locator(f'#linked-records tr[data-record="{seal("tmall:0000001")}"]')
    expect(record).to_contain_text("***")
    expect(record).to_contain_text("***.csv")  # the file's name masked, as its kind kept
    expect(page.locator("#linked-links tr").first).to_be_visible()
    shown = page.locator("main").inner_text()
    assert "0000001" not in shown
    assert person not in shown
    assert "tmall.csv" not in shown
