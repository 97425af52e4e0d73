"""A member list with a gender column of its own (性别) and a resident ID number column:
the number fills, row by row, the gender cells that give none, as it fills the birth
cells (kequn.ingest.customer_columns.CustomerColumnsPass._gender_from_id). Before, the
number's gender was read only when the file had no gender column: a customer whose 性别
was left blank had no gender, though the 身份证号 on the same row gave it."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.ingest.resident_id import check_character
from kequn.store.workspace import Workspace


def _number(first17: str) -> str:
    """An 18-digit number with its right check character (GB 11643-1999, ISO 7064)."""
    return first17 + check_character(first17)


#: the 17th digit odd for a man, even for a woman
MAN = _number("11010119900307123")
WOMAN = _number("11010119850512124")
#: hutool's 15-digit number (1988-07-30), its last digit 3: a man
MAN_15 = "150102880730303"

ROWS = [
    # (id, 性别, 身份证号, gender stored)
    ("M1", "", WOMAN, "female"),  # blank: the number's
    ("M2", "", MAN, "male"),
    ("M3", "", MAN_15, "male"),  # a first-generation number too
    ("M4", "男", MAN, "male"),  # they agree
    ("M5", "女", MAN, "female"),  # they differ: the cell's word wins
    ("M6", "保密", WOMAN, "female"),  # no gender given: the number's
    ("M7", "abc", MAN, "male"),  # no gender word: the number's, the cell still warned
    ("M8", "", "110101199003071230", None),  # a mistyped number gives nothing
    ("M9", "", "", None),
]


def test_the_number_fills_the_gender_cells_that_give_none(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "会员.csv"
    lines = ["会员编号,姓名,性别,身份证号"] + [f"{r[0]},客户,{r[1]},{r[2]}" for r in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.rejected) == (len(ROWS), 0)
    assert report.mapping["gender"] == "性别"
    with ws.read() as con:
        got = dict(con.execute("SELECT customer_id, gender FROM customers").fetchall())
    assert got == {r[0]: r[3] for r in ROWS}
    warned = {(e["row"], e["column"]) for e in quarantine_rows(ws, lang="en")}
    assert warned == {(8, "gender")}
