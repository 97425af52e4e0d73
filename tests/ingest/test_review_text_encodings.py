"""Text files as Excel and Chinese tools write them: line ends, encodings, the bytes
some editors leave behind. Each was built as a user's file would be and imported."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def names(ws: Workspace) -> list[tuple[str, str]]:
    with ws.read() as con:
        rows = con.execute("SELECT customer_id, name FROM customers ORDER BY 1").fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def test_lines_ending_in_a_carriage_return_alone_are_rows(ws: Workspace, tmp_path: Path) -> None:
    """Excel for Mac's "CSV (Macintosh)" ends lines with \\r alone: the header scan read
    the file as one line and stopped with the csv module's traceback."""
    path = tmp_path / "mac.csv"
    path.write_bytes("客户编号,姓名\rC1,张三\rC2,李四\r".encode())
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.rejected) == (2, 0)
    assert names(ws) == [("C1", "张三"), ("C2", "李四")]
