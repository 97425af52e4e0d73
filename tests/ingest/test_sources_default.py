"""A platform export is its platform's source unless one is named; a workspace imported
before sources existed keeps its ids; retried rows keep their source and lineage."""

from __future__ import annotations

from pathlib import Path

from kequn.core.i18n import t
from kequn.ingest.importer import import_file, shop_source
from kequn.ingest.mapping import MappingFile
from kequn.ingest.quarantine import quarantine_rows, retry
from kequn.store.workspace import Workspace

HEADER = "订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,联系手机,订单创建时间,宝贝总数量"
SHOP_HEADER = HEADER + ",店铺名称"


def _taobao(path: Path, rows: list[str], *, header: str = HEADER) -> Path:
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode("gbk"))
    return path


AMY = "T1,tb_amy,199.00,交易成功,艾米,13800000001,2025-03-01 10:00:00,2"
BOB = "T2,tb_bob,80.00,交易成功,鲍勃,13900000002,2025-04-02 09:00:00,1"
CAT = "T3,tb_cat,50.00,交易成功,凯特,13900000003,2025-05-02 09:00:00,1"


def _rows(ws: Workspace, query: str) -> list[tuple[object, ...]]:
    with ws.read() as con:
        return con.execute(query).fetchall()


def test_a_platform_export_is_the_platforms_source(ws: Workspace, tmp_path: Path) -> None:
    report = import_file(ws, "orders", _taobao(tmp_path / "tb.csv", [AMY, BOB]))
    assert sorted(_rows(ws, "SELECT customer_id, origin FROM customers")) == [
        ("taobao:tb_amy", "taobao"),
        ("taobao:tb_bob", "taobao"),
    ]
    assert sorted(_rows(ws, "SELECT order_id, customer_id, origin FROM orders")) == [
        ("taobao:T1", "taobao:tb_amy", "taobao"),
        ("taobao:T2", "taobao:tb_bob", "taobao"),
    ]
    # the summary says so, in both languages
    assert "taobao" in report.format_name["en"]
    assert "--source" in report.format_name["en"]
    assert "数据源 taobao" in report.format_name["zh"]
    # the same file again: nothing new
    again = import_file(ws, "orders", _taobao(tmp_path / "tb.csv", [AMY, BOB]))
    assert (again.inserted, again.unchanged) == (0, 2)
    assert _rows(ws, "SELECT count(*) FROM customers") == [(2,)]


def test_the_shop_an_export_names_extends_the_source(ws: Workspace, tmp_path: Path) -> None:
    rows = [AMY + ",青木生活馆", BOB + ",青木生活馆"]
    import_file(ws, "orders", _taobao(tmp_path / "tb.csv", rows, header=SHOP_HEADER))
    assert {r[0] for r in _rows(ws, "SELECT origin FROM orders")} == {"taobao_qingmushenghuoguan"}
    # two shops in one file: the platform alone
    mixed = [
        CAT + ",青木生活馆",
        "T4,tb_dan,9.00,交易成功,丹,13900000004,2025-05-03 09:00:00,1,别家",
    ]
    import_file(ws, "orders", _taobao(tmp_path / "mixed.csv", mixed, header=SHOP_HEADER))
    assert ("taobao:T4",) in _rows(ws, "SELECT order_id FROM orders")


def test_shop_names_become_source_names() -> None:
    cases = [
        {"description": "汉字 in pinyin", "inputs": ("taobao", "小明旗舰店"), "expected": "taobao_xiaomingqijiandian"},
        {"description": "Latin kept, lower case", "inputs": ("jd", "Nike 官方店"), "expected": "jd_nike_guanfangdian"},
        {"description": "nothing usable", "inputs": ("pdd", "★★"), "expected": "pdd"},
        {"description": "at most 40 characters", "inputs": ("taobao", "很" * 40), "expected": ("taobao_" + "hen" * 11)[:40]},
    ]  # fmt: skip
    for case in cases:
        assert shop_source(*case["inputs"]) == case["expected"], case["description"]


def test_a_workspace_imported_without_sources_keeps_its_ids(ws: Workspace, tmp_path: Path) -> None:
    # as before sources were defaulted: the export's ids as given
    import_file(ws, "orders", _taobao(tmp_path / "tb.csv", [AMY, BOB]), default_origin=False)
    # the same file again, now with defaults on: no duplicate of anyone
    report = import_file(ws, "orders", _taobao(tmp_path / "tb.csv", [AMY, BOB]))
    assert "import.source_kept_ids" in report.notes
    assert t("import.source_kept_ids", "zh").startswith("编号按原样保存")
    assert sorted(_rows(ws, "SELECT customer_id, origin FROM customers")) == [
        ("tb_amy", None),
        ("tb_bob", None),
    ]
    assert _rows(ws, "SELECT count(*) FROM orders") == [(2,)]
    # a later export of the same platform with new buyers only: still the workspace's way
    report = import_file(ws, "orders", _taobao(tmp_path / "tb2.csv", [CAT]), create_customers=True)
    assert "import.source_kept_ids" in report.notes
    assert ("tb_cat",) in _rows(ws, "SELECT customer_id FROM customers")


