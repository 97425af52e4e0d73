"""The header again is found wherever its names stand in the row (the "header again"
check of kequn.ingest.non_data compares a row's cells with their headers only where one
of them contains its header, not every cell of every row): padded with spaces, its
first columns left blank, only its last columns, in a file of 1,200 columns, in any row.
A row that merely mentions a header inside a longer value is data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

HEADER = ["订单号", "客户编号", "下单时间", "金额", "备注", "渠道"]


def _order(n: int) -> list[str]:
    return [f"A{n}", f"C{n}", "2024-03-05 10:00", "10.00", "", "web"]


def _file(tmp_path: Path, rows: list[list[str]], name: str = "orders.csv") -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_the_header_again_is_found_wherever_its_names_stand(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        HEADER,
        _order(1),
        [" 订单号 ", " 客户编号", "下单时间 ", "金额", "备注", "渠道"],  # padded: row 3
        _order(2),
        ["", "", "", "金额", "备注", "渠道"],  # its first columns blank: row 5
        _order(3),
        # a value that merely holds a header's name is data: row 7
        ["A4", "C4", "2024-03-05 10:00", "10.00", "备注：渠道调整", "web"],
        ["", "", "", "", "备注", "渠道"],  # the last two alone: row 8
    ]
    report = import_file(ws, "orders", _file(tmp_path, rows))
    assert [(s["row"], s.get("again")) for s in report.skipped] == [
        (3, True),
        (5, True),
        (8, True),
    ]
    assert report.accepted == 4


def test_the_header_again_in_a_file_of_1200_columns(ws: Workspace, tmp_path: Path) -> None:
    extra = [f"列{i}" for i in range(1194)]
    header = HEADER + extra
    rows = [header, _order(1) + [""] * len(extra), header, _order(2) + ["x"] * len(extra)]
    report = import_file(ws, "orders", _file(tmp_path, rows, "wide.csv"))
    assert [(s["row"], s.get("again")) for s in report.skipped] == [(3, True)]
    assert report.accepted == 2
