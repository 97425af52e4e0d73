"""A customer_id cell holding nothing but zero-width characters (U+200B zero width space,
U+200C/U+200D the zero width (non-)joiners, U+FEFF the byte order mark, as a chat or a
web page copies them along), maybe among spaces, names no one: the import quarantines
the row as one whose id is empty, as it does a blank cell, and makes no customer of it.
The web and the CLI say such an id is empty too (tests/web/test_blank_customer_id_said.py,
tests/cli/test_cli_empty_ids.py).

The files are CSV as RFC 4180 defines it (https://www.rfc-editor.org/rfc/rfc4180: a
header line, comma-separated fields, CRLF or LF line ends); the characters are those of
the Unicode General Punctuation block (https://www.unicode.org/charts/PDF/U2000.pdf) and
U+FEFF of the Specials (https://www.unicode.org/charts/PDF/UFE70.pdf)."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.store.workspace import Workspace

INVISIBLE_IDS = ["\u200b", " \u200b\ufeff\u200c ", "\u200d\u200d"]


QUERIES = {
    "customers": "SELECT customer_id FROM customers ORDER BY 1",
    "orders": "SELECT customer_id FROM orders ORDER BY 1",
}


def _ids(ws: Workspace, table: str) -> list[str]:
    with ws.read() as con:
        rows = con.execute(QUERIES[table]).fetchall()
    return [r[0] for r in rows]


def test_a_zero_width_customer_id_is_no_customer(ws: Workspace, tmp_path: Path) -> None:
    sheet = tmp_path / "customers.csv"
    lines = ["customer_id,name,city", "C1,张三,上海"]
    lines += [f"{given},客{n},北京" for n, given in enumerate(INVISIBLE_IDS)]
    sheet.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    report = import_file(ws, "customers", sheet)
    assert (report.accepted, report.rejected) == (1, len(INVISIBLE_IDS))
    assert _ids(ws, "customers") == ["C1"]
    problems = {(q["row"], q["column"]) for q in quarantine_rows(ws)}
    assert problems == {(row, "customer_id") for row in range(3, 3 + len(INVISIBLE_IDS))}
    said = " ".join(q["message"] for q in quarantine_rows(ws, lang="en"))
    assert "empty" in said


def test_a_zero_width_buyer_id_on_an_order_is_no_buyer(ws: Workspace, tmp_path: Path) -> None:
    sheet = tmp_path / "orders.csv"
    lines = ["order_id,customer_id,ordered_at,amount", "O1,C1,2026-01-05 10:00,10.00"]
    lines += [f"O{n + 2},{given},2026-01-06 10:00,12.00" for n, given in enumerate(INVISIBLE_IDS)]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(ws, "orders", sheet, create_customers=True)
    assert report.accepted == 1
    assert _ids(ws, "orders") == ["C1"]
    assert _ids(ws, "customers") == ["C1"]
