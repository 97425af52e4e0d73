"""The customer page's tables were headed by the schema's names as written for
sentences: city, name, kind, acquisition source, created at, lower case on an English
page among headings that begin with a capital (the source records' "city" beside
"Source" and "Lineage"). Every heading of the pages is now a word of the page's
language, begun with a capital in English; none is a column's id."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kequn.snapshots import lookup, read

HEADING = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
TAG = re.compile(r"<[^>]+>")


def _pages(server: Any) -> list[str]:
    run = lookup.ready_run(server.ws)
    assert run is not None
    customers = []
    for label in ("enterprise", "individual"):
        rows = read.members(run, "customer_nature", label, limit=1)["rows"]
        customers += [f"/customers/{r['customer_id']}" for r in rows]
    assert len(customers) == 2
    return [
        "/",
        "/segments/lifecycle/active",
        "/worklists/sales",
        "/runs",
        "/upload",
        "/journeys",
        "/identity",
        *customers,
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_heading_is_a_word_of_the_page(server: Any, lang: str) -> None:
    bad = {}
    with server.client("admin") as client:
        for path in _pages(server):
            page = client.get(path, params={"lang": lang})
            assert page.status_code == 200, path
            for cell in HEADING.findall(page.text):
                text = " ".join(TAG.sub("", cell).split())
                if not text:
                    continue
                lower = text[0].isascii() and text[0].islower()
                if lower or "_" in text:
                    bad.setdefault(path, []).append(text)
    assert bad == {}


def test_the_source_records_city_is_headed_city(server: Any) -> None:
    customer = _pages(server)[-1]
    with server.client("admin") as client:
        english = client.get(customer, params={"lang": "en"}).text
        chinese = client.get(customer, params={"lang": "zh"}).text
    records = english.split('id="linked-records"')[1].split("</thead>")[0]
    assert "<th>City</th>" in records
    assert "<th>城市</th>" in chinese.split('id="linked-records"')[1].split("</thead>")[0]
    assert "<th>Acquisition source</th>" in english or "<th>Name</th>" in english
