"""A member list's phone typed in a Chinese input method's full-width mode
(１３８００１３８０００) is a phone, as full-width amounts and dates are read (README:
"full-width ２００.００"): it was emptied with the warning "not a phone number (fewer than
7 digits)", the customer's only contact lost. Its e-mail typed so is an e-mail too."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def test_full_width_phones_and_e_mails_are_kept(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "会员.csv"
    path.write_text(
        "客户编号,姓名,手机,邮箱\n"
        "C1,张三,１３８００１３８０００,ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ\n"
        "C2,李四,＋８６ １３９-００００-１１１１,li@example.com\n"
        "C3,王五,ａｂｃ,ｎｏｎｅ\n",
        encoding="utf-8",
    )
    report = import_file(ws, "customers", path)
    assert report.accepted == 3
    with ws.read() as con:
        rows = con.execute("SELECT customer_id, phone, email FROM customers ORDER BY 1").fetchall()
    assert rows == [
        ("C1", "13800138000", "zhang@example.com"),
        ("C2", "+86 139-0000-1111", "li@example.com"),
        ("C3", None, None),
    ]
    # only C3's letters are told as no phone and no e-mail
    told = {reason: (e["row"], e["column"]) for reason, e in report.examples.items()}
    assert told == {"not_a_phone": (4, "手机"), "not_an_email": (4, "邮箱")}
