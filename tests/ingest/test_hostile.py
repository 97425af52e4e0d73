"""Files and leftovers meant to hurt: a zip bomb named .xlsx, a file that is no zip,
and the staged rows of an import that was killed."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.ingest.readers import SourceError
from kequn.store.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.init(tmp_path / "ws")


def test_an_xlsx_that_unzips_to_far_more_is_refused_before_reading(
    ws: Workspace, tmp_path: Path
) -> None:
    bomb = tmp_path / "订单.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row>" + "0" * (40 << 20) + "</row>")
    assert bomb.stat().st_size < 1 << 20  # 40 MB of XML in well under 1 MB
    with pytest.raises(SourceError, match=r"订单\.xlsx"):
        import_file(ws, "orders", bomb)


def test_a_file_named_xlsx_that_is_not_one_is_a_clear_error(
    ws: Workspace, tmp_path: Path
) -> None:
    fake = tmp_path / "客户.xlsx"
    fake.write_text("客户编号\nC1\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"客户\.xlsx"):
        import_file(ws, "customers", fake)


def test_a_killed_imports_staged_rows_are_removed_by_the_next_import(
    ws: Workspace, tmp_path: Path
) -> None:
    stale = ws.tmp_dir / "import-20260101000000-dead00"
    stale.mkdir(parents=True)
    (stale / "stage-orders.parquet").write_text("13812345678 张三 rows of a killed import")
    path = tmp_path / "c.csv"
    path.write_text("客户编号,姓名\nC1,王小明\n", encoding="utf-8")
    import_file(ws, "customers", path)
    assert not stale.exists()
    assert not list(ws.tmp_dir.glob("import-*"))
