"""Files as people make them, through the CLI: title and blank rows above the header,
units in headers, totals rows, several sheets, unknown status words that a mapping then
explains (and a retry reads again), mapping mistakes told as one message, and a run on
any subset of tables."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from kequn.cli import global_options_first, main
from kequn.ingest.shape import pseudonym_id
from kequn.store.workspace import Workspace

HEADER = ["订单号", "会员卡号", "下单时间", "实付金额（元）", "订单状态"]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """The real entry point (`kequn ...`): exit code and everything it printed."""

    def run(*args: object) -> tuple[int, str]:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out + out.err

    return run


@pytest.fixture
def ws(tmp_path: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "ws"
    assert cli("init", "-w", path)[0] == 0
    return path


def _orders(ws: Path) -> dict[str, tuple]:
    with Workspace.open(ws).read() as con:
        rows = con.execute("SELECT order_id, customer_id, amount, status FROM orders").fetchall()
    return {r[0]: r[1:] for r in rows}


def test_title_rows_units_and_a_totals_row(cli, ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "2025年会员订单.csv"
    lines = [
        "2025年会员订单,,,,",
        ",,,,",
        ",".join(HEADER),
        "A1,M01,2025-03-01 10:00,120.50,已完成",
        'A2,M02,2025-03-02 11:00,"1,080.00",已付款',
        '合计,,,"1,200.50",',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="gbk")
    code, out = cli("import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["header_row"] == 3
    assert report["rejected"] == 0
    assert [s["row"] for s in report["skipped"]] == [6]
    orders = _orders(ws)
    assert set(orders) == {"A1", "A2"}
    assert str(orders["A2"][1]) == "1080.00"


@pytest.mark.parametrize(
    "first",
    [
        "Grand Total",
        "ＴＯＴＡＬ",
        '="合计"',
        "\u200b总计：",
        "\u3000小 计",
        "'共计",
        "Sum:",
        "totals",
    ],
)
def test_totals_rows_in_any_writing_are_skipped(cli, ws: Path, tmp_path: Path, first: str) -> None:
    # the totals test only cleans cells that can start a totals word: these are the
    # spellings that cleaning makes one (width, quotes, zero-width and ideographic spaces)
    path = tmp_path / "orders.csv"
    lines = [",".join(HEADER), "A1,M01,2025-03-01 10:00,120.50,已完成", f"{first},,,120.50,"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = cli("import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    assert [s["row"] for s in json.loads(out)["skipped"]] == [3]
    assert set(_orders(ws)) == {"A1"}


def test_a_short_totals_row_of_a_csv_is_skipped_not_quarantined(
    cli, ws: Path, tmp_path: Path
) -> None:
    # a totals row with fewer fields than the header (合计 and the sum alone) was a
    # malformed row in the quarantine; the same row with every field was skipped
    path = tmp_path / "orders.csv"
    lines = [
        ",".join(HEADER),
        "A1,M01,2025-03-01 10:00,120.50,已完成",
        "A2,M02,2025-03-02 11:00",  # a record cut short: still quarantined
        '合计,"120.50"',
        "Total Wine,1",  # not a totals word alone: a malformed row, as before
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = cli("import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    report = json.loads(out)
    assert [s["row"] for s in report["skipped"]] == [4]
    assert report["rejected"] == 2
    assert set(_orders(ws)) == {"A1"}


def test_empty_rows_are_counted_and_long_lists_of_skipped_rows_cut(
    cli, ws: Path, tmp_path: Path
) -> None:
    # a sheet saved as CSV keeps ,,,, rows under its data; a footnote row repeats
    path = tmp_path / "orders.csv"
    lines = [",".join(HEADER), "A1,M01,2025-03-01 10:00,120.50,已完成", ",,,,"]
    lines += ["A2,M02,2025-03-02 10:00,80,已完成"] + ["制表人: 张三,,,,"] * 25 + [",,,,"] * 300
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = cli("import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["blank_rows"] == 301
    assert [s["row"] for s in report["skipped"]] == list(range(5, 30))
    assert report["rejected"] == 0
    assert set(_orders(ws)) == {"A1", "A2"}
    code, out = cli("import", "orders", path, "-w", ws)
    assert code == 0, out
    assert out.count("制表人") == 20
    assert "5 more rows" in out
    assert "Skipped 301 empty rows" in out


def test_ids_excel_cut_to_15_digits_are_refused_not_merged(cli, ws: Path, tmp_path: Path) -> None:
    # Douyin and newer Taobao order ids have 19 digits (6953489890610190242); Excel keeps
    # a number's first 15 and shows 6.95348989061019E+18, in the workbook and in a CSV
    # it saves. Two such orders then share an id: neither may be stored, nor merged
    path = tmp_path / "订单.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([6953489890610190242.0, "M01", "2025-03-01 10:00", 169, "交易成功"])
    sheet.append([6953489890610190243.0, "M02", "2025-03-01 11:00", 50, "交易成功"])
    sheet.append([123456789012.0, "M03", "2025-03-01 12:00", 20, "交易成功"])  # 12 digits: kept
    book.save(path)
    code, out = cli("import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["rejected_by_reason"] == {"id_lost_digits": 2}
    assert report["examples"]["id_lost_digits"]["value"] == "6.95348989061019E+18"
    assert set(_orders(ws)) == {"123456789012"}
    saved = tmp_path / "orders.csv"
    lines = [",".join(HEADER), "1.93068E+15,M01,2025-03-01 10:00,1,交易成功"]
    lines += ["1.93068E+15,M02,2025-03-02 10:00,2,交易成功", "3E8,M03,2025-03-02 10:00,3,交易成功"]
    saved.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = cli("import", "orders", saved, "-w", ws)
    assert code == 0, out
    assert (
        "id cut short by Excel: 2 (e.g. row 2: 订单号 1.93068E+15 is in scientific notation"
        in " ".join(out.split())
    )
    assert set(_orders(ws)) == {"123456789012", "3E8"}


def test_two_digit_years_are_read_or_refused_never_year_24(cli, ws: Path, tmp_path: Path) -> None:
    # 3/1/24 23:29 is how Excel in the US saves a Shopify export's 2024-03-01 23:29:00
    # -0500; 24/3/1 (year first, two digits) cannot be told from a day or a month
    path = tmp_path / "orders.csv"
    lines = [",".join(HEADER), "A1,M01,3/1/24 23:29,10,已完成", "A2,M02,12/31/99,20,已完成"]
    lines += ["A3,M03,24/3/1,30,已完成", "A4,M04,0024-03-01,40,已完成"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = cli("import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["rejected_by_reason"] == {"bad_date": 2}
    with Workspace.open(ws).read() as con:
        rows = con.execute("SELECT order_id, CAST(ordered_at AS VARCHAR) FROM orders").fetchall()
    assert sorted(rows) == [("A1", "2024-03-01 23:29:00"), ("A2", "1999-12-31 00:00:00")]


def test_an_after_sale_word_the_platform_list_lacks_is_told(cli, ws: Path, tmp_path: Path) -> None:
    # 抖店: the after-sale status decides refunds; a word kequn does not know is read as
    # none, and said so (it is no reason to refuse a paid order)
    path = tmp_path / "抖店订单.csv"
    head = "主订单编号,子订单编号,订单应付金额,订单提交时间,订单状态,售后状态,收件人,收件人手机号,详细地址"
    lines = [
        head,
        "\t11,\t11,20.00,2025-03-01 10:00:00,已完成,退款审核中,~Ab3dE5gH7jK9~Qw2Er4Ty6Ui8Op0As1Df3Gh5~1~,$T7Jd1qX2kZ9a$kq1P3m8sA0bF2Lw9Yx4Rt6Uv8Zz1Q$1$,#Zx1Cv3Bn5Mm7#Lk2Jh4Gf6Ds8Ap0Qo9Wi7Eu5#1##",
    ]
    lines += [
        "\t12,\t12,30.00,2025-03-01 11:00:00,已关闭,退款成功,~Ab3dE5gH7jK9~Qw2Er4Ty6Ui8Op0As1Df3Gh5~1~,$T7Jd1qX2kZ9a$kq1P3m8sA0bF2Lw9Yx4Rt6Uv8Zz1Q$1$,#Zx1Cv3Bn5Mm7#Lk2Jh4Gf6Ds8Ap0Qo9Wi7Eu5#1##"
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    code, out = cli("import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["format"] == "douyin"
    assert report["unknown_refund_words"] == {"退款审核中": 1}
    with Workspace.open(ws).read() as con:
        rows = con.execute("SELECT order_id, status, refunded FROM orders ORDER BY 1").fetchall()
    assert [(r[0], r[1], str(r[2])) for r in rows] == [
        ("douyin:11", "paid", "0.00"),
        ("douyin:12", "refunded", "30.00"),
    ]
    code, out = cli("import", "orders", path, "-w", ws)
    assert "Unknown after-sale status “退款审核中” (1 row)" in " ".join(out.split())


def test_taobao_s_item_list_is_named_and_the_order_file_asked_for(
    cli, ws: Path, tmp_path: Path
) -> None:
    # 卖家中心 exports ExportOrderList (orders, buyers) with ExportOrderDetailList (items)
    path = tmp_path / "ExportOrderDetailList202403101200.csv"
    head = "订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码"
    row = '="1930679858170647",测试宝贝,128.00,1,,颜色分类:红,,,交易成功,SKU1'
    path.write_text(f"{head}\n{row}\n", encoding="gbk")
    code, out = cli("import", "orders", path, "-w", ws)
    assert code == 1
    assert "is the Taobao / Tmall item list" in " ".join(out.split())
    assert "ExportOrderList" in out


YOUZAN_GOODS = (
    "订单号,外部订单号,订单商品状态,交易成功时间,商品名称,商品类型,商品类目,商品规格,规格编码,"
    "商品编码,商品单价,商品成本价,商品优惠方式,商品优惠后价格,商品数量,商品金额小计,店铺优惠（分摊）,"
    "商品实际成交金额,商品抵用积分数,商品留言,收货人/提货人,收货人手机号/提货人手机号,收货人省份,"
    "收货人城市,收货人地区,详细收货地址/提货地址,买家备注,商品发货状态,商品发货方式,商品发货物流公司,"
    "商品发货物流单号,发货员工,商品发货时间,商品退款状态,商品已退款金额,商家订单备注,周期购信息"
)


def test_youzan_s_goods_export_is_read(cli, ws: Path, tmp_path: Path) -> None:
    # the 37 columns of Youzan's 商品维度 export (code index 35997434361): no 订单状态,
    # 订单创建时间 or 订单实付金额; an order is its item rows, its amount theirs summed
    def row(order: str, status: str, when: str, amount: str, phone: str, refund: str) -> str:
        cells = [""] * 37
        cells[0], cells[2], cells[3], cells[4], cells[14] = order, status, when, "牛奶", "1"
        cells[17], cells[20], cells[21] = amount, "张三", phone
        cells[33], cells[34] = ("退款成功", refund) if refund != "0.00" else ("", refund)
        return ",".join(cells)

    lines = [
        YOUZAN_GOODS,
        row("E1", "交易成功", "2025-03-05 10:00:00", "59.00", "13800000001", "0.00"),
    ]
    lines += [row("E1", "交易成功", "2025-03-05 10:00:00", "40.00", "13800000001", "0.00")]
    lines += [row("E2", "交易成功", "2025-03-08 10:00:00", "59.00", "13800000002", "59.00")]
    path = tmp_path / "youzan_goods.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    code, out = cli("import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    assert json.loads(out)["format"] == "youzan"
    with Workspace.open(ws).read() as con:
        rows = con.execute(
            "SELECT order_id, status, amount, refunded FROM orders ORDER BY 1"
        ).fetchall()
    assert [(r[0], r[1], str(r[2]), str(r[3])) for r in rows] == [
        ("youzan:E1", "paid", "99.00", "0.00"),
        ("youzan:E2", "refunded", "59.00", "59.00"),
    ]
    # a platform file lacking its time altogether is told, not a traceback
    bare = tmp_path / "youzan_no_time.csv"
    bare.write_text(
        "\n".join(line.replace("交易成功时间", "成交日") for line in lines[:2]) + "\n", "utf-8"
    )
    code, out = cli("import", "orders", bare, "-w", ws)
    assert code == 1
    assert "ordered_at" in out
    assert "Traceback" not in out


def test_the_after_sale_word_outranks_a_refund_amount(cli, ws: Path, tmp_path: Path) -> None:
    # 快手: an amount in 退款金额 beside 退款关闭 (refused) or 退款中 (under way) is no money
    # back yet; 已签收 is paid (the merchant-side words the profile cites)
    head = "订单号,订单状态,订单创建时间,订单支付时间,买家ID,买家昵称,实付款,成交数量,退款状态,退款金额"
    lines = [
        head,
        "9001,交易成功,2025-03-01 10:00:00,2025-03-01 10:00:05,200001,A,99.00,1,退款关闭,99.00",
    ]
    lines += ["9002,已发货,2025-03-01 10:00:00,2025-03-01 10:00:05,200002,B,99.00,1,退款中,99.00"]
    lines += ["9003,已签收,2025-03-02 10:00:00,2025-03-02 10:00:05,200002,B,50.00,1,退款成功,20.00"]
    path = tmp_path / "快手订单.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = cli("import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    assert json.loads(out)["format"] == "kuaishou"
    with Workspace.open(ws).read() as con:
        rows = con.execute("SELECT order_id, status, refunded FROM orders ORDER BY 1").fetchall()
    assert [(r[0], r[1], str(r[2])) for r in rows] == [
        ("kuaishou:9001", "paid", "0.00"),
        ("kuaishou:9002", "refunding", "0.00"),
        ("kuaishou:9003", "partially_refunded", "20.00"),
    ]


def test_blanked_out_receivers_are_no_buyer(cli, ws: Path, tmp_path: Path) -> None:
    # 小红书 masks by blanking (陈**, 138****6688, ****): two people look the same, so
    # an order without 用户ID has no buyer (an encrypted 抖店 receiver still identifies one)
    head = "订单号,订单状态,售后状态,下单时间,支付时间,用户ID,实付金额,退款金额,收件人,收件人手机号,详细地址"
    lines = [
        head,
        "P1,已完成,无售后,2025-03-01 10:00:00,2025-03-01 10:00:05,5f1a,88.00,,陈**,138****6688,****",
    ]
    lines += [
        "P2,已完成,无售后,2025-03-02 10:00:00,2025-03-02 10:00:05,,60.00,,陈**,138****6688,****"
    ]
    path = tmp_path / "小红书订单.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = cli("import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["format"] == "xiaohongshu"
    # named for its cause, the masked phone, not as "customer_id empty"
    assert report["rejected_by_reason"] == {"masked_buyer": 1}
    assert set(_orders(ws)) == {"xiaohongshu:P1"}


def test_an_xls_file_is_asked_to_be_saved_as_xlsx(cli, ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "订单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    code, out = cli("import", "orders", path, "-w", ws)
    assert code == 1
    assert "as .xlsx" in " ".join(out.split())


def test_shopify_s_customers_export_maps_without_a_mapping(cli, ws: Path, tmp_path: Path) -> None:
    # customers_export.csv as Shopify writes it (public importers hold this header)
    head = (
        "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
        "Default Address Address1,Default Address Address2,Default Address City,"
        "Default Address Province Code,Default Address Country Code,Default Address Zip,"
        "Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,"
        "Tax Exempt,Tags"
    )
    rows = [
        (
            "'7210448301122,Ann,Lee,Ann@Example.com,yes,,1 Main St,,Austin,TX,US,'78701,,"
            '\'+1 512-555-0101,no,45.00,1,,no,"VIP, wholesale"'
        ),
        "'7210448301123,Bob,,bob@example.com,no,,,,,,,,,,no,0.00,0,,no,",
    ]
    path = tmp_path / "customers_export.csv"
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    code, out = cli("import", "customers", path, "-w", ws, "--json")
    assert code == 0, out
    assert json.loads(out)["warnings"] == 0
    opened = Workspace.open(ws)
    with opened.read() as con:
        got = con.execute(
            "SELECT customer_id, name, marketing_consent, city, province, country, "
            "attributes['Customer ID'] FROM customers ORDER BY name"
        ).fetchall()
    # keyed as Shopify's orders export keys its buyers (the e-mail, case-folded, under the
    # source shopify: test_shopify_customers_meet_orders), Shopify's own id kept beside
    key = opened.secret_key()
    assert got == [
        ("shopify:" + pseudonym_id(key, "ann@example.com"), "Ann Lee", True, "Austin", "TX", "US",
         "7210448301122"),
        ("shopify:" + pseudonym_id(key, "bob@example.com"), "Bob", False, None, None, None,
         "7210448301123"),
    ]  # fmt: skip
    zh = tmp_path / "会员.csv"
    zh.write_text("会员编号,姓,名\nV1,王,小明\n", encoding="utf-8")
    assert cli("import", "customers", zh, "-w", ws)[0] == 0
    with Workspace.open(ws).read() as con:
        assert con.execute("SELECT name FROM customers WHERE customer_id = 'V1'").fetchone() == (
            "王小明",
        )


def test_woocommerce_s_name_is_first_and_last(cli, ws: Path, tmp_path: Path) -> None:
    # the default WooCommerce export (SkyVerge formats) has billing_first_name and
    # billing_last_name and no full name: the buyer's name is both
    head = "order_id,order_number,date,status,order_total,order_currency,customer_id"
    head += ",billing_first_name,billing_last_name,billing_email,item_name,item_quantity"
    rows = ["101,101,2025-03-01 10:00:00,completed,30.00,USD,7,Ann,Lee,ann@example.com,Mug,1"]
    rows += ["102,102,2025-03-02 10:00:00,completed,12.00,USD,8,Bob,,bob@example.com,Cap,1"]
    path = tmp_path / "orders-export.csv"
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    code, out = cli("import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    assert json.loads(out)["format"] == "woocommerce"
    with Workspace.open(ws).read() as con:
        names = {r[0] for r in con.execute("SELECT name FROM customers").fetchall()}
    assert names == {"Ann Lee", "Bob"}


def test_a_dash_is_an_empty_cell(cli, ws: Path, tmp_path: Path) -> None:
    # hand-made sheets and exports write "-" for nothing: an optional value is simply
    # empty, a required one missing (never "not an amount: -", never a NULL amount kept)
    path = tmp_path / "orders.csv"
    lines = [",".join([*HEADER, "优惠"]), "A1,M01,2025-03-01 10:00,120.50,已完成,-"]
    lines += ["A2,M02,2025-03-02 10:00,-,待付款,—"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = cli("import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["warnings"] == 0
    assert report["rejected_by_reason"] == {"missing_required": 1}
    assert set(_orders(ws)) == {"A1"}


def test_a_unit_of_ten_thousand_is_applied(cli, ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "大客户.csv"
    path.write_text("订单号,客户编号,下单日期,金额(万元)\nB1,K1,2025-01-05,1.5\n", encoding="utf-8")
    code, out = cli("import", "orders", path, "-w", ws)
    assert code == 0, out
    assert str(_orders(ws)["B1"][1]) == "15000.00"


def test_the_data_sheet_is_found_and_can_be_named(cli, ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "订单.xlsx"
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["本表由门店导出"])
    data = book.create_sheet("订单")
    data.append(["2025年订单"])
    data.append([])
    data.append(HEADER)
    data.append(["C1", "M09", "2025-04-01", "88", "交易成功"])
    book.save(path)
    code, out = cli("import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    assert json.loads(out)["header_row"] == 3
    assert set(_orders(ws)) == {"C1"}
    code, out = cli("import", "orders", path, "-w", ws, "--sheet", "不存在")
    assert code == 1
    assert "不存在" in out
    assert "说明" in out
    assert "Traceback" not in out
    code, out = cli("import", "orders", path, "-w", ws, "--sheet", "订单", "--header-row", "3")
    assert code == 0, out


def test_unknown_status_words_are_listed_then_retried_with_a_mapping(
    cli, ws: Path, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    rows = [",".join(HEADER)]
    rows += [f"D{i},M{i % 3},2025-05-0{1 + i % 9},10,待审核" for i in range(4)]
    rows += ["D9,M1,2025-05-09,10,已完成"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out = cli("--lang", "zh", "import", "orders", path, "-w", ws)
    assert code == 0, out
    assert "待审核" in out
    assert "statuses: {待审核: paid}" in out
    assert set(_orders(ws)) == {"D9"}
    mapping = tmp_path / "map.yaml"
    mapping.write_text("statuses:\n  待审核: paid\n", encoding="utf-8")
    code, out = cli("quarantine", "retry", "-w", ws, "--mapping", mapping)
    assert code == 0, out
    orders = _orders(ws)
    assert set(orders) == {"D0", "D1", "D2", "D3", "D9"}
    assert all(o[2] == "paid" for o in orders.values())
    code, out = cli("quarantine", "-w", ws, "--json")
    assert json.loads(out) == []


def test_a_status_column_of_free_text_lists_the_most_frequent_words(
    cli, ws: Path, tmp_path: Path
) -> None:
    """Each row its own status word (a note typed in the status column): the 20 most
    frequent are told, the rest counted (they printed one line each, 40,000 lines)."""
    path = tmp_path / "orders.csv"
    rows = [",".join(HEADER)]
    rows += [f"D{i},M{i % 3},2025-05-01,10,待审核" for i in range(3)]
    rows += [f"E{i},M{i % 3},2025-05-02,10,备注{i}" for i in range(300)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out = cli("import", "orders", path, "-w", ws)
    assert code == 0, out
    assert out.count("Unknown order status") == 20
    assert "“待审核”: 3 rows" in out  # the most frequent first
    assert "281 more unknown order statuses (281 rows quarantined" in out
    code, out = cli("--lang", "zh", "import", "orders", path, "-w", ws, "--json")
    assert code == 0, out
    assert len(json.loads(out)["unknown_statuses"]) == 301


def test_a_long_unknown_status_word_is_quoted_short(cli, ws: Path, tmp_path: Path) -> None:
    """A 100 KB cell in the status column: printed whole, twice, its wrapping took most
    of the import's time."""
    path = tmp_path / "orders.csv"
    word = "待审核" + "x" * 100_000
    path.write_text(f"{','.join(HEADER)}\nD1,M1,2025-05-01,10,{word}\n", encoding="utf-8")
    code, out = cli("import", "orders", path, "-w", ws)
    assert code == 0, out
    assert "Unknown order status" in out
    assert "(100,003)" in out
    assert len(out) < 5_000


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("columns:\n  customer_id: 没有这一列\n", ["没有这一列", "customer_id"]),
        ("columns: [a, b]\n", ["map.yaml"]),
        ("colums:\n  customer_id: 会员卡号\n", ["colums"]),
        ("statuses:\n  待审核: maybe\n", ["maybe", "paid"]),
        ("columns: {customer_id: [unclosed\n", ["map.yaml"]),
    ],
)
def test_mapping_mistakes_are_one_clear_message(
    cli, ws: Path, tmp_path: Path, text: str, words: list[str]
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(",".join(HEADER) + "\nE1,M1,2025-01-01,1,已完成\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(text, encoding="utf-8")
    code, out = cli("import", "orders", path, "-w", ws, "--mapping", mapping)
    assert code == 1
    assert "Traceback" not in out
    for word in words:
        assert word in out


CUSTOMERS = "客户编号,姓名,城市\nK1,王小明,上海\nK2,李雷,北京\n"
ORDERS = "订单号,客户编号,下单时间,金额\nO1,K1,2025-06-01,100\nO2,K1,2025-07-01,80\nO3,K2,2025-07-03,50\n"
EVENTS = "客户编号,时间,类型\nK1,2025-07-05,view\nK3,2025-07-06,click\n"


@pytest.mark.parametrize(
    "tables",
    [("orders",), ("customers",), ("customers", "orders"), ("events",), ("customers", "events")],
)
def test_any_subset_of_tables_runs(cli, ws: Path, tmp_path: Path, tables: tuple[str, ...]) -> None:
    texts = {"customers": CUSTOMERS, "orders": ORDERS, "events": EVENTS}
    for table in tables:
        path = tmp_path / f"{table}.csv"
        path.write_text(texts[table], encoding="utf-8")
        extra = ["--create-customers"] if table == "events" and "customers" not in tables else []
        code, out = cli("import", table, path, "-w", ws, *extra)
        assert code == 0, out
    code, out = cli("run", "-w", ws, "--json")
    assert code == 0, out
    run = json.loads(out)
    assert run["customers"] >= 1
    if "orders" not in tables:
        assert set(run["counts"]["value"]) >= {"unknown"} or run["counts"]["value"]
    code, out = cli("show", "K1", "-w", ws, "--lang", "zh")
    assert code == 0, out
    assert "生命周期" in out


def test_global_options_go_anywhere() -> None:
    assert global_options_first(["show", "C1", "--lang", "zh"]) == ["--lang", "zh", "show", "C1"]
    assert global_options_first(["--lang=en", "run"]) == ["--lang=en", "run"]
    assert global_options_first(["import", "--", "--lang"]) == ["import", "--", "--lang"]


def test_a_mapping_names_channel_and_source_words(cli, ws: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    customers = tmp_path / "c.csv"
    customers.write_text("客户编号,来源\nK1,老客推荐\nK2,百度\n", encoding="utf-8")
    orders = tmp_path / "o.csv"
    orders.write_text(
        "订单号,客户编号,下单时间,金额,渠道\nO1,K1,2025-06-01,100,抖音直播间\n"
        "O2,K2,2025-06-02,50,门店\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "channels:\n  抖音直播间: douyin\nsources:\n  老客推荐: referral\n", encoding="utf-8"
    )
    assert cli("import", "customers", customers, "-w", ws, "--mapping", mapping)[0] == 0
    assert cli("import", "orders", orders, "-w", ws, "--mapping", mapping)[0] == 0
    with Workspace.open(ws).read() as con:
        channels = dict(con.execute("SELECT order_id, channel FROM orders").fetchall())
        sources = dict(con.execute("SELECT customer_id, source FROM customers").fetchall())
    assert channels == {"O1": "douyin", "O2": "门店"}
    assert sources == {"K1": "referral", "K2": "百度"}