def test_unsourced_customers_keep_a_platforms_orders_as_given(
    ws: Workspace, tmp_path: Path
) -> None:
    """Customers a CRM sheet keyed by the platform's buyer ids (the demo does this): the
    export's orders refer to them, not to new ``taobao:`` customers."""
    crm = tmp_path / "customers.csv"
    crm.write_text("customer_id,name\ntb_amy,艾米\ntb_bob,鲍勃\n", encoding="utf-8")
    import_file(ws, "customers", crm)
    import_file(ws, "orders", _taobao(tmp_path / "tb.csv", [AMY, BOB]), create_customers=False)
    assert sorted(_rows(ws, "SELECT customer_id FROM orders")) == [("tb_amy",), ("tb_bob",)]


def test_files_without_a_platform_and_named_sources(ws: Workspace, tmp_path: Path) -> None:
    plain = tmp_path / "orders.csv"
    plain.write_text(
        "order_id,customer_id,ordered_at,amount\nO1,C1,2025-01-01,10\n", encoding="utf-8"
    )
    import_file(ws, "orders", plain, create_customers=True)
    assert _rows(ws, "SELECT order_id, origin FROM orders") == [("O1", None)]
    # a name given wins over the platform's
    import_file(ws, "orders", _taobao(tmp_path / "tb.csv", [AMY]), origin="tmall_flagship")
    assert ("tmall_flagship:T1", "tmall_flagship") in _rows(
        ws, "SELECT order_id, origin FROM orders"
    )


def test_retry_keeps_each_rows_source_and_lineage(ws: Workspace, tmp_path: Path) -> None:
    odd = "T9,tb_eve,30.00,待审核,伊芙,13900000009,2025-06-01 09:00:00,1"
    import_file(ws, "orders", _taobao(tmp_path / "a.csv", [AMY, odd]))  # source taobao
    import_file(ws, "orders", _taobao(tmp_path / "b.csv", [BOB, odd]), origin="shop_b")
    plain = tmp_path / "c.csv"
    plain.write_text(
        "order_id,customer_id,ordered_at,amount,status\n"
        "P1,C1,2025-01-01,10,paid\nP2,C1,2025-01-02,12,待审核\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", plain, create_customers=True)
    assert {(r["file"], r["row"]) for r in quarantine_rows(ws)} == {
        ("a.csv", 3),
        ("b.csv", 3),
        ("c.csv", 3),
    }
    reports = retry(ws, "orders", mapping=MappingFile(statuses={"待审核": "paid"}))
    assert sum(r.accepted for r in reports) == 3
    got = _rows(
        ws,
        "SELECT order_id, customer_id, origin, source_file, source_row FROM orders "
        "WHERE order_id LIKE '%9' OR order_id = 'P2' ORDER BY 1",
    )
    assert got == [
        ("P2", "C1", None, "c.csv", 3),
        ("shop_b:T9", "shop_b:tb_eve", "shop_b", "b.csv", 3),
        ("taobao:T9", "taobao:tb_eve", "taobao", "a.csv", 3),
    ]
    assert quarantine_rows(ws) == []


