"""Messages a dashboard or API user reads used to send them to the command's options
("Pass --encoding", "use --create-customers", "add this line to a mapping file"), which
the upload page does not offer. On the web each says what to do there (tick the box, say
what the status word means) or names the upload's own parameter; the command line keeps
its own wording."""

from __future__ import annotations

import re
from typing import Any

from kequn.core.i18n import on_web, t
from kequn.store.access import add_user
from kequn.store.workspace import Workspace

OPTION = re.compile(r"--[a-z]")
# orders of customers the workspace does not hold, one with a status word nobody knows
ORDERS = (
    "订单编号,客户编号,下单时间,实付金额,订单状态\n"
    "W-1,NOBODY-1,2026-09-01,10.00,交易成功\n"
    "W-2,NOBODY-2,2026-09-01,10.00,买家已签收吧\n"
)


def _upload(client: Any, data: bytes, lang: str, name: str = "o.csv") -> Any:
    return client.post(
        "/api/imports/orders",
        params={"wait": "true", "lang": lang},
        files={"file": (name, data, "text/csv")},
    )


def test_the_web_says_what_to_do_there(ws: Workspace, serve: Any) -> None:
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        # a workspace holding customers: an order of one it lacks is quarantined
        customers = client.post(
            "/api/imports/customers",
            params={"wait": "true"},
            files={"file": ("c.csv", "客户编号,姓名\nC1,甲\n".encode(), "text/csv")},
        )
        assert customers.status_code == 200, customers.text
        for lang, tick, say in (("zh", "勾选", "导入页面"), ("en", "tick", "import page")):
            # bytes that are no text in any encoding: the file's encoding is to fix
            failed = _upload(client, bytes(range(256)) * 50, lang, "binary.csv")
            assert failed.status_code == 422, failed.text
            message = failed.json()["error"]["message"]
            assert "encoding" in message, message
            assert "UTF-8" in message, message
            assert not OPTION.search(message), message

            done = _upload(client, ORDERS.encode("utf-8"), lang)
            assert done.status_code == 200, done.text
            said = " ".join(line["text"] for line in done.json()["result"]["said"])
            assert "买家已签收吧" in said, said
            assert say in said, said
            assert not OPTION.search(said), said

            rows = client.get("/api/quarantine", params={"table": "orders", "lang": lang})
            assert rows.status_code == 200, rows.text
            reasons = [r["message"] for r in rows.json() if r.get("reason") == "unknown_customer"]
            assert reasons, rows.json()
            for reason in reasons:
                assert tick in reason.lower(), reason
                assert not OPTION.search(reason), reason


def test_the_command_line_keeps_its_options() -> None:
    for lang in ("zh", "en"):
        assert "--create-customers" in t("reason.unknown_customer", lang, value="C1")
        assert "--encoding" in t(
            "import.bad_encoding", lang, file="a.csv", encoding="utf-8", line=1
        )


def test_the_overview_points_to_its_own_clusters() -> None:
    """The overview's model notes said 'see `kequn segments cluster`' above the page's
    own table of the clusters. (Told through the note's words: the shared server's
    newest run, which the overview shows, may have been made by another test with its
    models reused, whose notes do not describe the clusters; that requests and jobs
    use the web's words is the first test's.)"""
    for lang, words in (("zh", "总览页"), ("en", "the overview lists them")):
        with on_web():
            said = t("models.clusters", lang, k=4, ari=0.91)
        assert words in said, said
        assert "kequn segments cluster" not in said, said
        assert "kequn segments cluster" in t("models.clusters", lang, k=4, ari=0.91)


def test_the_identity_page_says_how_resolution_runs_from_the_dashboard(server: Any) -> None:
    """The identity page of a workspace whose identity resolution has not run said only
    'run kequn identity run'; a run started from the dashboard resolves identities too,
    once [identity] is enabled."""
    with server.client("admin") as client:
        for lang, words in (("zh", "总览页"), ("en", "from the overview")):
            page = client.get("/identity", params={"lang": lang})
            assert page.status_code == 200
            assert 'id="identity-not-run"' in page.text
            assert "enabled = true" in page.text
            assert words in page.text
            answer = client.get("/api/identity/review", params={"lang": lang})
            assert answer.status_code == 409, answer.text
            assert words in answer.json()["error"]["message"]


