"""An export format is a platform's order export: named for a customers or interactions
file, or not a format at all, it is refused in words. It was ignored without a word for
those files (``--format taobao`` on a customers file, ``format=../x`` through the API
answered 200), so the user believed a format applied that did not."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.ingest.source_error import SourceError
from kequn.store.workspace import Workspace


@pytest.mark.parametrize("table", ["customers", "events"])
def test_a_format_named_for_another_table_is_refused(
    ws: Workspace, tmp_path: Path, table: str
) -> None:
    path = tmp_path / f"{table}.csv"
    path.write_text(
        "customer_id,name\nC1,张三\n"
        if table == "customers"
        else "customer_id,type,occurred_at\nC1,view,2025-01-02 10:00:00\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="for order files only"):
        import_file(ws, table, path, format="taobao")
    with pytest.raises(SourceError, match="no export format"):
        import_file(ws, table, path, format="../x")
    with ws.read() as con:
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
