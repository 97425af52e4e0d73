"""天猫/淘宝 退款管理 exports (kequn.ingest.aftersale): imported after the order export,
each successful refund is added to its stored order's refunded amount; closed, refused
and pending refunds change nothing; a refund of an order not stored is quarantined; the
file never makes an order or a customer.

The refunds file is built from the export's column list as a public importer of it
reads it (taobao_refunds.yaml, github-code-index:42548244805: 订单编号, 退款编号, 支付宝交易号,
订单付款时间 ... 部分退款/全部退款 ...) and the refund API's status words (opentaobao's
Refund model: 退款成功, 退款关闭, 卖家拒绝退款, 买家已经申请退款，等待卖家同意); the order
file from the ExportOrderList headers taobao.yaml cites (GBK, 订单编号 as ="…")."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
from typer.testing import CliRunner

from kequn.cli import app
from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.ingest.report import ImportReport
from kequn.store.workspace import Workspace

runner = CliRunner()

ORDER_HEADERS = [
    "订单编号",
    "买家会员名",
    "买家应付货款",
    "买家实际支付金额",
    "订单状态",
    "收货人姓名",
    "收货地址 ",
    "联系手机",
    "订单创建时间",
    "订单付款时间 ",
    "宝贝标题 ",
    "宝贝总数量",
    "订单关闭原因",
    "退款金额",
]
#: the refunds export's columns, in the order the sourced reader numbers them
REFUND_HEADERS = [
    "订单编号",
    "退款编号",
    "支付宝交易号",
    "订单付款时间",
    "商品编码",
    "退款完结时间",
    "买家实际支付金额",
    "宝贝标题",
    "买家退款金额",
    "手工退款/系统退款",
    "是否需要退货",
    "退款的申请时间",
    "超时时间",
    "退款状态",
    "货物状态",
    "退货物流信息",
    "发货物流信息",
    "客服介入状态",
    "卖家真实姓名",
    "卖家真实姓名新",
    "卖家退货地址",
    "卖家邮编",
    "卖家电话",
    "卖家手机",
    "退货物流单号",
    "退货物流公司",
    "买家退款原因",
    "买家退款说明",
    "买家退货时间",
    "责任方",
    "售中或售后",
    "商家备注",
    "完结时间",
    "部分退款/全部退款",
    "审核操作人",
    "举证超时",
    "是否零秒响应",
    "退款操作人",
    "退款原因标签",
    "业务类型",
    "是否帮他退款",
    "帮他退款操作账号",
]

#: order id -> (buyer, paid, status word)
ORDERS = {
    "3120000000000000001": ("tb_zhang", "100.00", "交易成功"),
    "3120000000000000002": ("tb_li", "50.00", "交易成功"),
    "3120000000000000003": ("tb_wang", "80.00", "卖家已发货，等待买家确认"),
    "3120000000000000004": ("tb_zhao", "60.00", "等待买家付款"),
    "3120000000000000005": ("tb_zhang", "200.00", "交易成功"),
}
#: (order id, refund id, 买家退款金额, 退款状态, 部分退款/全部退款)
REFUNDS = [
    ("3120000000000000001", "R01", "30.00", "退款成功", "部分退款"),
    ("3120000000000000002", "R02", "50.00", "退款关闭", "全部退款"),
    ("3120000000000000003", "R03", "80.00", "卖家拒绝退款", "全部退款"),
    ("3120000000000000003", "R04", "20.00", "买家已经申请退款，等待卖家同意", "部分退款"),
    ("3120000000000000005", "R05", "50.00", "退款成功", "部分退款"),
    ("3120000000000000005", "R06", "150.00", "退款成功", "部分退款"),
    ("3129999999999999999", "R07", "40.00", "退款成功", "全部退款"),  # no such order stored
    ("3120000000000000004", "R08", "60.00", "退款成功", "全部退款"),  # its order unpaid
    ("3120000000000000001", "R09", "10.00", "退款暂停", "部分退款"),  # a word nobody knows
]
EXPECTED = {
    "3120000000000000001": (Decimal("100.00"), Decimal("30.00"), "partially_refunded"),
    "3120000000000000002": (Decimal("50.00"), Decimal("0.00"), "paid"),
    "3120000000000000003": (Decimal("80.00"), Decimal("0.00"), "paid"),
    "3120000000000000004": (Decimal("60.00"), Decimal("0.00"), "pending"),
    "3120000000000000005": (Decimal("200.00"), Decimal("200.00"), "refunded"),
}


def _order_rows() -> list[list[str]]:
    rows = []
    for n, (oid, (buyer, paid, word)) in enumerate(ORDERS.items()):
        rows.append(
            [
                f'="{oid}"',
                buyer,
                paid,
                paid,
                word,
                "张伟",
                "浙江省 杭州市 西湖区 文三路1号(310000)",
                f"'1381234567{n}",
                f"2025-03-0{n + 1} 10:00:00",
                f"2025-03-0{n + 1} 10:01:00" if word != "等待买家付款" else "",
                "纯棉T恤",
                "1",
                "订单未关闭",
                "0",
            ]
        )
    return rows


def _refund_rows(guard: str = "'") -> list[list[str]]:
    """The refunds as export rows, their ids guarded (``'…``, or ``="…"`` with ``=``)."""

    def guarded(value: str) -> str:
        return f'="{value}"' if guard == "=" else f"{guard}{value}"

    rows = []
    for oid, rid, money, word, part in REFUNDS:
        row = dict.fromkeys(REFUND_HEADERS, "")
        row.update(
            {
                "订单编号": guarded(oid),
                "退款编号": guarded(f"1700{rid[1:]}"),
                "支付宝交易号": "2025030122001400000000",
                "订单付款时间": "2025-03-01 10:01:00",
                "退款完结时间": "2025-03-20 09:00:00" if word in ("退款成功", "退款关闭") else "",
                "买家实际支付金额": ORDERS.get(oid, ("", "40.00", ""))[1],
                "宝贝标题": "纯棉T恤",
                "买家退款金额": money,
                "手工退款/系统退款": "系统退款",
                "是否需要退货": "否",
                "退款的申请时间": "2025-03-10 12:00:00",
                "退款状态": word,
                "货物状态": "买家未收到货",
                "买家退款原因": "不想要了",
                "售中或售后": "售中",
                "部分退款/全部退款": part,
            }
        )
        rows.append([row[h] for h in REFUND_HEADERS])
    return rows


def _csv(path: Path, headers: list[str], rows: list[list[str]], encoding: str) -> Path:
    lines = [",".join(headers), *(",".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def _xlsx(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _state(ws: Workspace) -> tuple[dict[str, tuple[Decimal, Decimal, str]], int, int]:
    """Stored orders by the file's id (the taobao source's prefix taken off), the count of
    orders and of customers."""
    with ws.read() as con:
        rows = con.execute("SELECT order_id, amount, refunded, status FROM orders").fetchall()
        customers = con.execute("SELECT count(*) FROM customers").fetchone()
    orders = {str(o).split(":", 1)[1]: (a, r, s) for o, a, r, s in rows}
    assert all(str(o).startswith("taobao:") for o, *_ in rows)
    return orders, len(rows), int(customers[0]) if customers else 0


def _import_orders(ws: Workspace, tmp_path: Path) -> None:
    path = _csv(tmp_path / "ExportOrderList202503201200.csv", ORDER_HEADERS, _order_rows(), "gbk")
    report = import_file(ws, "orders", path)
    assert (report.format, report.accepted, report.origin) == ("taobao", 5, "taobao")


def _check_applied(ws: Workspace, report: ImportReport, customers: int) -> None:
    assert report.format == "taobao_refunds"
    assert report.refund_rows == 3  # R01, R05, R06
    assert report.refunds_applied == 2
    assert (report.inserted, report.derived_customers) == (0, 0)
    assert report.refunds_not_applied == {"closed": 2, "in_progress": 1, "unknown": 1}
    assert report.unknown_refund_words == {"退款暂停": 1}
    assert report.rejected_by_reason == {
        "aftersale_order_unknown": 1,
        "aftersale_order_unpaid": 1,
    }
    assert "import.aftersale_applied" in report.notes
    orders, count, now = _state(ws)
    assert orders == EXPECTED
    assert (count, now) == (5, customers)  # nothing new: no order, no customer


def test_a_gbk_refunds_export_refunds_the_stored_taobao_orders(
    ws: Workspace, tmp_path: Path
) -> None:
    _import_orders(ws, tmp_path)
    _, _, customers = _state(ws)
    path = _csv(tmp_path / "退款管理.csv", REFUND_HEADERS, _refund_rows("="), "gbk")
    report = import_file(ws, "orders", path)
    assert report.encoding
    assert report.encoding.lower() in {"gbk", "gb18030"}
    _check_applied(ws, report, customers)
    # each refund not applied to an order is quarantined with its file, row and 订单编号
    said = {(q["file"], q["row"], q["reason"]): q for q in quarantine_rows(ws, lang="en")}
    unknown = said[("退款管理.csv", 8, "aftersale_order_unknown")]
    assert unknown["value"] == "3129999999999999999"
    assert "订单编号" in unknown["message"]
    assert "3129999999999999999" in unknown["message"]
    assert "no order was made" in unknown["message"]
    unpaid = said[("退款管理.csv", 9, "aftersale_order_unpaid")]
    assert "imported unpaid (pending)" in unpaid["message"]
    zh = {q["reason"]: q["message"] for q in quarantine_rows(ws, lang="zh")}
    assert "工作区中没有这个订单" in zh["aftersale_order_unknown"]
    assert len(said) == 2
    # the same file again changes nothing: no refund counted twice
    again = import_file(ws, "orders", path)
    assert (again.refund_rows, again.refunds_applied, again.updated) == (3, 0, 0)
    assert again.unchanged == 2
    orders, count, now = _state(ws)
    assert (orders, count, now) == (EXPECTED, 5, customers)
    assert len(quarantine_rows(ws)) == 2


def test_an_xlsx_refunds_export_does_the_same(ws: Workspace, tmp_path: Path) -> None:
    _import_orders(ws, tmp_path)
    _, _, customers = _state(ws)
    # the 千牛 export as a workbook: ids are text cells (an apostrophe left on them)
    path = _xlsx(tmp_path / "退款管理.xlsx", REFUND_HEADERS, _refund_rows("'"))
    report = import_file(ws, "orders", path)
    _check_applied(ws, report, customers)


def test_a_later_refund_adds_to_the_order_and_a_closed_one_takes_nothing_back(
    ws: Workspace, tmp_path: Path
) -> None:
    """Refunds of one order spread over two exports: the second holds the first's refund
    and a new one, so the order's refund becomes their sum (never the two files added);
    a refund that later closed in an export leaves what was applied as it was."""
    _import_orders(ws, tmp_path)
    first = [r for r in _refund_rows() if r[1] == "'1700" + "05"]
    import_file(ws, "orders", _csv(tmp_path / "三月退款.csv", REFUND_HEADERS, first, "gbk"))
    orders, _, _ = _state(ws)
    assert orders["3120000000000000005"][1:] == (Decimal("50.00"), "partially_refunded")
    both = [r for r in _refund_rows() if r[1] in ("'1700" + "05", "'1700" + "06")]
    import_file(ws, "orders", _csv(tmp_path / "四月退款.csv", REFUND_HEADERS, both, "gbk"))
    orders, _, _ = _state(ws)
    assert orders["3120000000000000005"][1:] == (Decimal("200.00"), "refunded")
    closed = [[*r[:13], "退款关闭", *r[14:]] for r in first]
    report = import_file(ws, "orders", _csv(tmp_path / "五月.csv", REFUND_HEADERS, closed, "gbk"))
    assert report.refunds_not_applied == {"closed": 1}
    orders, _, _ = _state(ws)
    assert orders["3120000000000000005"][1:] == (Decimal("200.00"), "refunded")


def test_the_cli_reports_refunds_not_applied_and_the_run_sees_the_refunds(
    ws: Workspace, tmp_path: Path
) -> None:
    _import_orders(ws, tmp_path)
    path = _csv(tmp_path / "退款管理.csv", REFUND_HEADERS, _refund_rows(), "gbk")
    out = runner.invoke(app, ["--lang", "en", "import", "orders", str(path), "-w", str(ws.root)])
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert "this is an after-sale (refunds) export: 3 successful refunds" in text
    assert "2 refunds not applied: closed, refused or failed" in text
    assert "1 refund not applied: still under way" in text
    zh = runner.invoke(app, ["--lang", "zh", "import", "orders", str(path), "-w", str(ws.root)])
    assert zh.exit_code == 0, zh.output
    said = "".join(zh.output.split())
    assert "2条退款未计入：退款已关闭、被拒绝或失败" in said
    assert "这是售后（退款）导出" in said
    run = runner.invoke(app, ["run", "-w", str(ws.root), "--no-models", "--json"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.output[run.output.index("{") :])["customers"] == 4
    runs = sorted((ws.root / "runs").iterdir())
    features = dict(
        duckdb.connect()
        .execute(
            "SELECT customer_id, [spend, refunds] FROM read_parquet(?)",
            [str(runs[-1] / "features.parquet")],
        )
        .fetchall()
    )
    # tb_zhang kept 70 of 100 and nothing of 200; tb_li and tb_wang all they paid
    assert features["taobao:tb_zhang"] == [Decimal("70.00"), 2]
    assert features["taobao:tb_li"] == [Decimal("50.00"), 0]
    assert features["taobao:tb_wang"] == [Decimal("80.00"), 0]


def test_the_older_export_with_the_buyer_s_name_makes_no_order_either(
    ws: Workspace, tmp_path: Path
) -> None:
    """The older export (github-code-index:12444148807) has 买家会员名称 after 退款完结时间:
    read as an order file it was refused (no buyer column kequn knew); now its buyer
    column is not read at all: a refund follows its order, and nobody is made of it."""
    _import_orders(ws, tmp_path)
    _, _, customers = _state(ws)
    at = REFUND_HEADERS.index("退款完结时间") + 1
    headers = [*REFUND_HEADERS[:at], "买家会员名称", *REFUND_HEADERS[at:]]
    rows = [[*r[:at], "tb_other", *r[at:]] for r in _refund_rows()]
    report = import_file(ws, "orders", _csv(tmp_path / "退款.csv", headers, rows, "utf-8"))
    _check_applied(ws, report, customers)


def test_a_refunds_export_is_told_from_an_order_export() -> None:
    from kequn.ingest.formats import detect

    found = detect(REFUND_HEADERS)
    assert found is not None
    assert (found.id, found.kind, found.orders_of) == (
        "taobao_refunds",
        "refunds",
        "taobao",
    )
    orders = detect(ORDER_HEADERS)
    assert orders is not None
    assert (orders.id, orders.kind) == ("taobao", "orders")
    # a file with 订单状态 is an order file, whatever refund columns it has beside it
    mixed = detect([*REFUND_HEADERS, "订单状态"])
    assert mixed is None or mixed.kind == "orders"


def test_a_refund_quarantined_before_its_order_is_applied_on_retry(
    ws: Workspace, tmp_path: Path
) -> None:
    """The refund of an order not imported yet waits in the quarantine; once the order
    export that holds it is imported, a retry applies it (the retry names no source: the
    order's id is found again as the platform's)."""
    from kequn.ingest.quarantine import retry

    _import_orders(ws, tmp_path)
    import_file(ws, "orders", _csv(tmp_path / "退款.csv", REFUND_HEADERS, _refund_rows(), "gbk"))
    late = _order_rows()[:1]
    late[0][:5] = ['="3129999999999999999"', "tb_sun", "40.00", "40.00", "交易成功"]
    path = _csv(tmp_path / "ExportOrderList202504.csv", ORDER_HEADERS, late, "gbk")
    import_file(ws, "orders", path)
    (report,) = retry(ws)
    assert (report.refund_rows, report.refunds_applied) == (1, 1)
    assert report.rejected_by_reason == {"aftersale_order_unpaid": 1}
    orders, count, _ = _state(ws)
    assert orders["3129999999999999999"] == (Decimal("40.00"), Decimal("40.00"), "refunded")
    assert count == 6
    assert [(q["row"], q["reason"]) for q in quarantine_rows(ws)] == [(9, "aftersale_order_unpaid")]


def test_a_refund_listed_twice_is_counted_once(ws: Workspace, tmp_path: Path) -> None:
    """One 退款编号 in two rows (the file holds it twice, or an export of March pasted
    above one of March and April, its refund pending in the first and done in the
    second) is one refund: its money was added twice (60 of 100 for a 30 refund)."""
    from kequn.core.i18n import t

    _import_orders(ws, tmp_path)
    rows = _refund_rows()
    r01, r05 = rows[0], rows[4]
    pending = [*r05[:13], "买家已经申请退款，等待卖家同意", *r05[14:]]
    path = _csv(tmp_path / "三四月退款.csv", REFUND_HEADERS, [r01, pending, r01, r05], "gbk")
    report = import_file(ws, "orders", path)
    assert (report.refund_rows, report.refunds_applied) == (2, 2)
    assert report.refunds_not_applied == {"repeated": 2}
    orders, _, _ = _state(ws)
    assert orders["3120000000000000001"][1:] == (Decimal("30.00"), "partially_refunded")
    assert orders["3120000000000000005"][1:] == (Decimal("50.00"), "partially_refunded")
    assert "counted once" in t("aftersale.repeated", "en")
    assert "只计一次" in t("aftersale.repeated", "zh")


def test_refunds_of_one_order_in_two_months_exports_add_up(ws: Workspace, tmp_path: Path) -> None:
    """退款管理 is exported by date range: an order's two refunds (one per item) may be
    one in March's export and one in April's. The order kept the larger file's sum (150
    of 200 refunded, 50 counted as kept spend); each refund, by its 退款编号, now counts
    once: 200, and importing March again changes nothing."""
    _import_orders(ws, tmp_path)
    rows = _refund_rows()
    march = _csv(tmp_path / "三月.csv", REFUND_HEADERS, [rows[4]], "gbk")  # R05: 50
    april = _csv(tmp_path / "四月.csv", REFUND_HEADERS, [rows[5]], "gbk")  # R06: 150
    import_file(ws, "orders", march)
    report = import_file(ws, "orders", april)
    assert (report.refund_rows, report.refunds_applied) == (1, 1)
    orders, _, _ = _state(ws)
    assert orders["3120000000000000005"][1:] == (Decimal("200.00"), "refunded")
    again = import_file(ws, "orders", march)
    assert (again.refund_rows, again.refunds_applied) == (1, 0)
    orders, _, _ = _state(ws)
    assert orders["3120000000000000005"][1:] == (Decimal("200.00"), "refunded")


def test_the_refunds_of_an_erased_customer_go_with_their_orders(
    ws: Workspace, tmp_path: Path
) -> None:
    """The refunds kept by 退款编号 name the customer's orders: an export of the
    customer's data lists them, and an erasure removes them."""
    from kequn.core.i18n import t
    from kequn.privacy import erase_person, export_person

    _import_orders(ws, tmp_path)
    import_file(ws, "orders", _csv(tmp_path / "退款.csv", REFUND_HEADERS, _refund_rows(), "gbk"))
    held = export_person(ws, "taobao:tb_zhang")
    assert held is not None
    assert sorted(r["refund_id"] for r in held["aftersale_refunds"]) == [
        "170001",
        "170005",
        "170006",
    ]
    removed = erase_person(ws, "taobao:tb_zhang")["removed"]
    assert removed["aftersale_refunds"] == 3
    assert t("privacy.removed.aftersale_refunds", "en", n=3) == "refunds from after-sale exports 3"
    assert t("privacy.removed.aftersale_refunds", "zh", n=3) == "售后导出的退款 3"
    with ws.read() as con:
        left = con.execute("SELECT order_id FROM aftersale_refunds").fetchall()
    assert left == []


def test_refunds_of_orders_of_a_named_source_are_told_to_name_it(
    ws: Workspace, tmp_path: Path
) -> None:
    """Orders imported with --source tmall_flagship are that source's (tmall_flagship:ID);
    a refunds export imported without it finds none of them (it looks under the taobao
    source and its shops), and the quarantine's message said to import the order export
    and retry, which never helps: it now names --source, and with it the refunds apply."""
    path = _csv(tmp_path / "ExportOrderList1.csv", ORDER_HEADERS, _order_rows(), "gbk")
    import_file(ws, "orders", path, origin="tmall_flagship")
    refunds = _csv(tmp_path / "退款.csv", REFUND_HEADERS, _refund_rows()[:1], "gbk")
    report = import_file(ws, "orders", refunds)
    assert report.rejected_by_reason == {"aftersale_order_unknown": 1}
    (held,) = quarantine_rows(ws, lang="en")
    assert "import this file again with the same --source" in held["message"]
    (held,) = quarantine_rows(ws, lang="zh")
    assert "请用同一个 --source 再导入本文件" in held["message"]
    report = import_file(ws, "orders", refunds, origin="tmall_flagship")
    assert (report.refund_rows, report.refunds_applied, report.rejected) == (1, 1, 0)
