"""Customer and member exports of Chinese platforms, read column by column: the contact
columns are the customer's, while levels, points, balances and the staff who added the
customer stay attributes (nothing personal is made of them)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.ingest.mapping import MappingFile, match_headers
from kequn.store.workspace import Workspace

#: 有赞's 客户 export, every field it names (http://shadafang.com/a/2020/0601/1590965138.html)
YOUZAN = ["客户姓名", "客户昵称", "免费等级", "付费等级", "客户手机号", "客户积分", "客户储值余额"]


def test_youzan_customer_export_reads_the_phone_and_nothing_from_levels_or_balance() -> None:
    matched = match_headers("customers", YOUZAN)
    got = {canonical: YOUZAN[i] for canonical, i in matched.columns.items()}
    # no member number: the phone gives the id (test_youzan_customers_without_an_id_...)
    assert got == {"name": "客户姓名", "phone": "客户手机号", "customer_id": "客户手机号"}
    assert matched.fallbacks == {"customer_id": "phone"}
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


#: a 企业微信 customer table (Airomeo/bilinl-nest prisma/migrations/20250517060952_add_customer_table)
WECOM = ["客户名称", "所属企微号", "所属企业", "添加时间", "标签", "客户系统备注", "客户备注名",
         "描述信息", "企微手机号", "系统手机", "客户编号", "企微编号"]  # fmt: skip


def test_wecom_customers_keep_the_time_they_were_added(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "企业微信客户.csv"
    path.write_text(
        ",".join(WECOM) + "\n"
        "王芳,li.sales,某某科技,2024-03-01 10:00:00,高意向;老客,,王总,,138****1234,,C001,wmAAA\n"
        "赵强,chen.kf,某某科技,2024/3/2 11:30,,,,,,,C002,wmBBB\n",
        encoding="utf-8",
    )
    result = import_file(ws, "customers", path)
    assert result.rejected == 0, result.examples
    with ws.read() as con:
        got = con.execute(
            "SELECT customer_id, name, created_at, attributes['所属企微号'] FROM customers "
            "ORDER BY customer_id"
        ).fetchall()
    assert got == [
        ("C001", "王芳", datetime(2024, 3, 1, 10, 0), "li.sales"),
        ("C002", "赵强", datetime(2024, 3, 2, 11, 30), "chen.kf"),
    ]


def test_the_staff_member_who_added_a_wecom_customer_is_not_the_customer() -> None:
    # qwdigital/LinkWechat-Scrm WeCustomerList.java: 客户名称, 首位添加人, 添加时间, 标签
    headers = ["客户名称", "添加人", "添加时间", "标签", "备注"]
    matched = match_headers("customers", headers)
    got = {canonical: headers[i] for canonical, i in matched.columns.items()}
    assert got == {"name": "客户名称", "created_at": "添加时间"}
    assert [headers[i] for i in matched.extra] == ["添加人", "标签", "备注"]


def test_youzan_customers_without_an_id_are_known_by_phone_as_their_orders_are(
    ws: Workspace, tmp_path: Path
) -> None:
    """有赞's 客户 export has no member number. It was refused whole (customer_id not
    found). Its customers now get the id an order export's buyer known by the same phone
    gets (a keyed hash of the phone, written any way), so their orders find them; a masked
    phone is no one's id and its row is quarantined with the reason."""
    customers = tmp_path / "客户导出.csv"
    customers.write_text(
        ",".join(YOUZAN) + "\n张伟,阿伟,VIP1,,138 0000 1111,120,50.00\n"
        "李娜,娜娜,VIP2,黑卡,13800002222,300,0\n"
        "王五,小王,VIP1,,139****3333,5,0\n",
        encoding="utf-8",
    )
    report = import_file(ws, "customers", customers)
    assert (report.accepted, report.rejected) == (2, 1)
    assert list(report.examples) == ["masked_buyer"]
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "订单号,下单时间,手机号,实付金额,订单状态\n"
        "A1,2025-01-02 10:00:00,13800001111,100.00,交易成功\n"
        "A2,2025-01-03 10:00:00,+86 138-0000-2222,80.00,交易成功\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", orders)
    with ws.read() as con:
        rows = con.execute(
            "SELECT o.order_id, c.name, c.phone FROM orders o "
            "JOIN customers c USING (customer_id) ORDER BY 1"
        ).fetchall()
        ids = [r[0] for r in con.execute("SELECT customer_id FROM customers").fetchall()]
    assert rows == [("A1", "张伟", "138 0000 1111"), ("A2", "李娜", "13800002222")]
    assert all(i.startswith("p-") and "1111" not in i and "2222" not in i for i in ids)