# a Taobao / Tmall order export's header (ExportOrderList*.csv, GBK; the header names as
# in src/kequn/ingest/formats/taobao.yaml's sources, e.g. github-code-index:20138030607)
TAOBAO = (
    "订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,联系手机,订单创建时间,宝贝总数量\n"
    "T1,tb_amy,199.00,交易成功,艾米,13800000001,2025-03-01 10:00:00,2\n"
)


def test_an_export_uploaded_as_customers_says_to_upload_it_as_orders(
    ws: Workspace, serve: Any
) -> None:
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        for lang in ("zh", "en"):
            failed = client.post(
                "/api/imports/customers",
                params={"wait": "true", "lang": lang},
                files={"file": ("ExportOrderList.csv", TAOBAO.encode("gbk"), "text/csv")},
            )
            assert failed.status_code == 422, failed.text
            message = failed.json()["error"]["message"]
            assert "orders" in message, message
            assert ("导入页面" if lang == "zh" else "import page") in message, message
            assert "kequn import" not in message, message


# Shopify's customers export (customers_export.csv), its columns as
# https://help.shopify.com/en/manual/customers/import-export-customers lists them (and
# src/kequn/ingest/formats/shopify.yaml cites)
SHOPIFY_CUSTOMERS = (
    "First Name,Last Name,Email,Company,Address1,Address2,City,Province,Province Code,"
    "Country,Country Code,Zip,Phone,Accepts Email Marketing,Accepts SMS Marketing,"
    "Total Spent,Total Orders,Tags,Note,Tax Exempt\n"
    "Jane,Doe,jane@example.com,,1 Main St,,New York,New York,NY,United States,US,10001,"
    "+12125550100,yes,no,90.00,2,,,no\n"
)


def test_a_customers_export_uploaded_as_orders_says_to_upload_it_as_customers(
    ws: Workspace, serve: Any
) -> None:
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        for lang, words in (("zh", "Shopify 客户导出"), ("en", "Shopify customers export")):
            failed = _upload(client, SHOPIFY_CUSTOMERS.encode(), lang, "customers_export.csv")
            assert failed.status_code == 422, failed.text
            message = failed.json()["error"]["message"]
            assert words in message, message
            assert "customers" in message, message
            assert ("导入页面" if lang == "zh" else "import page") in message, message
            assert "kequn import" not in message, message


def test_an_unknown_run_points_to_the_runs_page(server: Any) -> None:
    with server.client("viewer") as client:
        for lang in ("zh", "en"):
            answer = client.get("/api/runs/nosuchrun", params={"lang": lang})
            assert answer.status_code == 404, answer.text
            message = answer.json()["error"]["message"]
            assert "/api/runs" in message, message
            assert "kequn status" not in message, message


def test_a_chosen_header_not_in_the_file_is_told_as_a_choice(ws: Workspace, serve: Any) -> None:
    # the upload page's columns field is no mapping file: "Mapping file columns: the
    # header … is not in the file" named a file the user never wrote
    tokens = {"admin": add_user(ws, "chooser", "admin")}
    sheet = "单号,会员,日期,金额\nX-1,C1,2026-09-01,10.00\n".encode()
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        for lang, chosen in (("zh", "重新选择"), ("en", "Choose again")):
            failed = client.post(
                "/api/imports/orders",
                params={"wait": "true", "lang": lang},
                files={"file": ("o.csv", sheet, "text/csv")},
                data={"columns": '{"order_id": "订单号不在此"}'},
            )
            assert failed.status_code == 422, failed.text
            message = failed.json()["error"]["message"]
            assert "订单号不在此" in message, message
            assert chosen in message, message
            assert "映射文件" not in message, message
            assert "Mapping file" not in message, message
