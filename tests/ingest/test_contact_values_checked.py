"""A customer's phone or e-mail that is no such thing is emptied with a warning (the
customer kept), as 'abc' and '12345' already were: a phone with letters among its digits
(1381234abcd, read as the phone 1381234) and an e-mail without one name, one @ and a
domain with a dot (nana@@bad, a@b) were stored, sent to and matched on. Labels and
extensions around a real number (Tel:, ext. 12, x89, （手机）, 转123) stay a phone."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

ROWS = [
    ("K1", "1381234abcd", "nana@@bad"),
    ("K2", "13800138000", "a@b"),
    ("K3", "Tel: 021-1234567", "@qq.com"),
    ("K4", "+1 (555) 123-4567 x89", "12345@qq.com"),
    ("K5", "138 0013 8000（手机）", "First.Last@Mail.Example.co.uk"),
    ("K6", "021-12345678转123", "x@.com"),
]


def test_phones_and_emails_that_are_none_are_emptied_and_said(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "customers.csv"
    lines = ["客户编号,手机,邮箱"] + [",".join(row) for row in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.rejected) == (6, 0)
    with ws.read() as con:
        stored = {
            r[0]: (r[1], r[2])
            for r in con.execute("SELECT customer_id, phone, email FROM customers").fetchall()
        }
        warned = sorted(
            con.execute(
                'SELECT "row", "column" FROM quarantine WHERE severity = \'warning\''
            ).fetchall()
        )
    # (kept as written: the check only decides whether a value is one)
    assert stored == {
        "K1": (None, None),
        "K2": ("13800138000", None),
        "K3": ("Tel: 021-1234567", None),
        "K4": ("+1 (555) 123-4567 x89", "12345@qq.com"),
        "K5": ("138 0013 8000(手机)", "First.Last@Mail.Example.co.uk"),
        "K6": ("021-12345678转123", None),
    }
    # each emptied value is named by its row and column (row 1 is the header)
    assert warned == [(2, "email"), (2, "phone"), (3, "email"), (4, "email"), (7, "email")]
