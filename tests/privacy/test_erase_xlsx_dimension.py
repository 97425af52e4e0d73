"""A workbook left in the workspace (a staged upload) is searched for a person by its
cells, not by the used range its <dimension> claims: a dimension of A1 (as some writers
leave it) hid every column after the first, and the upload naming them was kept."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from kequn.privacy.mentions import Identity, _scrub_file


def _with_dimension(path: Path, rows: list[list[str]], dimension: str) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(
                    rb'<dimension ref="[^"]*"\s*/>',
                    f'<dimension ref="{dimension}"/>'.encode(),
                    data,
                )
            out.writestr(item, data)
    plain.unlink()
    return path


def test_a_name_past_the_claimed_used_range_is_found(tmp_path: Path) -> None:
    person = Identity("C00000042", frozenset({"C00000042", "王小明"}), frozenset())
    rows = [["序号", "姓名", "手机"], ["1", "王小明", "13800000000"]]
    named = _with_dimension(tmp_path / "客户.xlsx", rows, "A1")
    other = _with_dimension(tmp_path / "其他.xlsx", [["序号", "姓名"], ["1", "李四"]], "A1")
    assert _scrub_file(named, person) == 1
    assert not named.exists()
    assert _scrub_file(other, person) == 0
    assert other.exists()
