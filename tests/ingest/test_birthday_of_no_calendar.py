"""A month and day that no year has (02-30, 2月30日, 31/04, --0230) in a birth column: it is
kept as nothing, neither birth date nor birthday, and the warning says it is no date,
naming the file, row and column. Before, it was told as "a birthday without a year ...
kept as the birthday (month and day)", which was not true: nothing was kept."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.store.workspace import Workspace

NO_DAY = ["02-30", "2月30日", "31/04", "--0230"]
REAL = ["02-29", "04-30"]  # 29 February is a birthday (of a leap year)


def test_a_month_and_day_of_no_calendar_is_told_as_no_date(ws: Workspace, tmp_path: Path) -> None:
    cells = NO_DAY + REAL
    path = tmp_path / "会员.csv"
    path.write_text(
        "会员编号,姓名,生日\n" + "".join(f"M{n},会员{n},{c}\n" for n, c in enumerate(cells)),
        encoding="utf-8",
    )
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.rejected) == (len(cells), 0)
    assert report.warnings_by_reason == {"bad_date": len(NO_DAY), "birthday_no_year": len(REAL)}
    with ws.read() as con:
        got = dict(
            con.execute(
                "SELECT customer_id, birthday FROM customers WHERE birth_date IS NULL"
            ).fetchall()
        )
    assert got == {"M0": None, "M1": None, "M2": None, "M3": None, "M4": "02-29", "M5": "04-30"}
    for lang, said in (("en", "生日 is not a date: 02-30"), ("zh", "生日 不是可识别的日期: 02-30")):
        entry = next(e for e in quarantine_rows(ws, lang=lang) if e["value"] == "02-30")
        assert (entry["file"], entry["row"], entry["column"]) == ("会员.csv", 2, "birth_date")
        assert said.split(" ", 1)[1] in entry["message"]
        assert "kept as the birthday" not in entry["message"]
        assert "已作为生日" not in entry["message"]
