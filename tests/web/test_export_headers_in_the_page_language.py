"""The segment page's export buttons gave a 中文 reader a spreadsheet headed customer_id,
kind, name, days_since_last_order...: the API's export had no ``headers`` choice (the
command's ``kequn export --headers zh``). The buttons now ask for the page's language,
the API's default stays the ids, and a named header is still safe from formulas. A
names export names the values too (the labels, not their ids), as the command does."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kequn.core.i18n import local
from kequn.snapshots.read import require_run
from kequn.snapshots.reports import export_segment

SEGMENT = "/api/segments/lifecycle/active/export"


@pytest.mark.parametrize(
    ("lang", "customer", "spend"),
    [("zh", "客户编号", "累计消费"), ("en", "Customer id", "Total spend")],
)
def test_the_page_exports_with_its_languages_headers(
    server: Any, tmp_path: Path, lang: str, customer: str, spend: str
) -> None:
    with server.client("admin") as client:
        page = client.get("/segments/lifecycle/active", params={"lang": lang})
        assert page.status_code == 200, page.text
        assert f"export?format=csv&amp;headers={lang}" in page.text
        assert f"export?format=xlsx&amp;headers={lang}" in page.text
        named = client.get(SEGMENT, params={"format": "csv", "headers": lang})
        assert named.status_code == 200, named.text
        header = next(csv.reader(io.StringIO(named.text)))
        assert header[0] == customer, header[:5]
        assert spend in header, header
        assert len(set(header)) == len(header)
        book = client.get(SEGMENT, params={"format": "xlsx", "headers": lang})
        assert book.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(book.content)).worksheets[0]
        first = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
        assert first[0] == customer, first[:5]
        assert spend in first, first
        rows = list(csv.reader(io.StringIO(named.text)))
        ids = list(csv.reader(io.StringIO(client.get(SEGMENT, params={"format": "csv"}).text)))
    # the rows are those of the ids' export, their values named as ``kequn export
    # --headers`` names them (the one function): the lifecycle by the run's taxonomy
    assert [r[0] for r in rows[1:]] == [r[0] for r in ids[1:]]
    run = require_run(server.ws, None)
    cli = tmp_path / "cli.csv"
    export_segment(run, "lifecycle", "active", cli, headers=lang)
    assert cli.read_bytes() == named.content
    dim = run.taxonomy().dimension("lifecycle")
    assert dim is not None
    active = dim.label("active")
    assert active is not None
    column = ids[0].index("lifecycle")
    assert {r[column] for r in rows[1:]} == {local(active, lang)}


def test_the_api_keeps_ids_by_default_and_refuses_other_headers(server: Any) -> None:
    with server.client("admin") as client:
        ids = client.get(SEGMENT, params={"format": "csv"})
        assert next(csv.reader(io.StringIO(ids.text)))[0] == "customer_id"
        bad = client.get(SEGMENT, params={"format": "csv", "headers": "fr"})
    assert bad.status_code == 422, bad.text
    assert "headers" in bad.json()["error"]["message"]
