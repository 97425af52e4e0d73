"""A member's generation (90后, 九零后, 80後, 00后, 95后) in an age or a birth column, as
member sheets and survey forms give one instead of an age. Before, each was "not a
number" or "not a date", emptied with a warning, and the age group was unknown.

The reading (kequn.ingest.cell_macros._GENERATION): a decade's generation was born in
its middle (90后: 1 January 1995), one naming a year in that year (95后: 1995); a birth
column keeps that day, so the age grows with each run's as-of date; an age column keeps
the age it gives in the year of the import (90后: 31 in 2026), as it keeps any age."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from cli_helpers import small_shop
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

BIRTHS = [  # (出生年月 as written, the birth date kept)
    ("90后", dt.date(1995, 1, 1)),
    ("九零后", dt.date(1995, 1, 1)),
    ("80後", dt.date(1985, 1, 1)),
    ("00后", dt.date(2005, 1, 1)),
    ("零零后", dt.date(2005, 1, 1)),
    ("95后", dt.date(1995, 1, 1)),
    ("1990年后", dt.date(1995, 1, 1)),
    ("1990-05-03", dt.date(1990, 5, 3)),
    ("60岁以后", None),  # no generation: told
]


def _members(tmp_path: Path, header: str, cells: list[str]) -> Path:
    path = tmp_path / "members.csv"
    rows = "".join(f"M{i:02d},{cell}\n" for i, cell in enumerate(cells))
    path.write_text(f"会员编号,{header}\n{rows}", encoding="utf-8")
    return path


def _this_year() -> int:
    """The import's year, in the workspace's time zone (the default's)."""
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).year


def _column(ws: Workspace, column: str) -> list[object]:
    with ws.read() as con:
        rows = con.execute(f"SELECT {column} FROM customers ORDER BY customer_id").fetchall()
    return [value for (value,) in rows]


def test_a_generation_in_a_birth_column(ws: Workspace, tmp_path: Path) -> None:
    report = import_file(ws, "customers", _members(tmp_path, "出生年月", [c for c, _ in BIRTHS]))
    assert report.accepted == len(BIRTHS)
    assert report.warnings_by_reason == {"bad_date": 1}
    assert _column(ws, "birth_date") == [born for _, born in BIRTHS]


def test_a_generation_in_an_age_column(ws: Workspace, tmp_path: Path) -> None:
    cells = ["90后", "八零后", "00後", "95后", "25岁", "60岁以后"]
    report = import_file(ws, "customers", _members(tmp_path, "年龄", cells))
    assert report.warnings_by_reason == {"bad_number": 1}  # 60岁以后
    year = _this_year()
    assert _column(ws, "age") == [year - 1995, year - 1985, year - 2005, year - 1995, 25, None]


def test_generations_place_members_in_age_groups(tmp_path: Path) -> None:
    """Through ``kequn import`` and ``kequn run``: the age group and its reason. A birth
    column's generation is aged on the run's as-of date; an age column's in the year of
    the import (60后, 80后 and 00后 fall in the same groups for years to come)."""
    members = (
        "会员编号,出生年月,年龄\nB1,90后,\nB2,80後,\nB3,六零后,\nA1,,60后\nA2,,80后\nA3,,00后\n"
    )
    shop = small_shop(tmp_path, {"customers": members}, "--as-of", "2026-06-01")
    year = _this_year()
    assert shop["B1"]["age_group"] == [("youth", "aged 31, 34 or younger")]
    assert shop["B2"]["age_group"] == [("middle_aged", "aged 41, between 34 and 60")]
    assert shop["B3"]["age_group"] == [("senior", "aged 61, 60 or older")]
    assert shop["A1"]["age_group"] == [("senior", f"aged {year - 1965}, 60 or older")]
    assert shop["A2"]["age_group"] == [("middle_aged", f"aged {year - 1985}, between 34 and 60")]
    assert shop["A3"]["age_group"] == [("youth", f"aged {year - 2005}, 34 or younger")]
