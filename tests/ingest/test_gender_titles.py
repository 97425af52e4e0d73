"""A member form's gender as a title or a word it writes: 先生 / 女士 were read; Mr, Ms,
Mrs, Miss and 男生 / 女生 were emptied with a warning."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def test_titles_and_student_words_say_the_gender(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    customers = tmp_path / "members.csv"
    customers.write_text(
        "customer id,name,gender\nC1,A,Mr\nC2,B,Mrs.\nC3,C,Miss\nC4,D,男生\nC5,E,女生\nC6,F,Ms\n",
        encoding="utf-8",
    )
    report = import_file(ws, "customers", customers)
    assert report.warnings == 0, report.warnings_by_reason
    with ws.read() as con:
        found = con.execute("SELECT gender FROM customers ORDER BY customer_id").fetchall()
    assert found == [
        ("male",),
        ("female",),
        ("female",),
        ("male",),
        ("female",),
        ("female",),
    ]
