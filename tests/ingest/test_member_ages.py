"""A member's age as hand-made member sheets and survey forms write it: in Chinese
numerals (三十二, 三十二岁, 二十五周岁, 六十岁以上) or in traditional characters (32歲).
Before, each was "not a number", emptied with a warning, and the customer's age group
was unknown; 32岁 and 60岁以上 were read."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

AGES = [  # (年龄 as written, the age kept)
    ("三十二", 32),
    ("三十二岁", 32),
    ("二十五周岁", 25),
    ("十八岁", 18),
    ("十", 10),
    ("四十", 40),
    ("一百零二岁", 102),
    ("两岁", 2),
    ("六十岁以上", 60),  # an open band's bound, as 60岁以上
    ("三十至三十九岁", 34),  # a band's middle, as 30-39岁
    ("约四十五岁", 45),
    ("32歲", 32),
    ("六十八週歲", 68),
    ("五", 5),
    ("三十几岁", None),  # no number: told, the member kept without an age
    ("百岁", None),
    ("十十", None),
]


def _members(tmp_path: Path, header: str, cells: list[str]) -> Path:
    path = tmp_path / "members.csv"
    rows = "".join(f"M{i:02d},{cell}\n" for i, cell in enumerate(cells))
    path.write_text(f"会员编号,{header}\n{rows}", encoding="utf-8")
    return path


def _ages(ws: Workspace) -> list[object]:
    with ws.read() as con:
        rows = con.execute("SELECT age FROM customers ORDER BY customer_id").fetchall()
    return [age for (age,) in rows]


def test_ages_in_chinese_numerals(ws: Workspace, tmp_path: Path) -> None:
    report = import_file(ws, "customers", _members(tmp_path, "年龄", [c for c, _ in AGES]))
    assert report.accepted == len(AGES)
    assert report.warnings_by_reason == {"bad_number": 3}
    assert _ages(ws) == [age for _, age in AGES]


def test_a_headcount_in_chinese_numerals(ws: Workspace, tmp_path: Path) -> None:
    cells = ["五十人", "少于五十人", "一千人", "三百"]
    report = import_file(ws, "customers", _members(tmp_path, "人员规模", cells))
    assert not report.warnings_by_reason, report.warnings_by_reason
    with ws.read() as con:
        rows = con.execute("SELECT employees FROM customers ORDER BY customer_id").fetchall()
    assert [n for (n,) in rows] == [50, 25, 1000, 300]
