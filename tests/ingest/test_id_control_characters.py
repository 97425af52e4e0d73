"""Ids carrying characters that print as nothing: control characters (a BEL, U+0085,
U+001F, as a copy from a terminal, a web page or an old system leaves them) and format
characters (a soft hyphen, the direction marks a right-to-left page or Excel's BIDI text
functions add). Each made a second customer printing exactly like the first, and an order
or an event naming the plain id was quarantined for an unknown customer."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

# (the id as a customers file, an orders file or an events file holds it)
IDS = [
    ("C001\x07", "C001", "\x1fC001"),
    ("C002", "C002\x85", "C002"),
    ("C00\x856", "C006", "C006"),
    ("C008\u00ad", "C008", "C008\u200e"),
    ("\u202bC009\u202c", "C009\u200f", "C009"),
]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_ids_agree_across_files_without_their_invisible_characters(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    customers = "customer_id,name,address\n" + "".join(
        f'{c},Ann {n},"1 Main St\nFlat {n}"\n' for n, (c, _, _) in enumerate(IDS)
    )
    orders = "order_id,customer_id,ordered_at,amount\n" + "".join(
        f"O{n}\x07,{o},2026-01-02,10\n" for n, (_, o, _) in enumerate(IDS)
    )
    events = "event_id,customer_id,occurred_at,type\n" + "".join(
        f"E{n},{e},2026-01-02,view\n" for n, (_, _, e) in enumerate(IDS)
    )
    assert import_file(ws, "customers", _write(tmp_path / "c.csv", customers)).accepted == 5
    for table, text in (("orders", orders), ("events", events)):
        report = import_file(ws, table, _write(tmp_path / f"{table}.csv", text))
        assert (report.accepted, report.rejected) == (5, 0), table
    plain = ["C001", "C002", "C006", "C008", "C009"]
    with ws.read() as con:
        assert [
            r[0] for r in con.execute("SELECT customer_id FROM customers ORDER BY 1").fetchall()
        ] == plain
        assert con.execute("SELECT list(order_id ORDER BY order_id) FROM orders").fetchone() == (
            ["O0", "O1", "O2", "O3", "O4"],
        )
        assert [
            r[0] for r in con.execute("SELECT customer_id FROM events ORDER BY 1").fetchall()
        ] == plain
        # a line break inside a cell is text, not a control character to drop
        assert con.execute(
            "SELECT address FROM customers WHERE customer_id = 'C001'"
        ).fetchone() == ("1 Main St\nFlat 0",)
