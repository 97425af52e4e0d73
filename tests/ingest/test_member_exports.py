"""Customer and member exports of Chinese platforms, read column by column: the contact
columns are the customer's, while levels, points, balances and the staff who added the
customer stay attributes (nothing personal is made of them)."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.ingest.mapping import MappingFile, match_headers
from kequn.store.workspace import Workspace

#: 有赞's 客户 export, every field it names (http://shadafang.com/a/2020/0601/1590965138.html)
YOUZAN = ["客户姓名", "客户昵称", "免费等级", "付费等级", "客户手机号", "客户积分", "客户储值余额"]


def test_youzan_customer_export_reads_the_phone_and_nothing_from_levels_or_balance() -> None:
    matched = match_headers("customers", YOUZAN)
    got = {canonical: YOUZAN[i] for canonical, i in matched.columns.items()}
    assert got == {"name": "客户姓名", "phone": "客户手机号"}
    kept = [YOUZAN[i] for i in matched.extra]
    assert kept == ["客户昵称", "免费等级", "付费等级", "客户积分", "客户储值余额"]


def test_youzan_customer_export_stores_a_masked_phone_as_written(
    ws: Workspace, tmp_path: Path
) -> None:
    # the export has no id of its own: the user names one (here the nickname)
    path = tmp_path / "客户导出.csv"
    path.write_text(
        ",".join(YOUZAN) + "\n张伟,阿伟,VIP1,,138****1234,120,50.00\n"
        "李娜,娜娜,VIP2,黑卡,13912345678,300,0\n",
        encoding="utf-8",
    )
    mapping_path = tmp_path / "m.yaml"
    mapping_path.write_text("columns:\n  customer_id: 客户昵称\n", encoding="utf-8")
    result = import_file(ws, "customers", path, mapping=MappingFile.load(mapping_path))
    assert result.rejected == 0, result.examples
    with ws.read() as con:
        got = con.execute(
            "SELECT customer_id, name, phone, income, attributes['客户储值余额'] "
            "FROM customers ORDER BY customer_id"
        ).fetchall()
    assert got == [
        ("娜娜", "李娜", "13912345678", None, "0"),
        ("阿伟", "张伟", "138****1234", None, "50.00"),
    ]