def test_a_member_without_an_e_mail_is_known_by_phone(ws: Workspace, tmp_path: Path) -> None:
    """A member list with a phone and an e-mail column, no member number: the e-mail gave
    every id, so 李四, with a phone only, was refused (missing_required) and his order,
    known by that phone, found no customer."""
    customers = tmp_path / "会员.csv"
    customers.write_text(
        "客户姓名,客户手机号,邮箱\n张三,13611112222,zs@example.com\n李四,+86 136-2222-3333,\n",
        encoding="utf-8",
    )
    report = import_file(ws, "customers", customers)
    assert (report.accepted, report.rejected) == (2, 0)
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "订单号,下单时间,手机号,实付金额\nO1,2025-01-02 10:00:00,0086 136 2222 3333,50\n",
        encoding="utf-8",
    )
    assert import_file(ws, "orders", orders).accepted == 1
    with ws.read() as con:
        rows = con.execute(
            "SELECT o.order_id, c.name FROM orders o JOIN customers c USING (customer_id)"
        ).fetchall()
    assert rows == [("O1", "李四")]
    assert import_file(ws, "customers", customers).updated == 0


def test_a_phone_cell_that_is_no_phone_is_no_one_s_id(ws: Workspace, tmp_path: Path) -> None:
    """无 in the phone column of a member list without member numbers became the id 无:
    the next 无 was refused as a duplicate of 张三, and every order of a buyer whose phone
    was 无 went to 张三. A placeholder is no one's id: its row is quarantined."""
    customers = tmp_path / "会员.csv"
    customers.write_text(
        "客户姓名,客户手机号\n张三,无\n李四,无\n王五,13800001111\n", encoding="utf-8"
    )
    report = import_file(ws, "customers", customers)
    assert (report.accepted, report.rejected) == (1, 2)
    assert list(report.rejected_by_reason) == ["missing_required"]
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "订单号,下单时间,手机号,实付金额\nO1,2025-01-02 10:00:00,无,50\n", encoding="utf-8"
    )
    assert import_file(ws, "orders", orders, create_customers=True).accepted == 0
    with ws.read() as con:
        assert con.execute("SELECT name FROM customers").fetchall() == [("王五",)]


def test_a_type_column_of_no_customer_kind_is_kept_as_written(
    ws: Workspace, tmp_path: Path
) -> None:
    """客户类型 of 会员 / 粉丝 / 非会员 (member status, not 个人 / 企业) was read as the
    customer's kind: every value emptied with a warning, and the file's word lost. A
    column with one value that is a kind is still read as kind, the rest warned."""
    path = tmp_path / "客户.csv"
    path.write_text(
        "客户编号,客户姓名,客户类型,性别\nK1,张三,会员,男\nK2,李四,粉丝,女\nK3,王五,非会员,保密\n",
        encoding="utf-8",
    )
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.warnings) == (3, 0)
    assert report.not_read == {"kind": "客户类型"}
    assert "kind" not in report.mapping
    assert "客户类型" in report.attributes
    with ws.read() as con:
        rows = con.execute(
            "SELECT customer_id, kind, gender, attributes['客户类型'] FROM customers ORDER BY 1"
        ).fetchall()
    assert rows == [
        ("K1", None, "male", "会员"),
        ("K2", None, "female", "粉丝"),
        ("K3", None, None, "非会员"),
    ]

    mixed = tmp_path / "混合.csv"
    mixed.write_text("客户编号,客户类型\nK4,企业\nK5,会员\n", encoding="utf-8")
    report = import_file(ws, "customers", mixed)
    assert (report.not_read, report.warnings_by_reason) == ({}, {"bad_choice": 1})
    assert report.mapping["kind"] == "客户类型"
