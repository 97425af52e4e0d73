"""A customers file with a resident ID number column (身份证号, as member import templates
carry one beside 证件类型) and no birth or gender column: the birth date (digits 7-14)
and gender (the 17th digit, odd for a man) are read from a number whose GB 11643-1999
check character (ISO 7064 MOD 11-2) is right; a mistyped number gives neither. The
number stays an attribute. Before, the age groups and gender had nothing to go on.

A first-generation 15-digit number (GB 11643-1989, no check character: YYMMDD of the
1900s, the last digit odd for a man) gave nothing; it is read when its first digit is a
region's (1-8) and its date a real one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.ingest.resident_id import check_character
from kequn.store.workspace import Workspace

#: python-stdnum's valid numbers (tests/test_cn_ric.py and stdnum/cn/ric.py's doctest)
STDNUM_VALID = ["360426199101010071", "486268198802140611", "38064219921117061X",
                "45883019880120031X", "354133198209290022"]  # fmt: skip


@pytest.mark.parametrize("number", STDNUM_VALID)
def test_the_check_character_is_iso_7064_mod_11_2(number: str) -> None:
    assert check_character(number[:17]) == number[17]


CASES = [
    {"description": "valid, odd 17th digit", "id": "360426199101010071",
     "born": dt.date(1991, 1, 1), "gender": "male"},
    {"description": "valid, X check character, even 17th digit", "id": "44030419851231002X",
     "born": dt.date(1985, 12, 31), "gender": "female"},
    {"description": "lower-case x", "id": "44030419851231002x",
     "born": dt.date(1985, 12, 31), "gender": "female"},
    {"description": "wrong check character", "id": "360426199101010072",
     "born": None, "gender": None},
    {"description": "no date in digits 7-14", "id": "360426199113010079",
     "born": None, "gender": None},
    # the first-generation 15-digit number (GB 11643-1989): YYMMDD of the 1900s, the
    # 15th digit odd for a man; hutool's IdcardUtilTest.convert15To18Test numbers
    # (150102880730303 is 150102198807303035, 330102200403064 is 33010219200403064X)
    {"description": "15-digit old number, odd last digit", "id": "150102880730303",
     "born": dt.date(1988, 7, 30), "gender": "male"},
    {"description": "15-digit old number, even last digit", "id": "330102200403064",
     "born": dt.date(1920, 4, 3), "gender": "female"},
    {"description": "the same person's 18-digit number", "id": "150102198807303035",
     "born": dt.date(1988, 7, 30), "gender": "male"},
    {"description": "15-digit old number, knifer-go's example", "id": "130503670401001",
     "born": dt.date(1967, 4, 1), "gender": "male"},
    {"description": "15 digits, 29 February of no leap year", "id": "110105710229581",
     "born": None, "gender": None},
    {"description": "15 digits, no month 13", "id": "110105711323581",
     "born": None, "gender": None},
    {"description": "15 digits, no region starts with 9", "id": "910105710923581",
     "born": None, "gender": None},
    {"description": "15 digits, no region starts with 0", "id": "010105710923581",
     "born": None, "gender": None},
    {"description": "14 digits", "id": "11010571092358", "born": None, "gender": None},
    {"description": "16 digits", "id": "1101057109235812", "born": None, "gender": None},
    {"description": "not a number", "id": "护照E12345678", "born": None, "gender": None},
]  # fmt: skip


def test_birth_date_and_gender_from_a_valid_number(ws: Workspace, tmp_path: Path) -> None:
    assert check_character("36042619911301007") == "9"  # the no-date case is checked right
    path = tmp_path / "members.csv"
    lines = ["会员号,姓名,身份证号码"] + [f"M{n},客户{n},{c['id']}" for n, c in enumerate(CASES)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.rejected) == (len(CASES), 0)
    assert report.mapping["birth_date"] == report.mapping["gender"] == "身份证号码"
    with ws.read() as con:
        got = {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT customer_id, birth_date, gender, attributes['身份证号码'] FROM customers"
            ).fetchall()
        }
    for n, case in enumerate(CASES):
        assert got[f"M{n}"] == (case["born"], case["gender"], case["id"]), case["description"]


def test_the_file_s_own_birth_and_gender_columns_win(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("会员号,生日,性别,证件号码\nM1,1980-05-06,女,360426199101010071\n")
    import_file(ws, "customers", path)
    with ws.read() as con:
        assert con.execute("SELECT birth_date, gender FROM customers").fetchone() == (
            dt.date(1980, 5, 6),
            "female",
        )
