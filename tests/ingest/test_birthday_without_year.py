"""A birthday without its year, as member lists keep one (生日 03-15, 3月15日, 15/03,
March 15; the year-less forms address books export, --0515 and --05-15:
gitlab.com/CardBook/CardBook/issues/324, after RFC 6350's date without a year).

The customers table holds a birth date, which needs its year, and an age is derived from
nothing less: such a cell is not stored, the customer is kept, and the warning names the
row and column and says why. Before, it read "生日 is not a date: 03-15", as if the cell
held nonsense."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.store.workspace import Workspace

NO_YEAR = ["03-15", "3-15", "03/15", "3.15", "15/03", "15.03.", "3月15日", "12月31日", "2月29日",
           "March 15", "Mar. 15", "15 March", "Sep 1", "--03-15", "--0315"]  # fmt: skip


def test_a_birthday_without_a_year_keeps_the_customer_and_says_why(
    ws: Workspace, tmp_path: Path
) -> None:
    cells = [*NO_YEAR, "1990-03-15", "保密", "abc"]
    path = tmp_path / "会员.csv"
    path.write_text(
        "会员编号,姓名,生日\n" + "".join(f"M{n},会员{n},{c}\n" for n, c in enumerate(cells)),
        encoding="utf-8",
    )
    report = import_file(ws, "customers", path)
    assert report.rejected == 0
    assert report.accepted == len(cells)  # every customer kept
    assert report.warnings_by_reason == {"birthday_no_year": len(NO_YEAR), "bad_date": 2}
    with ws.read() as con:
        born = dict(con.execute("SELECT customer_id, birth_date FROM customers").fetchall())
    assert born.pop("M15") == dt.date(1990, 3, 15)
    assert set(born.values()) == {None}  # no year made up: no age from it
    with ws.read() as con:
        kept = dict(con.execute("SELECT customer_id, birthday FROM customers").fetchall())
    # each kept as the birthday the warning says it is (3/15 and 15/03 alike)
    assert [kept[f"M{n}"] for n in range(len(NO_YEAR))] == [
        "03-15", "03-15", "03-15", "03-15", "03-15", "03-15", "03-15", "12-31", "02-29",
        "03-15", "03-15", "03-15", "09-01", "03-15", "03-15",
    ]  # fmt: skip
    told = {e["row"]: e for e in quarantine_rows(ws, lang="en")}
    # the file's row 2 is its first customer's: row and column named, the cell quoted
    assert told[2]["column"] == "birth_date"
    assert told[2]["message"] == (
        "生日 (birth date) 03-15 has a month and day but no year: it was kept as the "
        "birthday (month and day), with no birth date and no age derived from it; the "
        "customer was imported"
    )
    assert told[len(cells) + 1]["reason"] == "bad_date"  # abc is no date at all
    assert told[len(cells)]["reason"] == "bad_date"  # nor is 保密 one


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_reason_is_worded_in_both_languages(ws: Workspace, tmp_path: Path, lang: str) -> None:
    path = tmp_path / "members.csv"
    path.write_text("member id,birthday\nA,3月15日\n", encoding="utf-8")
    import_file(ws, "customers", path)
    [entry] = quarantine_rows(ws, lang=lang)
    want = "生日缺少年份" if lang == "zh" else "birthday without a year"
    assert entry["reason_name"] == want