def test_the_report_names_the_source_and_no_source_keeps_ids(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from kequn.cli import app

    runner = CliRunner()
    for name, extra, want in (
        ("plain", [], ("taobao", True, "taobao:tb_amy")),
        ("kept", ["--no-source"], (None, False, "tb_amy")),
        (
            "named",
            ["--source", "tmall_flagship"],
            ("tmall_flagship", False, "tmall_flagship:tb_amy"),
        ),
    ):
        folder = tmp_path / name
        assert runner.invoke(app, ["init", "-w", str(folder)]).exit_code == 0
        file = _taobao(tmp_path / f"{name}.csv", [AMY])
        result = runner.invoke(
            app, ["import", "orders", str(file), "-w", str(folder), "--json", *extra]
        )
        assert result.exit_code == 0, result.output
        report = json.loads(result.output)
        ids = _rows(Workspace.open(folder), "SELECT customer_id FROM customers")
        assert (report["origin"], report["origin_defaulted"], ids[0][0]) == want, name


def test_show_finds_a_customer_by_the_id_the_platform_shows(tmp_path: Path) -> None:
    """People type the id the platform shows (tb_amy); it is stored as taobao:tb_amy."""
    import json

    from typer.testing import CliRunner

    from kequn import pipeline
    from kequn.cli import app

    runner = CliRunner()
    folder = tmp_path / "ws"
    assert runner.invoke(app, ["init", "-w", str(folder)]).exit_code == 0
    ws = Workspace.open(folder)
    import_file(ws, "orders", _taobao(tmp_path / "tb.csv", [AMY, BOB]))
    pipeline.run(ws, with_models=False)
    shown = runner.invoke(app, ["show", "tb_amy", "-w", str(folder), "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["customer_id"] == "taobao:tb_amy"
    # the same id in a second source: which one is asked for, not guessed
    import_file(ws, "orders", _taobao(tmp_path / "tb2.csv", [AMY]), origin="tmall_flagship")
    pipeline.run(ws, with_models=False)
    both = runner.invoke(app, ["show", "tb_amy", "-w", str(folder)])
    assert both.exit_code == 1
    assert "taobao:tb_amy" in both.output
    assert "tmall_flagship:tb_amy" in both.output
    unknown = runner.invoke(app, ["show", "nobody", "-w", str(folder)])
    assert unknown.exit_code == 1


def test_next_month_s_export_derives_its_new_buyers_too(ws: Workspace, tmp_path: Path) -> None:
    """The second export of a platform quarantined every new buyer's paid orders as
    unknown customers (the source held customers: those the first export derived)."""
    import_file(ws, "orders", _taobao(tmp_path / "jan.csv", [AMY, BOB]))
    feb = import_file(ws, "orders", _taobao(tmp_path / "feb.csv", [AMY.replace("T1", "T4"), CAT]))
    assert feb.rejected == 0
    assert feb.derived_customers == 1
    assert ("taobao:tb_cat",) in _rows(ws, "SELECT customer_id FROM customers")
    assert _rows(ws, "SELECT count(*) FROM orders") == [(4,)]


def test_orders_for_customers_no_customers_file_holds_are_still_refused(
    ws: Workspace, tmp_path: Path
) -> None:
    """Where the customers come from a customers file, an order naming another customer
    is quarantined as unknown, as before."""
    customers = tmp_path / "customers.csv"
    customers.write_text("customer_id,name\nC1,Ann\n", encoding="utf-8")
    import_file(ws, "customers", customers)
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_id,customer_id,order_date,amount\nO1,C1,2025-01-02,10\nO2,C9,2025-01-03,20\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", orders)
    assert report.rejected == 1
    assert report.derived_customers == 0


def test_a_field_in_two_columns_takes_the_one_with_a_value(ws: Workspace, tmp_path: Path) -> None:
    """Taobao's 联系手机 empty and 联系电话 filled: the phone was lost (only the first of a
    profile's columns was read for a buyer's fields)."""
    header = HEADER + ",联系电话 "
    rows = [AMY + ",", BOB.replace(",13900000002,", ",,") + ",021-55550000"]
    import_file(ws, "orders", _taobao(tmp_path / "tb.csv", rows, header=header))
    assert sorted(_rows(ws, "SELECT customer_id, phone FROM customers")) == [
        ("taobao:tb_amy", "13800000001"),
        ("taobao:tb_bob", "021-55550000"),
    ]


def test_the_same_orders_with_and_without_the_shop_column_are_stored_once(
    ws: Workspace, tmp_path: Path
) -> None:
    """An export naming its shop (source taobao_xiaodian) and the same orders exported
    without 店铺名称 (source taobao) were stored twice: revenue doubled."""
    with_shop = _taobao(tmp_path / "a.csv", [AMY + ",小店", BOB + ",小店"], header=SHOP_HEADER)
    import_file(ws, "orders", with_shop)
    again = import_file(ws, "orders", _taobao(tmp_path / "b.csv", [AMY, BOB, CAT]))
    assert again.origin == "taobao_xiaodian"
    assert _rows(ws, "SELECT count(*) FROM orders") == [(3,)]
    assert _rows(ws, "SELECT count(*) FROM customers") == [(3,)]
    # and the other way round, in a fresh workspace
    other = Workspace.init(tmp_path / "other")
    import_file(other, "orders", _taobao(tmp_path / "c.csv", [AMY, BOB]))
    import_file(other, "orders", with_shop)
    assert _rows(other, "SELECT DISTINCT origin FROM orders") == [("taobao",)]
    assert _rows(other, "SELECT count(*) FROM orders") == [(2,)]
