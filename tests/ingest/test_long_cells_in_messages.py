"""A message quotes a file's text, never all of it: a 100 KB cell was printed whole in
the import's summary and every listing of the quarantine, and a file whose one line is
2 MB put the whole line in the "no usable column" error (job file, log, answer). The
quarantined row keeps the cell whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.ingest.readers import SourceError
from kequn.store.workspace import Workspace


def test_a_long_cell_is_quoted_short_and_kept_whole(ws: Workspace, tmp_path: Path) -> None:
    cell = "x" * 100_000
    path = tmp_path / "orders.csv"
    path.write_text(
        f"订单编号,客户编号,下单时间,实付金额\nA1,C1,2024-01-01,{cell}\nA2,C2,2024-01-01,5\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", path, create_customers=True)
    assert report.accepted == 1
    (row,) = quarantine_rows(ws, table="orders")
    assert row["value"] == cell  # kept whole, to fix and retry
    assert len(row["message"]) < 200
    assert "100,000" in row["message"]  # how long it was
    assert len(str(report.to_dict())) < 5_000


def test_a_file_of_one_long_line_is_refused_in_a_short_message(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("a," + "y" * 2_000_000 + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as refused:
        import_file(ws, "orders", path)
    assert "notes.csv" in str(refused.value)
    assert len(str(refused.value)) < 1_000
